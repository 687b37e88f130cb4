//! Group commit of webhook deliveries: concurrent signed deliveries through the router are each
//! answered after their commit and stored exactly once, and a delivery refused inside a batch
//! fails alone while the others of its batch commit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use caredesk_app::delivery::Update;
use caredesk_app::group_commit::{BatchStats, DeliveryQueue, QueueOptions};
use caredesk_app::InboundMessage;
use caredesk_domain::*;
use caredesk_networks::signature::meta_sign;
use caredesk_server::AppState;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::api_support::{send, Answer};
use crate::support::World;

const DELIVERIES: usize = 50;

/// Comment `i` of customer `i % 10`: ten customers write five comments each, so a batch often
/// holds several deliveries of one customer.
fn comment(i: usize) -> Value {
    let customer = i % 10;
    json!({"object": "page", "entry": [{"id": "page-1", "time": 1_717_000_100, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": format!("gc-{i}"), "post_id": "page-1_post", "parent_id": "page-1_post",
        "from": {"id": format!("77700{customer}"), "name": format!("Customer {customer}")},
        "created_time": 1_717_000_099, "message": format!("comment {i}")}}]}]})
}

async fn deliver(api: Router, body: Value) -> Answer {
    let bytes = body.to_string();
    let signature = meta_sign("s3cret", bytes.as_bytes()).expect("signed");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/webhooks/meta")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-hub-signature-256", signature)
        .body(Body::from(bytes))
        .expect("request");
    send(&api, request).await
}

/// Every delivery at once; answers in delivery order.
async fn deliver_all(api: &Router) -> Vec<Answer> {
    let tasks: Vec<_> = (0..DELIVERIES)
        .map(|i| tokio::spawn(deliver(api.clone(), comment(i))))
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("delivery task"));
    }
    answers
}

async fn metrics_text(state: AppState) -> String {
    let request = Request::builder()
        .uri("/metrics")
        .body(Body::empty())
        .expect("request");
    let response = caredesk_server::metrics::router(state)
        .oneshot(request)
        .await
        .expect("metrics answer");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("text")
}

async fn concurrent_deliveries_are_each_stored_once(workers: usize) {
    let w = World::new().await;
    let options = QueueOptions {
        workers,
        ..QueueOptions::default()
    };
    let state = AppState::with_queue(w.app.clone(), None, options);
    let api = caredesk_server::router(state.clone());

    let started = std::time::Instant::now();
    let first = deliver_all(&api).await;
    eprintln!(
        "{DELIVERIES} concurrent deliveries, {workers} worker(s): {:?}",
        started.elapsed()
    );
    for (i, answer) in first.iter().enumerate() {
        assert_eq!(
            (answer.status, &answer.json["stored"]),
            (StatusCode::OK, &json!(1)),
            "delivery {i}: {}",
            answer.json
        );
    }
    let mut tx = w.app.store().begin().await.expect("begin");
    for i in 0..DELIVERIES {
        let message = tx
            .message_by_network_id(w.profile.id, &format!("gc-{i}"))
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("comment {i} is stored"));
        assert_eq!(message.text, format!("comment {i}"));
    }
    drop(tx);

    let again = deliver_all(&api).await;
    for (i, answer) in again.iter().enumerate() {
        assert_eq!(
            (answer.status, &answer.json["stored"], &answer.json["known"]),
            (StatusCode::OK, &json!(0), &json!(1)),
            "redelivery {i} stores nothing twice: {}",
            answer.json
        );
    }
    let text = metrics_text(state).await;
    let sum = format!("caredesk_webhook_batch_deliveries_sum {}", 2 * DELIVERIES);
    assert!(
        text.lines().any(|l| l.starts_with(&sum)),
        "every delivery went through the group committer: {text}"
    );
    let commits = text
        .lines()
        .find_map(|l| l.strip_prefix("caredesk_webhook_batch_deliveries_count "))
        .unwrap_or("?");
    eprintln!("{} deliveries in {commits} commits", 2 * DELIVERIES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_deliveries_one_worker() {
    concurrent_deliveries_are_each_stored_once(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_deliveries_four_workers() {
    concurrent_deliveries_are_each_stored_once(4).await;
}

fn delivery(w: &World, messages: Vec<InboundMessage>) -> Vec<Update> {
    messages
        .into_iter()
        .map(|message| Update::Message {
            profile: (Network::Facebook, w.profile.external_id.clone()),
            message: message.into(),
        })
        .collect()
}

/// Polls until `done` holds (or 10 seconds pass).
async fn until(mut done: impl FnMut() -> bool, what: &str) {
    for _ in 0..1_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_delivery_fails_alone_in_its_batch() {
    let w = World::new().await;
    let app = w.profile.app_id;
    let batches = Arc::new(Mutex::new(Vec::<BatchStats>::new()));
    let seen = batches.clone();
    let queue = DeliveryQueue::start(
        w.app.clone(),
        QueueOptions::default(),
        Arc::new(move |b| seen.lock().expect("stats").push(b)),
    );
    w.app
        .ingest(w.dm("blocker", "b-1", "first"))
        .await
        .expect("ingest");
    let blocker = w
        .app
        .store()
        .begin()
        .await
        .expect("begin")
        .customer_by_network_id(Network::Facebook, "blocker")
        .await
        .expect("read")
        .expect("the blocker customer");

    // Hold the write lock (SQLite) and the blocker's row (PostgreSQL): the worker takes the
    // blocker's delivery and waits, while the others queue up behind it for one batch.
    let mut hold = w.app.store().begin().await.expect("begin");
    hold.lock_customer(blocker.id).await.expect("lock");
    let first = {
        let (queue, updates) = (
            queue.clone(),
            delivery(&w, vec![w.dm("blocker", "b-2", "x")]),
        );
        tokio::spawn(async move { queue.submit(app, updates).await })
    };
    until(
        || queue.waiting() == 0,
        "the worker takes the first delivery",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(queue.waiting(), 0, "the worker holds the first delivery");

    let mut good = Vec::new();
    for i in 0..10 {
        let updates = delivery(
            &w,
            vec![
                w.dm(&format!("cust-{i}"), &format!("ok-{i}-a"), "hello"),
                w.dm(&format!("cust-{i}"), &format!("ok-{i}-b"), "again"),
            ],
        );
        let queue = queue.clone();
        good.push(tokio::spawn(
            async move { queue.submit(app, updates).await },
        ));
    }
    let refused = {
        let updates = delivery(
            &w,
            vec![
                w.dm("bad", "bad-1", "stored, then undone"),
                w.dm("bad", "", "no id"),
            ],
        );
        let queue = queue.clone();
        tokio::spawn(async move { queue.submit(app, updates).await })
    };
    until(|| queue.waiting() == 11, "eleven deliveries wait").await;
    drop(hold);

    let report = first.await.expect("task").expect("the first delivery");
    assert_eq!(report.stored, 1);
    for task in good {
        let report = task.await.expect("task").expect("a good delivery commits");
        assert_eq!(report.stored, 2);
    }
    let error = refused
        .await
        .expect("task")
        .expect_err("the delivery with a message without id is refused");
    assert_eq!(
        error.refusal().map(Refusal::code),
        Some("validation_failed")
    );

    let mut tx = w.app.store().begin().await.expect("begin");
    for i in 0..10 {
        for part in ["a", "b"] {
            let id = format!("ok-{i}-{part}");
            let found = tx.message_by_network_id(w.profile.id, &id).await;
            assert!(found.expect("read").is_some(), "{id} is committed");
        }
    }
    let undone = tx.message_by_network_id(w.profile.id, "bad-1").await;
    assert!(
        undone.expect("read").is_none(),
        "the refused delivery's first message is rolled back with it"
    );
    assert!(
        tx.customer_by_network_id(Network::Facebook, "bad")
            .await
            .expect("read")
            .is_none(),
        "and so is the customer it created"
    );
    // The batch's figures are reported just after its callers are answered.
    until(
        || {
            batches
                .lock()
                .expect("stats")
                .iter()
                .any(|b| b.deliveries >= 11)
        },
        "the refused delivery's batch, shared with the good ones, is reported",
    )
    .await;
}
