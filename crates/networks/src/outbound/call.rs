//! What each channel's call looks like on the wire: the URL it is posted to, its body (a Graph
//! form, a Send API or X JSON document), and where the network's answer names the posted message.

use caredesk_app::outbound::OutgoingReply;
use caredesk_domain::reply::Channel;
use reqwest::Url;
use serde_json::{json, Value};

/// The API a call goes to; their errors look different.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// Meta's Graph API (Facebook, Messenger, Instagram).
    Graph,
    /// X API v2.
    X,
}

/// A call's body.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Payload {
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(&'static str, String)>),
    /// A JSON document.
    Json(Value),
}

/// Where a success body names the posted message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdAt {
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
pub(crate) struct Call {
    pub api: Api,
    pub url: Url,
    pub payload: Payload,
    pub id_at: IdAt,
}

/// `base` with `segments` appended, each percent-encoded as one path segment.
fn at(base: &Url, segments: &[&str]) -> Result<Url, String> {
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

fn recipient(reply: &OutgoingReply) -> Result<&str, String> {
    reply
        .recipient_network_user_id
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| "the reply has no recipient".to_owned())
}

fn message_form(text: &str) -> Payload {
    Payload::Form(vec![("message", text.to_owned())])
}

/// The call that posts `reply`, against the Graph base `graph` and the X base `x`; an error
/// when the reply lacks what its channel needs (no call can succeed).
pub(crate) fn call_for(graph: &Url, x: &Url, reply: &OutgoingReply) -> Result<Call, String> {
    let profile = reply.profile_external_id.as_str();
    let text = reply.text.as_str();
    let graph_call = |segments: &[&str], payload: Payload, id_at: IdAt| {
        Ok(Call {
            api: Api::Graph,
            url: at(graph, segments)?,
            payload,
            id_at,
        })
    };
    match &reply.channel {
        Channel::FacebookComment { parent_network_id } => graph_call(
            &[parent_network_id, "comments"],
            message_form(text),
            IdAt::Id,
        ),
        Channel::InstagramCommentReply { comment_network_id } => graph_call(
            &[comment_network_id, "replies"],
            message_form(text),
            IdAt::Id,
        ),
        Channel::InstagramMediaComment { media_network_id } => graph_call(
            &[media_network_id, "comments"],
            message_form(text),
            IdAt::Id,
        ),
        Channel::MessengerMessage { human_agent_tag } => {
            let mut body = json!({
                "recipient": {"id": recipient(reply)?},
                "messaging_type": "RESPONSE",
                "message": {"text": text},
            });
            if *human_agent_tag {
                body["messaging_type"] = json!("MESSAGE_TAG");
                body["tag"] = json!("HUMAN_AGENT");
            }
            graph_call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::PrivateReply { comment_network_id } => {
            if comment_network_id.trim().is_empty() {
                return Err("the private reply names no comment".into());
            }
            let body = json!({
                "recipient": {"comment_id": comment_network_id},
                "message": {"text": text},
            });
            graph_call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::InstagramDirect => {
            let body = json!({
                "recipient": {"id": recipient(reply)?},
                "message": {"text": text},
            });
            graph_call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::XReply {
            in_reply_to_network_id,
        } => {
            if in_reply_to_network_id.trim().is_empty() {
                return Err("the reply names no post to answer".into());
            }
            let body = json!({
                "text": text,
                "reply": {"in_reply_to_tweet_id": in_reply_to_network_id},
            });
            Ok(Call {
                api: Api::X,
                url: at(x, &["tweets"])?,
                payload: Payload::Json(body),
                id_at: IdAt::DataId,
            })
        }
        Channel::XDirect => Ok(Call {
            api: Api::X,
            url: at(
                x,
                &["dm_conversations", "with", recipient(reply)?, "messages"],
            )?,
            payload: Payload::Json(json!({ "text": text })),
            id_at: IdAt::DataDmEventId,
        }),
    }
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
