//! `POST /api/v1/media` and `attachment_ids` over HTTP (API.md "Media and search"): an upload
//! answers 201 `{id, kind, mime, size}` typed by its bytes; a body over 25 MiB is 413 in the
//! error envelope; a reply names it and answers it among its attachments; the uploader fetches
//! it as a picture, `nosniff`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::IngestOutcome;
use caredesk_domain::escalation::EscalationRequest;
use serde_json::json;

use crate::api_support::{call, login, router, send};
use crate::app_media::Memory;
use crate::support::World;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn upload(token: &str, bytes: Vec<u8>, content_type: &str, name: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/media?filename={name}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .expect("request")
}

#[tokio::test]
async fn an_upload_is_answered_sent_with_a_reply_and_served_to_its_viewers() {
    let mut w = World::new().await;
    w.app = w.app.clone().with_media_store(Arc::new(Memory::default()));
    let app = router(&w);
    let agent = login(&app, "agent@example.com").await;

    let answer = send(
        &app,
        upload(&agent, PNG.to_vec(), "text/html", "label%20one.png"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
    assert_eq!(answer.json["kind"], "image");
    assert_eq!(answer.json["mime"], "image/png", "typed by its bytes");
    assert_eq!(answer.json["size"], PNG.len());
    let id = answer.json["id"].as_str().expect("an id").to_owned();

    let too_large = vec![0_u8; 25 * 1024 * 1024 + 1];
    let answer = send(&app, upload(&agent, too_large, "image/png", "big.png")).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.code(), "payload_too_large", "{}", answer.json);

    let community = login(&app, "community@example.com").await;
    let answer = send(&app, upload(&community, PNG.to_vec(), "image/png", "a.png")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.json);

    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.dm("ann", "dm-upload", "Which label?"))
        .await
        .expect("ingest")
    else {
        panic!("a community item");
    };
    let request = EscalationRequest {
        assignee_id: Some(w.agent.id),
        ..Default::default()
    };
    let case = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case;
    let path = format!("/api/v1/cases/{}/replies", case.id);
    let reply = json!({"text": "", "kind": "direct", "attachment_ids": [id]});
    let answer = call(&app, Method::POST, &path, Some(&agent), Some(reply)).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.json);
    let attachment = &answer.json["attachments"][0];
    assert_eq!(attachment["kind"], "image");
    assert_eq!(attachment["state"], "stored");
    assert_eq!(attachment["url"], format!("/api/v1/media/{id}"));
    assert_eq!(attachment["title"], "label one.png");

    let again = json!({"text": "again", "kind": "direct", "attachment_ids": [id]});
    let answer = call(&app, Method::POST, &path, Some(&agent), Some(again)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "validation_failed", "sent once only");

    let media = format!("/api/v1/media/{id}");
    let answer = call(&app, Method::GET, &media, Some(&agent), None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}
