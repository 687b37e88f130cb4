//! Ingesting a whole webhook delivery: every update is routed and committed before the network
//! hears 200, and updates for profiles the signing app does not serve are dropped (a Meta
//! delivery is accepted only for pages of the app that signed it). [`route_delivery`] routes one
//! delivery inside a unit of work it is given, alone or among the deliveries of a group commit.

use caredesk_domain::routing::MessageEdit;
use caredesk_domain::*;
use caredesk_store::Tx;

use crate::error::AppResult;
use std::collections::BTreeSet;

use crate::ingest::{apply_edit_in, ingest_in, Lookups};
use crate::{App, InboundMessage};

/// One update of a delivery, as the network describes it: profiles by their external id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// A new message (customer or brand).
    Message {
        /// The profile's network and external id.
        profile: (Network, String),
        /// The message, its `profile_id` left at 0 (resolved here).
        message: InboundMessage,
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
        let mut tx = self.store.begin().await?;
        let now = self.now();
        let mut lookups = Lookups::default();
        lookups
            .prefetch(
                tx.as_mut(),
                &served_messages(&profiles, app, &updates),
                true,
            )
            .await?;
        let mut heard_from = BTreeSet::new();
        let report = route_delivery(
            tx.as_mut(),
            &mut lookups,
            &profiles,
            app,
            &updates,
            now,
            &mut heard_from,
        )
        .await?;
        lookups.flush(tx.as_mut()).await?;
        touch_profiles(tx.as_mut(), &heard_from, now).await?;
        tx.commit().await?;
        Ok(report)
    }
}

/// The profile the app serves under this network and external id.
fn served<'p>(
    profiles: &'p [Profile],
    app: NetworkAppId,
    (network, external): &(Network, String),
) -> Option<&'p Profile> {
    profiles
        .iter()
        .find(|p| p.network == *network && p.external_id == *external && p.app_id == app)
}

/// The messages of deliveries signed by `app` with the profile each reached (those of foreign
/// profiles are left out), for [`Lookups::prefetch`].
pub(crate) fn served_messages<'a>(
    profiles: &'a [Profile],
    app: NetworkAppId,
    updates: &'a [Update],
) -> Vec<(&'a Profile, &'a InboundMessage)> {
    updates
        .iter()
        .filter_map(|update| match update {
            Update::Message { profile, message } => {
                served(profiles, app, profile).map(|p| (p, message))
            }
            Update::Edit { .. } => None,
        })
        .collect()
}

/// Records that webhooks reached these profiles (once per unit of work, however many
/// deliveries it holds).
pub(crate) async fn touch_profiles(
    tx: &mut dyn Tx,
    heard_from: &BTreeSet<ProfileId>,
    now: Timestamp,
) -> AppResult<()> {
    let profiles: Vec<ProfileId> = heard_from.iter().copied().collect();
    tx.touch_profiles_webhook(&profiles, now).await?;
    Ok(())
}

/// Routes every update of a delivery signed by `app` inside an open unit of work; `profiles`
/// are every profile of the installation (those the app does not serve count as foreign). The
/// profiles it reached join `heard_from`, for [`touch_profiles`]. What it creates and changes
/// waits in `lookups` until the caller flushes it ([`Lookups::flush`]).
pub(crate) async fn route_delivery(
    tx: &mut dyn Tx,
    lookups: &mut Lookups,
    profiles: &[Profile],
    app: NetworkAppId,
    updates: &[Update],
    now: Timestamp,
    heard_from: &mut BTreeSet<ProfileId>,
) -> AppResult<DeliveryReport> {
    let mut report = DeliveryReport::default();
    for update in updates {
        match update {
            Update::Message { profile, message } => {
                let Some(profile) = served(profiles, app, profile) else {
                    report.foreign += 1;
                    continue;
                };
                heard_from.insert(profile.id);
                let message = InboundMessage {
                    profile_id: profile.id,
                    ..message.clone()
                };
                match ingest_in(tx, lookups, profile, &message, now).await? {
                    crate::IngestOutcome::Known(_) | crate::IngestOutcome::Confirmed(_) => {
                        report.known += 1
                    }
                    crate::IngestOutcome::Unrelated => report.unrelated += 1,
                    _ => report.stored += 1,
                }
            }
            Update::Edit {
                profile,
                network_id,
                edit,
            } => {
                let Some(profile) = served(profiles, app, profile) else {
                    report.foreign += 1;
                    continue;
                };
                heard_from.insert(profile.id);
                match lookups.message(tx, profile.id, network_id, None).await? {
                    Some(mut message) => {
                        if let Some(customer) = message.customer_id {
                            lookups.lock_customer(tx, customer).await?;
                        }
                        lookups.flush(tx).await?;
                        apply_edit_in(tx, &mut message, edit, now).await?;
                        lookups.stored_message(&message);
                        report.known += 1;
                    }
                    None => report.unknown_edits += 1,
                }
            }
        }
    }
    Ok(report)
}
