//! Keeping the linked Salesforce Cases in step, in the background.
//!
//! Care → Salesforce: a change of a linked case's status or priority queues a sync row in the
//! same transaction ([`record_case_events`]); a pass claims due rows for a lease, sends the
//! case's *current* status and priority (so several changes are sent once), and removes the row
//! only if no newer change was queued meanwhile. An outage leaves the row to be retried with
//! backoff; Care work goes on untouched.
//!
//! Salesforce → Care: a pass reads Salesforce's own status of the linked Cases least recently
//! read, records it and, when it changed, an event. It never changes the Care status: only the
//! assignee does that.

use std::collections::BTreeSet;
use std::time::Duration;

use caredesk_domain::delivery::retry_delay;
use caredesk_domain::{Event, EventKind};
use caredesk_store::salesforce::{SalesforceSync, SyncEnd};
use caredesk_store::Tx;
use rand::Rng;

use super::SalesforceProblem;
use crate::error::{AppError, AppResult};
use crate::App;

/// Linked Cases read per pull pass (one SOQL query).
const PULL_BATCH: u32 = 100;

/// Appends case events and queues a Salesforce sync for each case whose status or priority they
/// change (a no-op for cases without a Salesforce Case).
pub(crate) async fn record_case_events(tx: &mut dyn Tx, events: &[Event]) -> AppResult<()> {
    tx.insert_events(events).await?;
    queue_syncs_for(tx, events).await
}

/// Queues a status sync for each case whose Salesforce Case these events change (the part of
/// [`record_case_events`] that follows the events' insert, for callers that insert them later in
/// the same unit of work).
pub(crate) async fn queue_syncs_for(tx: &mut dyn Tx, events: &[Event]) -> AppResult<()> {
    let mut queued = BTreeSet::new();
    for event in events {
        if let (Some(case), true) = (event.case_id, event.kind.changes_salesforce_case()) {
            if queued.insert(case) {
                tx.queue_salesforce_sync(case, event.at).await?;
            }
        }
    }
    Ok(())
}

/// What one sync pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncPass {
    /// Rows claimed.
    pub claimed: usize,
    /// Salesforce Cases updated.
    pub synced: usize,
    /// Left for a later attempt.
    pub retrying: usize,
    /// Refused for good (until the next change).
    pub refused: usize,
}

/// What one pull pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PullPass {
    /// Linked Cases read.
    pub read: usize,
    /// Whose Salesforce status had changed.
    pub changed: usize,
}

impl App {
    /// Claims due status syncs and sends them; answers what happened. Without a Salesforce
    /// client it does nothing.
    pub async fn sync_salesforce(&self) -> AppResult<SyncPass> {
        let Some(setup) = self.salesforce.as_ref() else {
            return Ok(SyncPass::default());
        };
        let now = self.now();
        let lease_until = now.plus_secs(setup.config.sync_lease_secs);
        let mut tx = self.store.begin().await?;
        let claimed = tx
            .claim_salesforce_syncs(now, lease_until, setup.config.sync_batch)
            .await?;
        tx.commit().await?;
        let mut pass = SyncPass {
            claimed: claimed.len(),
            ..SyncPass::default()
        };
        for sync in claimed {
            let (end, sent_status) = self.send_sync(&sync).await;
            match &end {
                SyncEnd::Done => pass.synced += 1,
                SyncEnd::Failed {
                    next_attempt_at: Some(_),
                    ..
                } => pass.retrying += 1,
                SyncEnd::Failed { .. } => pass.refused += 1,
            }
            let mut tx = self.store.begin().await?;
            tx.end_salesforce_sync(&sync, &end).await?;
            if let Some(status) = sent_status {
                // Salesforce now has our status: a later read showing it is no change of theirs.
                tx.set_salesforce_case_state(sync.case_id, None, &status, self.now())
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(pass)
    }

    /// Sends one sync; answers how it ended and, when it worked, the status Salesforce now has.
    async fn send_sync(&self, sync: &SalesforceSync) -> (SyncEnd, Option<String>) {
        let now = self.now();
        let case = match self.store.case(sync.case_id).await {
            Ok(Some(case)) => case,
            Ok(None) => {
                let end = SyncEnd::Failed {
                    next_attempt_at: None,
                    error: "the case no longer exists".to_owned(),
                };
                return (end, None);
            }
            Err(error) => return (self.retry_later(sync, now, &error.to_string(), None), None),
        };
        let Some(setup) = self.salesforce.as_ref() else {
            return (
                self.retry_later(sync, now, "no Salesforce client", None),
                None,
            );
        };
        let status = setup.config.mapping.status(case.status).to_owned();
        let priority = setup.config.mapping.priority(case.priority).to_owned();
        let (status, priority) = (&status, &priority);
        let id = &sync.salesforce_id;
        let answer = self
            .salesforce_call(|api, session| async move {
                api.update_case(&session, id, status, priority).await
            })
            .await;
        match answer {
            Ok(()) => {
                tracing::info!(case.id = %sync.case_id, salesforce.id = %id, status = %status,
                    "salesforce case updated");
                (SyncEnd::Done, Some(status.clone()))
            }
            Err(AppError::Salesforce(SalesforceProblem::Refused(words))) => {
                tracing::warn!(case.id = %sync.case_id, error = %words, "salesforce refused a status sync");
                let end = SyncEnd::Failed {
                    next_attempt_at: None,
                    error: words,
                };
                (end, None)
            }
            Err(other) => (self.retry_later(sync, now, &other.to_string(), None), None),
        }
    }

    fn retry_later(
        &self,
        sync: &SalesforceSync,
        now: caredesk_domain::Timestamp,
        words: &str,
        retry_after: Option<Duration>,
    ) -> SyncEnd {
        let jitter: f64 = rand::thread_rng().gen();
        let wait = retry_delay(sync.attempts, jitter, retry_after);
        let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX).max(1);
        tracing::warn!(case.id = %sync.case_id, attempts = sync.attempts, retry_in_secs = secs,
            error = %words, "salesforce status sync will be retried");
        SyncEnd::Failed {
            next_attempt_at: Some(now.plus_secs(secs)),
            error: words.to_owned(),
        }
    }

    /// Reads Salesforce's own status of the linked Cases least recently read and records what
    /// changed. Without a Salesforce client it does nothing.
    pub async fn pull_salesforce(&self) -> AppResult<PullPass> {
        let Some(setup) = self.salesforce.as_ref() else {
            return Ok(PullPass::default());
        };
        let now = self.now();
        let read_before = now.plus_secs(-setup.config.pull_every_secs);
        let mut tx = self.store.begin().await?;
        let due = tx
            .claim_salesforce_pulls(read_before, now, PULL_BATCH)
            .await?;
        tx.commit().await?;
        if due.is_empty() {
            return Ok(PullPass::default());
        }
        let ids: Vec<String> = due.iter().map(|(_, link)| link.id.clone()).collect();
        let ids = &ids;
        let states = self
            .salesforce_call(|api, session| async move { api.cases(&session, ids).await })
            .await?;
        let mut pass = PullPass {
            read: states.len(),
            changed: 0,
        };
        let mut tx = self.store.begin().await?;
        for state in states {
            let Some((case, link)) = due.iter().find(|(_, l)| l.id == state.id) else {
                continue;
            };
            let changed = link.status.as_deref() != Some(state.status.as_str());
            if !changed && (state.number.is_none() || state.number == link.number) {
                continue;
            }
            tx.set_salesforce_case_state(*case, state.number.as_deref(), &state.status, now)
                .await?;
            if changed {
                pass.changed += 1;
                tx.insert_events(&[Event::of_case(
                    *case,
                    None,
                    now,
                    EventKind::SalesforceStatusChanged {
                        from: link.status.clone(),
                        to: state.status.clone(),
                    },
                )])
                .await?;
            }
        }
        tx.commit().await?;
        Ok(pass)
    }
}
