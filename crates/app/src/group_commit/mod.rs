//! Group commit of webhook deliveries: the [`DeliveryQueue`] routes concurrent deliveries inside
//! one unit of work, each in its own savepoint, and commits them once. Case changes made by
//! Care users have a committer of their own, [`ChangeQueue`] (in `changes`).
//!
//! Policy:
//! - A caller hears its answer only after the commit that holds its delivery succeeded; a
//!   failed commit answers every delivery of the batch with the error, so the networks deliver
//!   again and nothing acknowledged is lost.
//! - A delivery that is refused or fails is rolled back to its savepoint and answered with its
//!   error; the other deliveries of the batch go on. Writers that collide (a retryable store
//!   error) run the whole batch again, and when it keeps colliding each delivery alone.
//! - No timer: a worker takes whatever is waiting the moment it is free (up to a number of
//!   deliveries and of updates), so a lone delivery commits at once and batches form while the
//!   previous commit is in flight.
//! - The queue is bounded: when it is full, submitters wait (backpressure on the webhooks).
//! - Several workers may drain one queue (PostgreSQL serves several connections at once; SQLite
//!   has one writer, so one worker is enough there).

mod batch;
mod changes;

pub(crate) use changes::Change;
pub use changes::{ChangeQueue, ChangeStats};

use std::sync::Arc;

use caredesk_domain::NetworkAppId;
use caredesk_store::StoreError;
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::delivery::{DeliveryReport, Update};
use crate::error::{AppError, AppResult};
use crate::App;

/// How a [`DeliveryQueue`] batches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueOptions {
    /// Workers draining the queue, each committing its own batches (at least 1).
    pub workers: usize,
    /// Deliveries that may wait in the queue before submitters wait too (at least 1).
    pub capacity: usize,
    /// A batch stops growing at this many deliveries (at least 1).
    pub max_batch_deliveries: usize,
    /// A batch stops growing once it holds this many updates.
    pub max_batch_updates: usize,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            workers: 1,
            capacity: 1_024,
            max_batch_deliveries: 500,
            max_batch_updates: 2_000,
        }
    }
}

/// What one batch held, for metrics and logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// The deliveries of the batch.
    pub deliveries: usize,
    /// Their updates.
    pub updates: usize,
    /// Units of work run: 1 when the first commit succeeded, more after collisions.
    pub attempts: u32,
}

/// Told about every batch once it is answered.
pub type BatchObserver = Arc<dyn Fn(BatchStats) + Send + Sync>;

/// A delivery waiting in the queue with where its answer goes.
struct Pending {
    app: NetworkAppId,
    updates: Vec<Update>,
    reply: oneshot::Sender<AppResult<DeliveryReport>>,
}

/// The submitting end of the group committer; cheap to clone. The workers stop once every
/// clone is dropped and the queue is drained.
#[derive(Clone)]
pub struct DeliveryQueue {
    sender: mpsc::Sender<Pending>,
}

impl std::fmt::Debug for DeliveryQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveryQueue")
            .field("waiting", &self.waiting())
            .finish()
    }
}

fn unavailable(why: &str) -> AppError {
    AppError::Store(StoreError::Unavailable(why.into()))
}

impl DeliveryQueue {
    /// Starts the workers on the current Tokio runtime (call it inside one).
    pub fn start(app: App, options: QueueOptions, observer: BatchObserver) -> DeliveryQueue {
        let (sender, receiver) = mpsc::channel(options.capacity.max(1));
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..options.workers.max(1) {
            tokio::spawn(work(
                app.clone(),
                receiver.clone(),
                options,
                observer.clone(),
            ));
        }
        DeliveryQueue { sender }
    }

    /// Routes the updates of a delivery signed by `app`; answers once they are committed, or
    /// with the delivery's own refusal or failure, or the batch's failure.
    pub async fn submit(
        &self,
        app: NetworkAppId,
        updates: Vec<Update>,
    ) -> AppResult<DeliveryReport> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Pending {
                app,
                updates,
                reply,
            })
            .await
            .map_err(|_| unavailable("the delivery queue has stopped"))?;
        answer
            .await
            .map_err(|_| unavailable("the delivery batch was dropped uncommitted"))?
    }

    /// Deliveries waiting for a worker.
    pub fn waiting(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }
}

/// One worker: takes a batch, has it committed and answered, and again until the queue closes.
async fn work(
    app: App,
    receiver: Arc<Mutex<mpsc::Receiver<Pending>>>,
    options: QueueOptions,
    observer: BatchObserver,
) {
    while let Some(pending) = next_batch(&receiver, &options).await {
        // Its own task, so that a panic while routing answers that batch with an error (its
        // repliers are dropped) and leaves the worker running.
        let app = app.clone();
        let observer = observer.clone();
        let run = tokio::spawn(async move { batch::commit(&app, pending, &observer).await });
        if let Err(error) = run.await {
            tracing::error!(%error, "a delivery batch failed unexpectedly");
        }
    }
}

/// Waits for one delivery, then takes every delivery already waiting, up to the caps; `None`
/// once the queue is closed and empty.
async fn next_batch(
    receiver: &Mutex<mpsc::Receiver<Pending>>,
    options: &QueueOptions,
) -> Option<Vec<Pending>> {
    let mut receiver = receiver.lock().await;
    let first = receiver.recv().await?;
    let mut updates = first.updates.len();
    let mut batch = vec![first];
    while batch.len() < options.max_batch_deliveries && updates < options.max_batch_updates {
        match receiver.try_recv() {
            Ok(next) => {
                updates += next.updates.len();
                batch.push(next);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

#[cfg(test)]
mod tests {
    use caredesk_domain::{MessageKind, Network, Timestamp};

    use super::*;
    use crate::{InboundAuthor, NetworkMessage};

    fn update(customer: &str) -> Update {
        Update::Message {
            profile: (Network::Facebook, "page-1".into()),
            message: NetworkMessage {
                network_id: format!("m-{customer}"),
                kind: MessageKind::Direct,
                author: InboundAuthor::Customer {
                    network_user_id: customer.into(),
                    display_name: String::new(),
                    handle: String::new(),
                },
                parent_network_id: None,
                root_network_id: None,
                text: String::new(),
                attachments: Vec::new(),
                created_at: Timestamp(0),
                hidden: false,
                standby: false,
            },
        }
    }

    fn pending(updates: usize) -> Pending {
        let (reply, _) = oneshot::channel();
        Pending {
            app: NetworkAppId(1),
            updates: (0..updates).map(|i| update(&i.to_string())).collect(),
            reply,
        }
    }

    async fn queue_of(sizes: &[usize]) -> Mutex<mpsc::Receiver<Pending>> {
        let (sender, receiver) = mpsc::channel(16);
        for size in sizes {
            assert!(sender.send(pending(*size)).await.is_ok());
        }
        Mutex::new(receiver)
    }

    async fn batch_sizes(sizes: &[usize], options: QueueOptions) -> Vec<usize> {
        let receiver = queue_of(sizes).await;
        let mut taken = Vec::new();
        while let Some(batch) = next_batch(&receiver, &options).await {
            taken.push(batch.len());
        }
        taken
    }

    #[tokio::test]
    async fn a_batch_takes_what_waits_up_to_the_delivery_cap() {
        let options = QueueOptions {
            max_batch_deliveries: 3,
            ..QueueOptions::default()
        };
        assert_eq!(batch_sizes(&[1, 1, 1, 1, 1], options).await, [3, 2]);
        assert_eq!(batch_sizes(&[1], options).await, [1], "a lone delivery");
    }

    #[tokio::test]
    async fn a_batch_stops_growing_once_it_holds_the_update_cap() {
        let options = QueueOptions {
            max_batch_updates: 3,
            ..QueueOptions::default()
        };
        assert_eq!(batch_sizes(&[2, 2, 2, 5, 1], options).await, [2, 2, 1]);
    }

    #[test]
    fn batches_route_deliveries_in_customer_order() {
        let edit = Update::Edit {
            profile: (Network::Facebook, "page-1".into()),
            network_id: "m-0".into(),
            edit: Default::default(),
        };
        let mut deliveries = [
            vec![update("b")],
            vec![update("a"), update("z")],
            vec![edit],
            vec![update("b"), update("a")],
        ];
        deliveries.sort_by(|x, y| batch::lock_order(x).cmp(&batch::lock_order(y)));
        let firsts: Vec<Option<&str>> = deliveries
            .iter()
            .map(|d| batch::lock_order(d).map(|(_, customer)| customer))
            .collect();
        assert_eq!(firsts, [None, Some("a"), Some("b"), Some("b")]);
        assert_eq!(
            deliveries[2].len(),
            1,
            "one customer's deliveries keep their order"
        );
    }
}
