//! The home page's figures agree with the views and the log; first-reply and Done times are
//! the medians and 90th percentiles of the last 7 days.

use axum::http::{Method, StatusCode};
use caredesk_domain::{CaseId, CaseStatus, Settings};
use serde_json::json;

use crate::api_support::{call, login, router};
use crate::support::{direct_reply, escalated, Delivers, World};

#[tokio::test]
async fn the_overview_agrees_with_the_views() {
    let w = World::new().await;
    let api = router(&w);
    w.app
        .update_settings(
            w.admin.id,
            Settings {
                grace_period_secs: 3_600,
                default_capacity: 5,
                ..Settings::default()
            },
        )
        .await
        .expect("settings");
    escalated(&w, w.dm("new1", "dm-1", "hi"), None).await;
    w.clock.advance_secs(600);
    escalated(&w, w.dm("new2", "dm-2", "hi"), None).await;
    let open = escalated(&w, w.dm("open", "dm-3", "hi"), Some(w.agent.id)).await;
    let finished = escalated(&w, w.dm("done", "dm-4", "hi"), Some(w.agent.id)).await;
    w.clock.advance_secs(1_800);
    w.app
        .set_status(w.agent.id, finished.id, CaseStatus::Done, None)
        .await
        .expect("done");
    w.app
        .set_status(w.agent.id, open.id, CaseStatus::Pending, None)
        .await
        .expect("pending");

    let supervisor = login(&api, "sup@example.com").await;
    let overview = call(
        &api,
        Method::GET,
        "/api/v1/overview",
        Some(&supervisor),
        None,
    )
    .await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.json);
    let report = w
        .app
        .overview(w.supervisor.id)
        .await
        .expect("the use case's report");
    assert_eq!(
        overview.json,
        serde_json::to_value(&report).expect("serializes"),
        "the API answers the report field for field"
    );
    let o = &overview.json;
    assert_eq!(
        o["cases_by_status"],
        json!({"new": 2, "open": 0, "pending": 1, "on_hold": 0, "done": 1, "spam": 0})
    );
    let counts = call(
        &api,
        Method::GET,
        "/api/v1/cases/counts",
        Some(&supervisor),
        None,
    )
    .await;
    assert_eq!(
        o["unassigned_new"], counts.json["new"],
        "the overview agrees with the New view"
    );
    assert_eq!(o["oldest_new_waiting_secs"], 2_400);
    let days = o["days"].as_array().expect("days");
    assert_eq!(days.len(), 14);
    assert_eq!(
        (days[13]["escalations"].as_i64(), days[13]["done"].as_i64()),
        (Some(4), Some(1)),
        "{}",
        o["days"]
    );
    assert_eq!(o["median_done_secs"], 1_800, "from escalation to Done");
    assert_eq!(o["p90_done_secs"], 1_800);
    assert_eq!(o["median_first_reply_secs"], serde_json::Value::Null);
    assert_eq!(
        o["grace_ending"][0]["case_id"],
        finished.id.to_string(),
        "its one-hour grace ends within 24 hours"
    );
    let agent = o["loads"]
        .as_array()
        .expect("loads")
        .iter()
        .find(|l| l["name"] == "agent")
        .cloned()
        .expect("the agent");
    assert_eq!(
        (
            agent["load"].as_i64(),
            agent["capacity"].as_i64(),
            agent["over_capacity"].as_bool()
        ),
        (Some(1), Some(5), Some(false))
    );
}

/// The agent replies on a case and the outbox delivers it.
async fn reply_delivered(w: &World, case: CaseId, text: &str) {
    w.app
        .queue_reply(w.agent.id, case, direct_reply(text), None)
        .await
        .expect("queued");
    let pass = w.app.send_due_replies(&Delivers).await.expect("pass");
    assert_eq!(pass.sent, 1);
}

#[tokio::test]
async fn first_reply_times_count_the_first_delivered_reply_of_each_case_of_the_last_week() {
    let w = World::new().await;
    let api = router(&w);
    let overview = || async {
        // Signed in afresh each time: the clock moves past a session's life below.
        let supervisor = login(&api, "sup@example.com").await;
        let answer = call(
            &api,
            Method::GET,
            "/api/v1/overview",
            Some(&supervisor),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        let o = answer.json;
        (
            o["median_first_reply_secs"].as_i64(),
            o["p90_first_reply_secs"].as_i64(),
        )
    };
    assert_eq!(overview().await, (None, None), "no reply delivered yet");

    let first = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    w.clock.advance_secs(120);
    reply_delivered(&w, first.id, "Hello Ann").await;
    w.clock.advance_secs(60);
    let second = escalated(&w, w.dm("bob", "dm-2", "hi"), Some(w.agent.id)).await;
    reply_delivered(&w, first.id, "A later reply changes nothing").await;
    w.clock.advance_secs(3_000);
    reply_delivered(&w, second.id, "Hello Bob").await;
    assert_eq!(
        overview().await,
        (Some(120), Some(3_000)),
        "the lower middle of 2 min and 50 min, and the slower one"
    );

    w.clock.advance_secs(8 * 86_400);
    let third = escalated(&w, w.dm("cat", "dm-3", "hi"), Some(w.agent.id)).await;
    w.clock.advance_secs(30);
    reply_delivered(&w, third.id, "Hello Cat").await;
    assert_eq!(
        overview().await,
        (Some(30), Some(30)),
        "first replies older than 7 days are left out"
    );
}
