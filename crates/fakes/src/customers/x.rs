//! Customer deliveries of X: posts that mention or answer the account, direct messages (with a
//! photo or not), and deleted posts.

use caredesk_networks::Network;
use serde_json::{json, Value};

use super::{Customers, Delivery, Person, Posted};
use crate::{clock, ids};

fn user(who: &Person) -> Value {
    json!({"id": who.id.parse::<u64>().map(Value::from).unwrap_or(Value::Null),
        "id_str": who.id, "name": who.name, "screen_name": who.handle})
}

impl Customers {
    /// `who` posts `text` mentioning the account `account`.
    pub fn x_mention(&self, account: &str, who: &Person, text: &str) -> Delivery {
        self.x_post(account, None, who, text)
    }

    /// `who` answers the post `in_reply_to` (written by `in_reply_to_user`) with `text`.
    pub fn x_reply(
        &self,
        account: &str,
        in_reply_to: &str,
        in_reply_to_user: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        self.x_post(account, Some((in_reply_to, in_reply_to_user)), who, text)
    }

    fn x_post(
        &self,
        account: &str,
        in_reply_to: Option<(&str, &str)>,
        who: &Person,
        text: &str,
    ) -> Delivery {
        let id = ids::fresh();
        let body = json!({"for_user_id": account, "user_has_blocked": "false",
        "tweet_create_events": [{
            "created_at": clock::x_created_at(),
            "id": id.parse::<u64>().map(Value::from).unwrap_or(Value::Null), "id_str": id,
            "text": text, "truncated": false,
            "in_reply_to_status_id_str": in_reply_to.map(|(post, _)| post),
            "in_reply_to_user_id_str": in_reply_to.map(|(_, user)| user),
            "user": user(who),
            "entities": {"user_mentions": [{"id_str": account}]},
            "timestamp_ms": clock::millis().to_string(),
        }]});
        let parent = in_reply_to.map(|(post, _)| post.to_owned());
        let posted = Posted {
            network: Network::X,
            profile: account.to_owned(),
            network_id: id.clone(),
            author: who.clone(),
            root_id: Some(parent.clone().unwrap_or(id)),
            parent_id: parent,
        };
        self.x(&body, Some(posted))
    }

    /// `who` sends `text` to the account `account`.
    pub fn x_message(&self, account: &str, who: &Person, text: &str) -> Delivery {
        self.x_direct(account, who, text, None)
    }

    /// `who` sends a photo with `text` to the account `account`; `media_url` is where X serves
    /// it to signed requests (see [`FakeX::direct_message_media_url`](crate::FakeX)). The text
    /// ends with the photo's t.co link, as X writes it.
    pub fn x_photo_message(
        &self,
        account: &str,
        who: &Person,
        text: &str,
        media_url: &str,
    ) -> Delivery {
        self.x_direct(account, who, text, Some(media_url))
    }

    fn x_direct(
        &self,
        account: &str,
        who: &Person,
        text: &str,
        media_url: Option<&str>,
    ) -> Delivery {
        let id = ids::fresh();
        let mut data = json!({"text": text,
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}});
        if let Some(url) = media_url {
            let media_id = ids::fresh();
            let link = format!("https://t.co/{media_id}");
            data["text"] = Value::from(format!("{text} {link}").trim_start());
            data["attachment"] = json!({"type": "media", "media": {
                "id_str": media_id, "type": "photo", "url": link,
                "media_url_https": url, "display_url": "pic.twitter.com/x",
                "expanded_url": format!("https://twitter.com/messages/media/{id}"),
            }});
        }
        let body = json!({"for_user_id": account, "direct_message_events": [{
            "type": "message_create", "id": id, "created_timestamp": clock::millis().to_string(),
            "message_create": {"target": {"recipient_id": account}, "sender_id": who.id,
                "message_data": data},
        }],
        "users": {who.id.clone(): user(who)}});
        let posted = Posted {
            network: Network::X,
            profile: account.to_owned(),
            network_id: id,
            author: who.clone(),
            parent_id: None,
            root_id: None,
        };
        self.x(&body, Some(posted))
    }

    /// Its author deletes the post `post`.
    pub fn x_delete(&self, post: &Posted) -> Delivery {
        let body = json!({"for_user_id": post.profile, "tweet_delete_events": [{
            "status": {"id": post.network_id, "user_id": post.author.id},
            "timestamp_ms": clock::millis().to_string(),
        }]});
        self.x(&body, None)
    }
}
