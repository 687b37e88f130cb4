//! Replies through Meta's Graph API: comments and comment replies as forms, Messenger and
//! Instagram direct messages and private replies through the Send API (with the human-agent tag
//! between 24 hours and 7 days). A file travels in the same call as `multipart/form-data`: the
//! Send API's `filedata` beside the `message` that names its type, a Facebook comment's
//! `source` beside its text.

use caredesk_app::outbound::{OutgoingFile, OutgoingReply};
use caredesk_domain::reply::Channel;
use caredesk_domain::AttachmentKind;
use reqwest::Url;
use serde_json::{json, Value};

use crate::outbound::call::{at, not_ours, recipient, Api, Call, IdAt, Part, Payload};

fn message_form(text: &str) -> Payload {
    Payload::Form(vec![("message", text.to_owned())])
}

/// The Send API's word for a file's type.
fn send_api_type(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Image | AttachmentKind::Gif | AttachmentKind::Sticker => "image",
        AttachmentKind::Video => "video",
        AttachmentKind::Audio => "audio",
        _ => "file",
    }
}

/// A Send API body: JSON for text, multipart with `filedata` for a file (the Send API carries
/// one or the other in a message, never both).
fn send_api(mut fields: Value, reply: &OutgoingReply) -> Result<Payload, String> {
    let Some(file) = &reply.file else {
        fields["message"] = json!({"text": reply.text});
        return Ok(Payload::Json(fields));
    };
    if !reply.text.trim().is_empty() {
        return Err("a direct message carries text or a file, not both".into());
    }
    let message = json!({"attachment": {
        "type": send_api_type(file.kind),
        "payload": {"is_reusable": false},
    }});
    let mut parts = Vec::new();
    if let Value::Object(map) = fields {
        for (name, value) in map {
            let name = match name.as_str() {
                "recipient" => "recipient",
                "messaging_type" => "messaging_type",
                "tag" => "tag",
                _ => continue,
            };
            let value = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            parts.push(Part::Text(name, value));
        }
    }
    parts.push(Part::Text("message", message.to_string()));
    parts.push(file_part("filedata", file));
    Ok(Payload::Multipart(parts))
}

fn file_part(name: &'static str, file: &OutgoingFile) -> Part {
    Part::File {
        name,
        file: file.clone(),
    }
}

/// A comment's body: a form, or multipart with the picture as `source`.
fn comment_body(reply: &OutgoingReply) -> Payload {
    match &reply.file {
        None => message_form(&reply.text),
        Some(file) => {
            let mut parts = Vec::with_capacity(2);
            if !reply.text.trim().is_empty() {
                parts.push(Part::Text("message", reply.text.clone()));
            }
            parts.push(file_part("source", file));
            Payload::Multipart(parts)
        }
    }
}

/// The Graph API call that posts `reply`, against the Graph base `graph`.
pub(crate) fn reply_call(graph: &Url, reply: &OutgoingReply) -> Result<Call, String> {
    let profile = reply.profile_external_id.as_str();
    let call = |segments: &[&str], payload: Payload, id_at: IdAt| {
        Ok(Call {
            api: Api::Graph,
            url: at(graph, segments)?,
            payload,
            id_at,
        })
    };
    let text_only = || match reply.file {
        Some(_) => Err("Instagram comments carry text only".to_owned()),
        None => Ok(message_form(&reply.text)),
    };
    match &reply.channel {
        Channel::FacebookComment { parent_network_id } => call(
            &[parent_network_id, "comments"],
            comment_body(reply),
            IdAt::Id,
        ),
        Channel::InstagramCommentReply { comment_network_id } => {
            call(&[comment_network_id, "replies"], text_only()?, IdAt::Id)
        }
        Channel::InstagramMediaComment { media_network_id } => {
            call(&[media_network_id, "comments"], text_only()?, IdAt::Id)
        }
        Channel::MessengerMessage { human_agent_tag } => {
            let mut fields = json!({
                "recipient": {"id": recipient(reply)?},
                "messaging_type": "RESPONSE",
            });
            if *human_agent_tag {
                fields["messaging_type"] = json!("MESSAGE_TAG");
                fields["tag"] = json!("HUMAN_AGENT");
            }
            let body = send_api(fields, reply)?;
            call(&[profile, "messages"], body, IdAt::MessageId)
        }
        Channel::PrivateReply { comment_network_id } => {
            if comment_network_id.trim().is_empty() {
                return Err("the private reply names no comment".into());
            }
            let body = send_api(
                json!({"recipient": {"comment_id": comment_network_id}}),
                reply,
            )?;
            call(&[profile, "messages"], body, IdAt::MessageId)
        }
        Channel::InstagramDirect => {
            let body = send_api(json!({"recipient": {"id": recipient(reply)?}}), reply)?;
            call(&[profile, "messages"], body, IdAt::MessageId)
        }
        Channel::XReply { .. } | Channel::XDirect => Err(not_ours(reply, "Meta")),
    }
}
