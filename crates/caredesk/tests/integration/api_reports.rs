//! Reports through the API (PRODUCT.md §13): the figures of the cases escalated in a range by
//! day, agent and network, the CSV export with one line per case, and every bad range or
//! grouping refused by name. Runs on the backend the suite runs on (`CAREDESK_TEST_BACKEND`).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_domain::*;
use serde_json::Value;

use crate::api_notifications::desk;
use crate::api_support::{call, send_raw};
use crate::support::{direct_reply, escalated, Delivers};

/// `START` is 2026-09-21T14:13:20Z.
const DAY: &str = "2026-09-21";

fn line<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["items"]
        .as_array()
        .and_then(|items| items.iter().find(|l| l["key"] == key))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn the_figures_and_the_csv_count_the_cases_escalated_in_the_range() {
    let d = desk().await;
    let w = &d.w;
    let agent = w.agent.id;
    let first = escalated(w, w.dm("ann", "dm-1", "broken"), Some(agent)).await;
    w.clock.advance_secs(120);
    w.app
        .queue_reply(agent, first.id, direct_reply("Sorry!"), None)
        .await
        .expect("queued");
    w.app.send_due_replies(&Delivers).await.expect("sent");
    w.clock.advance_secs(480);
    w.app
        .set_status(agent, first.id, CaseStatus::Done, None)
        .await
        .expect("done");
    w.app
        .ingest(w.dm("ann", "dm-2", "still broken"))
        .await
        .expect("reopened by the customer");
    let _second = escalated(w, w.dm("bob", "dm-3", "where is my order"), None).await;

    let report = d
        .call(
            &d.supervisor,
            Method::GET,
            &format!("/api/v1/reports/summary?from={DAY}&to={DAY}"),
            None,
        )
        .await;
    let day = line(&report, DAY);
    assert_eq!(day["escalated"], 2, "{report}");
    assert_eq!(day["done"], 0, "the first was reopened: {report}");
    assert_eq!(day["reopened"], 1);
    assert_eq!(day["first_response"]["median_secs"], 120);
    assert_eq!(day["resolution"]["median_secs"], Value::Null);

    let by_agent = d
        .call(
            &d.supervisor,
            Method::GET,
            &format!("/api/v1/reports/summary?from={DAY}&to={DAY}&group_by=agent"),
            None,
        )
        .await;
    assert_eq!(line(&by_agent, &agent.to_string())["escalated"], 1);
    assert_eq!(line(&by_agent, "")["escalated"], 1, "unassigned");
    let by_network = d
        .call(
            &d.supervisor,
            Method::GET,
            &format!("/api/v1/reports/summary?from={DAY}&to={DAY}&group_by=network"),
            None,
        )
        .await;
    assert_eq!(line(&by_network, "facebook")["escalated"], 2);
    let empty = d
        .call(
            &d.supervisor,
            Method::GET,
            "/api/v1/reports/summary?from=2026-09-22&to=2026-09-30",
            None,
        )
        .await;
    assert_eq!(empty["items"], serde_json::json!([]));

    let request = Request::builder()
        .method(Method::GET)
        .uri(format!("/api/v1/reports/cases.csv?from={DAY}&to={DAY}"))
        .header(header::AUTHORIZATION, format!("Bearer {}", d.supervisor))
        .body(Body::empty())
        .expect("request");
    let (status, csv) = send_raw(&d.api, request).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "a header and one line per case: {csv}");
    assert!(
        lines[0].starts_with("case_number,escalated_at,status,"),
        "{csv}"
    );
    assert!(
        lines[1].starts_with(&format!("{},", first.number)),
        "by case: {csv}"
    );
    assert!(lines[1].contains(",open,"), "{csv}");
    assert!(lines[1].contains(",120,"), "first response seconds: {csv}");
}

#[tokio::test]
async fn bad_ranges_and_groupings_are_refused_by_name_and_agents_are_not_shown_reports() {
    let d = desk().await;
    for (query, field) in [
        ("from=2026-02-30&to=2026-03-01", "from"),
        ("from=2026-03-01&to=soon", "to"),
        ("from=2026-03-05&to=2026-03-01", "to"),
        ("from=2026-03-01&to=2026-03-02&group_by=mood", "group_by"),
        ("to=2026-03-02", "from"),
    ] {
        let answer = call(
            &d.api,
            Method::GET,
            &format!("/api/v1/reports/summary?{query}"),
            Some(&d.supervisor),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let message = answer.json["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(field), "{query}: {message}");
    }
    for path in [
        "/api/v1/reports/summary?from=2026-03-01&to=2026-03-02",
        "/api/v1/reports/cases.csv?from=2026-03-01&to=2026-03-02",
    ] {
        let answer = call(&d.api, Method::GET, path, Some(&d.agent), None).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
}
