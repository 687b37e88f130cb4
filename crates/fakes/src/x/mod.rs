//! The X fake: a loopback X API v2 that posts replies and direct messages for the accounts it
//! knows, answers with X's 201 bodies and problem objects (401 for a bad bearer token or
//! signature, 429 with the rate-limit headers), and echoes each posted reply to `/webhooks/x`.
//! Its API takes an account's OAuth 2 bearer token or an OAuth 1.0a signature (`auth`). It also
//! serves what customers attach to direct messages, as `ton.twitter.com` does, to OAuth
//! 1.0a-signed requests only (`dm_media`).

mod api;
mod auth;
mod dm_media;
mod echo;

pub use auth::{XAuth, XCall};

use std::fmt;
use std::sync::Arc;

use caredesk_networks::AppNetwork;

use crate::server::Loopback;
use crate::Controls;
use crate::{FakeError, Person, WebhookTarget};

/// An X account the fake serves.
#[derive(Clone, PartialEq, Eq)]
pub struct FakeAccount {
    /// The account's user id (the desk's profile external id).
    pub user_id: String,
    /// Its screen name.
    pub screen_name: String,
    /// Its user-context bearer token; also the OAuth 1.0a access token that signs its calls
    /// and requests for direct-message media.
    pub bearer_token: String,
    /// The OAuth 1.0a access token secret paired with the token; empty when the account has only
    /// an OAuth 2 bearer token (no signature of it verifies).
    pub token_secret: String,
}

impl FakeAccount {
    /// An account with a screen name made from its id.
    pub fn new(user_id: impl Into<String>, bearer_token: impl Into<String>) -> Self {
        let user_id = user_id.into();
        Self {
            screen_name: format!("brand{user_id}"),
            user_id,
            bearer_token: bearer_token.into(),
            token_secret: String::new(),
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
            .field("token_secret", &"<redacted>")
            .finish()
    }
}

/// What the X fake serves.
#[derive(Clone)]
pub struct FakeXConfig {
    /// The accounts, with their tokens.
    pub accounts: Vec<FakeAccount>,
    /// The app id direct-message echoes name as their source.
    pub app_id: String,
    /// The X app's consumer key, which OAuth 1.0a signatures must name.
    pub consumer_key: String,
    /// The X app's consumer secret, which OAuth 1.0a signatures are checked with (empty: none
    /// verifies).
    pub consumer_secret: String,
    /// Where echoes go; `None` keeps them in [`FakeX::echoes`] only.
    pub webhook: Option<WebhookTarget>,
}

impl fmt::Debug for FakeXConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeXConfig")
            .field("accounts", &self.accounts)
            .field("app_id", &self.app_id)
            .field("consumer_key", &"<redacted>")
            .field("consumer_secret", &"<redacted>")
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl Default for FakeXConfig {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            app_id: "2000000".into(),
            consumer_key: String::new(),
            consumer_secret: String::new(),
            webhook: None,
        }
    }
}

struct XState {
    accounts: Vec<FakeAccount>,
    app_id: String,
    consumer_key: String,
    consumer_secret: String,
    controls: Controls,
    gate: auth::Gate,
}

impl fmt::Debug for XState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XState")
            .field("accounts", &self.accounts)
            .field("app_id", &self.app_id)
            .field("controls", &self.controls)
            .finish_non_exhaustive()
    }
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
            consumer_key: config.consumer_key,
            consumer_secret: config.consumer_secret,
            controls: Controls::start(AppNetwork::X, config.webhook)?,
            gate: auth::Gate::default(),
        });
        let server = Loopback::start(api::router(state.clone())).await?;
        Ok(Self { server, state })
    }

    /// The API base, e.g. `http://127.0.0.1:PORT/2`.
    pub fn api_url(&self) -> String {
        format!("http://{}/2", self.server.addr())
    }

    /// Where the fake serves the picture `name` (one of [`PICTURES`](crate::meta::media::PICTURES))
    /// as the media of a customer's direct message, under fresh message and media ids, as
    /// `ton.twitter.com` does: `…/1.1/ton/data/dm/{message}/{media}/{name}`, to signed requests.
    pub fn direct_message_media_url(&self, name: &str) -> String {
        dm_media::url(self.server.addr(), name)
    }

    /// Every call whose credentials the fake accepted (a bearer token or an OAuth 1.0a
    /// signature), oldest first.
    pub fn calls(&self) -> Vec<XCall> {
        self.state.gate.calls()
    }

    /// Stops serving; the port is closed when this returns.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

impl std::ops::Deref for FakeX {
    type Target = Controls;

    /// The fake's faults, book and echoes.
    fn deref(&self) -> &Controls {
        &self.state.controls
    }
}
