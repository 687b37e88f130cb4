//! A signed webhook delivery as a network sends it (body bytes and signature header), what it
//! created, and the [`WebhookClient`] that posts deliveries to a desk.

use std::fmt;
use std::time::Duration;

use caredesk_networks::signature::{meta_sign, x_sign};
use caredesk_networks::{AppNetwork, Network};
use serde_json::Value;

use crate::FakeError;

/// Someone on a network: a customer, or the brand's page or account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The network's user id (PSID, Instagram-scoped id, X user id, page id).
    pub id: String,
    /// The display name.
    pub name: String,
    /// The handle (Instagram username, X screen name).
    pub handle: String,
}

impl Person {
    /// A person with these details.
    pub fn new(id: impl Into<String>, name: impl Into<String>, handle: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            handle: handle.into(),
        }
    }
}

/// The message a delivery brings into being.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    /// Its network.
    pub network: Network,
    /// The page or account it reached (the desk's profile external id).
    pub profile: String,
    /// Its network id.
    pub network_id: String,
    /// Its author.
    pub author: Person,
    /// What it answers (a comment's parent, a post's replied-to post).
    pub parent_id: Option<String>,
    /// The post or media it hangs under; `None` for direct messages.
    pub root_id: Option<String>,
}

/// A webhook delivery, signed as its network signs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Meta or X.
    pub platform: AppNetwork,
    /// The exact body bytes.
    pub body: Vec<u8>,
    /// The signature header's name and value.
    pub signature: (&'static str, String),
    /// The message it creates, if it creates one.
    pub posted: Option<Posted>,
    /// What a mention announced by ids alone says (the network answers it when asked).
    pub mention_text: Option<String>,
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("platform", &self.platform)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("signature", &self.signature.0)
            .field("posted", &self.posted)
            .finish()
    }
}

impl Delivery {
    /// `body` signed with `secret` (Meta app secret, X consumer secret) as `platform` signs.
    pub fn signed(
        platform: AppNetwork,
        body: &Value,
        secret: &str,
        posted: Option<Posted>,
    ) -> Self {
        let body = body.to_string().into_bytes();
        let signature = match platform {
            AppNetwork::Meta => ("x-hub-signature-256", meta_sign(secret, &body)),
            AppNetwork::X => ("x-twitter-webhooks-signature", x_sign(secret, &body)),
        };
        Self {
            platform,
            signature: (signature.0, signature.1.unwrap_or_default()),
            body,
            posted,
            mention_text: None,
        }
    }

    /// The desk's webhook path for this delivery.
    pub fn path(&self) -> &'static str {
        match self.platform {
            AppNetwork::Meta => "/webhooks/meta",
            AppNetwork::X => "/webhooks/x",
        }
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Posts deliveries to a desk.
#[derive(Clone, Debug)]
pub struct WebhookClient {
    http: reqwest::Client,
    base_url: String,
}

impl WebhookClient {
    /// A client for the desk at `base_url` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base_url: impl Into<String>) -> Result<Self, FakeError> {
        Ok(Self {
            http: http_client()?,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        })
    }

    /// Posts `delivery` and answers the desk's status.
    pub async fn deliver(&self, delivery: &Delivery) -> Result<u16, FakeError> {
        Ok(self.deliver_and_read(delivery).await?.0)
    }

    /// Posts `delivery` and answers the desk's status and body.
    pub async fn deliver_and_read(&self, delivery: &Delivery) -> Result<(u16, String), FakeError> {
        post(&self.http, &self.base_url, delivery).await
    }
}

/// Builds the client the fakes post with.
pub(crate) fn http_client() -> Result<reqwest::Client, FakeError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| FakeError::Http(e.to_string()))
}

/// Posts `delivery` to the desk at `base_url`: its status and body.
pub(crate) async fn post(
    http: &reqwest::Client,
    base_url: &str,
    delivery: &Delivery,
) -> Result<(u16, String), FakeError> {
    let (header, signature) = &delivery.signature;
    let response = http
        .post(format!(
            "{}{}",
            base_url.trim_end_matches('/'),
            delivery.path()
        ))
        .header("content-type", "application/json")
        .header(*header, signature)
        .body(delivery.body.clone())
        .send()
        .await
        .map_err(|e| FakeError::Http(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(|e| FakeError::Http(e.to_string()))?;
    Ok((status, body))
}
