//! The one path from parsed deliveries to their commit. [`run`] opens one unit of work for a
//! batch of deliveries, looks up at once what routing all their messages will read, routes the
//! deliveries one after the other, each update by the rules of `route`, and commits once; what
//! routing creates and changes waits in the unit of work and is written with one statement per
//! kind of row.
//!
//! Policy:
//! - Every delivery names the network app it comes from; an update for a profile that app does
//!   not serve is dropped (a Meta delivery is accepted only for pages of the app that signed
//!   it). Webhook deliveries also record that a webhook reached their profiles.
//! - Unguarded, the deliveries share the unit of work without savepoints, and the customers and
//!   conversations their new messages need are created ahead, one statement each; a delivery
//!   that fails fails the unit of work ([`Failure::Delivery`]).
//! - Guarded, each delivery runs in its own savepoint and writes its rows before its savepoint
//!   is released (nothing is created ahead: a savepoint rolled back would keep it), so a refused
//!   delivery is rolled back and answered alone.
//! - Colliding writers spoil every lock the unit of work holds: [`Failure::Collided`].
//!
//! The group committer ([`crate::group_commit::DeliveryQueue`]) runs it with the deliveries that
//! arrive together (and again, guarded, when one fails); the use cases of one delivery
//! ([`App::ingest`], [`App::ingest_edit`], [`App::ingest_delivery`]) run it with theirs.

use std::collections::BTreeSet;

use caredesk_domain::*;
use caredesk_store::StoreError;

use super::delivery::Update;
use super::work::{EndFailure, Work};
use super::{route, IngestOutcome, NetworkMessage};
use crate::error::{AppError, AppResult};
use crate::App;

/// A delivery to route: updates for the profiles one network app serves.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Delivery<'a> {
    /// The app the delivery comes from (the one that signed a webhook).
    pub app: NetworkAppId,
    /// Its updates, in the network's order.
    pub updates: &'a [Update],
    /// Whether a network's webhook brought it (it then counts as the profiles' last webhook).
    pub webhook: bool,
}

/// What one update of a delivery came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Routed {
    /// A message, routed.
    Message(IngestOutcome),
    /// An edit: the message it changed, or `None` for an id never seen (ignored).
    Edit(Option<MessageId>),
    /// For a profile the delivery's app does not serve: dropped.
    Foreign,
    /// A mention queued to be looked up after the commit.
    LookUpQueued,
}

/// Why a unit of work was not committed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Writers collided: the locks the unit of work held are spoilt; run it all again.
    Collided(AppError),
    /// One delivery failed on its own, outside a savepoint.
    Delivery(AppError),
    /// The unit of work itself failed.
    Store(AppError),
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::from(AppError::from(error))
    }
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        if error.is_retryable() {
            Failure::Collided(error)
        } else {
            Failure::Store(error)
        }
    }
}

/// Each delivery's answer: what its updates came to, or its own failure.
pub(crate) type Answers = Vec<AppResult<Vec<Routed>>>;

/// Routes `deliveries` in one unit of work (each in its own savepoint when `guarded`) and
/// commits once; `profiles` are every profile of the installation.
pub(crate) async fn run(
    app: &App,
    profiles: &[Profile],
    deliveries: &[Delivery<'_>],
    guarded: bool,
) -> Result<Answers, Failure> {
    let now = app.now();
    let mut work = Work::begin(app.store.as_ref()).await?;
    let messages: Vec<(&Profile, &NetworkMessage)> = deliveries
        .iter()
        .flat_map(|d| served_messages(profiles, d))
        .collect();
    // Savepoints would keep what a failed delivery created: there, nothing is created ahead.
    work.prefetch(&messages, !guarded, now).await?;
    let mut heard_from = BTreeSet::new();
    let mut answers = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        if guarded {
            work.savepoint().await?;
        }
        let routed = route_delivery(&mut work, profiles, delivery, now, &mut heard_from).await;
        // In savepoints each delivery writes its own rows, so a failure is its own.
        let routed = match routed {
            Ok(routed) if guarded => match work.release_savepoint().await {
                Ok(()) => Ok(routed),
                Err(EndFailure::Writes(error)) => Err(error),
                Err(EndFailure::Tx(error)) => return Err(error.into()),
            },
            other => other,
        };
        match routed {
            Ok(routed) => answers.push(Ok(routed)),
            // A collision spoils the locks the whole unit of work holds: run it all again.
            Err(error) if error.is_retryable() => return Err(Failure::Collided(error)),
            Err(error) if !guarded => return Err(Failure::Delivery(error)),
            Err(error) => {
                work.rollback_to_savepoint().await?;
                answers.push(Err(error));
            }
        }
    }
    let heard_from: Vec<ProfileId> = heard_from.into_iter().collect();
    match work.commit(&heard_from, now).await {
        Ok(()) => Ok(answers),
        // The rows of every delivery at once: a failure here is some delivery's, found in
        // savepoints.
        Err(EndFailure::Writes(error)) if error.is_retryable() => Err(Failure::Collided(error)),
        Err(EndFailure::Writes(error)) if !guarded => Err(Failure::Delivery(error)),
        Err(EndFailure::Writes(error) | EndFailure::Tx(error)) => Err(error.into()),
    }
}

/// Routes one delivery in a unit of work of its own, without savepoints: its failure, whatever
/// it is, is the answer.
pub(crate) async fn run_one(
    app: &App,
    profiles: &[Profile],
    delivery: Delivery<'_>,
) -> AppResult<Vec<Routed>> {
    match run(app, profiles, std::slice::from_ref(&delivery), false).await {
        Ok(mut answers) => answers.pop().unwrap_or_else(|| {
            Err(StoreError::Other("the unit of work answered no delivery".into()).into())
        }),
        Err(Failure::Collided(error) | Failure::Delivery(error) | Failure::Store(error)) => {
            Err(error)
        }
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

/// The messages of a delivery with the profile each reached (those of foreign profiles are
/// left out), for [`Work::prefetch`].
fn served_messages<'a>(
    profiles: &'a [Profile],
    delivery: &Delivery<'a>,
) -> impl Iterator<Item = (&'a Profile, &'a NetworkMessage)> {
    let app = delivery.app;
    delivery
        .updates
        .iter()
        .filter_map(move |update| match update {
            Update::Message { profile, message } => {
                served(profiles, app, profile).map(|p| (p, message))
            }
            Update::Edit { .. } | Update::MentionToLookUp { .. } => None,
        })
}

/// Routes every update of a delivery inside the unit of work; the profiles a webhook reached
/// join `heard_from`.
async fn route_delivery(
    work: &mut Work,
    profiles: &[Profile],
    delivery: &Delivery<'_>,
    now: Timestamp,
    heard_from: &mut BTreeSet<ProfileId>,
) -> AppResult<Vec<Routed>> {
    let mut answers = Vec::with_capacity(delivery.updates.len());
    for update in delivery.updates {
        let Some(profile) = served(profiles, delivery.app, update.profile()) else {
            answers.push(Routed::Foreign);
            continue;
        };
        if delivery.webhook {
            heard_from.insert(profile.id);
        }
        answers.push(match update {
            Update::Message { message, .. } => {
                Routed::Message(route::message(work, profile, message, now).await?)
            }
            Update::Edit {
                network_id, edit, ..
            } => Routed::Edit(route::edit(work, profile, network_id, edit, now).await?),
            Update::MentionToLookUp {
                post_id,
                comment_id,
                ..
            } => {
                let tx = work.settled().await?;
                tx.queue_mention_lookup(profile.id, post_id, comment_id.as_deref(), now)
                    .await?;
                Routed::LookUpQueued
            }
        });
    }
    Ok(answers)
}
