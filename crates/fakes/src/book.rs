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
}

impl Book {
    /// Learns the message `delivery` creates.
    pub(crate) fn remember(&mut self, delivery: &Delivery) {
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
