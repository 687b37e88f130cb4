//! Customer deliveries of Meta: Facebook feed comments and replies with their edits, hides and
//! removals, Messenger and Instagram direct messages with unsends, Instagram comments.

use caredesk_networks::Network;
use serde_json::{json, Value};

use super::{CommentChange, Customers, Delivery, Person, Posted};
use crate::{clock, ids};

fn feed(page: &str, value: Value) -> Value {
    json!({"object": "page", "entry": [{"id": page, "time": clock::secs(),
        "changes": [{"field": "feed", "value": value}]}]})
}

fn messaging(object: &str, profile: &str, event: Value) -> Value {
    json!({"object": object, "entry": [{"id": profile, "time": clock::millis(),
        "messaging": [event]}]})
}

fn object_of(network: Network) -> &'static str {
    match network {
        Network::Instagram => "instagram",
        _ => "page",
    }
}

impl Customers {
    /// `who` comments `text` on the post `post_id` of `page`.
    pub fn facebook_comment(
        &self,
        page: &str,
        post_id: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        self.facebook_comment_under(page, post_id, post_id, who, text)
    }

    /// `who` answers the comment `parent_comment_id` under the post `post_id` of `page`.
    pub fn facebook_reply(
        &self,
        page: &str,
        post_id: &str,
        parent_comment_id: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        self.facebook_comment_under(page, post_id, parent_comment_id, who, text)
    }

    fn facebook_comment_under(
        &self,
        page: &str,
        post_id: &str,
        parent_id: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        let post_part = post_id.split_once('_').map_or(post_id, |(_, p)| p);
        let id = format!("{post_part}_{}", ids::fresh());
        let body = feed(
            page,
            json!({"item": "comment", "verb": "add", "comment_id": id, "post_id": post_id,
                "parent_id": parent_id, "from": {"id": who.id, "name": who.name},
                "created_time": clock::secs(), "message": text}),
        );
        let posted = Posted {
            network: Network::Facebook,
            profile: page.to_owned(),
            network_id: id,
            author: who.clone(),
            parent_id: Some(parent_id.to_owned()),
            root_id: Some(post_id.to_owned()),
        };
        self.meta(&body, Some(posted))
    }

    /// The network's report of `change` to the Facebook comment `comment`.
    pub fn facebook_change(&self, comment: &Posted, change: &CommentChange) -> Delivery {
        let mut value = json!({"item": "comment", "comment_id": comment.network_id,
            "post_id": comment.root_id, "parent_id": comment.parent_id,
            "from": {"id": comment.author.id, "name": comment.author.name}});
        let verb = match change {
            CommentChange::Edited(text) => {
                value["message"] = json!(text);
                value["created_time"] = json!(clock::secs());
                "edited"
            }
            CommentChange::Hide => "hide",
            CommentChange::Unhide => "unhide",
            CommentChange::Remove => "remove",
        };
        value["verb"] = json!(verb);
        self.meta(&feed(&comment.profile, value), None)
    }

    fn direct(&self, network: Network, profile: &str, who: &Person, text: &str) -> Delivery {
        self.direct_with(network, profile, who, json!({"text": text}))
    }

    /// A Messenger or Instagram message of `who` to `profile` with `content` (`text`,
    /// `attachments`, …).
    fn direct_with(
        &self,
        network: Network,
        profile: &str,
        who: &Person,
        content: Value,
    ) -> Delivery {
        let mid = match network {
            Network::Instagram => format!("aWdfZG1f{}", ids::fresh()),
            _ => format!("m_{}", ids::fresh()),
        };
        let mut message = content;
        message["mid"] = json!(mid);
        let body = messaging(
            object_of(network),
            profile,
            json!({"sender": {"id": who.id}, "recipient": {"id": profile},
                "timestamp": clock::millis(), "message": message}),
        );
        let posted = Posted {
            network,
            profile: profile.to_owned(),
            network_id: mid,
            author: who.clone(),
            parent_id: None,
            root_id: None,
        };
        self.meta(&body, Some(posted))
    }

    /// `who` sends `text` to the Facebook Page `page` on Messenger.
    pub fn messenger_message(&self, page: &str, who: &Person, text: &str) -> Delivery {
        self.direct(Network::Facebook, page, who, text)
    }

    /// `who` sends `text` to the Instagram account `account`.
    pub fn instagram_message(&self, account: &str, who: &Person, text: &str) -> Delivery {
        self.direct(Network::Instagram, account, who, text)
    }

    /// `who` sends a photo at `url` (and nothing else) to the Facebook Page or Instagram account
    /// `profile`, as Meta delivers an image attachment.
    pub fn photo_message(
        &self,
        network: Network,
        profile: &str,
        who: &Person,
        url: &str,
    ) -> Delivery {
        let content = json!({"attachments": [{"type": "image", "payload": {"url": url}}]});
        self.direct_with(network, profile, who, content)
    }

    /// Its author unsends the Messenger or Instagram message `message`.
    pub fn message_unsent(&self, message: &Posted) -> Delivery {
        let body = messaging(
            object_of(message.network),
            &message.profile,
            json!({"sender": {"id": message.author.id}, "recipient": {"id": message.profile},
                "timestamp": clock::millis(),
                "message": {"mid": message.network_id, "is_deleted": true}}),
        );
        self.meta(&body, None)
    }

    /// `who` comments `text` on the media `media_id` of the Instagram account `account`.
    pub fn instagram_comment(
        &self,
        account: &str,
        media_id: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        self.instagram(account, media_id, None, who, text)
    }

    /// `who` answers the comment `parent_comment_id` on the media `media_id`.
    pub fn instagram_reply(
        &self,
        account: &str,
        media_id: &str,
        parent_comment_id: &str,
        who: &Person,
        text: &str,
    ) -> Delivery {
        self.instagram(account, media_id, Some(parent_comment_id), who, text)
    }

    /// `who` tags `page` in a post `text` of their own; Meta's `mention` change names neither
    /// the author nor, at times, anything but the post, so the desk looks it up.
    pub fn facebook_mention(&self, page: &str, who: &Person, text: &str) -> Delivery {
        let post_id = format!("{}_{}", who.id, ids::fresh());
        let body = json!({"object": "page", "entry": [{"id": page, "time": clock::secs(),
            "changes": [{"field": "mention", "value": {"post_id": post_id, "item": "post",
                "verb": "add", "created_time": clock::secs(), "message": text}}]}]});
        let posted = Posted {
            network: Network::Facebook,
            profile: page.to_owned(),
            network_id: post_id.clone(),
            author: who.clone(),
            parent_id: None,
            root_id: Some(post_id),
        };
        let mut delivery = self.meta(&body, Some(posted));
        delivery.mention_text = Some(text.to_owned());
        delivery
    }

    /// `who` mentions `account` in a comment `text` on someone's media `media_id` (or, with
    /// `in_caption`, in the caption of their own media `media_id`). Instagram's delivery names
    /// the ids only; the fake answers the look-up once it remembers the delivery.
    pub fn instagram_mention(
        &self,
        account: &str,
        media_id: &str,
        who: &Person,
        text: &str,
        in_caption: bool,
    ) -> Delivery {
        let comment = (!in_caption).then(ids::fresh);
        let mut value = json!({"media_id": media_id});
        if let Some(comment) = &comment {
            value["comment_id"] = json!(comment);
        }
        let body = json!({"object": "instagram", "entry": [{"id": account, "time": clock::secs(),
            "changes": [{"field": "mentions", "value": value}]}]});
        let posted = Posted {
            network: Network::Instagram,
            profile: account.to_owned(),
            network_id: comment.unwrap_or_else(|| media_id.to_owned()),
            author: who.clone(),
            parent_id: Some(media_id.to_owned()),
            root_id: Some(media_id.to_owned()),
        };
        let mut delivery = self.meta(&body, Some(posted));
        delivery.mention_text = Some(text.to_owned());
        delivery
    }

    fn instagram(
        &self,
        account: &str,
        media_id: &str,
        parent: Option<&str>,
        who: &Person,
        text: &str,
    ) -> Delivery {
        let id = ids::fresh();
        let mut value = json!({"id": id, "from": {"id": who.id, "username": who.handle},
            "media": {"id": media_id, "media_product_type": "FEED"}, "text": text});
        if let Some(parent) = parent {
            value["parent_id"] = json!(parent);
        }
        let body = json!({"object": "instagram", "entry": [{"id": account, "time": clock::secs(),
            "changes": [{"field": "comments", "value": value}]}]});
        let posted = Posted {
            network: Network::Instagram,
            profile: account.to_owned(),
            network_id: id,
            author: who.clone(),
            parent_id: Some(parent.unwrap_or(media_id).to_owned()),
            root_id: Some(media_id.to_owned()),
        };
        self.meta(&body, Some(posted))
    }
}
