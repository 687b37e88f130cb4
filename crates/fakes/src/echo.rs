//! Echoes: after a fake posts a reply it tells the desk, as the network does, by posting a
//! signed webhook delivery of the brand's own message. Echoes leave in order from one worker
//! task, each after the echo delay (none unless set: the networks' webhooks can lag their
//! API's answers by seconds); each is recorded with the desk's answer. A failed post is not
//! repeated.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use caredesk_networks::AppNetwork;
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::delivery::{http_client, post};
use crate::lock;
use crate::{Delivery, FakeError, Posted};

/// Where a fake posts its echoes: the desk's base URL and the secret its deliveries are signed
/// with (the Meta app secret, the X consumer secret).
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The desk's base URL, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
    /// The signing secret.
    pub secret: String,
}

impl WebhookTarget {
    /// A target at `base_url` signed with `secret`.
    pub fn new(base_url: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            secret: secret.into(),
        }
    }
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("base_url", &self.base_url)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// One echo and what the desk made of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EchoRecord {
    /// The signed delivery (signed with an empty secret when no target is set).
    pub delivery: Delivery,
    /// The desk's status; `None` when no target is set or the call failed.
    pub status: Option<u16>,
    /// Why the call failed, if it did.
    pub error: Option<String>,
}

type Target = Arc<Mutex<Option<WebhookTarget>>>;

/// An echo waiting in the queue: its body, the message it reports, and when it may leave.
type Queued = (Value, Option<Posted>, Instant);

/// A fake's echo queue.
#[derive(Debug)]
pub(crate) struct Echoes {
    target: Target,
    queue: mpsc::UnboundedSender<Queued>,
    delay: Mutex<Duration>,
    queued: AtomicU64,
    done: watch::Receiver<u64>,
    records: Arc<Mutex<Vec<EchoRecord>>>,
}

impl Echoes {
    /// Starts the worker that signs `platform` deliveries and posts them to the target.
    pub(crate) fn start(
        platform: AppNetwork,
        target: Option<WebhookTarget>,
    ) -> Result<Self, FakeError> {
        let http = http_client()?;
        let target: Target = Arc::new(Mutex::new(target));
        let records = Arc::new(Mutex::new(Vec::new()));
        let (queue, mut pending) = mpsc::unbounded_channel::<Queued>();
        let (finished, done) = watch::channel(0_u64);
        let (worker_target, worker_records) = (target.clone(), records.clone());
        tokio::spawn(async move {
            while let Some((body, posted, due)) = pending.recv().await {
                tokio::time::sleep_until(due).await;
                let current = lock(&worker_target).clone();
                let secret = current.as_ref().map(|t| t.secret.as_str()).unwrap_or("");
                let delivery = Delivery::signed(platform, &body, secret, posted);
                let (status, error) = match &current {
                    Some(t) => match post(&http, &t.base_url, &delivery).await {
                        Ok((status, _)) => (Some(status), None),
                        Err(e) => (None, Some(e.to_string())),
                    },
                    None => (None, None),
                };
                lock(&worker_records).push(EchoRecord {
                    delivery,
                    status,
                    error,
                });
                finished.send_modify(|n| *n += 1);
            }
        });
        Ok(Self {
            target,
            queue,
            delay: Mutex::new(Duration::ZERO),
            queued: AtomicU64::new(0),
            done,
            records,
        })
    }

    /// Queues the echo `body` of the brand message `posted`.
    pub(crate) fn send(&self, body: Value, posted: Posted) {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let due = Instant::now() + *lock(&self.delay);
        if self.queue.send((body, Some(posted), due)).is_err() {
            // The worker is gone only when the fake is shutting down.
            self.queued.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Holds each echo queued from now on for `delay` before it is posted.
    pub(crate) fn set_delay(&self, delay: Duration) {
        *lock(&self.delay) = delay;
    }

    /// Replaces the target.
    pub(crate) fn set_target(&self, target: Option<WebhookTarget>) {
        *lock(&self.target) = target;
    }

    /// The echoes sent so far.
    pub(crate) fn records(&self) -> Vec<EchoRecord> {
        lock(&self.records).clone()
    }

    /// Waits until every echo queued so far has been posted.
    pub(crate) async fn flush(&self) {
        let queued = self.queued.load(Ordering::SeqCst);
        let mut done = self.done.clone();
        // An error means the worker is gone, and nothing more will be posted anyway.
        let _ = done.wait_for(|n| *n >= queued).await;
    }
}
