//! A webhook delivery as the networks' adapters hand it over: network-neutral [`Update`]s that
//! name the profile they reached as the network does (its network and external id), and the
//! [`DeliveryReport`] of what routing them did. Every update is routed and committed before the
//! network hears 200, and updates for profiles the signing app does not serve are dropped (a
//! Meta delivery is accepted only for pages of the app that signed it).
//!
//! Webhooks go through the group committer ([`crate::group_commit::DeliveryQueue`]);
//! [`App::ingest_delivery`] commits one delivery on its own. Both run the one path of
//! [`crate::ingest`].

use caredesk_domain::routing::MessageEdit;
use caredesk_domain::*;

use super::unit::{self, Delivery, Routed};
use super::{IngestOutcome, NetworkMessage};
use crate::error::AppResult;
use crate::App;

/// One update of a delivery, as the network describes it: profiles by their network and
/// external id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// A new message (customer or brand).
    Message {
        /// The profile's network and external id.
        profile: (Network, String),
        /// The message.
        message: NetworkMessage,
    },
    /// An edit, hide/unhide or delete of a message seen before.
    Edit {
        /// The profile's network and external id.
        profile: (Network, String),
        /// The message's network id.
        network_id: String,
        /// What changed.
        edit: MessageEdit,
    },
    /// A mention the network announced without its content (Instagram `mentions`): looked up
    /// after the commit and filed as a `mention` message.
    MentionToLookUp {
        /// The profile's network and external id.
        profile: (Network, String),
        /// The post (media) the mention is on.
        post_id: String,
        /// The comment that mentions the profile; `None` for a caption.
        comment_id: Option<String>,
    },
}

impl Update {
    /// The profile the update reached, as the network names it.
    pub fn profile(&self) -> &(Network, String) {
        match self {
            Update::Message { profile, .. }
            | Update::Edit { profile, .. }
            | Update::MentionToLookUp { profile, .. } => profile,
        }
    }
}

/// What a delivery did, for the logs and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// New messages stored.
    pub stored: u32,
    /// Redeliveries and edits of known messages.
    pub known: u32,
    /// Edits of messages never seen (ignored).
    pub unknown_edits: u32,
    /// Updates for profiles not connected, or not served by the signing app.
    pub foreign: u32,
    /// The brand's own comments that answer nothing we know.
    pub unrelated: u32,
    /// Mentions queued to be looked up after the commit.
    pub to_look_up: u32,
}

impl DeliveryReport {
    /// The report of what each update of a delivery came to.
    pub(crate) fn of(routed: &[Routed]) -> Self {
        let mut report = DeliveryReport::default();
        for routed in routed {
            let count = match routed {
                Routed::Message(IngestOutcome::Known(_) | IngestOutcome::Confirmed(_))
                | Routed::Edit(Some(_)) => &mut report.known,
                Routed::Message(IngestOutcome::Unrelated) => &mut report.unrelated,
                Routed::Message(
                    IngestOutcome::JoinedCase { .. }
                    | IngestOutcome::Community { .. }
                    | IngestOutcome::Brand { .. },
                ) => &mut report.stored,
                Routed::Edit(None) => &mut report.unknown_edits,
                Routed::Foreign => &mut report.foreign,
                Routed::LookUpQueued => &mut report.to_look_up,
            };
            *count += 1;
        }
        report
    }
}

impl App {
    /// Routes and commits every update of a delivery signed by `app`, in one unit of work of
    /// its own. Webhooks go through [`crate::group_commit::DeliveryQueue`], which shares one
    /// unit of work among concurrent deliveries.
    pub async fn ingest_delivery(
        &self,
        app: NetworkAppId,
        updates: Vec<Update>,
    ) -> AppResult<DeliveryReport> {
        let profiles = self.store.profiles().await?;
        let delivery = Delivery {
            app,
            updates: &updates,
            webhook: true,
        };
        let routed = unit::run_one(self, &profiles, delivery).await?;
        Ok(DeliveryReport::of(&routed))
    }
}
