//! Replies through Meta's Graph API: comments and comment replies as forms, Messenger and
//! Instagram direct messages and private replies through the Send API (with the human-agent tag
//! between 24 hours and 7 days).

use caredesk_app::outbound::OutgoingReply;
use caredesk_domain::reply::Channel;
use reqwest::Url;
use serde_json::json;

use crate::outbound::call::{at, not_ours, recipient, Api, Call, IdAt, Payload};

fn message_form(text: &str) -> Payload {
    Payload::Form(vec![("message", text.to_owned())])
}

/// The Graph API call that posts `reply`, against the Graph base `graph`.
pub(crate) fn reply_call(graph: &Url, reply: &OutgoingReply) -> Result<Call, String> {
    let profile = reply.profile_external_id.as_str();
    let text = reply.text.as_str();
    let call = |segments: &[&str], payload: Payload, id_at: IdAt| {
        Ok(Call {
            api: Api::Graph,
            url: at(graph, segments)?,
            payload,
            id_at,
        })
    };
    match &reply.channel {
        Channel::FacebookComment { parent_network_id } => call(
            &[parent_network_id, "comments"],
            message_form(text),
            IdAt::Id,
        ),
        Channel::InstagramCommentReply { comment_network_id } => call(
            &[comment_network_id, "replies"],
            message_form(text),
            IdAt::Id,
        ),
        Channel::InstagramMediaComment { media_network_id } => call(
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
            call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::PrivateReply { comment_network_id } => {
            if comment_network_id.trim().is_empty() {
                return Err("the private reply names no comment".into());
            }
            let body = json!({
                "recipient": {"comment_id": comment_network_id},
                "message": {"text": text},
            });
            call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::InstagramDirect => {
            let body = json!({
                "recipient": {"id": recipient(reply)?},
                "message": {"text": text},
            });
            call(&[profile, "messages"], Payload::Json(body), IdAt::MessageId)
        }
        Channel::XReply { .. } | Channel::XDirect => Err(not_ours(reply, "Meta")),
    }
}
