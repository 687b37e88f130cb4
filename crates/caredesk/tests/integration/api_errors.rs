//! Bad input over HTTP: every refusal in the error envelope, in the order of API.md, changing
//! nothing.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_domain::AppNetwork;
use serde_json::json;

use crate::api_support::{call, login, router, send};
use crate::support::{escalated, World};

#[tokio::test]
async fn bad_bodies_and_callers_are_refused_in_the_envelope() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let status_path = format!("/api/v1/cases/{}/status", case.id);

    let raw = |body: &str, token: Option<&str>| {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri(&status_path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        r.body(Body::from(body.to_owned())).expect("request")
    };
    let huge = format!("{{\"status\":\"{}\"}}", "x".repeat(1_100_000));
    let table: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            raw(&huge, None),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            raw("{\"status\":\"done\"}", None),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            raw("{\"status\":\"done\"}", Some("forged-token")),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            raw("{not json", Some(&agent)),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            raw("{\"status\":\"finished\"}", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw("{\"status\":7}", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw("{}", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        // An array would be read field by field in order: `{"status":"done"}`.
        (
            raw("[\"done\"]", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw("\"done\"", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw("{\"status\":\"new\"}", Some(&agent)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (request, status, code) in table {
        let answer = send(&api, request).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{}",
            answer.json
        );
        assert!(answer.json["error"]["message"].is_string());
    }
    let unknown = call(
        &api,
        Method::POST,
        "/api/v1/cases/999999/status",
        Some(&agent),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let garbage = call(
        &api,
        Method::GET,
        "/api/v1/cases/not-an-id",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
    let no_route = call(
        &api,
        Method::GET,
        "/api/v1/nothing-here",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(
        (no_route.status, no_route.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let stored = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(stored, case, "nothing changed");
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_to_change_anything() {
    let w = World::new().await;
    let api = router(&w);
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let login = call(
        &api,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "agent@example.com", "password": crate::api_support::PASSWORD})),
    )
    .await;
    let cookie = login
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("name=value").to_owned();
    let csrf = login.json["csrf_token"].as_str().expect("csrf").to_owned();
    let with_cookie = |csrf: Option<&str>| {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/cases/{}/status", case.id))
            .header(header::COOKIE, &pair)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.body(Body::from("{\"status\":\"pending\"}"))
            .expect("request")
    };
    let refused = send(&api, with_cookie(None)).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let read = send(
        &api,
        Request::builder()
            .uri("/api/v1/me")
            .header(header::COOKIE, &pair)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "reads need no CSRF token");
    let accepted = send(&api, with_cookie(Some(&csrf))).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json);
}

/// Answers of every kind tell browsers not to sniff their type: JSON, errors, the unknown
/// route's 404 and the probes.
#[tokio::test]
async fn every_answer_is_nosniff() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    for (path, token, status) in [
        ("/api/v1/me", Some(agent.as_str()), StatusCode::OK),
        ("/api/v1/me", None, StatusCode::UNAUTHORIZED),
        ("/no/such/route", None, StatusCode::NOT_FOUND),
        ("/readyz", None, StatusCode::OK),
        ("/healthz", None, StatusCode::OK),
    ] {
        let answer = call(&api, Method::GET, path, token, None).await;
        assert_eq!(answer.status, status, "{path}");
        assert_eq!(
            answer.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
    }
}

/// `PATCH` changes only the fields sent: a network app renamed alone keeps its network and
/// secrets; sending another network is 409 and an empty name 422, each changing nothing.
#[tokio::test]
async fn patching_a_network_app_changes_only_what_is_sent() {
    let w = World::new().await;
    let api = router(&w);
    let admin = login(&api, "admin@example.com").await;
    let path = format!("/api/v1/network-apps/{}", w.profile.app_id);
    let table = [
        (json!({"name": "Renamed"}), StatusCode::OK, "Renamed"),
        (json!({"network": "x"}), StatusCode::CONFLICT, "Renamed"),
        (
            json!({"name": " "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Renamed",
        ),
        (json!({"verify_token": "fresh"}), StatusCode::OK, "Renamed"),
    ];
    for (body, status, name) in table {
        let answer = call(&api, Method::PATCH, &path, Some(&admin), Some(body.clone())).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.json);
        let stored = w
            .app
            .store()
            .network_apps()
            .await
            .expect("read")
            .into_iter()
            .find(|a| a.id == w.profile.app_id)
            .expect("app");
        assert_eq!(stored.name, name, "{body}");
        assert_eq!(stored.network, AppNetwork::Meta);
        assert_eq!(stored.app_secret, "s3cret", "{body}: the secret stays");
    }
}

/// A route called with a method it does not take: 405 in the envelope, with `Allow`.
#[tokio::test]
async fn a_wrong_method_is_405_in_the_envelope_with_allow() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let answer = call(&api, Method::DELETE, "/api/v1/me", Some(&agent), None).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        "{}",
        answer.json
    );
    let allow = answer.headers[header::ALLOW].to_str().expect("allow");
    assert!(allow.contains("GET") && allow.contains("PATCH"), "{allow}");
}

/// A malformed query string, on any list: 422 `validation_failed` in the envelope.
#[tokio::test]
async fn a_malformed_query_string_is_refused_in_the_envelope() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    for path in [
        format!("/api/v1/cases/{}/messages?limit=abc", case.id),
        format!("/api/v1/customers/{}/cases?limit=abc", case.customer_id),
        format!(
            "/api/v1/customers/{}/conversations?limit=-",
            case.customer_id
        ),
        "/api/v1/cases?limit=abc".to_owned(),
        "/api/v1/notifications?limit=abc".to_owned(),
        "/api/v1/search".to_owned(),
    ] {
        let answer = call(&api, Method::GET, &path, Some(&agent), None).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{path}: {}",
            answer.json
        );
    }
}

/// A webhook body over 16 MiB: 413 `payload_too_large` in the envelope, like the API's.
#[tokio::test]
async fn an_oversized_webhook_is_413_in_the_envelope() {
    let w = World::new().await;
    let api = router(&w);
    let body = vec![b' '; 17 * 1024 * 1024];
    let request = Request::builder()
        .method(Method::POST)
        .uri("/webhooks/meta")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .expect("request");
    let answer = send(&api, request).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        "{}",
        answer.json
    );
}
