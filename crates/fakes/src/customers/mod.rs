//! Simulated customers: signed webhook deliveries of what people do on the networks (comments,
//! replies, direct messages, mentions, and the edits, hides, removals and unsends that follow),
//! each with fresh ids, for posting to a desk with a [`WebhookClient`].

mod meta;
mod x;

use std::fmt;

use caredesk_networks::AppNetwork;
use serde_json::Value;

pub use crate::delivery::{Delivery, Person, Posted, WebhookClient};
use crate::ids;

/// What happened to a Facebook comment after it was posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommentChange {
    /// The author changed the text (`verb: edited`).
    Edited(String),
    /// A page moderator hid it (`verb: hide`).
    Hide,
    /// A page moderator showed it again (`verb: unhide`).
    Unhide,
    /// It was deleted (`verb: remove`).
    Remove,
}

/// Builds customer deliveries signed with the desk's Meta app secret and X consumer secret.
#[derive(Clone)]
pub struct Customers {
    meta_app_secret: String,
    x_consumer_secret: String,
}

impl fmt::Debug for Customers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customers")
            .field("meta_app_secret", &"<redacted>")
            .field("x_consumer_secret", &"<redacted>")
            .finish()
    }
}

impl Customers {
    /// Deliveries signed with these secrets.
    pub fn new(meta_app_secret: impl Into<String>, x_consumer_secret: impl Into<String>) -> Self {
        Self {
            meta_app_secret: meta_app_secret.into(),
            x_consumer_secret: x_consumer_secret.into(),
        }
    }

    /// A new person with a fresh network user id; the handle is the name in lower case with
    /// underscores.
    pub fn person(&self, name: &str) -> Person {
        let handle = name
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_");
        Person::new(ids::fresh(), name, handle)
    }

    /// A fresh id for a post of `page` (`{page-id}_{post-id}`).
    pub fn facebook_post_id(&self, page: &str) -> String {
        format!("{page}_{}", ids::fresh())
    }

    /// A fresh Instagram media id.
    pub fn instagram_media_id(&self) -> String {
        ids::fresh()
    }

    fn meta(&self, body: &Value, posted: Option<Posted>) -> Delivery {
        Delivery::signed(AppNetwork::Meta, body, &self.meta_app_secret, posted)
    }

    fn x(&self, body: &Value, posted: Option<Posted>) -> Delivery {
        Delivery::signed(AppNetwork::X, body, &self.x_consumer_secret, posted)
    }
}
