//! Facebook Page fields into updates: `feed` (posts and comments with their photos and videos,
//! edits, hides and removals), `mention` (the Page tagged in someone's post or comment) and
//! `ratings` (reviews and recommendations with their text).

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::attachments;
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

/// A change of the Page's `feed` or `mention` field: edits, hides or removes an item seen
/// before, or adds one by someone.
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
    // Meta's reference documents `from` (older payloads `sender_id`/`sender_name`), but real
    // public-Page mentions may name nobody: then there is no customer to file the item under.
    let (author_id, author_name) = author(value);
    let author_id = author_id.filter(|a| !a.is_empty());
    let Some(author_id) = author_id else {
        return match field {
            // A mention without its author is looked up after the commit.
            "mention" => Ok(Update::MentionToLookUp {
                profile: (Network::Facebook, page.to_owned()),
                post_id: text(value, "post_id").unwrap_or_else(|| id.clone()),
                comment_id: (item == "comment").then_some(id),
            }),
            _ => Err(format!("{field}:without_author")),
        };
    };
    let added = Added {
        item,
        id,
        author_id,
        author_name,
        text: text(value, "message").unwrap_or_default(),
        created: secs(value, "created_time").unwrap_or(entry_time),
    };
    let mut m = match field {
        "mention" => mentioned(page, value, added)?,
        _ => post_or_comment(page, value, added)?,
    };
    m.attachments = attachments::feed(item, value);
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

/// The Page tagged in a post or comment: a mention by its author, under the post.
fn mentioned(page: &str, value: &Value, added: Added<'_>) -> Result<NetworkMessage, String> {
    if added.author_id == page {
        return Err("mention:own".into());
    }
    let author = customer(added.author_id, added.author_name);
    let id = added.id;
    let mut m = message(
        id.clone(),
        MessageKind::Mention,
        author,
        added.text,
        added.created,
    );
    m.root_network_id = text(value, "post_id").or(Some(id));
    Ok(m)
}

/// A rating or recommendation of the Page: a review when it has text.
pub(super) fn rating(page: &str, value: &Value, entry_time: Timestamp) -> Result<Update, String> {
    let item = word(value, "item");
    if item != "rating" {
        // Comments on and reactions to reviews.
        return Err(format!("ratings:{item}"));
    }
    let id = text(value, "open_graph_story_id").ok_or("ratings:without_id")?;
    let review = text(value, "review_text").filter(|t| !t.trim().is_empty());
    let verb = word(value, "verb");
    if verb != "add" {
        return match verb_edit(verb, review) {
            Some(MessageEdit { text: None, .. }) if verb.starts_with("edit") => {
                Err("ratings:without_text".into())
            }
            Some(change) => Ok(edit(page, id, change)),
            None => Err(format!("ratings:rating:{verb}")),
        };
    }
    let review = review.ok_or("ratings:without_text")?;
    let reviewer = text(value, "reviewer_id")
        .filter(|r| !r.is_empty())
        .ok_or("ratings:without_author")?;
    let name = text(value, "reviewer_name").unwrap_or_default();
    let created = secs(value, "created_time").unwrap_or(entry_time);
    let mut m = message(
        id.clone(),
        MessageKind::Review,
        customer(reviewer, name),
        review,
        created,
    );
    m.root_network_id = Some(id);
    Ok(Update::Message {
        profile: (Network::Facebook, page.to_owned()),
        message: m,
    })
}
