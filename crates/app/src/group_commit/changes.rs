//! Group commit of what Care users do to cases (assign, set the status, edit, add a note): the
//! [`ChangeQueue`] runs the changes waiting at once inside one unit of work, each in its own
//! savepoint, and commits them with one durable write.
//!
//! Policy:
//! - A caller hears its answer only after the commit that holds its change succeeded; a failed
//!   commit answers every change of the batch with the error.
//! - A change that is refused or fails is rolled back to its savepoint and answered with its
//!   error; the other changes of the batch go on. A lone change needs no savepoint: its unit of
//!   work is dropped uncommitted.
//! - Writers that collide (a retryable store error) run the whole batch again after a short
//!   random pause, a few times, then answer each change with the error.
//! - No timer: the worker takes whatever is waiting the moment it is free, so a lone change
//!   commits at once and batches form while the previous commit is in flight.
//! - One worker: it is meant for a store with a single writer (SQLite), where changes wait for
//!   each other's commits anyway; PostgreSQL commits concurrent units of work side by side and
//!   groups their log flushes itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use caredesk_store::{Store, StoreError, Tx};
use futures::future::BoxFuture;
use rand::Rng;
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};
use crate::App;

/// Changes that may wait for the worker before submitters wait too.
const CAPACITY: usize = 256;
/// A batch stops growing at this many changes.
const MAX_BATCH: usize = 64;
/// Units of work run for one batch while writers collide.
const MAX_ATTEMPTS: u32 = 4;

/// A change run inside a unit of work it does not commit. It may run more than once (again
/// after writers collide), so it reads everything it needs from the unit of work.
pub(crate) trait Change<T>:
    for<'a> Fn(&'a App, &'a mut dyn Tx) -> BoxFuture<'a, AppResult<T>> + Send + Sync + 'static
{
}

impl<T, F> Change<T> for F where
    F: for<'a> Fn(&'a App, &'a mut dyn Tx) -> BoxFuture<'a, AppResult<T>> + Send + Sync + 'static
{
}

/// How a change fared in the unit of work.
enum Ran {
    Done,
    /// Refused or failed on its own: undone, answered with its error.
    Failed,
    /// Writers collided: the whole unit of work is spoilt.
    Collided(AppError),
}

/// A change waiting in the queue, with where its answer goes; its result type is hidden.
trait Queued: Send {
    /// Runs the change and keeps its result.
    fn run<'a>(&'a mut self, tx: &'a mut dyn Tx) -> BoxFuture<'a, Ran>;
    /// Forgets a result the unit of work did not keep.
    fn forget(&mut self);
    /// Answers with the kept result once the commit is known (`Err` when it failed).
    fn answer(self: Box<Self>, commit: AppResult<()>);
}

struct Waiting<T, F> {
    app: App,
    change: F,
    result: Option<AppResult<T>>,
    reply: oneshot::Sender<AppResult<T>>,
}

impl<T: Send + 'static, F: Change<T>> Queued for Waiting<T, F> {
    fn run<'a>(&'a mut self, tx: &'a mut dyn Tx) -> BoxFuture<'a, Ran> {
        Box::pin(async move {
            let result = (self.change)(&self.app, tx).await;
            let ran = match &result {
                Ok(_) => Ran::Done,
                Err(error) if error.is_retryable() => Ran::Collided(error.clone()),
                Err(_) => Ran::Failed,
            };
            self.result = Some(result);
            ran
        })
    }

    fn forget(&mut self) {
        self.result = None;
    }

    fn answer(self: Box<Self>, commit: AppResult<()>) {
        let answer = match (self.result, commit) {
            (Some(Err(own)), _) => Err(own),
            (_, Err(error)) => Err(error),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (None, Ok(())) => Err(unavailable("the change was never run")),
        };
        // A caller that stopped waiting needs no answer.
        let _ = self.reply.send(answer);
    }
}

/// Counts of what the queue committed, for tests and metrics.
#[derive(Debug, Default)]
pub struct ChangeStats {
    batches: AtomicU64,
    changes: AtomicU64,
}

impl ChangeStats {
    /// Units of work committed or given up.
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Changes answered.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Relaxed)
    }
}

/// The submitting end of the group committer of case changes; cheap to clone. The worker stops
/// once every clone is dropped and the queue is drained.
#[derive(Clone)]
pub struct ChangeQueue {
    sender: mpsc::Sender<Box<dyn Queued>>,
    stats: Arc<ChangeStats>,
}

impl std::fmt::Debug for ChangeQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeQueue").finish_non_exhaustive()
    }
}

fn unavailable(why: &str) -> AppError {
    AppError::Store(StoreError::Unavailable(why.into()))
}

impl ChangeQueue {
    /// Starts the worker on the current Tokio runtime (call it inside one).
    pub(crate) fn start(store: Arc<dyn Store>) -> ChangeQueue {
        let (sender, receiver) = mpsc::channel(CAPACITY);
        let stats = Arc::new(ChangeStats::default());
        tokio::spawn(work(store, receiver, stats.clone()));
        ChangeQueue { sender, stats }
    }

    /// What the worker committed so far.
    pub fn stats(&self) -> &ChangeStats {
        &self.stats
    }

    /// Runs `change` in the next unit of work; answers once it is committed, or with the
    /// change's own refusal or failure, or the unit of work's failure.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        app: App,
        change: impl Change<T>,
    ) -> AppResult<T> {
        let (reply, answer) = oneshot::channel();
        let waiting = Waiting {
            app,
            change,
            result: None,
            reply,
        };
        self.sender
            .send(Box::new(waiting))
            .await
            .map_err(|_| unavailable("the change queue has stopped"))?;
        answer
            .await
            .map_err(|_| unavailable("the change was dropped uncommitted"))?
    }
}

/// The worker: takes what is waiting, commits it and answers, and again until the queue closes.
async fn work(
    store: Arc<dyn Store>,
    mut receiver: mpsc::Receiver<Box<dyn Queued>>,
    stats: Arc<ChangeStats>,
) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        // Its own task, so that a panic inside a change answers that batch with an error (its
        // repliers are dropped) and leaves the worker running.
        let run = tokio::spawn(commit_and_answer(store.clone(), batch, stats.clone()));
        if let Err(error) = run.await {
            tracing::error!(%error, "a batch of case changes failed unexpectedly");
        }
    }
}

/// Commits a batch and answers each of its changes.
async fn commit_and_answer(
    store: Arc<dyn Store>,
    mut batch: Vec<Box<dyn Queued>>,
    stats: Arc<ChangeStats>,
) {
    let outcome = retrying(store.as_ref(), &mut batch).await;
    if let Err(error) = &outcome {
        tracing::warn!(%error, changes = batch.len(), "a batch of case changes failed");
    }
    stats.batches.fetch_add(1, Ordering::Relaxed);
    stats
        .changes
        .fetch_add(batch.len() as u64, Ordering::Relaxed);
    for change in batch {
        change.answer(outcome.clone());
    }
}

/// Runs the unit of work again, after a short random pause, while writers collide.
async fn retrying(store: &dyn Store, batch: &mut [Box<dyn Queued>]) -> AppResult<()> {
    let mut attempt = 1;
    loop {
        match commit_once(store, batch).await {
            Err(error) if error.is_retryable() && attempt < MAX_ATTEMPTS => {
                batch.iter_mut().for_each(|change| change.forget());
                let pause = rand::thread_rng().gen_range(1..=5u64 << attempt);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                attempt += 1;
            }
            Err(error) => {
                batch.iter_mut().for_each(|change| change.forget());
                return Err(error);
            }
            Ok(()) => return Ok(()),
        }
    }
}

/// One unit of work: every change run (each in its own savepoint when there are several), one
/// commit.
async fn commit_once(store: &dyn Store, batch: &mut [Box<dyn Queued>]) -> AppResult<()> {
    let mut tx = store.begin().await?;
    let guarded = batch.len() > 1;
    for change in batch.iter_mut() {
        if guarded {
            tx.savepoint().await?;
        }
        match change.run(tx.as_mut()).await {
            Ran::Collided(error) => return Err(error),
            // Alone, its unit of work is dropped uncommitted; its answer is its own error.
            Ran::Failed if !guarded => return Ok(()),
            Ran::Failed => tx.rollback_to_savepoint().await?,
            Ran::Done if guarded => tx.release_savepoint().await?,
            Ran::Done => {}
        }
    }
    tx.commit().await?;
    Ok(())
}
