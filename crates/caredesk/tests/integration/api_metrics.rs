//! Metrics on their own router: requests by route and status, latency, outbox depth.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use caredesk_server::AppState;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::api_support::{call, login};
use crate::support::{escalated, World};

#[tokio::test]
async fn requests_and_the_outbox_are_measured() {
    let w = World::new().await;
    let state = AppState::new(w.app.clone(), None);
    let api = caredesk_server::router(state.clone());
    let metrics = caredesk_server::metrics::router(state);
    let agent = login(&api, "agent@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let reply = json!({"text": "On it", "kind": "direct"});
    let path = format!("/api/v1/cases/{}/replies", case.id);
    let queued = call(&api, Method::POST, &path, Some(&agent), Some(reply)).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);
    call(&api, Method::GET, "/api/v1/cases/999", Some(&agent), None).await;

    let request = Request::builder()
        .uri("/metrics")
        .body(Body::empty())
        .expect("request");
    let response = metrics.oneshot(request).await.expect("metrics answer");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8(bytes.to_vec()).expect("text");
    let line = |needle: &str| text.lines().any(|l| l.contains(needle));
    assert!(
        line(
            r#"caredesk_http_requests_total{method="POST",route="/api/v1/cases/{id}/replies",status="202"} 1"#
        ),
        "{text}"
    );
    assert!(
        line(
            r#"caredesk_http_requests_total{method="GET",route="/api/v1/cases/{id}",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(
        line(r#"caredesk_http_request_duration_seconds_count{route="/api/v1/auth/login"} 1"#),
        "{text}"
    );
    assert!(line("caredesk_outbox_depth 1"), "one reply waits: {text}");
    let public = call(&api, Method::GET, "/metrics", None, None).await;
    assert_eq!(
        public.status,
        StatusCode::NOT_FOUND,
        "metrics are never on the public listener"
    );
}
