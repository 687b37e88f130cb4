//! Sign-in throttling through the router (PRODUCT.md §14): the client address comes from
//! `X-Forwarded-For` only when the TCP peer is a trusted proxy, so behind a balancer each user
//! keeps their own count, an attacker cannot spoof one, and an attacker's failures never refuse
//! the right password from another address.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use caredesk_app::AuthConfig;
use caredesk_server::{AppState, TrustedProxies};
use serde_json::json;

use crate::api_support::{send, Answer, PASSWORD};
use crate::support::World;

const BALANCER: &str = "10.0.0.2:40000";
const ATTACKER: &str = "203.0.113.66";
const AGENT_ADDRESS: &str = "198.51.100.7";

fn router_behind(w: &World, trusted: &str) -> Router {
    let proxies = TrustedProxies::parse(trusted).expect("CIDRs");
    caredesk_server::router(AppState::new(w.app.clone(), None).with_trusted_proxies(proxies))
}

/// A sign-in arriving over TCP from `peer`, with `forwarded` as its `X-Forwarded-For`.
async fn sign_in(app: &Router, peer: &str, forwarded: Option<&str>, password: &str) -> Answer {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request
        .body(Body::from(
            json!({"email": "agent@example.com", "password": password}).to_string(),
        ))
        .expect("request");
    let peer: SocketAddr = peer.parse().expect("socket address");
    request.extensions_mut().insert(ConnectInfo(peer));
    send(app, request).await
}

async fn fail_until_throttled(app: &Router, peer: &str, forwarded: Option<&str>) {
    for attempt in 0..AuthConfig::default().max_failures_per_account_from_address {
        let refused = sign_in(app, peer, forwarded, "not the password at all").await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let throttled = sign_in(app, peer, forwarded, PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.code(), "rate_limited");
    let wait: i64 = throttled.headers[header::RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(wait > 0, "Retry-After: {wait}");
}

#[tokio::test]
async fn behind_a_trusted_balancer_an_attacker_cannot_lock_out_the_agent() {
    let w = World::new().await;
    let app = router_behind(&w, "10.0.0.0/8");
    fail_until_throttled(&app, BALANCER, Some(ATTACKER)).await;
    let agent = sign_in(&app, BALANCER, Some(AGENT_ADDRESS), PASSWORD).await;
    assert_eq!(
        agent.status,
        StatusCode::OK,
        "the agent's own address is not the attacker's: {}",
        agent.json
    );
    let spoofed = sign_in(
        &app,
        BALANCER,
        Some(&format!("{AGENT_ADDRESS}, {ATTACKER}")),
        PASSWORD,
    )
    .await;
    assert_eq!(
        spoofed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "what the attacker writes left of the balancer's entry is not believed"
    );
}

#[tokio::test]
async fn an_untrusted_peer_cannot_choose_its_address() {
    let w = World::new().await;
    let app = router_behind(&w, "10.0.0.0/8");
    let attacker_peer = format!("{ATTACKER}:5555");
    fail_until_throttled(&app, &attacker_peer, Some(AGENT_ADDRESS)).await;
    let other_header = sign_in(&app, &attacker_peer, Some("192.0.2.1"), PASSWORD).await;
    assert_eq!(
        other_header.status,
        StatusCode::TOO_MANY_REQUESTS,
        "an untrusted peer's X-Forwarded-For is ignored: it stays throttled"
    );
    let agent = sign_in(&app, &format!("{AGENT_ADDRESS}:6000"), None, PASSWORD).await;
    assert_eq!(
        agent.status,
        StatusCode::OK,
        "the address it named is not throttled: {}",
        agent.json
    );
}

#[tokio::test]
async fn without_trusted_proxies_the_header_means_nothing() {
    let w = World::new().await;
    let app = router_behind(&w, "");
    fail_until_throttled(&app, BALANCER, Some(ATTACKER)).await;
    let agent = sign_in(&app, BALANCER, Some(AGENT_ADDRESS), PASSWORD).await;
    assert_eq!(
        agent.status,
        StatusCode::TOO_MANY_REQUESTS,
        "an untrusted balancer is one address for everyone behind it"
    );
}
