//! One batch of deliveries: routed in one unit of work and committed once, then answered; run
//! again when writers collide, and delivery by delivery when they keep colliding.
//!
//! The unit of work is the one path of ingest (`crate::ingest::unit`): it looks up, for all the
//! batch's messages at once, what routing them will read, and records the webhook's arrival on
//! each profile once. It routes the deliveries one after the other without savepoints; should
//! one of them fail on its own (a refusal, a broken message), the unit of work is dropped
//! uncommitted and run again with each delivery in its own savepoint, so that one failing
//! delivery is answered with its error while the others are committed.
//!
//! A batch holds the locks of every customer it routes until it commits. Its deliveries are
//! routed in the order of their customer (the author of their first message, a stable sort, so
//! one customer's deliveries keep their order), so that batches of several workers and nodes
//! take customers' locks in one order instead of deadlocking on each other (PostgreSQL).

use std::time::{Duration, Instant};

use caredesk_domain::{Network, NetworkAppId};
use rand::Rng;

use super::{BatchObserver, BatchStats, Pending};
use crate::delivery::{DeliveryReport, Update};
use crate::error::AppResult;
use crate::ingest::unit::{self, Failure};
use crate::App;

/// Units of work run for one batch before it is split (and for each delivery after).
const MAX_ATTEMPTS: u32 = 4;

/// One delivery of a batch.
struct Delivery {
    app: NetworkAppId,
    updates: Vec<Update>,
}

/// Each delivery's answer, or the failure of the whole unit of work.
type Answers = AppResult<Vec<AppResult<DeliveryReport>>>;

/// Commits a batch, tells the observer, and answers each of its deliveries (in that order, so
/// that whoever heard an answer finds the batch counted).
pub(super) async fn commit(app: &App, mut batch: Vec<Pending>, observer: &BatchObserver) {
    let started = Instant::now();
    batch.sort_by(|a, b| lock_order(&a.updates).cmp(&lock_order(&b.updates)));
    let mut deliveries = Vec::with_capacity(batch.len());
    let mut replies = Vec::with_capacity(batch.len());
    for pending in batch {
        deliveries.push(Delivery {
            app: pending.app,
            updates: pending.updates,
        });
        replies.push(pending.reply);
    }
    let mut stats = BatchStats {
        deliveries: deliveries.len(),
        updates: deliveries.iter().map(|d| d.updates.len()).sum(),
        attempts: 0,
    };
    let answers = match retrying(app, &deliveries, &mut stats.attempts).await {
        Ok(answers) => answers,
        Err(error) if error.is_retryable() && deliveries.len() > 1 => {
            tracing::warn!(%error, deliveries = deliveries.len(), "delivery batch keeps colliding; committing its deliveries one by one");
            let mut answers = Vec::with_capacity(deliveries.len());
            for delivery in &deliveries {
                let alone = retrying(app, std::slice::from_ref(delivery), &mut stats.attempts);
                answers.push(match alone.await {
                    Ok(mut one) => one.pop().unwrap_or_else(|| Err(error.clone())),
                    Err(error) => Err(error),
                });
            }
            answers
        }
        Err(error) => {
            tracing::warn!(%error, deliveries = deliveries.len(), "delivery batch failed; the networks will deliver again");
            vec![Err(error); deliveries.len()]
        }
    };
    observer(stats);
    for (reply, answer) in replies.into_iter().zip(answers) {
        // A caller that stopped waiting (the network hung up) needs no answer.
        let _ = reply.send(answer);
    }
    tracing::debug!(
        deliveries = stats.deliveries,
        updates = stats.updates,
        attempts = stats.attempts,
        duration_ms = started.elapsed().as_millis() as u64,
        "delivery batch committed"
    );
}

/// The customer whose lock a delivery takes first: the first customer a message names (edits
/// and the brand's public answers name no customer; they come first).
pub(super) fn lock_order(updates: &[Update]) -> Option<(Network, &str)> {
    updates.iter().find_map(|update| match update {
        Update::Message { profile, message } => Some((profile.0, message.customer_user_id()?)),
        Update::Edit { .. } | Update::MentionToLookUp { .. } => None,
    })
}

/// Runs the unit of work again, after a short random pause, while writers collide; a delivery
/// failing on its own sends the batch to savepoints (a lone delivery is answered at once).
async fn retrying(app: &App, deliveries: &[Delivery], attempts: &mut u32) -> Answers {
    let mut attempt = 1;
    let mut guarded = false;
    loop {
        *attempts += 1;
        match route_all(app, deliveries, guarded).await {
            Err(Failure::Collided(_)) if attempt < MAX_ATTEMPTS => {
                let pause = rand::thread_rng().gen_range(1..=5u64 << attempt);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                attempt += 1;
            }
            Err(Failure::Collided(error)) | Err(Failure::Store(error)) => return Err(error),
            Err(Failure::Delivery(error)) if deliveries.len() == 1 => return Ok(vec![Err(error)]),
            Err(Failure::Delivery(_)) => guarded = true,
            Ok(answers) => return Ok(answers),
        }
    }
}

/// One unit of work over the batch (each delivery in its own savepoint when `guarded`), down
/// the one path of ingest; each delivery answered with its report.
async fn route_all(
    app: &App,
    deliveries: &[Delivery],
    guarded: bool,
) -> Result<Vec<AppResult<DeliveryReport>>, Failure> {
    let profiles = app.store.profiles().await?;
    let deliveries: Vec<unit::Delivery<'_>> = deliveries
        .iter()
        .map(|d| unit::Delivery {
            app: d.app,
            updates: &d.updates,
            webhook: true,
        })
        .collect();
    let answers = unit::run(app, &profiles, &deliveries, guarded).await?;
    Ok(answers
        .into_iter()
        .map(|answer| answer.map(|routed| DeliveryReport::of(&routed)))
        .collect())
}
