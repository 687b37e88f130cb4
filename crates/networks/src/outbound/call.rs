//! What a reply's call looks like on the wire, whatever the network: the URL it is posted to,
//! its body (a form or a JSON document), which API's error language its answer speaks, and
//! where a success names the posted message. Each adapter builds the calls of its channels
//! with the helpers here.

use caredesk_app::outbound::{OutgoingFile, OutgoingReply};
use reqwest::Url;
use serde_json::Value;

/// The API a call goes to; their errors look different (see `classify`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// Meta's Graph API (Facebook, Messenger, Instagram).
    Graph,
    /// X API v2.
    X,
}

/// A call's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(&'static str, String)>),
    /// A JSON document.
    Json(Value),
    /// `multipart/form-data` parts: fields and, for a reply that carries one, its file.
    Multipart(Vec<Part>),
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, PartialEq)]
pub enum Part {
    /// A text field.
    Text(&'static str, String),
    /// A file field.
    File {
        /// The field's name (`filedata`, `source`, `media`).
        name: &'static str,
        /// The file.
        file: OutgoingFile,
    },
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Text(name, value) => f.debug_tuple("Text").field(name).field(value).finish(),
            Part::File { name, file } => f.debug_tuple("File").field(name).field(file).finish(),
        }
    }
}

/// Where a success body names the posted message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdAt {
    /// `{"id": …}` (Graph comments and replies).
    Id,
    /// `{"recipient_id": …, "message_id": …}` (the Send API).
    MessageId,
    /// `{"data": {"id": …}}` (X posts).
    DataId,
    /// `{"data": {"dm_conversation_id": …, "dm_event_id": …}}` (X direct messages).
    DataDmEventId,
}

/// One reply as an HTTP call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The API it goes to.
    pub api: Api,
    /// Where it is posted.
    pub url: Url,
    /// What is posted.
    pub payload: Payload,
    /// Where the answer names the posted message.
    pub id_at: IdAt,
}

/// `base` with `segments` appended, each percent-encoded as one path segment.
pub(crate) fn at(base: &Url, segments: &[&str]) -> Result<Url, String> {
    if let Some(empty) = segments.iter().position(|s| s.trim().is_empty()) {
        return Err(format!(
            "the reply names no network object (path segment {empty} is empty)"
        ));
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| format!("{base} cannot take a path"))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// The recipient of a direct message.
pub(crate) fn recipient(reply: &OutgoingReply) -> Result<&str, String> {
    reply
        .recipient_network_user_id
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| "the reply has no recipient".to_owned())
}

/// Why a reply on another platform's channel makes no call here.
pub(crate) fn not_ours(reply: &OutgoingReply, platform: &str) -> String {
    format!(
        "a {} reply on {:?} cannot be posted through {platform}",
        reply.network, reply.channel
    )
}

#[cfg(test)]
#[path = "call_tests.rs"]
mod tests;
