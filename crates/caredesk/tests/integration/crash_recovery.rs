//! The crash test of the outbox and the webhooks: a real `caredesk serve` process takes signed
//! Messenger deliveries from concurrent customers while replies are in flight to a fake Graph
//! API, is killed with SIGKILL, and is started again on the same SQLite database. Every
//! delivery that got 200 is stored exactly once, no reply is posted twice, and every reply ends
//! `sent`, `failed` or `delivery_unknown`: none is lost, none is left `sending`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caredesk_app::{
    App, CommunityReply, InboundAuthor, InboundMessage, IngestOutcome, NetworkAppInput,
    NewUserInput, OutboxConfig, ProfileInput, SystemClock,
};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_fakes::customers::Customers;
use caredesk_fakes::{
    Delivery, FakeMeta, FakeMetaConfig, FakePage, Fault, Person, WebhookClient, WebhookTarget,
};
use caredesk_store::Store;
use caredesk_store_sqlite::DATABASE_FILE;
use sqlx::{Connection, Row, SqliteConnection};

const PAGE: &str = "page-1";
const PAGE_TOKEN: &str = "token";
const META_SECRET: &str = "s3cret";
/// Replies queued before the first start: more than two outbox batches (16 each), so the worker
/// is in its second pass when the process is killed and a third is left for the restart.
const REPLIES: usize = 40;
/// The fake holds each answer this long (after posting and queueing the echo): less than the
/// send timeout, so a live process records `sent`.
const ANSWER_DELAY: Duration = Duration::from_millis(1_500);
/// The fake's webhooks lag its API by this much, so the echoes of the calls in flight at the
/// kill reach a process that is down (the fake does not post a failed echo again).
const ECHO_DELAY: Duration = Duration::from_secs(1);
const SEND_TIMEOUT_SECS: &str = "2";
const IN_DOUBT_SECS: &str = "4";
/// Concurrent customers' delivery loops.
const CLIENTS: usize = 3;

/// What the concurrent customers sent: each delivery's message ids and whether it got 200.
#[derive(Default)]
struct Ledger {
    deliveries: Vec<(Vec<String>, bool)>,
    /// Deliveries answered 200 before the kill.
    acknowledged_before_kill: usize,
    /// Calls that got no answer or another status.
    refused: usize,
}

/// The one process running `caredesk serve`; killed when dropped.
struct Desk {
    child: Child,
}

impl Desk {
    fn start(data_dir: &Path, port: u16, graph_url: &str, log: &Path) -> Desk {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("open the server log");
        let child = Command::new(env!("CARGO_BIN_EXE_caredesk"))
            .arg("serve")
            .current_dir(data_dir)
            .env_clear()
            .env("CAREDESK_DATA_DIR", data_dir)
            .env("CAREDESK_SECRET_KEY", crate::support::TEST_SECRET_KEY)
            .env("CAREDESK_LISTEN", format!("127.0.0.1:{port}"))
            .env("CAREDESK_METRICS_LISTEN", "")
            .env("CAREDESK_META_GRAPH_URL", graph_url)
            .env("CAREDESK_X_API_URL", "http://127.0.0.1:9/2")
            .env("CAREDESK_SEND_TIMEOUT_SECS", SEND_TIMEOUT_SECS)
            .env("CAREDESK_OUTBOX_IN_DOUBT_SECS", IN_DOUBT_SECS)
            .env("CAREDESK_LOG", "info,sqlx=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.try_clone().expect("log handle"))
            .spawn()
            .expect("start caredesk serve");
        Desk { child }
    }

    /// SIGKILL, and waits for the process to be gone.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let status = self.child.wait().expect("wait for the killed process");
        assert!(!status.success(), "the process was killed: {status}");
    }

    /// Whether the process ended by itself (e.g. it could not bind).
    fn exited(&mut self) -> bool {
        self.child.try_wait().expect("poll the process").is_some()
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

fn log_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Waits until `GET /healthz` answers 200; starts the process again if it exited (a port still
/// held by the killed process's connections).
async fn ready(desk: &mut Desk, start: impl Fn() -> Desk, base: &str, log: &Path) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if desk.exited() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            *desk = start();
            continue;
        }
        if let Ok(response) = http.get(format!("{base}/healthz")).send().await {
            if response.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("caredesk serve never answered /healthz:\n{}", log_of(log));
}

/// The installation before the first start: the Meta app, the Page, a Community agent, and
/// `REPLIES` replies queued to as many Messenger customers. Answers the page's id and the
/// replies' texts.
async fn prepare(data_dir: &Path) -> (ProfileId, Vec<String>) {
    let store = Arc::new(
        caredesk_store_sqlite::open_dir(data_dir)
            .await
            .expect("open sqlite")
            .with_secrets(crate::support::test_secrets()),
    );
    let app = App::new(store.clone(), Arc::new(SystemClock));
    let meta = app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::Meta,
                name: "Brand".into(),
                app_secret: META_SECRET.into(),
                verify_token: "verify".into(),
                consumer_key: String::new(),
            },
        )
        .await
        .expect("the Meta app");
    let profile = app
        .create_profile(
            None,
            ProfileInput {
                network: Network::Facebook,
                external_id: PAGE.into(),
                name: "Brand Page".into(),
                app_id: meta.id,
                access_token: PAGE_TOKEN.into(),
                token_secret: String::new(),
            },
        )
        .await
        .expect("the Page");
    let agent = app
        .create_user(
            None,
            NewUserInput {
                email: "community@example.com".into(),
                name: "community".into(),
                password: "a long enough password".into(),
                role: Role::Member,
                care_access: CareAccess::None,
                capacity: None,
                profile_ids: [profile.id].into_iter().collect(),
            },
        )
        .await
        .expect("the Community agent");
    let mut texts = Vec::new();
    for i in 0..REPLIES {
        let customer = format!("2700000000{i:05}");
        let inbound = InboundMessage {
            profile_id: profile.id,
            network_id: format!("m_seed_{i}"),
            kind: MessageKind::Direct,
            author: InboundAuthor::Customer {
                network_user_id: customer.clone(),
                display_name: format!("Customer {i}"),
                handle: format!("customer_{i}"),
            },
            parent_network_id: None,
            root_network_id: None,
            text: format!("Where is my order {i}?"),
            attachments: Vec::new(),
            created_at: app.now(),
            hidden: false,
            standby: false,
        };
        let IngestOutcome::Community { item, .. } = app.ingest(inbound).await.expect("ingest")
        else {
            panic!("a first DM becomes a Community item")
        };
        let text = format!("Order {i} left our warehouse today (customer {customer})");
        app.queue_community_reply(
            agent.id,
            item,
            CommunityReply {
                text: text.clone(),
                kind: ReplyKind::Direct,
                in_reply_to: None,
            },
        )
        .await
        .expect("queue a reply");
        texts.push(text);
    }
    store.close().await;
    (profile.id, texts)
}

/// One customer's deliveries: one message, or three in one delivery every fourth time.
fn next_delivery(customers: &Customers, who: &Person, n: usize) -> (Delivery, Vec<String>) {
    let one = |k: usize| customers.messenger_message(PAGE, who, &format!("message {n}.{k}"));
    if n % 4 != 3 {
        let delivery = one(0);
        let id = delivery.posted.as_ref().expect("posted").network_id.clone();
        return (delivery, vec![id]);
    }
    let parts: Vec<Delivery> = (0..3).map(one).collect();
    let ids = parts
        .iter()
        .map(|d| d.posted.as_ref().expect("posted").network_id.clone())
        .collect();
    let events: Vec<serde_json::Value> = parts
        .iter()
        .map(|d| d.json()["entry"][0]["messaging"][0].clone())
        .collect();
    let mut body = parts[0].json();
    body["entry"][0]["messaging"] = serde_json::Value::Array(events);
    let delivery = Delivery::signed(caredesk_fakes::AppNetwork::Meta, &body, META_SECRET, None);
    (delivery, ids)
}

/// A customer loop: posts deliveries (and, every fifth time, redelivers an earlier one, as Meta
/// does) until `stop`, recording each answer.
async fn customer_loop(
    base: String,
    client: usize,
    ledger: Arc<Mutex<Ledger>>,
    killed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) {
    let customers = Customers::new(META_SECRET, "x-secret");
    let webhook = WebhookClient::new(base).expect("webhook client");
    let people: Vec<Person> = (0..4)
        .map(|p| customers.person(&format!("Client {client} Person {p}")))
        .collect();
    let mut sent: Vec<(Delivery, Vec<String>)> = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let (delivery, ids) = if n % 5 == 4 && !sent.is_empty() {
            sent[n % sent.len()].clone()
        } else {
            let fresh = next_delivery(&customers, &people[n % people.len()], n);
            sent.push(fresh.clone());
            fresh
        };
        n += 1;
        let ok = matches!(webhook.deliver(&delivery).await, Ok(200));
        {
            let mut ledger = ledger.lock().expect("ledger");
            ledger.deliveries.push((ids, ok));
            if ok && !killed.load(Ordering::SeqCst) {
                ledger.acknowledged_before_kill += 1;
            }
            if !ok {
                ledger.refused += 1;
            }
        }
        if !ok {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn connect(data_dir: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}", data_dir.join(DATABASE_FILE).display());
    SqliteConnection::connect(&url)
        .await
        .expect("open the database")
}

/// Replies (brand messages written by a person) by delivery state.
async fn reply_states(conn: &mut SqliteConnection) -> BTreeMap<String, usize> {
    let rows = sqlx::query(
        "SELECT COALESCE(delivery, '') AS delivery, COUNT(*) AS n FROM messages \
         WHERE author = 'brand' AND sent_by IS NOT NULL GROUP BY delivery",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("count replies");
    rows.iter()
        .map(|r| {
            let n: i64 = r.get("n");
            (r.get("delivery"), usize::try_from(n).expect("a count"))
        })
        .collect()
}

fn count(states: &BTreeMap<String, usize>, state: &str) -> usize {
    states.get(state).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_a_serving_process_mid_send_and_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir: PathBuf = dir.path().join("data");
    let log = dir.path().join("caredesk.log");
    let (profile, texts) = prepare(&data_dir).await;

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let fake = FakeMeta::start(FakeMetaConfig {
        pages: vec![FakePage::facebook(PAGE, PAGE_TOKEN)],
        webhook: Some(WebhookTarget::new(&base, META_SECRET)),
        ..FakeMetaConfig::default()
    })
    .await
    .expect("the Meta fake");
    fake.set_echo_delay(ECHO_DELAY);
    // One reply is refused for good and one meets a gateway error (it is retried later); the
    // rest are posted at once and answered after a while.
    for i in 0..REPLIES + 8 {
        fake.inject(match i {
            3 => Fault::graph(400, 100, "(#100) The user cannot receive messages"),
            5 => Fault::Status(503),
            _ => Fault::Delay(ANSWER_DELAY),
        });
    }
    let graph_url = fake.graph_url();
    let start = || Desk::start(&data_dir, port, &graph_url, &log);

    let mut desk = start();
    ready(&mut desk, start, &base, &log).await;

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let killed = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            tokio::spawn(customer_loop(
                base.clone(),
                c,
                ledger.clone(),
                killed.clone(),
                stop.clone(),
            ))
        })
        .collect();

    // The kill comes once the second outbox pass has posted: those calls are committed
    // `sending`, posted by the network, their answers held and their echoes not yet sent.
    let batch = usize::try_from(OutboxConfig::default().batch).expect("a batch size");
    let deadline = Instant::now() + Duration::from_secs(30);
    while fake.sent().len() <= batch || ledger.lock().expect("ledger").acknowledged_before_kill < 5
    {
        assert!(
            Instant::now() < deadline,
            "the outbox never reached its second pass ({} posted):\n{}",
            fake.sent().len(),
            log_of(&log)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    desk.kill();
    killed.store(true, Ordering::SeqCst);
    let posted_at_kill = fake.sent().len();
    let at_kill = {
        let mut conn = connect(&data_dir).await;
        let states = reply_states(&mut conn).await;
        conn.close().await.expect("close");
        states
    };
    assert!(
        count(&at_kill, "sending") > 0,
        "replies were in flight at the kill: {at_kill:?}"
    );

    // Down until the echoes of the calls in flight have been tried: they find no desk.
    let refused_before = ledger.lock().expect("ledger").refused;
    tokio::time::timeout(Duration::from_secs(30), fake.flush_echoes())
        .await
        .expect("the fake tried every echo");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lost_echoes = fake.echoes().iter().filter(|e| e.status.is_none()).count();
    assert!(lost_echoes > 0, "echoes were sent while the desk was down");
    let refused_while_down = ledger.lock().expect("ledger").refused - refused_before;
    assert!(
        refused_while_down > 0,
        "the customers kept delivering while the desk was down"
    );

    let mut desk = start();
    ready(&mut desk, start, &base, &log).await;
    let acknowledged = |ledger: &Mutex<Ledger>| {
        ledger
            .lock()
            .expect("ledger")
            .deliveries
            .iter()
            .filter(|(_, ok)| *ok)
            .count()
    };
    let before_restart = acknowledged(&ledger);
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged(&ledger) < before_restart + 10 {
        assert!(
            Instant::now() < deadline,
            "the restarted desk takes deliveries again:\n{}",
            log_of(&log)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.await.expect("a customer loop");
    }

    // Every reply settles: sent, failed, or unknown once the in-doubt window has passed.
    let mut conn = connect(&data_dir).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let settled = loop {
        let states = reply_states(&mut conn).await;
        if count(&states, "queued") + count(&states, "sending") == 0 {
            break states;
        }
        assert!(
            Instant::now() < deadline,
            "replies still waiting: {states:?}\n{}",
            log_of(&log)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    conn.close().await.expect("close");
    desk.kill();

    let store = caredesk_store_sqlite::open_dir(&data_dir)
        .await
        .expect("reopen")
        .with_secrets(crate::support::test_secrets());
    let mut conn = connect(&data_dir).await;

    // Every acknowledged delivery's messages are stored, each once.
    let ledger = std::mem::take(&mut *ledger.lock().expect("ledger"));
    let acknowledged_ids: BTreeSet<&String> = ledger
        .deliveries
        .iter()
        .filter(|(_, ok)| *ok)
        .flat_map(|(ids, _)| ids)
        .collect();
    let attempted_ids: BTreeSet<&String> =
        ledger.deliveries.iter().flat_map(|(ids, _)| ids).collect();
    {
        let mut tx = store.begin().await.expect("begin");
        for id in &acknowledged_ids {
            assert!(
                tx.message_by_network_id(profile, id)
                    .await
                    .expect("read")
                    .is_some(),
                "the acknowledged message {id} was stored"
            );
        }
    }
    let rows = sqlx::query(
        "SELECT network_id, COUNT(*) AS n FROM messages WHERE author = 'customer' \
         GROUP BY network_id",
    )
    .fetch_all(&mut conn)
    .await
    .expect("customer messages");
    let mut stored_ids = BTreeSet::new();
    for row in &rows {
        let id: String = row.get("network_id");
        let n: i64 = row.get("n");
        assert_eq!(n, 1, "{id} is stored once");
        stored_ids.insert(id);
    }
    let seeds: BTreeSet<String> = (0..REPLIES).map(|i| format!("m_seed_{i}")).collect();
    let from_customers: BTreeSet<&String> = stored_ids.difference(&seeds).collect();
    assert!(
        from_customers.is_subset(&attempted_ids),
        "nothing is stored that no customer sent"
    );
    assert!(acknowledged_ids.is_subset(&from_customers));
    assert_eq!(stored_ids.len(), seeds.len() + from_customers.len());
    let stored_unacknowledged = from_customers.len() - acknowledged_ids.len();

    // No reply was posted twice; `sent` means posted, never posted means not `sent`.
    let replies = sqlx::query(
        "SELECT text, delivery FROM messages WHERE author = 'brand' AND sent_by IS NOT NULL",
    )
    .fetch_all(&mut conn)
    .await
    .expect("replies");
    assert_eq!(
        replies.len(),
        REPLIES,
        "no echo was stored as a new message"
    );
    let sent = fake.sent();
    for reply in &sent {
        assert!(texts.contains(&reply.text), "{} is one of ours", reply.text);
    }
    let mut posted_but_unknown = 0;
    for row in &replies {
        let text: String = row.get("text");
        let delivery: String = row.get("delivery");
        let posted = fake.sent_count(&text);
        assert!(posted <= 1, "{text:?} was posted {posted} times");
        match delivery.as_str() {
            "sent" => assert_eq!(posted, 1, "{text:?} is sent, so it was posted"),
            "failed" => assert_eq!(posted, 0, "{text:?} failed, so it was never posted"),
            "delivery_unknown" => posted_but_unknown += posted,
            other => panic!("{text:?} ended {other}, not sent, failed or delivery_unknown"),
        }
    }
    assert_eq!(count(&settled, "failed"), 1, "{settled:?}");
    assert!(
        posted_but_unknown > 0,
        "a reply posted while the desk died was left for a person, not sent again: {settled:?}"
    );
    conn.close().await.expect("close");
    store.close().await;

    eprintln!(
        "crash: {} deliveries ({} acknowledged, {} before the kill; {} refused; {} stored \
         without an answer), {} messages acknowledged; at the kill {} replies posted, \
         states {at_kill:?}; {lost_echoes} echoes lost while down; in the end {} posted, \
         states {settled:?}",
        ledger.deliveries.len(),
        ledger.deliveries.iter().filter(|(_, ok)| *ok).count(),
        ledger.acknowledged_before_kill,
        ledger.refused,
        stored_unacknowledged,
        acknowledged_ids.len(),
        posted_at_kill,
        sent.len(),
    );
}
