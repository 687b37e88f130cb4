//! The Account Activity deliveries X sends about the account's own replies: a
//! `tweet_create_events` post by the account answering the customer's post, and a
//! `direct_message_events` `message_create` whose sender is the account.

use caredesk_networks::Network;
use serde_json::{json, Value};

use super::FakeAccount;
use crate::{clock, Posted};

/// A brand post or message's record for the echo queue.
pub(super) fn posted(account: &FakeAccount, id: &str, parent: Option<&str>) -> Posted {
    Posted {
        network: Network::X,
        profile: account.user_id.clone(),
        network_id: id.to_owned(),
        author: account.person(),
        parent_id: parent.map(str::to_owned),
        root_id: parent.map(str::to_owned),
    }
}

fn number(id: &str) -> Value {
    id.parse::<u64>().map(Value::from).unwrap_or(Value::Null)
}

/// The account's post `id`, answering `in_reply_to` by `customer` if given.
pub(super) fn tweet(
    account: &FakeAccount,
    id: &str,
    text: &str,
    in_reply_to: Option<&str>,
    customer: Option<&crate::Person>,
    file: Option<&crate::SentFile>,
) -> Value {
    let mut echo = json!({"for_user_id": account.user_id, "tweet_create_events": [{
        "created_at": clock::x_created_at(),
        "id": number(id), "id_str": id,
        "text": text, "truncated": false,
        "in_reply_to_status_id": in_reply_to.map(number),
        "in_reply_to_status_id_str": in_reply_to,
        "in_reply_to_user_id_str": customer.map(|c| c.id.as_str()),
        "in_reply_to_screen_name": customer.map(|c| c.handle.as_str()),
        "user": {"id": number(&account.user_id), "id_str": account.user_id,
            "name": account.screen_name, "screen_name": account.screen_name},
        "entities": {"hashtags": [], "urls": [], "user_mentions": []},
        "timestamp_ms": clock::millis().to_string(),
    }]});
    if let Some(file) = file {
        echo["tweet_create_events"][0]["extended_entities"] = media_entities(file);
    }
    echo
}

/// A file as X's `extended_entities` name it.
fn media_entities(file: &crate::SentFile) -> Value {
    let kind = match file.named_type.as_deref() {
        Some("tweet_gif" | "dm_gif") => "animated_gif",
        _ => "photo",
    };
    json!({"media": [{"type": kind, "media_url_https": file.url}]})
}

/// The account's direct message `id` to `recipient`.
pub(super) fn direct_message(
    account: &FakeAccount,
    app_id: &str,
    id: &str,
    recipient: &str,
    text: &str,
    file: Option<&crate::SentFile>,
) -> Value {
    let mut echo = json!({"for_user_id": account.user_id, "direct_message_events": [{
        "type": "message_create", "id": id,
        "created_timestamp": clock::millis().to_string(),
        "message_create": {
            "target": {"recipient_id": recipient},
            "sender_id": account.user_id,
            "source_app_id": app_id,
            "message_data": {"text": text,
                "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}},
        },
    }],
    "apps": {app_id: {"id": app_id, "name": "caredesk", "url": ""}},
    "users": {
        account.user_id.clone(): {"id": account.user_id, "screen_name": account.screen_name,
            "name": account.screen_name},
        recipient: {"id": recipient},
    }});
    if let Some(file) = file {
        echo["direct_message_events"][0]["message_create"]["message_data"]["attachment"] =
            json!({"type": "media", "media": media_entities(file)["media"][0].clone()});
    }
    echo
}
