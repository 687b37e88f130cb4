//! Several nodes on one PostgreSQL database: the invariants hold across OS processes, and
//! background work is done exactly once when two workers share it.

use std::process::Command;
use std::sync::Arc;

use caredesk_app::{App, IngestOutcome, ManualClock};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;

use crate::support::{World, START};

const CHILD_TEST: &str = "postgres_nodes::child_writer_process";

pub(crate) fn item_of(outcome: IngestOutcome) -> CommunityItemId {
    match outcome {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("expected a community item, got {other:?}"),
    }
}

/// Another node on the same database, on the world's clock.
pub(crate) async fn node(url: &str, clock: &ManualClock) -> App {
    let store = caredesk_store_postgres::connect(url, 4)
        .await
        .expect("connect")
        .with_secrets(crate::support::test_secrets());
    App::new(Arc::new(store), Arc::new(clock.clone()))
}

/// 20 writers split over two OS processes escalate or ingest for one (customer, profile):
/// exactly one case results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn twenty_writers_in_two_processes_leave_one_active_case() {
    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    let mut items = Vec::new();
    for i in 0..10 {
        let comment = w.comment("ann", &format!("c-{i}"), &format!("post-{i}"), "complaint");
        items.push(item_of(w.app.ingest(comment).await.expect("ingest")));
    }
    let exe = std::env::current_exe().expect("the test binary");
    let children: Vec<_> = (0..2)
        .map(|process| {
            let mine: Vec<String> = items
                .iter()
                .skip(process)
                .step_by(2)
                .map(|i| i.to_string())
                .collect();
            Command::new(&exe)
                .args([
                    CHILD_TEST,
                    "--exact",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("CAREDESK_CHILD_DATABASE_URL", &url)
                .env("CAREDESK_CHILD_PROCESS", process.to_string())
                .env("CAREDESK_CHILD_ITEMS", mine.join(","))
                .env("CAREDESK_CHILD_USER", w.community.id.to_string())
                .env("CAREDESK_CHILD_PROFILE", w.profile.id.to_string())
                .spawn()
                .expect("start a writer process")
        })
        .collect();
    for mut child in children {
        let status = tokio::task::spawn_blocking(move || child.wait())
            .await
            .expect("join")
            .expect("wait");
        assert!(status.success(), "a writer process failed: {status}");
    }
    let first = w
        .app
        .store()
        .case_by_number(1)
        .await
        .expect("read")
        .expect("case #1");
    assert_eq!(
        w.app.store().case_by_number(2).await.expect("read"),
        None,
        "exactly one case was opened"
    );
    let messages = w
        .app
        .store()
        .case_messages(first.id, None, 200)
        .await
        .expect("messages")
        .page;
    let in_case = |kind: MessageKind| messages.items.iter().filter(|m| m.kind == kind).count();
    assert_eq!(
        in_case(MessageKind::Comment),
        10,
        "every escalated comment joined the one case"
    );
    // Every DM was stored: the ones that came before the case existed stay in Community, the
    // later ones joined it as customer messages (the case's log says so).
    let joined: Vec<MessageId> = w
        .app
        .store()
        .case_events(first.id)
        .await
        .expect("events")
        .iter()
        .filter_map(|e| match e.event.kind {
            EventKind::MessageReceived { message_id } => Some(message_id),
            _ => None,
        })
        .collect();
    let dms: Vec<&Message> = messages
        .items
        .iter()
        .filter(|m| m.kind == MessageKind::Direct)
        .collect();
    assert!(
        dms.iter().all(|m| joined.contains(&m.id)),
        "a DM in the case joined it as a customer message"
    );
    let mut tx = w.app.store().begin().await.expect("begin");
    for process in 0..2 {
        for i in 0..5 {
            let wanted = format!("dm-{process}-{i}");
            let stored = tx
                .message_by_network_id(w.profile.id, &wanted)
                .await
                .expect("read");
            assert!(stored.is_some(), "{wanted} was stored: no message is lost");
        }
    }
}

/// One writer process of the test above: five escalations and five DMs at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "started by twenty_writers_in_two_processes_leave_one_active_case"]
async fn child_writer_process() {
    let Ok(url) = std::env::var("CAREDESK_CHILD_DATABASE_URL") else {
        return;
    };
    let var = |name: &str| std::env::var(name).expect(name);
    let process = var("CAREDESK_CHILD_PROCESS");
    let user = UserId(var("CAREDESK_CHILD_USER").parse().expect("user id"));
    let profile = ProfileId(var("CAREDESK_CHILD_PROFILE").parse().expect("profile id"));
    let items: Vec<CommunityItemId> = var("CAREDESK_CHILD_ITEMS")
        .split(',')
        .map(|i| CommunityItemId(i.parse().expect("item id")))
        .collect();
    let store = caredesk_store_postgres::connect(&url, 10)
        .await
        .expect("connect")
        .with_secrets(crate::support::test_secrets());
    let app = App::new(Arc::new(store), Arc::new(ManualClock::new(START)));
    let mut tasks = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let a = app.clone();
        tasks.push(tokio::spawn(async move {
            a.escalate(user, item, EscalationRequest::default())
                .await
                .map(|_| ())
        }));
        let a = app.clone();
        let dm = caredesk_app::InboundMessage {
            profile_id: profile,
            network_id: format!("dm-{process}-{i}"),
            kind: MessageKind::Direct,
            author: caredesk_app::InboundAuthor::Customer {
                network_user_id: "ann".into(),
                display_name: "Customer ann".into(),
                handle: "ann".into(),
            },
            parent_network_id: None,
            root_network_id: None,
            text: "me again".into(),
            attachments: Vec::new(),
            created_at: START,
            hidden: false,
            standby: false,
        };
        tasks.push(tokio::spawn(async move { a.ingest(dm).await.map(|_| ()) }));
    }
    for t in futures::future::join_all(tasks).await {
        t.expect("task").expect("every writer succeeds");
    }
}

/// Two nodes sweep the same due cases at once, in small batches: every case is finalised once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn two_workers_finalise_each_due_case_exactly_once() {
    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    let mut cases = Vec::new();
    for i in 0..120 {
        let item = item_of(
            w.app
                .ingest(w.dm(&format!("c{i}"), &format!("dm-{i}"), "hi"))
                .await
                .expect("ingest"),
        );
        let request = EscalationRequest {
            assignee_id: Some(w.agent.id),
            ..Default::default()
        };
        let case = w
            .app
            .escalate(w.community.id, item, request)
            .await
            .expect("escalate")
            .case;
        cases.push(
            w.app
                .set_status(w.agent.id, case.id, CaseStatus::Done, None)
                .await
                .expect("done")
                .id,
        );
    }
    w.clock.advance_secs(432_000);
    let (a, b) = (node(&url, &w.clock).await, node(&url, &w.clock).await);
    let (ra, rb) = tokio::join!(a.sweep_grace_in_batches(7), b.sweep_grace_in_batches(7));
    let (ra, rb) = (ra.expect("worker a"), rb.expect("worker b"));
    assert_eq!(
        ra.expired + rb.expired,
        120,
        "together they finalised every case: {ra:?} {rb:?}"
    );
    for id in cases {
        let expiries = w
            .app
            .store()
            .case_events(id)
            .await
            .expect("events")
            .iter()
            .filter(|e| e.event.kind == EventKind::GraceExpired)
            .count();
        assert_eq!(expiries, 1, "case {id} was finalised exactly once");
    }
}

/// Two nodes sweep the same due SLA timers at once, in small batches (each node runs several
/// batches at once on PostgreSQL): every warning and breach is recorded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn two_workers_record_each_sla_warning_and_breach_exactly_once() {
    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    let draft = caredesk_domain::sla::SlaPolicyDraft {
        name: "Standard".into(),
        targets: caredesk_domain::sla::SlaTargets {
            first_response_secs: Some(600),
            ..Default::default()
        },
        ..Default::default()
    };
    w.app
        .create_sla_policy(w.supervisor.id, draft)
        .await
        .expect("policy");
    let mut cases = Vec::new();
    for i in 0..60 {
        let item = item_of(
            w.app
                .ingest(w.dm(&format!("c{i}"), &format!("dm-{i}"), "hi"))
                .await
                .expect("ingest"),
        );
        let request = EscalationRequest {
            assignee_id: Some(w.agent.id),
            ..Default::default()
        };
        let escalation = w.app.escalate(w.community.id, item, request).await;
        cases.push(escalation.expect("escalate").case.id);
    }
    w.clock.advance_secs(601);
    let (a, b) = (node(&url, &w.clock).await, node(&url, &w.clock).await);
    let (ra, rb) = tokio::join!(a.sweep_sla_in_batches(7), b.sweep_sla_in_batches(7));
    let (ra, rb) = (ra.expect("worker a"), rb.expect("worker b"));
    assert_eq!(
        (ra.warnings + rb.warnings, ra.breaches + rb.breaches),
        (60, 60),
        "{ra:?} {rb:?}"
    );
    for id in cases {
        let fired: Vec<_> = w
            .app
            .store()
            .case_events(id)
            .await
            .expect("events")
            .into_iter()
            .filter(|e| {
                matches!(
                    e.event.kind,
                    EventKind::SlaWarning { .. } | EventKind::SlaBreached { .. }
                )
            })
            .collect();
        assert_eq!(fired.len(), 2, "case {id}: one warning, one breach");
    }
    assert_eq!(
        w.app.unread_notifications(&w.agent).await.expect("unread"),
        60 + 120,
        "the assignee is told of each assignment, then of each warning and breach once"
    );
}

/// The in-process concurrency story of the use cases, on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn twenty_concurrent_use_cases_on_postgres_leave_one_case() {
    let store = crate::pg::fresh().await;
    let w = Arc::new(World::on(store).await);
    let mut items = Vec::new();
    for i in 0..10 {
        items.push(item_of(
            w.app
                .ingest(w.comment("bob", &format!("c-{i}"), "post-1", "x"))
                .await
                .expect("ingest"),
        ));
    }
    let mut tasks = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let w1 = w.clone();
        tasks.push(tokio::spawn(async move {
            w1.app
                .escalate(w1.community.id, item, EscalationRequest::default())
                .await
                .map(|_| ())
        }));
        let w2 = w.clone();
        tasks.push(tokio::spawn(async move {
            w2.app
                .ingest(w2.dm("bob", &format!("dm-{i}"), "again"))
                .await
                .map(|_| ())
        }));
    }
    for t in futures::future::join_all(tasks).await {
        t.expect("task").expect("every writer succeeds");
    }
    assert!(w
        .app
        .store()
        .case_by_number(1)
        .await
        .expect("read")
        .is_some());
    assert_eq!(
        w.app.store().case_by_number(2).await.expect("read"),
        None,
        "exactly one case"
    );
}

/// A change written by one node reaches a live stream served by another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn a_stream_on_one_node_delivers_changes_written_on_another() {
    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    let node_a = crate::api_support::router(&w);
    let node_b = App::new(
        Arc::new(
            caredesk_store_postgres::connect(&url, 4)
                .await
                .expect("connect")
                .with_secrets(crate::support::test_secrets()),
        ),
        Arc::new(w.clock.clone()),
    );
    let token = crate::api_support::login(&node_a, "agent@example.com").await;
    let mut stream = crate::api_support::open_stream(&node_a, &token, None)
        .await
        .1
        .expect("a stream");
    let item = item_of(
        node_b
            .ingest(w.dm("ann", "dm-1", "hi"))
            .await
            .expect("ingest"),
    );
    let request = EscalationRequest {
        assignee_id: Some(w.agent.id),
        ..Default::default()
    };
    let case = node_b
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case;
    node_b
        .set_status(w.agent.id, case.id, CaseStatus::Pending, None)
        .await
        .expect("pending");
    assert!(
        stream.wait_for("\"to\":\"pending\"").await,
        "{}",
        stream.text
    );
}

/// A transaction that started first but commits last is still delivered, before what came
/// after it: the change log is read in commit order, not sequence order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn a_change_committed_late_is_never_skipped() {
    let store = crate::pg::fresh().await;
    let store = store.store.clone();
    let start = store.change_log_end().await.expect("end");
    let event = |what: &str| Event::admin(None, START, what, 1);
    let mut slow = store.begin().await.expect("begin");
    slow.insert_events(&[event("first_begun")])
        .await
        .expect("event");
    let mut fast = store.begin().await.expect("begin");
    fast.insert_events(&[event("second_begun")])
        .await
        .expect("event");
    fast.commit().await.expect("commit");
    assert!(
        store
            .changes_after(start, 100)
            .await
            .expect("read")
            .is_empty(),
        "nothing is delivered while an older transaction runs"
    );
    slow.commit().await.expect("commit");
    // Transactions of other databases on the server (other tests) may hold the horizon back a
    // moment: wait until both are delivered, then check their order.
    let mut whats: Vec<String> = Vec::new();
    for _ in 0..200 {
        whats = store
            .changes_after(start, 100)
            .await
            .expect("read")
            .into_iter()
            .filter_map(|c| match c.event.event.kind {
                EventKind::Admin { what, .. } => Some(what),
                _ => None,
            })
            .collect();
        if whats.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(whats, ["first_begun", "second_begun"]);
}

/// Who has a case open is shared by the nodes: a heartbeat on one node is heard on the other's
/// streams and answered by its API, and so is leaving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn presence_on_one_node_is_seen_on_another() {
    use axum::http::Method;
    use serde_json::json;

    use crate::api_support::{call, login, open_stream, router};

    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    let node_a = router(&w);
    let app_b = App::new(
        Arc::new(
            caredesk_store_postgres::connect(&url, 4)
                .await
                .expect("connect")
                .with_secrets(crate::support::test_secrets()),
        ),
        Arc::new(w.clock.clone()),
    );
    let node_b = caredesk_server::router(caredesk_server::AppState::new(app_b, None));
    let case = crate::support::escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let path = format!("/api/v1/cases/{}/presence", case.id);
    let agent_on_a = login(&node_a, "agent@example.com").await;
    let other_on_b = login(&node_b, "agent2@example.com").await;
    let mut stream_a = open_stream(&node_a, &agent_on_a, None)
        .await
        .1
        .expect("a stream");
    let mut stream_b = open_stream(&node_b, &other_on_b, None)
        .await
        .1
        .expect("a stream");

    let beat = json!({"typing": true});
    let answer = call(&node_a, Method::POST, &path, Some(&agent_on_a), Some(beat)).await;
    assert_eq!(answer.status.as_u16(), 204);
    assert!(
        stream_b
            .wait_for("\"name\":\"agent\",\"typing\":true")
            .await,
        "node B's stream hears node A's heartbeat: {}",
        stream_b.text
    );
    let answer = call(&node_b, Method::GET, &path, Some(&other_on_b), None).await;
    assert_eq!(
        answer.json["viewers"][0]["name"], "agent",
        "{}",
        answer.json
    );

    let beat = json!({"typing": false});
    let answer = call(&node_b, Method::POST, &path, Some(&other_on_b), Some(beat)).await;
    assert_eq!(answer.status.as_u16(), 204);
    assert!(
        stream_a
            .wait_for("\"name\":\"agent2\",\"typing\":false")
            .await,
        "and node A's stream node B's: {}",
        stream_a.text
    );

    let leave = json!({"typing": false, "leaving": true});
    let answer = call(&node_a, Method::POST, &path, Some(&agent_on_a), Some(leave)).await;
    assert_eq!(answer.status.as_u16(), 204);
    let gone = format!("{{\"case_id\":\"{}\",\"viewers\":[]}}", case.id);
    assert!(
        stream_b.wait_for(&gone).await,
        "leaving on node A is heard on node B at once: {}",
        stream_b.text
    );
}
