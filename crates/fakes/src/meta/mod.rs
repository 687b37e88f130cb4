//! The Meta fake: a loopback Graph API that posts Facebook comments, Instagram comments and
//! replies, Messenger and Instagram messages and private replies for the pages it knows, answers
//! who the people writing to them are (with pictures its CDN serves), answers with Graph's
//! bodies and error envelopes, and echoes each posted reply to `/webhooks/meta`.

mod comments;
mod echo;
mod graph;
pub mod media;
mod mentioned;
mod people;
mod send_api;

pub(crate) use graph::is_version;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use caredesk_networks::{AppNetwork, Network};

use crate::server::Loopback;
use crate::Controls;
use crate::{lock, FakeError, Person, WebhookTarget};

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
    controls: Controls,
    /// Pictures set for people by id (`None`: no picture); the others get a default one.
    pictures: Mutex<HashMap<String, Option<String>>>,
}

impl MetaState {
    /// The name of the CDN picture of the person `id`, if they have one.
    fn picture_of(&self, id: &str) -> Option<String> {
        match lock(&self.pictures).get(id) {
            Some(set) => set.clone(),
            None => people::default_picture(id).map(str::to_owned),
        }
    }
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
            controls: Controls::start(AppNetwork::Meta, config.webhook)?,
            pictures: Mutex::new(HashMap::new()),
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

    /// Where the fake's CDN serves the picture `name` (one of [`media::PICTURES`]).
    pub fn picture_url(&self, name: &str) -> String {
        format!("http://{}/cdn/{name}", self.server.addr())
    }

    /// Gives the person `id` the CDN picture `name` (one of [`media::PICTURES`]) from now on, or
    /// none.
    pub fn set_profile_pic(&self, id: &str, name: Option<&str>) {
        lock(&self.state.pictures).insert(id.to_owned(), name.map(str::to_owned));
    }

    /// Stops serving; the port is closed when this returns.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

impl std::ops::Deref for FakeMeta {
    type Target = Controls;

    /// The fake's faults, book and echoes.
    fn deref(&self) -> &Controls {
        &self.state.controls
    }
}
