//! X Account Activity deliveries into updates: posts that mention, quote or answer the
//! subscribed account, direct messages (ours included, as brand messages), with their media,
//! and deleted posts. Reposts are counted as skipped: they are not customer messages.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::media;
use crate::Skipped;

/// A text field, or the decimal form of a number field.
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn millis_text(v: &Value, key: &str) -> Option<Timestamp> {
    text(v, key)?
        .parse::<i64>()
        .ok()
        .and_then(Timestamp::from_network_millis)
}

/// Keys of a delivery that are not events.
const ENVELOPE: [&str; 4] = ["for_user_id", "user_has_blocked", "users", "apps"];

/// Parses an X delivery; `None` when the body is not one.
pub fn parse(body: &[u8]) -> Option<(Vec<Update>, Skipped)> {
    let root: Value = serde_json::from_slice(body).ok()?;
    let account = text(&root, "for_user_id")?;
    let profile = (Network::X, account.clone());
    let mut updates = Vec::new();
    let mut skipped = Skipped::default();
    for (key, value) in root.as_object()? {
        if ENVELOPE.contains(&key.as_str()) {
            continue;
        }
        let parse_one: fn(&str, &Value, Option<&Value>) -> Result<Parsed, String> =
            match key.as_str() {
                "tweet_create_events" => |account, event, _| tweet(account, event),
                "direct_message_events" => direct_message,
                "tweet_delete_events" => |_, event, _| deleted(event),
                other => {
                    skipped.add(other);
                    continue;
                }
            };
        for event in value.as_array().map(Vec::as_slice).unwrap_or_default() {
            match parse_one(&account, event, root.get("users")) {
                Ok(Parsed::Message(message)) => updates.push(Update::Message {
                    profile: profile.clone(),
                    message,
                }),
                Ok(Parsed::Edit(network_id, edit)) => updates.push(Update::Edit {
                    profile: profile.clone(),
                    network_id,
                    edit,
                }),
                Err(kind) => skipped.add(kind),
            }
        }
    }
    Some((updates, skipped))
}

enum Parsed {
    Message(NetworkMessage),
    Edit(String, MessageEdit),
}

fn tweet(account: &str, t: &Value) -> Result<Parsed, String> {
    if t.get("retweeted_status").is_some() {
        return Err("tweet:repost".into());
    }
    let id = text(t, "id_str")
        .or_else(|| text(t, "id"))
        .ok_or("tweet:without_id")?;
    let user = t.get("user").ok_or("tweet:without_user")?;
    let author_id = text(user, "id_str")
        .or_else(|| text(user, "id"))
        .ok_or("tweet:without_user")?;
    let full = t.get("extended_tweet").and_then(|e| text(e, "full_text"));
    let body = full.or_else(|| text(t, "text")).unwrap_or_default();
    let replied = text(t, "in_reply_to_status_id_str");
    let created = millis_text(t, "timestamp_ms").unwrap_or(Timestamp(0));
    let author = if author_id == account {
        // Our own post: a brand message when it answers a customer, else nothing to track.
        match text(t, "in_reply_to_user_id_str") {
            Some(customer) if customer != account => InboundAuthor::Brand {
                customer_network_user_id: customer,
            },
            _ => return Err("tweet:own".into()),
        }
    } else {
        InboundAuthor::Customer {
            network_user_id: author_id,
            display_name: text(user, "name").unwrap_or_default(),
            handle: text(user, "screen_name").unwrap_or_default(),
        }
    };
    let kind = if replied.is_some() {
        MessageKind::Reply
    } else {
        MessageKind::Mention
    };
    let found = media::of_post(t);
    let mut attachments: Vec<_> = found.iter().map(|m| media::attachment(m)).collect();
    attachments.extend(media::quoted(t));
    Ok(Parsed::Message(NetworkMessage {
        network_id: id.clone(),
        kind,
        author,
        parent_network_id: replied.clone(),
        root_network_id: Some(replied.unwrap_or(id)),
        text: media::without_links(&body, &found),
        attachments,
        created_at: created,
        hidden: false,
        standby: false,
    }))
}

fn direct_message(account: &str, event: &Value, users: Option<&Value>) -> Result<Parsed, String> {
    if event.get("type").and_then(Value::as_str) != Some("message_create") {
        return Err("direct_message:other".into());
    }
    let id = text(event, "id").ok_or("direct_message:without_id")?;
    let create = event
        .get("message_create")
        .ok_or("direct_message:without_body")?;
    let sender = text(create, "sender_id").ok_or("direct_message:without_sender")?;
    let recipient = create
        .get("target")
        .and_then(|t| text(t, "recipient_id"))
        .unwrap_or_default();
    let data = create.get("message_data").unwrap_or(&Value::Null);
    let found: Vec<&Value> = data
        .get("attachment")
        .and_then(|a| a.get("media"))
        .into_iter()
        .collect();
    let body = media::without_links(&text(data, "text").unwrap_or_default(), &found);
    let author = if sender == account {
        InboundAuthor::Brand {
            customer_network_user_id: recipient,
        }
    } else {
        let user = users.and_then(|u| u.get(&sender));
        InboundAuthor::Customer {
            network_user_id: sender,
            display_name: user.and_then(|u| text(u, "name")).unwrap_or_default(),
            handle: user
                .and_then(|u| text(u, "screen_name"))
                .unwrap_or_default(),
        }
    };
    Ok(Parsed::Message(NetworkMessage {
        network_id: id,
        kind: MessageKind::Direct,
        author,
        parent_network_id: None,
        root_network_id: None,
        text: body,
        attachments: found.iter().map(|m| media::attachment(m)).collect(),
        created_at: millis_text(event, "created_timestamp").unwrap_or(Timestamp(0)),
        hidden: false,
        standby: false,
    }))
}

fn deleted(event: &Value) -> Result<Parsed, String> {
    let id = event
        .get("status")
        .and_then(|s| text(s, "id"))
        .ok_or("tweet_delete:without_id")?;
    Ok(Parsed::Edit(
        id,
        MessageEdit {
            deleted: Some(true),
            ..Default::default()
        },
    ))
}
