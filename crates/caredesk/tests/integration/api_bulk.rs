//! Bulk actions over the API (PRODUCT.md §12): each case judged as its single route judges it,
//! outcomes per case in the order sent, a refused case left as it was, and a malformed request
//! refused whole before any case is touched.

use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use crate::api_support::{call, login, router, Answer};
use crate::support::{escalated, World};

async fn bulk(api: &Router, token: &str, body: Value) -> Answer {
    call(
        api,
        Method::POST,
        "/api/v1/cases/bulk",
        Some(token),
        Some(body),
    )
    .await
}

/// `(case_id, ok, code)` of each result.
fn outcomes(answer: &Answer) -> Vec<(String, bool, String)> {
    answer.json["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results in {}", answer.json))
        .iter()
        .map(|r| {
            (
                r["case_id"].as_str().expect("case_id").to_owned(),
                r["ok"].as_bool().expect("ok"),
                r["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn each_case_is_judged_alone_and_reported_in_the_order_sent() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let supervisor = login(&api, "sup@example.com").await;
    let mine = escalated(&w, w.dm("ann", "m-1", "one"), Some(w.agent.id)).await;
    let theirs = escalated(&w, w.dm("bo", "m-2", "two"), Some(w.other_agent.id)).await;
    let also_mine = escalated(&w, w.dm("cy", "m-3", "three"), Some(w.agent.id)).await;
    let ids = [mine.id, theirs.id, also_mine.id].map(|id| id.to_string());

    let done = bulk(
        &api,
        &agent,
        json!({"case_ids": [ids[0], ids[1], ids[2], "999999"], "action": "status", "status": "done"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json);
    assert_eq!(
        outcomes(&done),
        [
            (ids[0].clone(), true, String::new()),
            (ids[1].clone(), false, "not_assignee".into()),
            (ids[2].clone(), true, String::new()),
            ("999999".into(), false, "not_found".into()),
        ]
    );
    assert_eq!(done.json["results"][0]["case"]["status"], "done");
    let untouched = w
        .app
        .store()
        .case(theirs.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(
        untouched.status, theirs.status,
        "a refused case is left as it was"
    );
    assert_eq!(untouched.version, theirs.version);

    let assigned = bulk(
        &api,
        &supervisor,
        json!({"case_ids": [ids[1]], "action": "assign", "assignee_id": w.agent.id.to_string()}),
    )
    .await;
    assert_eq!(outcomes(&assigned), [(ids[1].clone(), true, String::new())]);
    assert_eq!(
        assigned.json["results"][0]["case"]["assignee_id"],
        w.agent.id.to_string()
    );
    let urgent = bulk(
        &api,
        &agent,
        json!({"case_ids": [ids[1]], "action": "priority", "priority": "urgent"}),
    )
    .await;
    assert_eq!(
        urgent.json["results"][0]["case"]["priority"], "urgent",
        "{}",
        urgent.json
    );
    let unassigned = bulk(
        &api,
        &supervisor,
        json!({"case_ids": [ids[1]], "action": "unassign"}),
    )
    .await;
    assert_eq!(
        unassigned.json["results"][0]["ok"], true,
        "{}",
        unassigned.json
    );
    assert_eq!(
        unassigned.json["results"][0]["case"]["assignee_id"],
        Value::Null
    );
}

#[tokio::test]
async fn a_malformed_bulk_request_is_refused_whole_and_changes_nothing() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let community = login(&api, "community@example.com").await;
    let case = escalated(&w, w.dm("ann", "m-1", "one"), Some(w.agent.id)).await;
    let id = case.id.to_string();
    let many: Vec<String> = (1..=501).map(|n| n.to_string()).collect();
    let table = [
        (
            json!({"case_ids": [], "action": "unassign"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": many, "action": "unassign"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id, id], "action": "unassign"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": ["abc"], "action": "unassign"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id], "action": "close"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id], "action": "status"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id], "action": "status", "status": "closed"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id], "action": "assign"}),
            "validation_failed",
        ),
        (
            json!({"case_ids": [id], "action": "priority", "priority": "asap"}),
            "validation_failed",
        ),
    ];
    for (body, code) in table {
        let refused = bulk(&api, &agent, body.clone()).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, code),
            "{body}: {}",
            refused.json
        );
    }
    let forbidden = bulk(
        &api,
        &community,
        json!({"case_ids": [id], "action": "unassign"}),
    )
    .await;
    assert_eq!(
        forbidden.status,
        StatusCode::FORBIDDEN,
        "{}",
        forbidden.json
    );
    let now = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(now.version, case.version, "nothing changed");
}
