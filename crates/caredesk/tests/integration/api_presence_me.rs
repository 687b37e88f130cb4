//! A user's presence (PRODUCT.md §13): online while their session is in use, away when they say
//! so or after the idle time without activity, offline an hour after their last activity or once
//! signed out; `PUT /api/v1/me/presence` refuses anything but online and away; supervisors set
//! the idle time within its bounds. Every user object carries `presence`. Runs on the backend
//! the suite runs on (`CAREDESK_TEST_BACKEND`).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_support::{call, login, router};
use crate::support::World;

async fn presence_of(api: &axum::Router, viewer: &str, email: &str) -> Value {
    let users = call(api, Method::GET, "/api/v1/users", Some(viewer), None).await;
    assert_eq!(users.status, StatusCode::OK, "{}", users.json);
    users.json["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|u| u["name"] == email.split('@').next().unwrap_or(""))
        })
        .map(|u| u["presence"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn presence_follows_the_choice_the_activity_and_the_sign_out() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let sup = login(&api, "sup@example.com").await;
    let me = call(&api, Method::GET, "/api/v1/me", Some(&agent), None).await;
    assert_eq!(me.json["presence"], "online", "{}", me.json);
    assert_eq!(presence_of(&api, &sup, "agent@example.com").await, "online");
    assert_eq!(
        presence_of(&api, &sup, "agent2@example.com").await,
        "offline",
        "never signed in"
    );

    for (body, status) in [
        (json!({"status": "busy"}), 422),
        (json!({"status": "offline"}), 422),
        (json!({}), 422),
        (json!({"status": "away"}), 200),
    ] {
        let answer = call(
            &api,
            Method::PUT,
            "/api/v1/me/presence",
            Some(&agent),
            Some(body.clone()),
        )
        .await;
        assert_eq!(answer.status.as_u16(), status, "{body}: {}", answer.json);
    }
    assert_eq!(presence_of(&api, &sup, "agent@example.com").await, "away");
    let back = call(
        &api,
        Method::PUT,
        "/api/v1/me/presence",
        Some(&agent),
        Some(json!({"status": "online"})),
    )
    .await;
    assert_eq!(back.json["presence"], "online");

    // Idle: away after the idle time (five minutes by default), offline after an hour.
    w.clock.advance_secs(301);
    assert_eq!(presence_of(&api, &sup, "agent@example.com").await, "away");
    let me = call(&api, Method::GET, "/api/v1/me", Some(&agent), None).await;
    assert_eq!(me.json["presence"], "online", "any request is activity");
    w.clock.advance_secs(3_600);
    assert_eq!(
        presence_of(&api, &sup, "agent@example.com").await,
        "offline"
    );

    // A longer idle time keeps an idle user online longer; bad ones are refused by name.
    for (idle, status) in [(59, 422), (86_401, 422), (900, 200)] {
        let answer = call(
            &api,
            Method::PATCH,
            "/api/v1/settings",
            Some(&sup),
            Some(json!({"presence_idle_secs": idle})),
        )
        .await;
        assert_eq!(answer.status.as_u16(), status, "{idle}: {}", answer.json);
        if status == 422 {
            let message = answer.json["error"]["message"].as_str().unwrap_or("");
            assert!(message.contains("presence_idle_secs"), "{message}");
        }
    }
    call(&api, Method::GET, "/api/v1/me", Some(&agent), None).await;
    w.clock.advance_secs(600);
    assert_eq!(presence_of(&api, &sup, "agent@example.com").await, "online");

    let out = call(
        &api,
        Method::POST,
        "/api/v1/auth/logout",
        Some(&agent),
        None,
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        presence_of(&api, &sup, "agent@example.com").await,
        "offline"
    );
}
