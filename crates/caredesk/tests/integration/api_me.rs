//! `PATCH /api/v1/me`: a user changes their own name and time zone. A known IANA zone is kept in
//! the database's spelling, `null` clears it (times then follow the browser), an absent field
//! is left alone, and an unknown zone or a blank name is 422 `validation_failed` with nothing
//! changed. Every user object (`/me`, `/users`, the login answer) carries `time_zone`. Runs on
//! the backend the suite runs on (`CAREDESK_TEST_BACKEND`).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_support::{call, login, router, PASSWORD};
use crate::support::World;

#[tokio::test]
async fn patch_me_sets_clears_and_refuses_time_zones_and_names() {
    let w = World::new().await;
    let api = router(&w);
    let token = login(&api, "agent@example.com").await;
    let me = || call(&api, Method::GET, "/api/v1/me", Some(&token), None);
    let first = me().await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.json["time_zone"], Value::Null, "{}", first.json);

    // (body, status, code, time_zone afterwards, name afterwards)
    let table = [
        (
            json!({"time_zone": "Europe/Paris"}),
            200,
            "",
            json!("Europe/Paris"),
            "agent",
        ),
        (
            json!({"name": "Agent Ann"}),
            200,
            "",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"time_zone": "Mars/Olympus_Mons"}),
            422,
            "validation_failed",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"time_zone": "Asia/Tokyo", "name": "  "}),
            422,
            "validation_failed",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"time_zone": ""}),
            422,
            "validation_failed",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"time_zone": 7}),
            422,
            "validation_failed",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"email": "me@example.com"}),
            422,
            "validation_failed",
            json!("Europe/Paris"),
            "Agent Ann",
        ),
        (
            json!({"time_zone": "america/new_york", "name": " Ann "}),
            200,
            "",
            json!("America/New_York"),
            "Ann",
        ),
        (json!({}), 200, "", json!("America/New_York"), "Ann"),
        (json!({"time_zone": null}), 200, "", Value::Null, "Ann"),
    ];
    for (body, status, code, zone, name) in table {
        let answer = call(
            &api,
            Method::PATCH,
            "/api/v1/me",
            Some(&token),
            Some(body.clone()),
        )
        .await;
        assert_eq!(answer.status.as_u16(), status, "{body}: {}", answer.json);
        assert_eq!(answer.code(), code, "{body}");
        if status == 200 {
            assert_eq!(answer.json["time_zone"], zone, "{body}");
            assert_eq!(answer.json["email"], "agent@example.com", "{body}");
        }
        let now = me().await.json;
        assert_eq!(
            (&now["time_zone"], now["name"].as_str()),
            (&zone, Some(name)),
            "{body}"
        );
    }

    // The refusal of an unknown zone names the field and the zone.
    let refused = call(
        &api,
        Method::PATCH,
        "/api/v1/me",
        Some(&token),
        Some(json!({"time_zone": "Europe/Pariss"})),
    )
    .await;
    let message = refused.json["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("time_zone") && message.contains("Europe/Pariss"),
        "{message}"
    );

    // Not signed in: 401, nothing changed.
    let anonymous = call(
        &api,
        Method::PATCH,
        "/api/v1/me",
        None,
        Some(json!({"time_zone": "Asia/Tokyo"})),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me().await.json["time_zone"], Value::Null);
}

#[tokio::test]
async fn every_user_object_carries_the_time_zone() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let set = call(
        &api,
        Method::PATCH,
        "/api/v1/me",
        Some(&agent),
        Some(json!({"time_zone": "Asia/Kolkata"})),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.json);
    // Another user reads it in the list of users, beside users without one.
    let colleague = login(&api, "agent2@example.com").await;
    let users = call(&api, Method::GET, "/api/v1/users", Some(&colleague), None).await;
    let zones: Vec<(String, Value)> = users.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap_or_default().to_owned(),
                u["time_zone"].clone(),
            )
        })
        .collect();
    assert!(
        zones.contains(&("agent".to_owned(), json!("Asia/Kolkata"))),
        "{zones:?}"
    );
    assert!(
        zones.contains(&("agent2".to_owned(), Value::Null)),
        "{zones:?}"
    );
    // The sign-in answer carries it too, and it is kept across sessions.
    let again = call(
        &api,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "agent@example.com", "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        again.json["user"]["time_zone"], "Asia/Kolkata",
        "{}",
        again.json
    );
    // An admin changing the user elsewhere keeps the zone.
    let admin = login(&api, "admin@example.com").await;
    let changed = call(
        &api,
        Method::PATCH,
        &format!("/api/v1/users/{}", w.agent.id),
        Some(&admin),
        Some(json!({"capacity": 9})),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    assert_eq!(changed.json["time_zone"], "Asia/Kolkata");
}
