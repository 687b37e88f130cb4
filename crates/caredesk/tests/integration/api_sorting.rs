//! The orders of the lists the web app's sort controls offer: every `sort=` that
//! `GET /api/v1/cases` accepts, either way, and `oldest`/`newest` of
//! `GET /api/v1/community/items`, each paged by cursor (two rows a page) without a row lost,
//! repeated or out of place; an unknown order refused with the envelope. Runs on SQLite and, with
//! `CAREDESK_TEST_BACKEND=postgres`, on PostgreSQL.

use axum::http::{Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use crate::api_support::{call, login, router};
use crate::support::{escalated, World};

/// Every row of `path`, read two at a time through the cursors; answers `field` of each.
async fn every_page(app: &Router, token: &str, path: &str, field: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let join = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{path}{join}limit=2");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let answer = call(app, Method::GET, &url, Some(token), None).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.json);
        let items = answer.json["items"].as_array().expect("items");
        assert!(items.len() <= 2, "{url} answered more than its limit");
        seen.extend(items.iter().map(|i| i[field].clone()));
        match answer.json["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
    panic!("{path} never ended");
}

#[tokio::test]
async fn every_case_order_pages_in_that_order_either_way() {
    let w = World::new().await;
    let mut numbers = Vec::new();
    for name in ["ann", "bo", "cy", "dee"] {
        w.clock.advance_secs(60);
        let case = escalated(&w, w.dm(name, &format!("dm-{name}"), "help"), None).await;
        numbers.push(case.number);
    }
    let [a, b, c, d] = [numbers[0], numbers[1], numbers[2], numbers[3]];
    let app = router(&w);
    let token = login(&app, "sup@example.com").await;
    for (number, priority) in [(a, "low"), (b, "urgent"), (c, "high"), (d, "urgent")] {
        let answer = call(
            &app,
            Method::GET,
            &format!("/api/v1/cases/by-number/{number}"),
            Some(&token),
            None,
        )
        .await;
        let id = answer.json["id"].as_str().expect("id").to_owned();
        let patched = call(
            &app,
            Method::PATCH,
            &format!("/api/v1/cases/{id}"),
            Some(&token),
            Some(json!({"priority": priority})),
        )
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.json);
    }
    // Ann writes again last: her case has the latest customer message.
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("ann", "dm-ann-2", "still there?"))
        .await
        .expect("ingest");
    let table = [
        ("created", [a, b, c, d]),
        ("-created", [d, c, b, a]),
        ("last_customer_message", [b, c, d, a]),
        ("-last_customer_message", [a, d, c, b]),
        // Urgent first; equal priorities by case, the id breaking the tie the same way.
        ("priority", [b, d, c, a]),
        ("-priority", [a, c, d, b]),
    ];
    for (sort, expected) in table {
        let seen = every_page(
            &app,
            &token,
            &format!("/api/v1/cases?view=inbox&sort={sort}"),
            "number",
        )
        .await;
        let expected: Vec<Value> = expected.iter().map(|n| json!(n)).collect();
        assert_eq!(seen, expected, "sort={sort}");
    }
    // An order keeps the view's filters.
    let urgent = every_page(
        &app,
        &token,
        "/api/v1/cases?view=inbox&priority=urgent&sort=-created",
        "number",
    )
    .await;
    assert_eq!(urgent, vec![json!(d), json!(b)]);
    for bad in ["name", "-", "--created", "created,priority"] {
        let answer = call(
            &app,
            Method::GET,
            &format!("/api/v1/cases?sort={bad}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(answer.code(), "validation_failed", "{bad}");
    }
}

#[tokio::test]
async fn community_items_page_oldest_or_newest_first() {
    let w = World::new().await;
    for name in ["ann", "bo", "cy", "dee", "eve"] {
        w.clock.advance_secs(60);
        w.app
            .ingest(w.dm(name, &format!("dm-{name}"), "hello"))
            .await
            .expect("ingest");
    }
    let app = router(&w);
    let token = login(&app, "community@example.com").await;
    let whole = call(
        &app,
        Method::GET,
        "/api/v1/community/items?sort=oldest",
        Some(&token),
        None,
    )
    .await;
    let oldest: Vec<Value> = whole.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(oldest.len(), 5);
    let names: Vec<_> = whole.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            i["customer"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert!(
        names[0].contains("ann") && names[4].contains("eve"),
        "{names:?}"
    );
    let paged = every_page(&app, &token, "/api/v1/community/items?sort=oldest", "id").await;
    assert_eq!(paged, oldest);
    let default = every_page(&app, &token, "/api/v1/community/items", "id").await;
    assert_eq!(default, oldest, "oldest first unless asked");
    let mut newest = oldest.clone();
    newest.reverse();
    let paged = every_page(&app, &token, "/api/v1/community/items?sort=newest", "id").await;
    assert_eq!(paged, newest);
    let answer = call(
        &app,
        Method::GET,
        "/api/v1/community/items?sort=-created",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), "validation_failed");
}
