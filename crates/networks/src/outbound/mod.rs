//! The HTTP clients that post queued replies: [`NetworkSender`] turns an
//! [`OutgoingReply`](caredesk_app::outbound::OutgoingReply) into its Graph API or X API v2 call
//! (built in `request`), makes it once, and reports what the answer means (decided in
//! `classify`). A connection that never opened is transient; a timeout or a dropped connection
//! after the request left is in doubt, because the network may have posted it. Tokens travel
//! only in the `Authorization` header and are never logged.

mod classify;
mod request;

use std::error::Error as _;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use reqwest::{redirect, Client, Url};

use classify::{classify, Answer};
use request::{call_for, Payload};

/// Where the networks' APIs live and how long a call may take.
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

/// Posts replies to Meta's Graph API and X API v2.
#[derive(Clone)]
pub struct NetworkSender {
    http: Client,
    graph: Url,
    x: Url,
}

impl fmt::Debug for NetworkSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkSender")
            .field("graph", &self.graph.as_str())
            .field("x", &self.x.as_str())
            .finish()
    }
}

fn base_url(raw: &str) -> Result<Url, OutboundError> {
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
        Ok(Self {
            http,
            graph: base_url(&config.meta_graph_url)?,
            x: base_url(&config.x_api_url)?,
        })
    }

    async fn post(&self, reply: &OutgoingReply) -> SendOutcome {
        let call = match call_for(&self.graph, &self.x, reply) {
            Ok(call) => call,
            Err(reason) => return SendOutcome::Permanent { reason },
        };
        let request = self.http.post(call.url).bearer_auth(&reply.access_token);
        let request = match &call.payload {
            Payload::Form(pairs) => request.form(pairs),
            Payload::Json(body) => request.json(body),
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return transport_failure(&e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            // The status is known; a success whose body was cut off cannot name the message.
            Err(e) if (200..300).contains(&status) => {
                return SendOutcome::InDoubt {
                    reason: format!("HTTP {status}, then the answer broke off: {}", chain(&e)),
                }
            }
            Err(_) => Default::default(),
        };
        let answer = Answer {
            api: call.api,
            status,
            headers: &headers,
            body: &body,
        };
        classify(&answer, call.id_at, now_epoch_secs())
    }
}

#[async_trait]
impl ReplySender for NetworkSender {
    async fn send(&self, reply: &OutgoingReply) -> SendOutcome {
        let outcome = redacted(self.post(reply).await, &reply.access_token);
        tracing::debug!(
            message = %reply.message,
            network = %reply.network,
            ?outcome,
            "reply sent to the network"
        );
        outcome
    }
}

fn now_epoch_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An error with its causes, `a: b: c`.
fn chain(e: &reqwest::Error) -> String {
    let mut words = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

/// A call that failed without an answer: transient when no connection opened, in doubt once the
/// request may have reached the network.
fn transport_failure(e: &reqwest::Error) -> SendOutcome {
    if e.is_builder() {
        SendOutcome::Permanent {
            reason: format!("the request could not be built: {}", chain(e)),
        }
    } else if e.is_connect() {
        SendOutcome::Transient {
            reason: format!("could not connect: {}", chain(e)),
            retry_after: None,
        }
    } else if e.is_timeout() {
        SendOutcome::InDoubt {
            reason: format!("no answer in time: {}", chain(e)),
        }
    } else {
        SendOutcome::InDoubt {
            reason: format!(
                "the connection failed after the request was sent: {}",
                chain(e)
            ),
        }
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
