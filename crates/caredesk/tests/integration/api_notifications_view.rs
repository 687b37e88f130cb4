//! The Mentions view (PRODUCT.md §12): the cases where the caller was mentioned, unread mentions
//! first, then the newest mention; paged by key like every view, counted in `/cases/counts` with
//! the same conditions, and nobody else's. Runs on the backend the suite runs on.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_notifications::{desk, Desk};
use crate::support::escalated;

fn numbers(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["number"].as_i64().expect("number"))
        .collect()
}

async fn mentions_view(d: &Desk, token: &str) -> Vec<i64> {
    let page = d
        .call(token, Method::GET, "/api/v1/cases?view=mentions", None)
        .await;
    numbers(&page)
}

async fn mentions_count(d: &Desk, token: &str) -> i64 {
    let counts = d
        .call(token, Method::GET, "/api/v1/cases/counts", None)
        .await;
    counts["mentions"].as_i64().expect("a mentions count")
}

#[tokio::test]
async fn mentioned_cases_unread_first_then_newest_mention() {
    let d = desk().await;
    let w = &d.w;
    let mut cases = Vec::new();
    for (n, customer) in ["ann", "bob", "cat", "dan"].iter().enumerate() {
        let dm = w.dm(customer, &format!("dm-{n}"), "hi");
        cases.push(escalated(w, dm, Some(w.agent.id)).await);
    }
    let [one, two, three, unmentioned] = [&cases[0], &cases[1], &cases[2], &cases[3]];
    for case in [one, two, three] {
        w.clock.advance_secs(10);
        let (status, json) = d.note(&d.agent, case, &[w.other_agent.id]).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    assert_eq!(
        mentions_view(&d, &d.other_agent).await,
        [three.number, two.number, one.number]
    );

    // Reading the mention of the newest moves it after the unread ones.
    let page = d
        .call(&d.other_agent, Method::GET, "/api/v1/notifications", None)
        .await;
    let newest = page["items"][0]["id"].clone();
    let read = json!({"ids": [newest]});
    d.call(
        &d.other_agent,
        Method::POST,
        "/api/v1/notifications/read",
        Some(read),
    )
    .await;
    assert_eq!(
        mentions_view(&d, &d.other_agent).await,
        [two.number, one.number, three.number]
    );

    // A new mention of the oldest brings it to the top.
    w.clock.advance_secs(10);
    d.note(&d.supervisor, one, &[w.other_agent.id]).await;
    let order = [one.number, two.number, three.number];
    assert_eq!(mentions_view(&d, &d.other_agent).await, order);
    assert!(!order.contains(&unmentioned.number));

    // Paged by key, one case a page, in the same order.
    let mut walked = Vec::new();
    let mut path = "/api/v1/cases?view=mentions&limit=1".to_owned();
    loop {
        let page = d.call(&d.other_agent, Method::GET, &path, None).await;
        walked.extend(numbers(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/cases?view=mentions&limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(walked, order);

    // The count agrees with the view; nobody else's mentions are the caller's.
    assert_eq!(mentions_count(&d, &d.other_agent).await, 3);
    assert_eq!(mentions_count(&d, &d.agent).await, 0);
    assert!(mentions_view(&d, &d.agent).await.is_empty());
    assert_eq!(mentions_view(&d, &d.supervisor).await, Vec::<i64>::new());

    // Filters apply as in every view.
    let page = d
        .call(
            &d.other_agent,
            Method::GET,
            "/api/v1/cases?view=mentions&q=bob",
            None,
        )
        .await;
    assert_eq!(numbers(&page), [two.number]);
}
