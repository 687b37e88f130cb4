//! Search over the API (PRODUCT.md §12): every status of the caller's profiles, words in any
//! order with the last as a prefix, case and accents ignored, newest first, highlights as
//! character offsets; notes for Care users only; Community users search Community items only;
//! deleted cases and other profiles' messages never found.

use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_app::{InboundMessage, IngestOutcome, ProfileInput};
use caredesk_domain::Network;
use serde_json::{json, Value};

use crate::api_support::{call, login, router, Answer};
use crate::support::{escalated, World};

async fn search(api: &Router, token: &str, query: &str) -> Answer {
    call(
        api,
        Method::GET,
        &format!("/api/v1/search?{query}"),
        Some(token),
        None,
    )
    .await
}

/// The marked words of each hit, as shown.
fn marked(hit: &Value) -> Vec<String> {
    let snippet: Vec<char> = hit["snippet"].as_str().expect("snippet").chars().collect();
    hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|pair| {
            let start = pair[0].as_u64().expect("start") as usize;
            let end = pair[1].as_u64().expect("end") as usize;
            snippet[start..end].iter().collect()
        })
        .collect()
}

fn ids(answer: &Answer) -> Vec<String> {
    answer.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|hit| hit["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn care_users_find_cases_customers_messages_and_notes_of_every_status() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let case = escalated(
        &w,
        w.dm("ann", "m-1", "Où est ma Crème Brûlée? Order 77."),
        Some(w.agent.id),
    )
    .await;
    let note = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{}/notes", case.id),
        Some(&agent),
        Some(json!({"text": "Customer wants a refund"})),
    )
    .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.json);
    let done = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{}/status", case.id),
        Some(&agent),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json);

    // Words in any order, accents and case ignored, the last as a prefix; a Done case too.
    let found = search(&api, &agent, "type=messages&q=brulee%20CREM").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.json);
    let hits = found.json["items"].as_array().expect("items");
    assert_eq!(hits.len(), 1, "{}", found.json);
    assert_eq!(hits[0]["type"], "messages");
    assert_eq!(hits[0]["case"]["number"], case.number);
    assert_eq!(hits[0]["case"]["status"], "done");
    assert_eq!(hits[0]["customer"]["handle"], "ann");
    assert_eq!(marked(&hits[0]), ["Crème", "Brûlée"]);
    assert!(hits[0]["at"].as_str().expect("at").ends_with('Z'));

    let cases = search(&api, &agent, "q=brul").await;
    assert_eq!(ids(&cases), [case.id.to_string()], "cases by default");
    assert_eq!(cases.json["items"][0]["type"], "cases");
    let by_number = search(&api, &agent, &format!("q=%23{}", case.number)).await;
    assert_eq!(ids(&by_number)[0], case.id.to_string(), "#number first");
    let by_name = search(&api, &agent, "q=customer%20an").await;
    assert_eq!(
        ids(&by_name),
        [case.id.to_string()],
        "by the customer's name"
    );

    let notes = search(&api, &agent, "type=messages&q=refund").await;
    assert_eq!(notes.json["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(marked(&notes.json["items"][0]), ["refund"]);

    let customers = search(&api, &agent, "type=customers&q=ANN").await;
    assert_eq!(ids(&customers), [case.customer_id.to_string()]);
    assert_eq!(
        customers.json["items"][0]["customer"]["name"],
        "Customer ann"
    );

    // A deleted case is never found.
    let supervisor = login(&api, "sup@example.com").await;
    let deleted = call(
        &api,
        Method::DELETE,
        &format!("/api/v1/cases/{}", case.id),
        Some(&supervisor),
        None,
    )
    .await;
    assert!(deleted.status.is_success(), "{}", deleted.json);
    assert!(ids(&search(&api, &agent, "q=brulee").await).is_empty());
}

#[tokio::test]
async fn community_users_search_community_items_without_notes() {
    let w = World::new().await;
    let api = router(&w);
    let community = login(&api, "community@example.com").await;
    let agent = login(&api, "agent@example.com").await;
    let IngestOutcome::Community { item, .. } = w
        .app
        .ingest(w.comment("bo", "c-1", "post-1", "Great parcel service"))
        .await
        .expect("ingest")
    else {
        panic!("an item")
    };
    let case = escalated(&w, w.dm("cy", "m-2", "hello"), Some(w.agent.id)).await;
    let note = call(
        &api,
        Method::POST,
        &format!("/api/v1/cases/{}/notes", case.id),
        Some(&agent),
        Some(json!({"text": "parcel lost, refund"})),
    )
    .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.json);

    let items = search(&api, &community, "q=parcel").await;
    assert_eq!(items.status, StatusCode::OK, "{}", items.json);
    assert_eq!(ids(&items), [item.to_string()], "the note is not found");
    assert_eq!(items.json["items"][0]["type"], "community_items");
    assert!(ids(&search(&api, &community, "q=refund").await).is_empty());
    for kind in ["cases", "customers", "messages"] {
        let refused = search(&api, &community, &format!("type={kind}&q=parcel")).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{kind}"
        );
    }
}

#[tokio::test]
async fn search_stays_within_the_callers_profiles_and_pages_newest_first() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    let admin = login(&api, "admin@example.com").await;
    let elsewhere = w
        .app
        .create_profile(
            None,
            ProfileInput {
                network: Network::Facebook,
                external_id: "page-2".into(),
                name: "Other Page".into(),
                app_id: w.profile.app_id,
                access_token: "token".into(),
                token_secret: String::new(),
            },
        )
        .await
        .expect("profile");
    w.app
        .ingest(InboundMessage {
            profile_id: elsewhere.id,
            ..w.dm("dee", "x-1", "widget elsewhere")
        })
        .await
        .expect("ingest");
    for i in 0..3 {
        w.clock.advance_secs(60);
        w.app
            .ingest(w.dm("eve", &format!("w-{i}"), &format!("widget number {i}")))
            .await
            .expect("ingest");
    }

    let first = search(&api, &agent, "type=messages&q=widget&limit=2").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json);
    let snippets: Vec<&str> = first.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| h["snippet"].as_str().expect("snippet"))
        .collect();
    assert_eq!(
        snippets,
        ["widget number 2", "widget number 1"],
        "newest first"
    );
    let cursor = first.json["next_cursor"].as_str().expect("a next page");
    let second = search(
        &api,
        &agent,
        &format!("type=messages&q=widget&limit=2&cursor={cursor}"),
    )
    .await;
    let rest: Vec<&str> = second.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| h["snippet"].as_str().expect("snippet"))
        .collect();
    assert_eq!(
        rest,
        ["widget number 0"],
        "the other profile's message is not found"
    );
    assert_eq!(second.json["next_cursor"], Value::Null);

    let everything = search(&api, &admin, "type=messages&q=widget").await;
    assert_eq!(everything.json["items"].as_array().map(Vec::len), Some(4));

    let table = [
        ("q=a", "validation_failed"),
        ("q=%3F%21", "validation_failed"),
        ("q=widget&type=tickets", "validation_failed"),
        ("q=widget&cursor=abc", "validation_failed"),
        ("q=widget&limit=0", "validation_failed"),
    ];
    for (query, code) in table {
        let refused = search(&api, &agent, query).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, code),
            "{query}: {}",
            refused.json
        );
    }
    let anonymous = call(&api, Method::GET, "/api/v1/search?q=widget", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

/// Follows a search's pages to the end: every hit's snippet, and the size of each page.
async fn every_page(api: &Router, token: &str, query: &str) -> (Vec<String>, Vec<usize>) {
    let mut snippets = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let page_query = match &cursor {
            Some(c) => format!("{query}&cursor={c}"),
            None => query.to_owned(),
        };
        let page = search(api, token, &page_query).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.json);
        let items = page.json["items"].as_array().expect("items");
        sizes.push(items.len());
        snippets.extend(
            items
                .iter()
                .map(|h| h["snippet"].as_str().expect("snippet").to_owned()),
        );
        match page.json["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return (snippets, sizes),
        }
    }
    panic!("the search never ended: {snippets:?}");
}

#[tokio::test]
async fn a_long_last_word_is_matched_whole_however_many_words_share_its_start() {
    let w = World::new().await;
    let api = router(&w);
    let agent = login(&api, "agent@example.com").await;
    w.app
        .ingest(w.dm("ann", "k-0", "my kettle whistles"))
        .await
        .expect("ingest");
    for i in 1..=30 {
        w.clock.advance_secs(60);
        w.app
            .ingest(w.dm("bob", &format!("k-{i}"), &format!("ketchup order {i}")))
            .await
            .expect("ingest");
    }
    w.clock.advance_secs(60);
    w.app
        .ingest(w.dm("cat", "k-31", "the KETTLES arrived dented"))
        .await
        .expect("ingest");

    let (found, sizes) = every_page(&api, &agent, "type=messages&q=kettl&limit=1").await;
    assert_eq!(
        found,
        ["the KETTLES arrived dented", "my kettle whistles"],
        "newest first, words that only share the first letters left out"
    );
    assert!(
        sizes.iter().all(|n| *n <= 1),
        "no page over its limit: {sizes:?}"
    );

    let (ketchup, _) = every_page(&api, &agent, "type=messages&q=order+ket&limit=10").await;
    assert_eq!(ketchup.len(), 30, "a short last word is a prefix as typed");
    let (cases, _) = every_page(&api, &agent, "type=cases&q=kettle&limit=1").await;
    assert!(
        cases.is_empty(),
        "none of these messages is in a case: {cases:?}"
    );
}
