//! The port through which queued replies leave for the networks: what one send needs
//! ([`OutgoingReply`]), what the network answered ([`SendOutcome`]), and the [`ReplySender`]
//! that makes the call. The HTTP clients live in the `networks` crate; the outbox worker that
//! claims rows and records outcomes lives in `outbox`.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use caredesk_domain::reply::Channel;
use caredesk_domain::{MessageId, Network};

/// Everything one network call needs to post a reply.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingReply {
    /// The reply's message id (for logs; never sent to the network).
    pub message: MessageId,
    /// Facebook, Instagram or X.
    pub network: Network,
    /// The page's or account's network id (the sender on the network).
    pub profile_external_id: String,
    /// The profile's access token (Meta page token, X user bearer token).
    pub access_token: String,
    /// The customer's network user id: the recipient of direct messages.
    pub recipient_network_user_id: Option<String>,
    /// How the reply travels.
    pub channel: Channel,
    /// The text.
    pub text: String,
}

impl fmt::Debug for OutgoingReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingReply")
            .field("message", &self.message)
            .field("network", &self.network)
            .field("profile_external_id", &self.profile_external_id)
            .field("access_token", &"<redacted>")
            .field("recipient_network_user_id", &self.recipient_network_user_id)
            .field("channel", &self.channel)
            .field("text_chars", &self.text.chars().count())
            .finish()
    }
}

/// What came of one send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// The network accepted it and named it.
    Sent {
        /// The network's id of the posted message.
        network_id: String,
    },
    /// The network certainly did not post it and asks us to come back (5xx, rate limits,
    /// Graph codes 1, 2, 4, 17, 32, 341, 368, 613, 80001, HTTP 429, a connection that never
    /// opened).
    Transient {
        /// The network's words.
        reason: String,
        /// When the network says to come back, if it does.
        retry_after: Option<Duration>,
    },
    /// The network refused it for good (permissions, invalid target, window closed, …).
    Permanent {
        /// The network's words.
        reason: String,
    },
    /// The network refused the profile's token (Graph code 190, X 401): the reply failed and
    /// the profile needs a new token.
    TokenRejected {
        /// The network's words.
        reason: String,
    },
    /// The request may have reached the network but no answer came (a timeout after the
    /// request was written, a dropped connection): only the network's echo can tell.
    InDoubt {
        /// What happened.
        reason: String,
    },
}

/// Posts one reply to its network.
#[async_trait]
pub trait ReplySender: Send + Sync + 'static {
    /// Makes the call; never retries by itself (the outbox decides).
    async fn send(&self, reply: &OutgoingReply) -> SendOutcome;
}
