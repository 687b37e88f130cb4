//! Instagram account fields into updates: `comments` and `live_comments` (comments and replies
//! under the account's media, the account's own replies included) and `mentions` (the account
//! tagged in someone's comment or caption).

use caredesk_app::delivery::Update;
use caredesk_app::InboundAuthor;
use caredesk_domain::{MessageKind, Network, Timestamp};
use serde_json::Value;

use super::parse::{message, text};

pub(super) fn comment(
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
    let body = text(value, "text").unwrap_or_default();
    let mut m = message(id, kind, author, body, entry_time);
    m.parent_network_id = parent.or_else(|| media.clone());
    m.root_network_id = media;
    Ok(Update::Message {
        profile: (Network::Instagram, account.to_owned()),
        message: m,
    })
}

/// A `mentions` change carries only `media_id` and, for a mention in a comment, `comment_id`:
/// no author, no text. It is queued to be looked up after the commit (`mentions`), never filed
/// under an invented customer.
pub(super) fn mention(account: &str, value: &Value) -> Result<Update, String> {
    let post_id = text(value, "media_id").ok_or("mentions:without_id")?;
    Ok(Update::MentionToLookUp {
        profile: (Network::Instagram, account.to_owned()),
        post_id,
        comment_id: text(value, "comment_id"),
    })
}
