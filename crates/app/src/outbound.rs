//! The port through which queued replies leave for the networks: what one send needs
//! ([`OutgoingReply`]), what the network answered ([`SendOutcome`]), and the [`ReplySender`]
//! that makes the call. The HTTP clients live in the `networks` crate; the outbox worker that
//! claims rows and records outcomes lives in `outbox`.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use caredesk_domain::reply::Channel;
use caredesk_domain::{AttachmentKind, MessageId, Network};

pub use caredesk_domain::delivery::SendOutcome;

/// Everything one network call needs to post a reply.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingReply {
    /// The reply's message id (for logs; never sent to the network).
    pub message: MessageId,
    /// Facebook, Instagram or X.
    pub network: Network,
    /// The page's or account's network id (the sender on the network).
    pub profile_external_id: String,
    /// The profile's access token (Meta page token; X OAuth 2 user bearer token, or OAuth 1.0a
    /// access token when `token_secret` is set).
    pub access_token: String,
    /// X: the profile's OAuth 1.0a access token secret (with `access_token`, the user
    /// credentials its calls are signed with); empty elsewhere and for a bearer-only profile.
    pub token_secret: String,
    /// X: the consumer key (API key) of the profile's X app; empty elsewhere.
    pub consumer_key: String,
    /// X: the consumer secret (API key secret) of the profile's X app, read only when the
    /// profile has a token secret; empty elsewhere.
    pub consumer_secret: String,
    /// The customer's network user id: the recipient of direct messages.
    pub recipient_network_user_id: Option<String>,
    /// How the reply travels.
    pub channel: Channel,
    /// The text.
    pub text: String,
    /// The file sent with it, read from the media store after the claim.
    pub file: Option<OutgoingFile>,
}

/// A file a reply carries to the network.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingFile {
    /// Picture, GIF, video, sound or file.
    pub kind: AttachmentKind,
    /// Its content type, by its bytes.
    pub mime: String,
    /// The name it is sent under.
    pub filename: String,
    /// The bytes.
    pub bytes: Bytes,
}

impl fmt::Debug for OutgoingFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingFile")
            .field("kind", &self.kind)
            .field("mime", &self.mime)
            .field("filename", &self.filename)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl fmt::Debug for OutgoingReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingReply")
            .field("message", &self.message)
            .field("network", &self.network)
            .field("profile_external_id", &self.profile_external_id)
            .field("access_token", &"<redacted>")
            .field("token_secret", &"<redacted>")
            .field("consumer_key", &"<redacted>")
            .field("consumer_secret", &"<redacted>")
            .field("recipient_network_user_id", &self.recipient_network_user_id)
            .field("channel", &self.channel)
            .field("text_chars", &self.text.chars().count())
            .field("file", &self.file)
            .finish()
    }
}

/// Posts one reply to its network.
#[async_trait]
pub trait ReplySender: Send + Sync + 'static {
    /// Makes the call; never retries by itself (the outbox decides).
    async fn send(&self, reply: &OutgoingReply) -> SendOutcome;
}
