//! One batch of deliveries: routed in one unit of work, each in its own savepoint, committed
//! once, then answered; run again when writers collide, and delivery by delivery when they
//! keep colliding.
//!
//! A batch holds the locks of every customer it routes until it commits. Its deliveries are
//! routed in the order of their customer (the author of their first message, a stable sort, so
//! one customer's deliveries keep their order), so that batches of several workers and nodes
//! take customers' locks in one order instead of deadlocking on each other (PostgreSQL).

use std::time::{Duration, Instant};

use caredesk_domain::{Network, NetworkAppId};
use rand::Rng;

use super::{BatchStats, Pending};
use crate::delivery::{route_delivery, DeliveryReport, Update};
use crate::error::AppResult;
use crate::{App, InboundAuthor};

/// Units of work run for one batch before it is split (and for each delivery after).
const MAX_ATTEMPTS: u32 = 4;

/// One delivery of a batch.
struct Delivery {
    app: NetworkAppId,
    updates: Vec<Update>,
}

/// Each delivery's answer, or the failure of the whole unit of work.
type Answers = AppResult<Vec<AppResult<DeliveryReport>>>;

/// Commits a batch and answers each of its deliveries.
pub(super) async fn commit(app: &App, mut batch: Vec<Pending>) -> BatchStats {
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
    stats
}

/// The customer whose lock a delivery takes first: the first customer a message names (edits
/// and the brand's public answers name no customer; they come first).
pub(super) fn lock_order(updates: &[Update]) -> Option<(Network, &str)> {
    updates.iter().find_map(|update| match update {
        Update::Message { profile, message } => match &message.author {
            InboundAuthor::Customer {
                network_user_id, ..
            } => Some((profile.0, network_user_id.as_str())),
            InboundAuthor::Brand {
                customer_network_user_id,
            } => Some((profile.0, customer_network_user_id.as_str())),
            InboundAuthor::BrandInThread => None,
        },
        Update::Edit { .. } => None,
    })
}

/// Runs the unit of work again, after a short random pause, while writers collide.
async fn retrying(app: &App, deliveries: &[Delivery], attempts: &mut u32) -> Answers {
    let mut attempt = 1;
    loop {
        *attempts += 1;
        match route_all(app, deliveries).await {
            Err(error) if error.is_retryable() && attempt < MAX_ATTEMPTS => {
                let pause = rand::thread_rng().gen_range(1..=5u64 << attempt);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                attempt += 1;
            }
            answers => return answers,
        }
    }
}

/// One unit of work: every delivery in its own savepoint, one commit.
async fn route_all(app: &App, deliveries: &[Delivery]) -> Answers {
    let profiles = app.store.profiles().await?;
    let mut tx = app.store.begin().await?;
    let mut answers = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        tx.savepoint().await?;
        let routed = route_delivery(
            tx.as_mut(),
            &profiles,
            delivery.app,
            &delivery.updates,
            app.now(),
        )
        .await;
        match routed {
            Ok(report) => {
                tx.release_savepoint().await?;
                answers.push(Ok(report));
            }
            // A collision spoils the locks the whole unit of work holds: run it all again.
            Err(error) if error.is_retryable() => return Err(error),
            Err(error) => {
                tx.rollback_to_savepoint().await?;
                answers.push(Err(error));
            }
        }
    }
    tx.commit().await?;
    Ok(answers)
}
