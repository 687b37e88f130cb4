//! Meta deliveries (`object: page` for Facebook Pages and Messenger, `object: instagram`) into
//! updates. This module reads the envelope — which network, which Page or account, which field
//! changed, which messaging events arrived (`messaging`, or `standby` while another app holds
//! the thread) — and holds the small readers the other Meta modules share. Page fields are read
//! in `feed`, Instagram comments and mentions in `instagram`, DMs in `messaging`, and what a
//! message carries in `attachments`.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::{feed, instagram, messaging};
use crate::Skipped;

/// A text field, or the decimal form of a number field (Meta has sent ids as both).
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string field.
pub(super) fn word<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The items of an array field (none when it is missing or not an array).
pub(super) fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

pub(super) fn secs(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)
        .and_then(Value::as_i64)
        .and_then(Timestamp::from_network_secs)
}

pub(super) fn millis(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)
        .and_then(Value::as_i64)
        .and_then(Timestamp::from_network_millis)
}

/// A message with nothing but its id, kind, author, text and time.
pub(super) fn message(
    network_id: String,
    kind: MessageKind,
    author: InboundAuthor,
    text: String,
    created_at: Timestamp,
) -> NetworkMessage {
    NetworkMessage {
        network_id,
        kind,
        author,
        parent_network_id: None,
        root_network_id: None,
        text,
        attachments: Vec::new(),
        created_at,
        hidden: false,
        standby: false,
    }
}

/// Parses a Meta delivery; `None` when the body is not a Meta delivery at all.
pub fn parse(body: &[u8]) -> Option<(Vec<Update>, Skipped)> {
    let root: Value = serde_json::from_slice(body).ok()?;
    let network = match root.get("object").and_then(Value::as_str)? {
        "page" => Network::Facebook,
        "instagram" => Network::Instagram,
        other => {
            let mut skipped = Skipped::default();
            skipped.add(format!("object:{other}"));
            return Some((Vec::new(), skipped));
        }
    };
    let mut updates = Vec::new();
    let mut skipped = Skipped::default();
    let mut keep = |update: Result<Update, String>| match update {
        Ok(update) => updates.push(update),
        Err(kind) => skipped.add(kind),
    };
    for entry in items(&root, "entry") {
        let Some(page) = text(entry, "id") else {
            keep(Err("entry:without_id".into()));
            continue;
        };
        let entry_time = secs(entry, "time").unwrap_or(Timestamp(0));
        for change in items(entry, "changes") {
            let field = word(change, "field");
            let value = change.get("value").unwrap_or(&Value::Null);
            keep(match (network, field) {
                (Network::Facebook, "feed" | "mention") => {
                    feed::page_item(field, &page, value, entry_time)
                }
                (Network::Facebook, "ratings") => feed::rating(&page, value, entry_time),
                (Network::Instagram, "comments" | "live_comments") => {
                    instagram::comment(&page, value, entry_time)
                }
                (Network::Instagram, "mentions") => instagram::mention(&page, value),
                _ => Err(format!("change:{field}")),
            });
        }
        // `standby` carries the same events as `messaging` while another app (a bot, say)
        // holds the thread.
        for (key, standby) in [("messaging", false), ("standby", true)] {
            for event in items(entry, key) {
                keep(messaging::event(network, &page, event, standby));
            }
        }
    }
    Some((updates, skipped))
}
