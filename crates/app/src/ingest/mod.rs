//! Ingesting what the networks deliver (PRODUCT.md §4): new customer messages are routed to the
//! active case or to Community, redeliveries and edits change only the stored message, brand
//! messages join their conversation (and the case, when they answer one of its messages). A
//! new Messenger or Instagram DM also queues a look-up of its author when one is due
//! ([`crate::lookups`]), and each attachment to keep a download, with the message.
//!
//! There is one path, from a parsed delivery to its commit ([`unit`]): the network adapters
//! hand over network-neutral updates ([`delivery::Update`]); the group committer, or a use case
//! of one delivery, runs them in a unit of work ([`work::Work`]) that reads what a batch needs
//! once, buffers what it writes and writes it out by itself; each update is routed by the
//! domain's rules (`route`, `brand`). A single message or edit is a delivery of one update of
//! that same path ([`App::ingest`], [`App::ingest_edit`]), for the demo and in-process callers.

mod brand;
pub mod delivery;
mod message;
mod route;
pub(crate) mod unit;
mod work;

pub use message::{InboundAuthor, InboundMessage, IngestOutcome, NetworkMessage};

use caredesk_domain::routing::MessageEdit;
use caredesk_domain::*;

use crate::error::{AppResult, FoundOr};
use crate::App;
use delivery::Update;
use unit::{Delivery, Routed};

impl App {
    /// Ingests one message for a known profile, as a delivery of its own (not a webhook's:
    /// the profile's webhook health is left alone).
    pub async fn ingest(&self, inbound: InboundMessage) -> AppResult<IngestOutcome> {
        let (profile, message) = inbound.into_parts();
        let update = |profile| Update::Message { profile, message };
        match self.ingest_update(profile, update).await? {
            Routed::Message(outcome) => Ok(outcome),
            Routed::Edit(_) | Routed::Foreign | Routed::LookUpQueued => {
                Err(Refusal::NotFound.into())
            }
        }
    }

    /// Applies an edit, hide/unhide or delete reported by the network for a message of a known
    /// profile, as a delivery of its own; ids never seen are ignored (`None`).
    pub async fn ingest_edit(
        &self,
        profile: ProfileId,
        network_id: &str,
        edit: MessageEdit,
    ) -> AppResult<Option<MessageId>> {
        let network_id = network_id.to_owned();
        let update = |profile| Update::Edit {
            profile,
            network_id,
            edit,
        };
        match self.ingest_update(profile, update).await? {
            Routed::Edit(message) => Ok(message),
            Routed::Message(_) | Routed::Foreign | Routed::LookUpQueued => {
                Err(Refusal::NotFound.into())
            }
        }
    }

    /// Routes the update `update` makes for the profile (given its network and external id) as
    /// a delivery of one update from the profile's app.
    pub(crate) async fn ingest_update(
        &self,
        profile: ProfileId,
        update: impl FnOnce((Network, String)) -> Update,
    ) -> AppResult<Routed> {
        let profiles = self.store.profiles().await?;
        let profile = profiles.iter().find(|p| p.id == profile).or_not_found()?;
        let update = update((profile.network, profile.external_id.clone()));
        let delivery = Delivery {
            app: profile.app_id,
            updates: std::slice::from_ref(&update),
            webhook: false,
        };
        unit::run_one(self, &profiles, delivery)
            .await?
            .pop()
            .or_not_found()
    }
}
