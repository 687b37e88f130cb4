//! Driving the real router in-process: requests go through every layer (limits, auth, JSON,
//! handlers, use cases, store) without a socket.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use caredesk_server::AppState;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::World;

/// The password of every user of the test world.
pub const PASSWORD: &str = "a long enough password";

/// The router of a world.
pub fn router(w: &World) -> Router {
    caredesk_server::router(AppState::new(w.app.clone(), None))
}

/// An answer: its status and its JSON (Null when empty or not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub json: Value,
    pub headers: axum::http::HeaderMap,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }
}

/// Sends a request with an optional bearer token and JSON body.
pub async fn call(
    app: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    send(app, request).await
}

/// Sends a prepared request.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        json,
        headers,
    }
}

/// Signs in through the API; answers the bearer token.
pub async fn login(app: &Router, email: &str) -> String {
    let answer = call(
        app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{email} signs in: {}",
        answer.json
    );
    answer.json["token"].as_str().expect("a token").to_owned()
}

/// Opens a live stream; answers its status and, while open, a reader of its text.
pub async fn open_stream(
    app: &Router,
    token: &str,
    last_event_id: Option<&str>,
) -> (StatusCode, Option<Listener>) {
    let mut request = Request::builder()
        .uri("/api/v1/stream")
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = response.status();
    if status != StatusCode::OK {
        return (status, None);
    }
    (
        status,
        Some(Listener {
            body: response.into_body(),
            text: String::new(),
        }),
    )
}

/// The text received so far on a live stream.
pub struct Listener {
    body: Body,
    pub text: String,
}

impl Listener {
    /// Reads until the text contains `needle` (or 10 seconds pass); answers whether it did.
    pub async fn wait_for(&mut self, needle: &str) -> bool {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !self.text.contains(needle) {
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await;
            match frame {
                Ok(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        self.text.push_str(&String::from_utf8_lossy(data));
                    }
                }
                _ => return false,
            }
        }
        true
    }
}

/// Sends a prepared request; answers the status and the body as text.
pub async fn send_raw(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}
