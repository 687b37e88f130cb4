//! The HTTP client of the networks' APIs: [`NetworkSender`] hands each
//! [`OutgoingReply`](caredesk_app::outbound::OutgoingReply) to the adapter of its network (from
//! the [`registry`](crate::registry)), which builds the call of its channel and makes it once
//! through the shared client ([`NetworkApi`]); the answer's meaning is decided in `classify`. It
//! also asks the networks who a person is (`people`, the `PersonSource` of `app`), through each
//! adapter's `look_up_person` and a read of the API (`read`). Credentials travel only in the
//! `Authorization` header ([`Auth`]) and never reach a reason or a log.

mod auth;
pub mod call;
mod classify;
mod people;
mod read;
mod transport;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use caredesk_app::mentions::{MentionFound, MentionRequest, MentionSource};
use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use caredesk_domain::AppNetwork;
use reqwest::{redirect, Client, Url};

pub use auth::Auth;
pub use call::{Api, Call, IdAt, Part, Payload};
pub use read::Read;
pub(crate) use transport::chain;
pub use transport::NetworkApi;

use crate::registry;

/// Where the networks' APIs live and how long a call may take (a media download is held to the
/// same limits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundConfig {
    /// The Graph API base, version included.
    pub meta_graph_url: String,
    /// The X API v2 base.
    pub x_api_url: String,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// How long a whole call may take, answer included.
    pub request_timeout: Duration,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        Self {
            meta_graph_url: "https://graph.facebook.com/v21.0".into(),
            x_api_url: "https://api.x.com/2".into(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a [`NetworkSender`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// A base URL is not an absolute http(s) URL.
    #[error("{0:?} is not an http(s) base URL")]
    BadUrl(String),
    /// The HTTP client could not be set up.
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// Posts replies to every network's API, each through its adapter.
#[derive(Clone)]
pub struct NetworkSender {
    http: Client,
    /// The configured base URL of each platform's API.
    bases: Vec<(AppNetwork, Url)>,
}

impl fmt::Debug for NetworkSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("NetworkSender");
        for (platform, base) in &self.bases {
            s.field(platform.as_str(), &base.as_str());
        }
        s.finish()
    }
}

pub(crate) fn base_url(raw: &str) -> Result<Url, OutboundError> {
    let url = Url::parse(raw.trim()).map_err(|_| OutboundError::BadUrl(raw.into()))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(OutboundError::BadUrl(raw.into()));
    }
    Ok(url)
}

impl NetworkSender {
    /// A sender for the APIs and timeouts of `config`.
    pub fn new(config: &OutboundConfig) -> Result<Self, OutboundError> {
        let http = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would carry the token elsewhere; the APIs never ask for one.
            .redirect(redirect::Policy::none())
            .user_agent(concat!("caredesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OutboundError::Client(e.to_string()))?;
        let bases = registry::adapters()
            .map(|adapter| Ok((adapter.app_network(), base_url(adapter.api_base(config))?)))
            .collect::<Result<_, OutboundError>>()?;
        Ok(Self { http, bases })
    }

    /// What the adapter of `platform` calls its API with.
    pub fn api(&self, platform: AppNetwork) -> Option<NetworkApi<'_>> {
        let (_, base) = self.bases.iter().find(|(p, _)| *p == platform)?;
        Some(NetworkApi {
            http: &self.http,
            base,
        })
    }

    async fn post(&self, reply: &OutgoingReply) -> SendOutcome {
        let adapter = registry::adapter_for(reply.network);
        match self.api(adapter.app_network()) {
            Some(api) => adapter.send(api, reply).await,
            None => SendOutcome::Permanent {
                reason: format!("no API is configured for {}", reply.network),
            },
        }
    }
}

#[async_trait]
impl MentionSource for NetworkSender {
    async fn look_up_mention(&self, request: MentionRequest<'_>) -> MentionFound {
        let adapter = registry::adapter_for(request.network);
        match self.api(adapter.app_network()) {
            Some(api) => adapter.look_up_mention(api, request).await,
            None => {
                MentionFound::Temporary(format!("no API is configured for {}", request.network))
            }
        }
    }
}

#[async_trait]
impl ReplySender for NetworkSender {
    async fn send(&self, reply: &OutgoingReply) -> SendOutcome {
        let secrets = [
            reply.access_token.as_str(),
            &reply.token_secret,
            &reply.consumer_secret,
        ];
        let outcome = secrets.into_iter().fold(self.post(reply).await, redacted);
        tracing::debug!(
            message = %reply.message,
            network = %reply.network,
            ?outcome,
            "reply sent to the network"
        );
        outcome
    }
}

/// `outcome` with every occurrence of `token` in its words replaced.
fn redacted(outcome: SendOutcome, token: &str) -> SendOutcome {
    if token.is_empty() {
        return outcome;
    }
    let clean = |reason: String| reason.replace(token, "<redacted>");
    match outcome {
        SendOutcome::Sent { network_id } => SendOutcome::Sent { network_id },
        SendOutcome::Transient {
            reason,
            retry_after,
        } => SendOutcome::Transient {
            reason: clean(reason),
            retry_after,
        },
        SendOutcome::Permanent { reason } => SendOutcome::Permanent {
            reason: clean(reason),
        },
        SendOutcome::TokenRejected { reason } => SendOutcome::TokenRejected {
            reason: clean(reason),
        },
        SendOutcome::InDoubt { reason } => SendOutcome::InDoubt {
            reason: clean(reason),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_http() {
        for bad in ["", "graph.facebook.com", "ftp://x/2", "mailto:a@b"] {
            let config = OutboundConfig {
                x_api_url: bad.into(),
                ..OutboundConfig::default()
            };
            assert!(NetworkSender::new(&config).is_err(), "{bad}");
        }
        assert!(NetworkSender::new(&OutboundConfig::default()).is_ok());
    }

    #[test]
    fn every_platform_has_its_api() {
        let sender = NetworkSender::new(&OutboundConfig::default()).expect("sender");
        for platform in AppNetwork::ALL {
            assert!(sender.api(*platform).is_some(), "{platform}");
        }
    }

    #[test]
    fn tokens_never_reach_the_reasons() {
        let outcome = SendOutcome::Permanent {
            reason: "bad token tok-123 (tok-123)".into(),
        };
        assert_eq!(
            redacted(outcome, "tok-123"),
            SendOutcome::Permanent {
                reason: "bad token <redacted> (<redacted>)".into()
            }
        );
    }
}
