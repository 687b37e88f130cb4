//! Facebook Page `feed` changes into updates: posts and comments with their edits, hides and
//! removals.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::parse::{message, secs, text, word};

/// Who wrote a Page item: `from{id,name}`, or the older flat `sender_id`/`sender_name`.
fn author(value: &Value) -> (Option<String>, String) {
    let from = value.get("from");
    let id = from
        .and_then(|f| text(f, "id"))
        .or_else(|| text(value, "sender_id"));
    let name = from
        .and_then(|f| text(f, "name"))
        .or_else(|| text(value, "sender_name"))
        .unwrap_or_default();
    (id, name)
}

/// The network id of a Page item of a `field` change: a comment's own id, a post's id.
fn item_id(field: &str, item: &str, value: &Value) -> Result<String, String> {
    match item {
        "comment" => text(value, "comment_id"),
        "post" | "status" | "photo" | "video" | "share" => text(value, "post_id"),
        other => return Err(format!("{field}:{other}")),
    }
    .ok_or_else(|| format!("{field}:{item}:without_id"))
}

/// What a verb other than `add` does to an item seen before; `new_text` is the text an edit
/// carries.
fn verb_edit(verb: &str, new_text: Option<String>) -> Option<MessageEdit> {
    let edit = match verb {
        "edited" | "edit" => MessageEdit {
            text: new_text,
            ..Default::default()
        },
        "hide" => MessageEdit {
            hidden: Some(true),
            ..Default::default()
        },
        "unhide" => MessageEdit {
            hidden: Some(false),
            ..Default::default()
        },
        "remove" | "delete" => MessageEdit {
            deleted: Some(true),
            ..Default::default()
        },
        _ => return None,
    };
    Some(edit)
}

fn edit(page: &str, network_id: String, edit: MessageEdit) -> Update {
    Update::Edit {
        profile: (Network::Facebook, page.to_owned()),
        network_id,
        edit,
    }
}

fn customer(network_user_id: String, display_name: String) -> InboundAuthor {
    InboundAuthor::Customer {
        network_user_id,
        display_name,
        handle: String::new(),
    }
}

/// An item a Page field added: what it is, its id, author, text and time.
struct Added<'v> {
    item: &'v str,
    id: String,
    author_id: String,
    author_name: String,
    text: String,
    created: Timestamp,
}

/// A change of the Page's `feed` field: edits, hides or removes an item seen before, or adds
/// one by someone.
pub(super) fn page_item(
    field: &str,
    page: &str,
    value: &Value,
    entry_time: Timestamp,
) -> Result<Update, String> {
    let item = word(value, "item");
    let verb = word(value, "verb");
    let id = item_id(field, item, value)?;
    if let Some(change) = verb_edit(verb, text(value, "message")) {
        return Ok(edit(page, id, change));
    }
    if verb != "add" {
        return Err(format!("{field}:{item}:{verb}"));
    }
    let (author_id, author_name) = author(value);
    let author_id = author_id
        .filter(|a| !a.is_empty())
        .ok_or_else(|| format!("{field}:without_author"))?;
    let added = Added {
        item,
        id,
        author_id,
        author_name,
        text: text(value, "message").unwrap_or_default(),
        created: secs(value, "created_time").unwrap_or(entry_time),
    };
    let m = post_or_comment(page, value, added)?;
    Ok(Update::Message {
        profile: (Network::Facebook, page.to_owned()),
        message: m,
    })
}

/// A post on the Page or a comment under one: the customer's, or the Page's own answer.
fn post_or_comment(page: &str, value: &Value, added: Added<'_>) -> Result<NetworkMessage, String> {
    let post = text(value, "post_id");
    let parent = text(value, "parent_id");
    let own = added.author_id == page;
    if own && (added.item != "comment" || parent.is_none()) {
        // The Page's own posts answer nobody.
        return Err("feed:own".into());
    }
    let kind = match (added.item, &parent, &post) {
        ("comment", Some(parent), Some(post)) if parent != post => MessageKind::Reply,
        ("comment", _, _) => MessageKind::Comment,
        _ => MessageKind::Post,
    };
    // The Page's own comments answer the author of the comment or post they sit under
    // (and confirm our sends).
    let author = if own {
        InboundAuthor::BrandInThread
    } else {
        customer(added.author_id, added.author_name)
    };
    let id = added.id;
    let mut m = message(id.clone(), kind, author, added.text, added.created);
    if kind == MessageKind::Post {
        m.root_network_id = Some(id);
    } else {
        m.parent_network_id = parent;
        m.root_network_id = post;
    }
    Ok(m)
}
