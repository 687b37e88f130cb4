//! Collision over the API: heartbeats say who has a case open and who is typing; the caller is
//! never among the viewers they are shown; presence lapses 30 s after the last heartbeat (or at
//! once when the screen leaves); only those who may open the case may say or ask (404 as for the
//! case); a heartbeat leaves no trace in the case's activity log or the change log; and the
//! moves reach the streams of those who may open the case as `presence` events.

use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_domain::Case;
use serde_json::{json, Value};

use crate::api_support::{call, login, open_stream, router};
use crate::support::{escalated, World};

async fn beat(api: &Router, token: &str, case: &Case, body: Value) -> StatusCode {
    let path = format!("/api/v1/cases/{}/presence", case.id);
    call(api, Method::POST, &path, Some(token), Some(body))
        .await
        .status
}

/// The viewers `token` is shown on `case`, as (name, typing).
async fn viewers(api: &Router, token: &str, case: &Case) -> Vec<(String, bool)> {
    let path = format!("/api/v1/cases/{}/presence", case.id);
    let answer = call(api, Method::GET, &path, Some(token), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    answer.json["viewers"]
        .as_array()
        .expect("viewers")
        .iter()
        .map(|v| {
            assert!(v["user_id"].is_string(), "{v}");
            let name = v["name"].as_str().expect("name").to_owned();
            (name, v["typing"].as_bool().expect("typing"))
        })
        .collect()
}

fn seen(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(n, t)| (n.to_string(), *t)).collect()
}

#[tokio::test]
async fn heartbeats_show_who_else_has_a_case_open_and_who_is_typing() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let other = login(&api, "agent2@example.com").await;
    let sup = login(&api, "sup@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let events_before = w.app.store().case_events(case.id).await.expect("log").len();
    let log_end = w.app.store().change_log_end().await.expect("log end");

    // (who beats, body, what the other agent sees, what the supervisor sees)
    let table = [
        (
            &agent,
            json!({"typing": false}),
            vec![("agent", false)],
            vec![("agent", false)],
        ),
        (
            &agent,
            json!({"typing": true}),
            vec![("agent", true)],
            vec![("agent", true)],
        ),
        (
            &sup,
            json!({"typing": false}),
            vec![("agent", true), ("sup", false)],
            vec![("agent", true)],
        ),
        (
            &agent,
            json!({"typing": false}),
            vec![("agent", false), ("sup", false)],
            vec![("agent", false)],
        ),
        (
            &agent,
            json!({"typing": true, "leaving": true}),
            vec![("sup", false)],
            vec![],
        ),
        (
            &agent,
            json!({"typing": false}),
            vec![("agent", false), ("sup", false)],
            vec![("agent", false)],
        ),
    ];
    for (step, (who, body, to_other, to_sup)) in table.into_iter().enumerate() {
        assert_eq!(
            beat(&api, who, &case, body).await,
            StatusCode::NO_CONTENT,
            "step {step}"
        );
        assert_eq!(
            viewers(&api, &other, &case).await,
            seen(&to_other),
            "step {step}"
        );
        assert_eq!(
            viewers(&api, &sup, &case).await,
            seen(&to_sup),
            "step {step}"
        );
    }
    assert!(
        viewers(&api, &agent, &case)
            .await
            .iter()
            .all(|(n, _)| n != "agent"),
        "the caller is never among the viewers"
    );

    assert_eq!(
        w.app.store().case_events(case.id).await.expect("log").len(),
        events_before,
        "heartbeats are not in the case's activity log"
    );
    let changes = w
        .app
        .store()
        .changes_after(log_end, 100)
        .await
        .expect("changes");
    assert!(changes.is_empty(), "nor case change events: {changes:?}");
}

#[tokio::test]
async fn presence_lapses_thirty_seconds_after_the_last_heartbeat() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let other = login(&api, "agent2@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    assert_eq!(
        beat(&api, &agent, &case, json!({"typing": true})).await,
        StatusCode::NO_CONTENT
    );
    w.clock.advance_secs(20);
    assert_eq!(
        beat(&api, &agent, &case, json!({"typing": false})).await,
        StatusCode::NO_CONTENT
    );
    w.clock.advance_secs(29);
    assert_eq!(
        viewers(&api, &other, &case).await,
        seen(&[("agent", false)]),
        "29 s after the last heartbeat the agent is still there"
    );
    w.clock.advance_secs(1);
    assert!(
        viewers(&api, &other, &case).await.is_empty(),
        "30 s after it, gone"
    );
    assert_eq!(
        beat(&api, &agent, &case, json!({"typing": false})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        viewers(&api, &other, &case).await,
        seen(&[("agent", false)]),
        "and back with the next heartbeat"
    );
}

#[tokio::test]
async fn only_those_who_may_open_the_case_say_or_ask_who_is_on_it() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let community = login(&api, "community@example.com").await;
    let sup = login(&api, "sup@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let deleted = escalated(&w, w.dm("bob", "dm-2", "hello"), None).await;
    w.app
        .delete_case(w.supervisor.id, deleted.id, None)
        .await
        .expect("delete");

    let refusals = [
        (
            &community,
            format!("/api/v1/cases/{}/presence", case.id),
            json!({"typing": false}),
            404,
            "not_found",
        ),
        (
            &agent,
            format!("/api/v1/cases/{}/presence", deleted.id),
            json!({"typing": false}),
            404,
            "not_found",
        ),
        (
            &agent,
            "/api/v1/cases/999999/presence".to_owned(),
            json!({"typing": false}),
            404,
            "not_found",
        ),
        (
            &agent,
            "/api/v1/cases/nope/presence".to_owned(),
            json!({"typing": false}),
            404,
            "not_found",
        ),
        (
            &agent,
            format!("/api/v1/cases/{}/presence", case.id),
            json!({}),
            422,
            "validation_failed",
        ),
        (
            &agent,
            format!("/api/v1/cases/{}/presence", case.id),
            json!({"typing": "yes"}),
            422,
            "validation_failed",
        ),
        (
            &agent,
            format!("/api/v1/cases/{}/presence", case.id),
            json!({"typing": true, "away": 1}),
            422,
            "validation_failed",
        ),
        (
            &"not-a-token".to_owned(),
            format!("/api/v1/cases/{}/presence", case.id),
            json!({"typing": true}),
            401,
            "unauthenticated",
        ),
    ];
    for (who, path, body, status, code) in refusals {
        let answer = call(&api, Method::POST, &path, Some(who), Some(body.clone())).await;
        assert_eq!(
            answer.status.as_u16(),
            status,
            "POST {path} {body}: {}",
            answer.json
        );
        assert_eq!(answer.code(), code, "POST {path} {body}");
        if status == 404 {
            let answer = call(&api, Method::GET, &path, Some(who), None).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "GET {path}");
            assert_eq!(answer.code(), "not_found");
        }
    }
    assert!(
        viewers(&api, &sup, &case).await.is_empty(),
        "a refused heartbeat changes nothing"
    );
}

#[tokio::test]
async fn the_moves_reach_the_streams_of_those_who_may_open_the_case() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let other = login(&api, "agent2@example.com").await;
    let community = login(&api, "community@example.com").await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let mut other_stream = open_stream(&api, &other, None).await.1.expect("a stream");
    let mut community_stream = open_stream(&api, &community, None)
        .await
        .1
        .expect("a stream");

    assert_eq!(
        beat(&api, &agent, &case, json!({"typing": true})).await,
        StatusCode::NO_CONTENT
    );
    let arrived = format!(
        "event: presence\ndata: {{\"case_id\":\"{}\",\"viewers\":[{{\"user_id\":\"{}\",\"name\":\"agent\",\"typing\":true}}]}}",
        case.id, w.agent.id
    );
    assert!(
        other_stream.wait_for(&arrived).await,
        "{}",
        other_stream.text
    );

    // Lapsing is no write at all, yet it is heard.
    w.clock.advance_secs(31);
    let gone = format!(
        "event: presence\ndata: {{\"case_id\":\"{}\",\"viewers\":[]}}",
        case.id
    );
    assert!(other_stream.wait_for(&gone).await, "{}", other_stream.text);

    // A Community agent may not open the case: they hear nothing of who is on it.
    assert!(!community_stream.wait_for("event: presence").await);
}
