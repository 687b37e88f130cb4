//! A request runs a fixed number of SQL statements whatever the data size: the Care views and
//! counts, the conversation of a case and a status change run as many statements with 3 cases
//! and a 6-message conversation as with 33 cases and a 606-message one.
//!
//! Statements are counted from sqlx's `sqlx::query` events. The SQLite driver runs statements
//! on a thread of its own, which only a process-wide subscriber hears, so the counting runs in a
//! child process of this test binary that does nothing else.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{Method, StatusCode};
use axum::Router;
use caredesk_domain::CaseId;
use serde_json::json;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

use crate::api_support::{call, login, router};
use crate::support::{escalated, World};

const CHILD: &str = "statement_counts::child_counts_statements";
const BACKEND: &str = "CAREDESK_STATEMENT_COUNT_BACKEND";

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts every statement sqlx reports.
struct Counter;

impl<S: Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn run_child(backend: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let status = Command::new(exe)
        .args([
            CHILD,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(BACKEND, backend)
        .status()
        .expect("start the counting process");
    assert!(status.success(), "the counts differ on {backend}: {status}");
}

#[test]
fn routes_run_as_many_statements_on_little_and_much_data_sqlite() {
    run_child("sqlite");
}

#[test]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
fn routes_run_as_many_statements_on_little_and_much_data_postgres() {
    crate::pg::required_server_url();
    run_child("postgres");
}

/// Statements of one request; the request must succeed.
async fn statements_of(
    app: &Router,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> usize {
    STATEMENTS.store(0, Ordering::SeqCst);
    let answer = call(app, method, path, Some(token), body).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {:?}", answer.json);
    STATEMENTS.load(Ordering::SeqCst)
}

/// Statements of each measured route, by name.
async fn counts(app: &Router, token: &str, case: CaseId) -> Vec<(&'static str, usize)> {
    let mut found = Vec::new();
    for (name, path) in [
        ("inbox", "/api/v1/cases?view=inbox".to_owned()),
        ("my_open", "/api/v1/cases?view=my_open".to_owned()),
        ("counts", "/api/v1/cases/counts".to_owned()),
        (
            "conversation",
            format!("/api/v1/cases/{case}/messages?limit=200"),
        ),
    ] {
        // The fewest of three: a read that happens to open a pooled connection also counts the
        // connection's set-up statements, which have nothing to do with the data.
        let mut fewest = usize::MAX;
        for _ in 0..3 {
            fewest = fewest.min(statements_of(app, Method::GET, &path, token, None).await);
        }
        found.push((name, fewest));
    }
    // The status changes alternate, three of each, for the same reason.
    let status = format!("/api/v1/cases/{case}/status");
    let mut fewest = [usize::MAX; 2];
    for _ in 0..3 {
        for (slot, to) in ["pending", "open"].into_iter().enumerate() {
            let body = json!({ "status": to });
            let n = statements_of(app, Method::POST, &status, token, Some(body)).await;
            fewest[slot] = fewest[slot].min(n);
        }
    }
    found.push(("status_pending", fewest[0]));
    found.push(("status_open", fewest[1]));
    found
}

/// Ten more cases of the agent's, and 200 more messages in the conversation of `case`'s
/// customer.
async fn grow(w: &World, round: usize) {
    for i in 0..10 {
        let customer = format!("customer-{round}-{i}");
        let dm = w.dm(
            &customer,
            &format!("grow-{round}-{i}"),
            "where is my order?",
        );
        escalated(w, dm, Some(w.agent.id)).await;
    }
    for i in 0..200 {
        let dm = w.dm("ann", &format!("ann-{round}-{i}"), "any news?");
        w.app.ingest(dm).await.expect("ingest");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "started by routes_run_as_many_statements_on_little_and_much_data_*"]
async fn child_counts_statements() {
    let Ok(backend) = std::env::var(BACKEND) else {
        return;
    };
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Counter))
        .expect("the only subscriber of this process");
    let store = match backend.as_str() {
        "postgres" => crate::pg::fresh().await,
        _ => crate::support::sqlite().await,
    };
    let w = World::on(store).await;
    let app = router(&w);
    let token = login(&app, "agent@example.com").await;
    let case = escalated(
        &w,
        w.dm("ann", "ann-0", "my order is late"),
        Some(w.agent.id),
    )
    .await;
    for i in 1..3 {
        escalated(
            &w,
            w.dm(&format!("bo-{i}"), &format!("bo-{i}"), "hello"),
            Some(w.agent.id),
        )
        .await;
    }
    for i in 0..5 {
        w.app
            .ingest(w.dm("ann", &format!("ann-early-{i}"), "still waiting"))
            .await
            .expect("ingest");
    }
    let little = counts(&app, &token, case.id).await;
    for round in 0..3 {
        grow(&w, round).await;
    }
    let much = counts(&app, &token, case.id).await;
    eprintln!("statements per request on {backend}: {much:?}");
    assert!(
        little.iter().all(|(_, n)| *n > 0),
        "statements were counted: {little:?}"
    );
    assert_eq!(little, much, "statements per request grew with the data");
}
