//! The whole life of a case through the API. Customer messages are injected through the ingest
//! use case until the webhooks arrive with the networks work.

use axum::http::{Method, StatusCode};
use caredesk_app::IngestOutcome;
use caredesk_domain::CommunityItemId;
use serde_json::json;

use crate::api_support::{call, login, router};
use crate::support::World;

fn item_of(outcome: IngestOutcome) -> CommunityItemId {
    match outcome {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("expected a community item, got {other:?}"),
    }
}

#[tokio::test]
async fn a_case_lives_its_whole_life_through_the_api() {
    let w = World::new().await;
    let api = router(&w);
    let mut agent = login(&api, "agent@example.com").await;
    let community = login(&api, "community@example.com").await;
    let item = item_of(
        w.app
            .ingest(w.dm("ann", "dm-1", "My order never came"))
            .await
            .expect("ingest"),
    );
    let inbox = call(
        &api,
        Method::GET,
        "/api/v1/community/items",
        Some(&community),
        None,
    )
    .await;
    assert_eq!(
        inbox.json["items"][0]["message"]["text"], "My order never came",
        "{}",
        inbox.json
    );
    assert_eq!(
        (
            inbox.json["items"][0]["locked"].as_bool(),
            inbox.json["items"][0]["customer"]["handle"].as_str()
        ),
        (Some(false), Some("ann"))
    );
    let escalate = |item: CommunityItemId| format!("/api/v1/community/items/{item}/escalate");
    let first = call(
        &api,
        Method::POST,
        &escalate(item),
        Some(&community),
        Some(json!({"note": "Order problem"})),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    let badge = json!({"id": first.json["id"], "number": 1, "status": "new", "appended": false});
    assert_eq!(first.json, badge, "Community sees only the badge");
    let again = call(
        &api,
        Method::POST,
        &escalate(item),
        Some(&community),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (again.status, &again.json["number"]),
        (StatusCode::OK, &json!(1)),
        "a locked item changes nothing"
    );

    let new = call(
        &api,
        Method::GET,
        "/api/v1/cases?view=new",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(new.json["items"][0]["number"], 1, "{}", new.json);
    assert_eq!(new.json["items"][0]["customer"]["handle"], "ann");
    let id = new.json["items"][0]["id"].as_str().expect("id").to_owned();
    let counts = call(
        &api,
        Method::GET,
        "/api/v1/cases/counts",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(counts.json["new"], 1, "{}", counts.json);

    let assign = json!({"assignee_id": w.agent.id.to_string(), "expected_version": 1});
    let assigned = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/assign"),
        Some(&agent),
        Some(assign),
    )
    .await;
    assert_eq!(
        (assigned.status, assigned.json["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "{}",
        assigned.json
    );
    let stale = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/status"),
        Some(&agent),
        Some(json!({"status": "done", "expected_version": 1})),
    )
    .await;
    assert_eq!(
        (stale.status, stale.code()),
        (StatusCode::CONFLICT, "stale_case")
    );

    let reply = json!({"text": "Sorry! Checking.", "kind": "direct", "set_status": "pending"});
    let queued = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/replies"),
        Some(&agent),
        Some(reply),
    )
    .await;
    assert_eq!(
        (queued.status, queued.json["delivery"].as_str()),
        (StatusCode::ACCEPTED, Some("queued")),
        "{}",
        queued.json
    );
    let case = call(
        &api,
        Method::GET,
        &format!("/api/v1/cases/{id}"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(case.json["status"], "pending");

    w.clock.advance_secs(3_600);
    w.app
        .ingest(w.dm("ann", "dm-2", "Any news?"))
        .await
        .expect("ingest");
    let case = call(
        &api,
        Method::GET,
        &format!("/api/v1/cases/{id}"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        case.json["status"], "open",
        "a customer message moves pending to open"
    );

    let done = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/status"),
        Some(&agent),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json);
    assert!(done.json["grace_until"].is_string());

    w.clock.advance_secs(86_400);
    agent = login(&api, "agent@example.com").await; // the session went idle overnight
    w.app
        .ingest(w.dm("ann", "dm-3", "Still broken"))
        .await
        .expect("ingest");
    let case = call(
        &api,
        Method::GET,
        &format!("/api/v1/cases/{id}"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        (case.json["status"].as_str(), &case.json["grace_until"]),
        (Some("open"), &serde_json::Value::Null)
    );

    let done = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/status"),
        Some(&agent),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK);
    w.clock.advance_secs(432_000);
    agent = login(&api, "agent@example.com").await;
    let community = login(&api, "community@example.com").await;
    let item = item_of(
        w.app
            .ingest(w.dm("ann", "dm-4", "New problem"))
            .await
            .expect("ingest"),
    );
    let next = call(
        &api,
        Method::POST,
        &escalate(item),
        Some(&community),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (next.status, &next.json["number"]),
        (StatusCode::CREATED, &json!(2)),
        "{}",
        next.json
    );

    let second = call(
        &api,
        Method::GET,
        "/api/v1/cases/by-number/2",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        second.json["previous_case_id"], first.json["id"],
        "{}",
        second.json
    );
    let reopen = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{id}/reopen"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        (reopen.status, reopen.code()),
        (StatusCode::CONFLICT, "newer_case_exists"),
        "{}",
        reopen.json
    );

    let messages = call(
        &api,
        Method::GET,
        &format!("/api/v1/cases/{id}/messages"),
        Some(&agent),
        None,
    )
    .await;
    let authors: Vec<&str> = messages.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["author"].as_str())
        .collect();
    assert_eq!(
        authors,
        ["customer", "note", "brand", "customer", "customer"],
        "{}",
        messages.json
    );
    let events = call(
        &api,
        Method::GET,
        &format!("/api/v1/cases/{id}/events"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        events.json["items"].as_array().map(Vec::len),
        Some(12),
        "{}",
        events.json
    );

    let customer = second.json["customer"]["id"]
        .as_str()
        .expect("customer id")
        .to_owned();
    let history = call(
        &api,
        Method::GET,
        &format!("/api/v1/customers/{customer}/cases"),
        Some(&agent),
        None,
    )
    .await;
    let numbers: Vec<i64> = history.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["number"].as_i64())
        .collect();
    assert_eq!(
        numbers,
        [2, 1],
        "the History tab shows the chain, newest first"
    );
    let threads = call(
        &api,
        Method::GET,
        &format!("/api/v1/customers/{customer}/conversations"),
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(threads.json["items"][0]["kind"], "dm", "{}", threads.json);
    assert_eq!(
        threads.json["items"][0]["message_count"], 5,
        "four DMs and the reply; notes belong to no conversation"
    );
    let locked = call(
        &api,
        Method::GET,
        "/api/v1/community/items?locked=true",
        Some(&community),
        None,
    )
    .await;
    assert_eq!(
        locked.json["items"][0]["case"]["number"], 2,
        "{}",
        locked.json
    );
    let thread = locked.json["items"][0]["id"]
        .as_str()
        .expect("item id")
        .to_owned();
    let conversation = call(
        &api,
        Method::GET,
        &format!("/api/v1/community/items/{thread}/messages"),
        Some(&community),
        None,
    )
    .await;
    let deliveries: Vec<&str> = conversation.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["delivery"].as_str())
        .collect();
    assert_eq!(
        deliveries,
        ["queued"],
        "Community sees the reply and its delivery state"
    );
}
