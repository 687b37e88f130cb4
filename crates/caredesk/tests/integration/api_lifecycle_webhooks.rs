//! The whole life of a case again, with every customer message arriving as a signed Meta
//! delivery through `/webhooks/meta`.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_networks::signature::meta_sign;
use serde_json::{json, Value};

use crate::api_support::{call, login, router, send, Answer};
use crate::support::World;

/// A Messenger message from a customer to the World's page, written now, signed with the app's
/// secret.
async fn customer_writes(w: &World, api: &axum::Router, mid: &str, text: &str) -> Answer {
    let ms = w.app.now().0 / 1_000;
    let body = json!({"object": "page", "entry": [{"id": "page-1", "time": ms, "messaging": [
        {"sender": {"id": "psid-ann"}, "recipient": {"id": "page-1"}, "timestamp": ms,
         "message": {"mid": mid, "text": text}}]}]})
    .to_string();
    let signature = meta_sign("s3cret", body.as_bytes()).expect("signed");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/webhooks/meta")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-hub-signature-256", signature)
        .body(Body::from(body))
        .expect("request");
    let answer = send(api, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    answer
}

async fn first_item(api: &axum::Router, token: &str) -> String {
    let inbox = call(
        api,
        Method::GET,
        "/api/v1/community/items",
        Some(token),
        None,
    )
    .await;
    inbox.json["items"][0]["id"]
        .as_str()
        .expect("an item")
        .to_owned()
}

#[tokio::test]
async fn a_case_lives_its_whole_life_with_messages_from_webhooks() {
    let w = World::new().await;
    let api = router(&w);
    let mut community = login(&api, "community@example.com").await;
    let mut agent = login(&api, "agent@example.com").await;
    let status = |s: &str| Some(json!({"status": s}));

    customer_writes(&w, &api, "m-1", "My order never came").await;
    let item = first_item(&api, &community).await;
    let created = call(
        &api,
        Method::POST,
        &format!("/api/v1/community/items/{item}/escalate"),
        Some(&community),
        Some(json!({})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json["id"].as_str().expect("case id").to_owned();
    let case = |token: &str| {
        let path = format!("/api/v1/cases/{id}");
        let token = token.to_owned();
        let api = api.clone();
        async move {
            call(&api, Method::GET, &path, Some(&token), None)
                .await
                .json
        }
    };

    let assign = json!({"assignee_id": w.agent.id.to_string()});
    assert_eq!(
        call(
            &api,
            Method::POST,
            &format!("/api/v1/cases/{id}/assign"),
            Some(&agent),
            Some(assign)
        )
        .await
        .status,
        StatusCode::OK
    );
    let reply = json!({"text": "Checking", "kind": "direct", "set_status": "pending"});
    assert_eq!(
        call(
            &api,
            Method::POST,
            &format!("/api/v1/cases/{id}/replies"),
            Some(&agent),
            Some(reply)
        )
        .await
        .status,
        StatusCode::ACCEPTED
    );
    customer_writes(&w, &api, "m-2", "Any news?").await;
    assert_eq!(case(&agent).await["status"], "open");
    assert_eq!(
        call(
            &api,
            Method::POST,
            &format!("/api/v1/cases/{id}/status"),
            Some(&agent),
            status("done")
        )
        .await
        .status,
        StatusCode::OK
    );

    w.clock.advance_secs(86_400);
    agent = login(&api, "agent@example.com").await;
    customer_writes(&w, &api, "m-3", "Still broken").await;
    assert_eq!(
        case(&agent).await["status"],
        "open",
        "reopened inside grace"
    );
    assert_eq!(
        call(
            &api,
            Method::POST,
            &format!("/api/v1/cases/{id}/status"),
            Some(&agent),
            status("done")
        )
        .await
        .status,
        StatusCode::OK
    );

    w.clock.advance_secs(432_000);
    agent = login(&api, "agent@example.com").await;
    community = login(&api, "community@example.com").await;
    let replay: Value = customer_writes(&w, &api, "m-3", "Still broken").await.json;
    assert_eq!(
        replay["known"], 1,
        "a redelivery after the grace period changes nothing"
    );
    customer_writes(&w, &api, "m-4", "New problem").await;
    assert_eq!(
        case(&agent).await["status"],
        "done",
        "the final case stays closed"
    );
    let item = first_item(&api, &community).await;
    let next = call(
        &api,
        Method::POST,
        &format!("/api/v1/community/items/{item}/escalate"),
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
    assert_eq!(second.json["previous_case_id"], json!(id));
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
        (StatusCode::CONFLICT, "newer_case_exists")
    );
}
