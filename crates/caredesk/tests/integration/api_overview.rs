//! The home page's figures agree with the views and the log.

use axum::http::{Method, StatusCode};
use caredesk_domain::{CaseStatus, Settings};
use serde_json::json;

use crate::api_support::{call, login, router};
use crate::support::{escalated, World};

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
