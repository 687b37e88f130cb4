//! The X fake: a loopback X API v2 that posts replies and direct messages for the accounts it
//! knows, answers with X's 201 bodies and problem objects (401 for a bad token, 429 with the
//! rate-limit headers), and echoes each posted reply to `/webhooks/x`.

mod api;
mod echo;

use std::fmt;
use std::sync::{Arc, Mutex};

use caredesk_networks::AppNetwork;

use crate::book::Book;
use crate::echo::Echoes;
use crate::fault::Faults;
use crate::server::Loopback;
use crate::{lock, Delivery, EchoRecord, FakeError, Fault, Person, SentReply, WebhookTarget};

/// An X account the fake serves.
#[derive(Clone, PartialEq, Eq)]
pub struct FakeAccount {
    /// The account's user id (the desk's profile external id).
    pub user_id: String,
    /// Its screen name.
    pub screen_name: String,
    /// Its user-context bearer token.
    pub bearer_token: String,
}

impl FakeAccount {
    /// An account with a screen name made from its id.
    pub fn new(user_id: impl Into<String>, bearer_token: impl Into<String>) -> Self {
        let user_id = user_id.into();
        Self {
            screen_name: format!("brand{user_id}"),
            user_id,
            bearer_token: bearer_token.into(),
        }
    }

    fn person(&self) -> Person {
        Person::new(
            self.user_id.clone(),
            self.screen_name.clone(),
            self.screen_name.clone(),
        )
    }
}

impl fmt::Debug for FakeAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeAccount")
            .field("user_id", &self.user_id)
            .field("screen_name", &self.screen_name)
            .field("bearer_token", &"<redacted>")
            .finish()
    }
}

/// What the X fake serves.
#[derive(Clone, Debug)]
pub struct FakeXConfig {
    /// The accounts, with their tokens.
    pub accounts: Vec<FakeAccount>,
    /// The app id direct-message echoes name as their source.
    pub app_id: String,
    /// Where echoes go; `None` keeps them in [`FakeX::echoes`] only.
    pub webhook: Option<WebhookTarget>,
}

impl Default for FakeXConfig {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            app_id: "2000000".into(),
            webhook: None,
        }
    }
}

#[derive(Debug)]
struct XState {
    accounts: Vec<FakeAccount>,
    app_id: String,
    faults: Faults,
    echoes: Echoes,
    book: Mutex<Book>,
}

/// A running X fake; stops when dropped.
#[derive(Debug)]
pub struct FakeX {
    server: Loopback,
    state: Arc<XState>,
}

impl FakeX {
    /// Starts serving on a fresh `127.0.0.1` port.
    pub async fn start(config: FakeXConfig) -> Result<Self, FakeError> {
        let state = Arc::new(XState {
            accounts: config.accounts,
            app_id: config.app_id,
            faults: Faults::default(),
            echoes: Echoes::start(AppNetwork::X, config.webhook)?,
            book: Mutex::new(Book::default()),
        });
        let server = Loopback::start(api::router(state.clone())).await?;
        Ok(Self { server, state })
    }

    /// The API base, e.g. `http://127.0.0.1:PORT/2`.
    pub fn api_url(&self) -> String {
        format!("http://{}/2", self.server.addr())
    }

    /// Queues `fault` for a coming request (one fault per request, in order).
    pub fn inject(&self, fault: Fault) {
        self.state.faults.push(fault);
    }

    /// Refuses `token` from now on (401), as after the user revoked the app.
    pub fn revoke_token(&self, token: &str) {
        lock(&self.state.book).revoked.insert(token.to_owned());
    }

    /// Accepts a revoked `token` again.
    pub fn restore_token(&self, token: &str) {
        lock(&self.state.book).revoked.remove(token);
    }

    /// Learns the post or message a customer delivery creates, so replies name its author.
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
