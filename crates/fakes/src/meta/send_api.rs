//! The Send API (`POST /{page-id}/messages`): Messenger and Instagram messages to
//! `recipient.id` with their `messaging_type` and `tag`, and private replies to
//! `recipient.comment_id`, once per comment.

use caredesk_networks::Network;
use serde_json::{json, Value};

use super::graph::{customer_of, record, Call, Failure};
use super::{echo, FakePage, MetaState};
use crate::book::Book;
use crate::{ids, SendKind, SentReply};

const MESSAGING_TYPES: [&str; 3] = ["RESPONSE", "UPDATE", "MESSAGE_TAG"];
const TAGS: [&str; 4] = [
    "HUMAN_AGENT",
    "CONFIRMED_EVENT_UPDATE",
    "POST_PURCHASE_UPDATE",
    "ACCOUNT_UPDATE",
];

/// A parameter that may come as a JSON object or, in a form, as JSON text.
fn object_param(params: &Value, name: &str) -> Option<Value> {
    match params.get(name)? {
        Value::String(s) => serde_json::from_str::<Value>(s).ok(),
        other => Some(other.clone()),
    }
    .filter(Value::is_object)
}

fn string_at(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// The type an attachment message names (`image`, `video`, `audio`, `file`), when it is one.
fn attachment_type(params: &Value) -> Option<String> {
    let message = object_param(params, "message")?;
    let attachment = message.get("attachment")?;
    string_at(attachment, "type")
}

fn message_text(params: &Value, network: Network) -> Result<String, Failure> {
    let message = object_param(params, "message")
        .ok_or_else(|| Failure::param("(#100) The parameter message is required"))?;
    if message.get("text").is_some() && message.get("attachment").is_some() {
        return Err(Failure::param(
            "(#100) Only one of text or attachment may be set in message",
        ));
    }
    let text = string_at(&message, "text").ok_or_else(|| {
        Failure::param("(#100) Message cannot be empty, must provide valid attachment or text")
    })?;
    let limit = if network == Network::Instagram {
        1_000
    } else {
        2_000
    };
    if text.chars().count() > limit {
        return Err(Failure::param(format!(
            "(#100) Length of param message[text] must be less than or equal to {limit}"
        )));
    }
    Ok(text)
}

/// `messaging_type` and `tag`, checked; Messenger requires the type, Instagram does not.
fn messaging_type(
    params: &Value,
    network: Network,
) -> Result<(Option<String>, Option<String>), Failure> {
    let kind = string_at(params, "messaging_type");
    let tag = string_at(params, "tag");
    match kind.as_deref() {
        None if network == Network::Facebook => Err(Failure::param(
            "(#100) The parameter messaging_type is required",
        )),
        Some(k) if !MESSAGING_TYPES.contains(&k) => Err(Failure::param(
            "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}",
        )),
        Some("MESSAGE_TAG") if !tag.as_deref().is_some_and(|t| TAGS.contains(&t)) => Err(
            Failure::param("(#100) A valid tag is required for the MESSAGE_TAG messaging type"),
        ),
        _ => Ok((kind, tag)),
    }
}

fn message_id(network: Network) -> String {
    match network {
        Network::Instagram => format!("aWdfZG1f{}", ids::fresh()),
        _ => format!("m_{}", ids::fresh()),
    }
}

/// Posts a message or private reply from `page`.
pub(super) fn messages(
    state: &MetaState,
    book: &mut Book,
    page: &FakePage,
    call: &Call<'_>,
    params: &Value,
) -> Result<Value, Failure> {
    if call.object != page.id && call.object != "me" {
        return Err(Failure {
            status: 400,
            code: 100,
            subcode: Some(33),
            message: format!(
                "Unsupported post request. Object with ID '{}' does not exist, cannot be loaded \
                 due to missing permissions, or does not support this operation.",
                call.object
            ),
        });
    }
    let recipient = object_param(params, "recipient")
        .ok_or_else(|| Failure::param("(#100) The parameter recipient is required"))?;
    let file = match attachment_type(params) {
        Some(kind) => {
            if !["image", "video", "audio", "file"].contains(&kind.as_str()) {
                return Err(Failure::param("(#100) Invalid attachment type"));
            }
            let file = call.file(book, "filedata", Some(kind));
            Some(file.ok_or_else(|| {
                Failure::param("(#100) Upload attachment failure: no filedata was sent")
            })?)
        }
        None => None,
    };
    let text = match file {
        Some(_) => String::new(),
        None => message_text(params, page.network)?,
    };
    let (kind, target, customer, (messaging_type, tag)) =
        if let Some(comment) = string_at(&recipient, "comment_id") {
            let customer = customer_of(book, page, &comment).ok_or_else(|| {
                Failure::param("(#100) No comment with this id can be answered privately")
            })?;
            if book.private_replied.contains(&comment) {
                return Err(Failure {
                    status: 400,
                    code: 10900,
                    subcode: None,
                    message: "Activity already replied to".into(),
                });
            }
            book.private_replied.insert(comment.clone());
            let types = (
                string_at(params, "messaging_type"),
                string_at(params, "tag"),
            );
            (SendKind::PrivateReply, comment, customer, types)
        } else if let Some(id) = string_at(&recipient, "id") {
            let kind = match page.network {
                Network::Instagram => SendKind::InstagramDirect,
                _ => SendKind::MessengerMessage,
            };
            let types = messaging_type(params, page.network)?;
            (kind, id.clone(), id, types)
        } else {
            return Err(Failure::param("(#100) The parameter recipient is required"));
        };
    let mid = message_id(page.network);
    let sent = SentReply {
        kind,
        profile: page.id.clone(),
        target,
        customer: Some(customer.clone()),
        text: text.clone(),
        network_id: mid.clone(),
        messaging_type,
        tag,
        answered: call.answered,
        file: file.clone(),
    };
    record(book, sent, None, page.person());
    state.controls.echoes.send(
        echo::message(page, &state.app_id, &customer, &mid, &text, file.as_ref()),
        echo::posted(page, &mid, None, None),
    );
    Ok(json!({ "recipient_id": customer, "message_id": mid }))
}
