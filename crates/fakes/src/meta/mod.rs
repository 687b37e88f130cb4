//! The Meta fake: a loopback Graph API that posts Facebook comments, Instagram comments and
//! replies, Messenger and Instagram messages and private replies for the pages it knows, answers
//! with Graph's bodies and error envelopes, and echoes each posted reply to `/webhooks/meta`.

mod echo;
mod graph;
mod send_api;

use std::fmt;
use std::sync::{Arc, Mutex};

use caredesk_networks::{AppNetwork, Network};

use crate::book::Book;
use crate::echo::Echoes;
use crate::fault::Faults;
use crate::server::Loopback;
use crate::{lock, Delivery, EchoRecord, FakeError, Fault, Person, SentReply, WebhookTarget};

/// A Facebook Page or Instagram professional account the fake serves.
#[derive(Clone, PartialEq, Eq)]
pub struct FakePage {
    /// The page's or account's id (the desk's profile external id).
    pub id: String,
    /// Its name (the page name, or the Instagram username).
    pub name: String,
    /// Its page access token.
    pub access_token: String,
    /// Facebook or Instagram.
    pub network: Network,
}

impl FakePage {
    /// A Facebook Page.
    pub fn facebook(id: impl Into<String>, access_token: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            name: format!("Page {id}"),
            id,
            access_token: access_token.into(),
            network: Network::Facebook,
        }
    }

    /// An Instagram professional account.
    pub fn instagram(id: impl Into<String>, access_token: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            name: format!("brand_{id}"),
            id,
            access_token: access_token.into(),
            network: Network::Instagram,
        }
    }

    fn person(&self) -> Person {
        Person::new(self.id.clone(), self.name.clone(), self.name.clone())
    }
}

impl fmt::Debug for FakePage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakePage")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("access_token", &"<redacted>")
            .field("network", &self.network)
            .finish()
    }
}

/// What the Meta fake serves.
#[derive(Clone, Debug)]
pub struct FakeMetaConfig {
    /// The pages and accounts, with their tokens.
    pub pages: Vec<FakePage>,
    /// The app id echoes carry.
    pub app_id: String,
    /// The Graph version of [`FakeMeta::graph_url`] (any `vNN.N` is served).
    pub version: String,
    /// Where echoes go; `None` keeps them in [`FakeMeta::echoes`] only.
    pub webhook: Option<WebhookTarget>,
}

impl Default for FakeMetaConfig {
    fn default() -> Self {
        Self {
            pages: Vec::new(),
            app_id: "1000000000000001".into(),
            version: "v21.0".into(),
            webhook: None,
        }
    }
}

/// The fake's state, shared with its handlers.
#[derive(Debug)]
struct MetaState {
    pages: Vec<FakePage>,
    app_id: String,
    faults: Faults,
    echoes: Echoes,
    book: Mutex<Book>,
}

/// A running Meta fake; stops when dropped.
#[derive(Debug)]
pub struct FakeMeta {
    server: Loopback,
    version: String,
    state: Arc<MetaState>,
}

impl FakeMeta {
    /// Starts serving on a fresh `127.0.0.1` port.
    pub async fn start(config: FakeMetaConfig) -> Result<Self, FakeError> {
        let state = Arc::new(MetaState {
            pages: config.pages,
            app_id: config.app_id,
            faults: Faults::default(),
            echoes: Echoes::start(AppNetwork::Meta, config.webhook)?,
            book: Mutex::new(Book::default()),
        });
        let server = Loopback::start(graph::router(state.clone())).await?;
        Ok(Self {
            server,
            version: config.version,
            state,
        })
    }

    /// The Graph API base, e.g. `http://127.0.0.1:PORT/v21.0`.
    pub fn graph_url(&self) -> String {
        format!("http://{}/{}", self.server.addr(), self.version)
    }

    /// Queues `fault` for a coming request (one fault per request, in order).
    pub fn inject(&self, fault: Fault) {
        self.state.faults.push(fault);
    }

    /// Refuses `token` from now on (code 190), as after a password change.
    pub fn revoke_token(&self, token: &str) {
        lock(&self.state.book).revoked.insert(token.to_owned());
    }

    /// Accepts a revoked `token` again.
    pub fn restore_token(&self, token: &str) {
        lock(&self.state.book).revoked.remove(token);
    }

    /// Learns the message a customer delivery creates, so replies to it reach its author.
    pub fn remember(&self, delivery: &Delivery) {
        lock(&self.state.book).remember(delivery);
    }

    /// Every reply posted so far, oldest first.
    pub fn sent(&self) -> Vec<SentReply> {
        lock(&self.state.book).sent.clone()
    }

    /// How many replies with exactly `text` were posted.
    pub fn sent_count(&self, text: &str) -> usize {
        lock(&self.state.book)
            .sent
            .iter()
            .filter(|s| s.text == text)
            .count()
    }

    /// Sends echoes to `target` from now on (or nowhere).
    pub fn set_webhook(&self, target: Option<WebhookTarget>) {
        self.state.echoes.set_target(target);
    }

    /// Posts the echo of each reply accepted from now on `delay` after accepting it, as a
    /// network whose webhooks lag its API does (echoes still leave in order).
    pub fn set_echo_delay(&self, delay: std::time::Duration) {
        self.state.echoes.set_delay(delay);
    }

    /// The echoes posted so far, oldest first.
    pub fn echoes(&self) -> Vec<EchoRecord> {
        self.state.echoes.records()
    }

    /// Waits until every echo of the replies posted so far has been delivered.
    pub async fn flush_echoes(&self) {
        self.state.echoes.flush().await;
    }

    /// Stops serving; the port is closed when this returns.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}
