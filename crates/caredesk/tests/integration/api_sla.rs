//! Service levels through the API (PRODUCT.md §13): schedules and policies kept by supervisors
//! with every bad field refused by name and nothing written; a case's targets set by the first
//! matching policy, paused by `pending`, met by a delivered reply and by Done; the sweep
//! recording each warning and breach once, on the case's log and as the assignee's
//! notification. Runs on the backend the suite runs on (`CAREDESK_TEST_BACKEND`).

use axum::http::{Method, StatusCode};
use caredesk_domain::*;
use serde_json::{json, Value};

use crate::api_notifications::desk;
use crate::api_support::call;
use crate::support::{direct_reply, escalated, Delivers};

fn target<'a>(case: &'a Value, name: &str) -> &'a Value {
    case["sla"]
        .as_array()
        .and_then(|targets| targets.iter().find(|t| t["target"] == name))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn bad_schedules_and_policies_are_refused_by_field_and_change_nothing() {
    let d = desk().await;
    let post = |path: &'static str, body: Value| {
        let api = d.api.clone();
        let token = d.supervisor.clone();
        async move { call(&api, Method::POST, path, Some(&token), Some(body)).await }
    };
    let good_hours = json!({"mon": [["09:00", "17:00"]]});
    let schedules = [
        (
            json!({"name": "x", "time_zone": "Mars/Base", "hours": good_hours}),
            "time_zone",
        ),
        (
            json!({"name": "x", "time_zone": "UTC", "hours": {"mon": [["9", "17:00"]]}}),
            "hours",
        ),
        (
            json!({"name": "x", "time_zone": "UTC", "hours": {"mon": [["17:00", "09:00"]]}}),
            "hours",
        ),
        (
            json!({"name": "x", "time_zone": "UTC", "hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}),
            "hours",
        ),
        (
            json!({"name": "x", "time_zone": "UTC", "hours": good_hours, "holidays": ["2026-02-30"]}),
            "holidays",
        ),
        (
            json!({"name": " ", "time_zone": "UTC", "hours": good_hours}),
            "name",
        ),
    ];
    for (body, field) in schedules {
        let answer = post("/api/v1/schedules", body.clone()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = answer.json["error"]["message"].as_str().unwrap_or("");
        assert!(message.starts_with(field), "{body}: {message}");
    }
    let other_profile = d.w.profile.id.0 + 1_000;
    let policies = [
        (
            json!({"name": "p", "targets": {"first_response_secs": 0}}),
            "targets.first_response_secs",
        ),
        (
            json!({"name": "p", "targets": {"resolution_secs": -5}}),
            "targets.resolution_secs",
        ),
        (
            json!({"name": "p", "targets": {"first_response_secs": 60}, "warn_at": 1.5}),
            "warn_at",
        ),
        (
            json!({"name": "p", "targets": {"first_response_secs": 60}, "warn_at": -0.1}),
            "warn_at",
        ),
        (
            json!({"name": "p", "targets": {"first_response_secs": 60}, "conditions": {"profile_ids": [other_profile.to_string()]}}),
            "conditions.profile_ids",
        ),
        (
            json!({"name": "p", "targets": {"first_response_secs": 60}, "schedule_id": "999"}),
            "schedule_id",
        ),
    ];
    for (body, field) in policies {
        let answer = post("/api/v1/sla-policies", body.clone()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = answer.json["error"]["message"].as_str().unwrap_or("");
        assert!(message.starts_with(field), "{body}: {message}");
    }
    let listed = d
        .call(&d.supervisor, Method::GET, "/api/v1/schedules", None)
        .await;
    assert_eq!(listed["items"], json!([]));
    let listed = d
        .call(&d.supervisor, Method::GET, "/api/v1/sla-policies", None)
        .await;
    assert_eq!(listed["items"], json!([]));
    let agent = call(
        &d.api,
        Method::GET,
        "/api/v1/sla-policies",
        Some(&d.agent),
        None,
    )
    .await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn schedules_and_policies_are_kept_changed_and_removed_by_supervisors() {
    let d = desk().await;
    let schedule = d
        .call(
            &d.supervisor,
            Method::POST,
            "/api/v1/schedules",
            Some(json!({"name": "Office", "time_zone": "europe/paris",
                "hours": {"mon": [["09:00", "12:00"], ["12:00", "17:00"]], "fri": [["09:00", "15:00"]]},
                "holidays": ["2026-12-25"]})),
        )
        .await;
    assert_eq!(schedule["time_zone"], "Europe/Paris");
    assert_eq!(schedule["hours"]["mon"], json!([["09:00", "17:00"]]));
    assert_eq!(schedule["hours"]["tue"], json!([]));
    assert_eq!(schedule["holidays"], json!(["2026-12-25"]));
    let id = schedule["id"].as_str().expect("id").to_owned();
    let policy = d
        .call(
            &d.supervisor,
            Method::POST,
            "/api/v1/sla-policies",
            Some(
                json!({"name": "Urgent", "conditions": {"priorities": ["urgent"]},
                "targets": {"first_response_secs": 900}, "schedule_id": id}),
            ),
        )
        .await;
    assert_eq!(policy["warn_at"], 0.8);
    assert_eq!(policy["position"], 1);
    assert_eq!(policy["schedule_id"], id.as_str());
    let used = call(
        &d.api,
        Method::DELETE,
        &format!("/api/v1/schedules/{id}"),
        Some(&d.supervisor),
        None,
    )
    .await;
    assert_eq!(used.status, StatusCode::CONFLICT, "{}", used.json);
    let policy_path = format!(
        "/api/v1/sla-policies/{}",
        policy["id"].as_str().expect("id")
    );
    let changed = d
        .call(
            &d.supervisor,
            Method::PATCH,
            &policy_path,
            Some(json!({"schedule_id": null, "warn_at": 0.5})),
        )
        .await;
    assert_eq!(changed["schedule_id"], Value::Null);
    assert_eq!(changed["warn_at"], 0.5);
    assert_eq!(changed["targets"]["first_response_secs"], 900);
    let renamed = d
        .call(
            &d.supervisor,
            Method::PATCH,
            &format!("/api/v1/schedules/{id}"),
            Some(json!({"name": "Head office"})),
        )
        .await;
    assert_eq!(renamed["name"], "Head office");
    assert_eq!(renamed["hours"]["fri"], json!([["09:00", "15:00"]]));
    for path in [format!("/api/v1/schedules/{id}"), policy_path] {
        let gone = call(&d.api, Method::DELETE, &path, Some(&d.supervisor), None).await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT, "{path}");
    }
}

#[tokio::test]
async fn a_case_s_targets_run_pause_fire_once_and_are_met() {
    let d = desk().await;
    let w = &d.w;
    d.call(
        &d.supervisor,
        Method::POST,
        "/api/v1/sla-policies",
        Some(json!({"name": "Standard", "warn_at": 0.5,
            "targets": {"first_response_secs": 600, "next_response_secs": 300, "resolution_secs": 3600}})),
    )
    .await;
    let case = escalated(w, w.dm("ann", "dm-1", "my kettle leaks"), Some(w.agent.id)).await;
    let path = format!("/api/v1/cases/{}", case.id);
    let shown = d.call(&d.agent, Method::GET, &path, None).await;
    let start = w.app.now();
    assert_eq!(target(&shown, "first_response")["state"], "running");
    assert_eq!(
        target(&shown, "first_response")["due_at"],
        start.plus_secs(600).to_rfc3339()
    );
    assert_eq!(target(&shown, "resolution")["state"], "running");
    assert_eq!(target(&shown, "next_response"), &Value::Null);

    // Half the first-response target: one warning, to the assignee, however often swept.
    w.clock.advance_secs(301);
    for _ in 0..2 {
        let report = w.app.sweep_sla().await.expect("sweep");
        assert!(report.warnings <= 1, "{report:?}");
    }
    // Pending pauses resolution but not first response, which breaches.
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Pending, None)
        .await
        .expect("pending");
    w.clock.advance_secs(600);
    let report = w.app.sweep_sla().await.expect("sweep");
    assert_eq!(report.breaches, 1, "{report:?}");
    assert_eq!(w.app.sweep_sla().await.expect("sweep").recorded(), 0);
    let shown = d.call(&d.agent, Method::GET, &path, None).await;
    assert_eq!(target(&shown, "first_response")["state"], "breached");
    assert_eq!(target(&shown, "resolution")["state"], "paused");
    assert_eq!(target(&shown, "resolution")["due_at"], Value::Null);

    // Missed: the case is at risk, in the view and its count, for its agent.
    let at_risk = d
        .call(
            &d.agent,
            Method::GET,
            "/api/v1/cases?view=sla_at_risk",
            None,
        )
        .await;
    let ids: Vec<&str> = at_risk["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, [case.id.to_string()]);
    let counts = d
        .call(&d.agent, Method::GET, "/api/v1/cases/counts", None)
        .await;
    assert_eq!(counts["sla_at_risk"], 1, "{counts}");

    let told = d.told(&d.agent).await;
    let kinds: Vec<&str> = told
        .iter()
        .map(|(k, _, _)| k.as_str())
        .filter(|k| k.starts_with("sla_"))
        .collect();
    assert_eq!(
        kinds,
        ["sla_breached", "sla_warning"],
        "once each, newest first"
    );
    let events = d
        .call(&d.agent, Method::GET, &format!("{path}/events"), None)
        .await;
    let names: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("sla_"))
        .collect();
    assert_eq!(names, ["sla_warning", "sla_breached"]);

    // Open again: resolution counts on from where it paused; a delivered reply meets first
    // response (late), and the customer's next message starts next response.
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Open, None)
        .await
        .expect("open");
    let resumed = w.app.now();
    w.app
        .queue_reply(w.agent.id, case.id, direct_reply("On it"), None)
        .await
        .expect("queued");
    w.app.send_due_replies(&Delivers).await.expect("sent");
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("ann", "dm-2", "any news?"))
        .await
        .expect("ingest");
    let shown = d.call(&d.agent, Method::GET, &path, None).await;
    let first = target(&shown, "first_response");
    assert_eq!(first["state"], "breached");
    assert!(first["met_at"].is_string(), "{first}");
    assert_eq!(target(&shown, "next_response")["state"], "running");
    assert_eq!(
        target(&shown, "resolution")["due_at"],
        resumed.plus_secs(3600 - 301).to_rfc3339(),
        "301 s counted before the pause"
    );

    // Done meets resolution in time.
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done");
    let shown = d.call(&d.agent, Method::GET, &path, None).await;
    assert_eq!(target(&shown, "resolution")["state"], "met");
    assert_eq!(target(&shown, "next_response")["state"], "paused");
    let at_risk = d
        .call(
            &d.agent,
            Method::GET,
            "/api/v1/cases?view=sla_at_risk",
            None,
        )
        .await;
    assert_eq!(at_risk["items"], json!([]), "nothing open is at risk");
    w.clock.advance_secs(10_000);
    assert_eq!(w.app.sweep_sla().await.expect("sweep").recorded(), 0);
}

#[tokio::test]
async fn the_first_matching_policy_applies_and_again_when_the_priority_changes() {
    let d = desk().await;
    let w = &d.w;
    for (name, priorities, secs) in [
        ("Urgent", json!(["urgent"]), 300),
        ("Everything else", json!([]), 3600),
    ] {
        d.call(
            &d.supervisor,
            Method::POST,
            "/api/v1/sla-policies",
            Some(
                json!({"name": name, "conditions": {"priorities": priorities},
                "targets": {"first_response_secs": secs}}),
            ),
        )
        .await;
    }
    let case = escalated(w, w.dm("bob", "dm-1", "hello"), Some(w.agent.id)).await;
    let start = w.app.now();
    let path = format!("/api/v1/cases/{}", case.id);
    let shown = d.call(&d.agent, Method::GET, &path, None).await;
    assert_eq!(
        target(&shown, "first_response")["due_at"],
        start.plus_secs(3600).to_rfc3339()
    );
    w.clock.advance_secs(60);
    d.call(
        &d.agent,
        Method::PATCH,
        &path,
        Some(json!({"priority": "urgent"})),
    )
    .await;
    let later = escalated(w, w.dm("cid", "dm-2", "hello"), Some(w.agent.id)).await;
    let policies = d
        .call(&d.supervisor, Method::GET, "/api/v1/sla-policies", None)
        .await;
    for policy in policies["items"].as_array().expect("items") {
        let id = policy["id"].as_str().expect("id");
        let path = format!("/api/v1/sla-policies/{id}");
        let gone = call(&d.api, Method::DELETE, &path, Some(&d.supervisor), None).await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
    }
    let plain = escalated(w, w.dm("dan", "dm-3", "hello"), Some(w.agent.id)).await;
    let mut order = Vec::new();
    let mut rows = Vec::new();
    let mut path = "/api/v1/cases?view=inbox&sort=sla_due&limit=1".to_owned();
    for _ in 0..5 {
        let page = d.call(&d.agent, Method::GET, &path, None).await;
        for row in page["items"].as_array().expect("items") {
            order.push(row["number"].as_i64().expect("number"));
            rows.push(row.clone());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/cases?view=inbox&sort=sla_due&limit=1&cursor={c}"),
            None => break,
        }
    }
    let row = &rows[0];
    assert_eq!(
        target(row, "first_response")["due_at"],
        start.plus_secs(300).to_rfc3339(),
        "the urgent target, counted from escalation"
    );
    assert_eq!(
        order,
        [case.number, later.number, plain.number],
        "soonest due first, cases without targets last"
    );
}
