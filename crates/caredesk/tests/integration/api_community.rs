//! Community work over the API: replies refused while a case holds the item, and replies
//! retried or cancelled.

use axum::http::{Method, StatusCode};
use caredesk_app::IngestOutcome;
use serde_json::json;

use crate::api_support::{call, login, router};
use crate::support::World;

#[tokio::test]
async fn community_replies_wait_for_care_and_replies_can_be_retried_or_cancelled() {
    let w = World::new().await;
    let api = router(&w);
    let community = login(&api, "community@example.com").await;
    let agent = login(&api, "agent@example.com").await;
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.comment("ann", "c-1", "post-1", "Where is my parcel?"))
        .await
        .expect("ingest")
    else {
        panic!("an item")
    };
    let replies = format!("/api/v1/community/items/{item}/replies");
    let escalate = format!("/api/v1/community/items/{item}/escalate");
    let case = call(
        &api,
        Method::POST,
        &escalate,
        Some(&community),
        Some(json!({"assignee_id": w.agent.id.to_string()})),
    )
    .await;
    assert_eq!(case.status, StatusCode::CREATED);

    let refused = call(
        &api,
        Method::POST,
        &replies,
        Some(&community),
        Some(json!({"text": "Checking", "kind": "reply"})),
    )
    .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "case_active"),
        "{}",
        refused.json
    );

    let case_id = case.json["id"].as_str().expect("case id").to_owned();
    let done = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{case_id}/status"),
        Some(&agent),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK);
    let sent = call(
        &api,
        Method::POST,
        &replies,
        Some(&community),
        Some(json!({"text": "Glad it's sorted!", "kind": "reply"})),
    )
    .await;
    assert_eq!(
        (sent.status, sent.json["delivery"].as_str()),
        (StatusCode::ACCEPTED, Some("queued")),
        "{}",
        sent.json
    );
    let too_long = call(
        &api,
        Method::POST,
        &replies,
        Some(&community),
        Some(json!({"text": "x".repeat(8_001), "kind": "reply"})),
    )
    .await;
    assert_eq!(
        (too_long.status, too_long.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "platform_limit")
    );

    let id = sent.json["id"].as_str().expect("message id").to_owned();
    let retried = call(
        &api,
        Method::POST,
        &format!("/api/v1/messages/{id}/retry"),
        Some(&community),
        None,
    )
    .await;
    assert_eq!(
        (retried.status, retried.json["delivery"].as_str()),
        (StatusCode::OK, Some("queued"))
    );
    let cancelled = call(
        &api,
        Method::POST,
        &format!("/api/v1/messages/{id}/cancel"),
        Some(&community),
        None,
    )
    .await;
    assert_eq!(
        (cancelled.status, cancelled.json["delivery"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let again = call(
        &api,
        Method::POST,
        &format!("/api/v1/messages/{id}/retry"),
        Some(&community),
        None,
    )
    .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "conflict"),
        "a cancelled reply stays cancelled"
    );
}
