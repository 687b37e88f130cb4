//! The deliveries Meta sends about the brand's own replies: a `feed` comment from the Page, an
//! Instagram `comments` change from the account, and Messenger / Instagram `messaging` echoes
//! (`is_echo: true`, sender the page, recipient the customer).

use serde_json::{json, Value};

use super::FakePage;
use crate::clock;
use crate::Posted;

fn object(page: &FakePage) -> &'static str {
    match page.network {
        caredesk_networks::Network::Instagram => "instagram",
        _ => "page",
    }
}

/// A brand message's record for the echo queue.
pub(super) fn posted(
    page: &FakePage,
    network_id: &str,
    parent_id: Option<&str>,
    root_id: Option<&str>,
) -> Posted {
    Posted {
        network: page.network,
        profile: page.id.clone(),
        network_id: network_id.to_owned(),
        author: page.person(),
        parent_id: parent_id.map(str::to_owned),
        root_id: root_id.map(str::to_owned),
    }
}

/// The Page's comment `id` under `parent_id` on the post `post_id`.
pub(super) fn feed_comment(
    page: &FakePage,
    id: &str,
    post_id: &str,
    parent_id: &str,
    text: &str,
    photo: Option<&str>,
) -> Value {
    let now = clock::secs();
    let mut value = json!({
        "item": "comment", "verb": "add",
        "comment_id": id, "post_id": post_id, "parent_id": parent_id,
        "from": {"id": page.id, "name": page.name},
        "post": {"id": post_id, "status_type": "added_photos", "is_published": true},
        "created_time": now, "message": text,
    });
    if let Some(url) = photo {
        value["photo"] = json!(url);
    }
    json!({"object": "page", "entry": [{"id": page.id, "time": now, "changes": [{
        "field": "feed",
        "value": value,
    }]}]})
}

/// The account's Instagram comment `id` on `media_id`, answering `parent_id` if given.
pub(super) fn instagram_comment(
    account: &FakePage,
    id: &str,
    media_id: Option<&str>,
    parent_id: Option<&str>,
    text: &str,
) -> Value {
    let mut value = json!({
        "id": id,
        "from": {"id": account.id, "username": account.name},
        "text": text,
    });
    if let Some(media) = media_id {
        value["media"] = json!({"id": media, "media_product_type": "FEED"});
    }
    if let Some(parent) = parent_id {
        value["parent_id"] = json!(parent);
    }
    json!({"object": "instagram", "entry": [{"id": account.id, "time": clock::secs(),
        "changes": [{"field": "comments", "value": value}]}]})
}

/// The echo of the page's message `mid` to `customer`.
pub(super) fn message(
    page: &FakePage,
    app_id: &str,
    customer: &str,
    mid: &str,
    text: &str,
    file: Option<&crate::SentFile>,
) -> Value {
    let now = clock::millis();
    let app_id = app_id
        .parse::<u64>()
        .map(Value::from)
        .unwrap_or_else(|_| json!(app_id));
    let mut message = json!({"mid": mid, "is_echo": true, "app_id": app_id});
    match file {
        Some(file) => {
            let kind = file.named_type.as_deref().unwrap_or("file");
            message["attachments"] = json!([{"type": kind, "payload": {"url": file.url}}]);
        }
        None => message["text"] = json!(text),
    }
    json!({"object": object(page), "entry": [{"id": page.id, "time": now, "messaging": [{
        "sender": {"id": page.id},
        "recipient": {"id": customer},
        "timestamp": now,
        "message": message,
    }]}]})
}
