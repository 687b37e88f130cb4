//! Meta deliveries (`object: page` for Facebook Pages and Messenger, `object: instagram`) into
//! updates: feed comments and posts with their edits, hides and removals, Instagram comments,
//! Messenger and Instagram DMs with unsends and the brand's own echoes.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::{Attachment, AttachmentKind, MessageKind, Network, Timestamp};
use serde_json::Value;

use crate::Skipped;

/// A text field, or the decimal form of a number field (Meta has sent ids as both).
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn secs(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key).and_then(Value::as_i64).map(Timestamp::from_secs)
}

fn millis(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)
        .and_then(Value::as_i64)
        .map(|ms| Timestamp(ms.saturating_mul(1_000)))
}

fn message(
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
        _ => return Some((Vec::new(), skipped_all(&root))),
    };
    let mut updates = Vec::new();
    let mut skipped = Skipped::default();
    for entry in root
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(page) = text(entry, "id") else {
            skipped.add("entry:without_id");
            continue;
        };
        let entry_time = secs(entry, "time").unwrap_or(Timestamp(0));
        for change in entry
            .get("changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = change.get("field").and_then(Value::as_str).unwrap_or("");
            let value = change.get("value").unwrap_or(&Value::Null);
            let update = match (network, field) {
                (Network::Facebook, "feed") => feed_change(&page, value, entry_time),
                (Network::Instagram, "comments" | "live_comments") => {
                    instagram_comment(&page, value, entry_time)
                }
                _ => Err(format!("change:{field}")),
            };
            match update {
                Ok(update) => updates.push(update),
                Err(kind) => skipped.add(kind),
            }
        }
        for event in entry
            .get("messaging")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match messaging(network, &page, event) {
                Ok(update) => updates.push(update),
                Err(kind) => skipped.add(kind),
            }
        }
    }
    Some((updates, skipped))
}

fn skipped_all(root: &Value) -> Skipped {
    let mut skipped = Skipped::default();
    skipped.add(format!(
        "object:{}",
        root.get("object").and_then(Value::as_str).unwrap_or("")
    ));
    skipped
}

fn feed_change(page: &str, value: &Value, entry_time: Timestamp) -> Result<Update, String> {
    let item = value.get("item").and_then(Value::as_str).unwrap_or("");
    let verb = value.get("verb").and_then(Value::as_str).unwrap_or("");
    let id = match item {
        "comment" => text(value, "comment_id"),
        "post" | "status" | "photo" | "video" | "share" => text(value, "post_id"),
        other => return Err(format!("feed:{other}")),
    }
    .ok_or_else(|| format!("feed:{item}:without_id"))?;
    let from = value.get("from");
    let author_id = from
        .and_then(|f| text(f, "id"))
        .or_else(|| text(value, "sender_id"))
        .unwrap_or_default();
    let author_name = from
        .and_then(|f| text(f, "name"))
        .or_else(|| text(value, "sender_name"))
        .unwrap_or_default();
    let profile = (Network::Facebook, page.to_owned());
    let edit = |edit: MessageEdit| {
        Ok(Update::Edit {
            profile: profile.clone(),
            network_id: id.clone(),
            edit,
        })
    };
    match verb {
        "edited" | "edit" => edit(MessageEdit {
            text: text(value, "message"),
            ..Default::default()
        }),
        "hide" => edit(MessageEdit {
            hidden: Some(true),
            ..Default::default()
        }),
        "unhide" => edit(MessageEdit {
            hidden: Some(false),
            ..Default::default()
        }),
        "remove" | "delete" => edit(MessageEdit {
            deleted: Some(true),
            ..Default::default()
        }),
        "add" => {
            if author_id.is_empty() {
                return Err("feed:add:without_author".into());
            }
            let post = text(value, "post_id");
            let parent = text(value, "parent_id");
            let own = author_id == page;
            if own && (item != "comment" || parent.is_none()) {
                // The Page's own posts answer nobody.
                return Err("feed:own".into());
            }
            let kind = match (item, &parent, &post) {
                ("comment", Some(parent), Some(post)) if parent != post => MessageKind::Reply,
                ("comment", _, _) => MessageKind::Comment,
                _ => MessageKind::Post,
            };
            // The Page's own comments answer the author of the comment or post they sit under
            // (and confirm our sends).
            let author = if own {
                InboundAuthor::BrandInThread
            } else {
                InboundAuthor::Customer {
                    network_user_id: author_id,
                    display_name: author_name,
                    handle: String::new(),
                }
            };
            let created = secs(value, "created_time").unwrap_or(entry_time);
            let mut m = message(
                id.clone(),
                kind,
                author,
                text(value, "message").unwrap_or_default(),
                created,
            );
            m.parent_network_id = if kind == MessageKind::Post {
                None
            } else {
                parent
            };
            m.root_network_id = if kind == MessageKind::Post {
                Some(id)
            } else {
                post
            };
            Ok(Update::Message {
                profile,
                message: m,
            })
        }
        other => Err(format!("feed:{item}:{other}")),
    }
}

fn instagram_comment(
    account: &str,
    value: &Value,
    entry_time: Timestamp,
) -> Result<Update, String> {
    let id = text(value, "id").ok_or("comments:without_id")?;
    let from = value.get("from").ok_or("comments:without_author")?;
    let author_id = text(from, "id").ok_or("comments:without_author")?;
    let username = text(from, "username").unwrap_or_default();
    let parent = text(value, "parent_id");
    let media = value.get("media").and_then(|m| text(m, "id"));
    let own = author_id == account;
    if own && parent.is_none() {
        // The account's own comment on its media answers nobody we can name.
        return Err("comments:own".into());
    }
    let kind = if parent.is_some() {
        MessageKind::Reply
    } else {
        MessageKind::Comment
    };
    let author = if own {
        // The account's reply answers the author of the comment it sits under.
        InboundAuthor::BrandInThread
    } else {
        InboundAuthor::Customer {
            network_user_id: author_id,
            display_name: username.clone(),
            handle: username,
        }
    };
    let mut m = message(
        id,
        kind,
        author,
        text(value, "text").unwrap_or_default(),
        entry_time,
    );
    m.parent_network_id = parent.or_else(|| media.clone());
    m.root_network_id = media;
    Ok(Update::Message {
        profile: (Network::Instagram, account.to_owned()),
        message: m,
    })
}

fn messaging(network: Network, page: &str, event: &Value) -> Result<Update, String> {
    let Some(msg) = event.get("message") else {
        let kind = [
            "delivery", "read", "postback", "reaction", "optin", "referral",
        ]
        .into_iter()
        .find(|k| event.get(*k).is_some())
        .unwrap_or("other");
        return Err(format!("messaging:{kind}"));
    };
    let mid = text(msg, "mid").ok_or("messaging:without_mid")?;
    let profile = (network, page.to_owned());
    if msg.get("is_deleted").and_then(Value::as_bool) == Some(true) {
        let edit = MessageEdit {
            deleted: Some(true),
            ..Default::default()
        };
        return Ok(Update::Edit {
            profile,
            network_id: mid,
            edit,
        });
    }
    let sender = event
        .get("sender")
        .and_then(|s| text(s, "id"))
        .ok_or("messaging:without_sender")?;
    let recipient = event
        .get("recipient")
        .and_then(|s| text(s, "id"))
        .unwrap_or_default();
    let is_echo = msg.get("is_echo").and_then(Value::as_bool) == Some(true) || sender == page;
    let author = if is_echo {
        InboundAuthor::Brand {
            customer_network_user_id: recipient,
        }
    } else {
        InboundAuthor::Customer {
            network_user_id: sender,
            display_name: String::new(),
            handle: String::new(),
        }
    };
    let created = millis(event, "timestamp").unwrap_or(Timestamp(0));
    let mut m = message(
        mid,
        MessageKind::Direct,
        author,
        text(msg, "text").unwrap_or_default(),
        created,
    );
    m.attachments = msg
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            Attachment::at(
                AttachmentKind::from_stored(&text(a, "type").unwrap_or_default()),
                a.get("payload").and_then(|p| text(p, "url")),
            )
        })
        .collect();
    m.parent_network_id = msg.get("reply_to").and_then(|r| text(r, "mid"));
    Ok(Update::Message {
        profile,
        message: m,
    })
}
