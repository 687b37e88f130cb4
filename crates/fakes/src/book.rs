//! A fake's memory: revoked tokens, the objects it has seen (customer messages it was told
//! about, replies it posted) with their authors, the people who wrote (as last described), private
//! replies already made, and every send.

use std::collections::{HashMap, HashSet};

use caredesk_networks::Network;

use crate::{Delivery, Person, SentReply};

/// An object a fake knows: who wrote it and what it hangs under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Known {
    pub author: Person,
    pub root: Option<String>,
}

/// The memory of one fake.
#[derive(Debug, Default)]
pub(crate) struct Book {
    pub revoked: HashSet<String>,
    pub known: HashMap<String, Known>,
    /// The people who wrote, by id, with the network they wrote on.
    pub people: HashMap<String, (Network, Person)>,
    pub private_replied: HashSet<String>,
    pub sent: Vec<SentReply>,
    /// Files replies carried, by the id they are served under, with their content type.
    pub files: HashMap<String, (String, axum::body::Bytes)>,
    /// What mentions announced by ids alone say, by the mentioning comment's or media's id.
    pub mention_texts: HashMap<String, String>,
    /// Media uploaded ahead of the post that uses them (X), by media id.
    pub uploads: HashMap<String, crate::SentFile>,
}

impl Book {
    /// Keeps a file a reply carried; answers the id it is served under.
    pub(crate) fn keep_file(&mut self, part: &crate::form_data::FormPart) -> String {
        let id = crate::ids::fresh();
        let mime = part
            .content_type
            .clone()
            .unwrap_or_else(|| "application/octet-stream".into());
        self.files.insert(id.clone(), (mime, part.bytes.clone()));
        id
    }

    /// Learns the message `delivery` creates.
    pub(crate) fn remember(&mut self, delivery: &Delivery) {
        if let (Some(posted), Some(text)) = (&delivery.posted, &delivery.mention_text) {
            self.mention_texts
                .insert(posted.network_id.clone(), text.clone());
        }
        if let Some(posted) = &delivery.posted {
            self.people.insert(
                posted.author.id.clone(),
                (posted.network, posted.author.clone()),
            );
            self.known.insert(
                posted.network_id.clone(),
                Known {
                    author: posted.author.clone(),
                    root: posted.root_id.clone(),
                },
            );
        }
    }
}
