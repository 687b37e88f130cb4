//! The grace sweep: records the expiry of Done cases that nothing touched after their grace
//! period ended. Correctness never waits for it (every use case finalises what it touches); the
//! sweep only keeps the log and the active slots tidy, in batches.

use caredesk_domain::{Case, Event};
use caredesk_store::SweepReport;

use crate::error::AppResult;
use crate::App;

/// Cases finalised per transaction.
const BATCH: u32 = 1_000;

impl App {
    /// Finalises every Done case whose grace period has ended, in batches.
    pub async fn sweep_grace(&self) -> AppResult<SweepReport> {
        self.sweep_grace_in_batches(BATCH).await
    }

    /// The same, `batch` cases per transaction. Each batch claims its cases with a row lock that
    /// other nodes skip (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so several nodes sweeping at
    /// once never finalise a case twice.
    pub async fn sweep_grace_in_batches(&self, batch: u32) -> AppResult<SweepReport> {
        let batch = batch.max(1);
        let now = self.now();
        let mut report = SweepReport::default();
        loop {
            let mut tx = self.store.begin().await?;
            let due = tx.due_grace_cases(now, batch).await?;
            let count = due.len();
            let mut released = Vec::with_capacity(count);
            let mut events = Vec::with_capacity(count);
            for mut case in due {
                let before = case.clone();
                let Some((at, kind)) = case.expire_grace_if_due(now) else {
                    continue;
                };
                // The expiry only releases the slot: the whole batch is saved by one statement.
                // Should the domain ever change more, the case is saved whole.
                let only_slot = Case {
                    holds_active_slot: case.holds_active_slot,
                    ..before.clone()
                };
                if only_slot == case {
                    released.push(case.id);
                } else {
                    tx.save_cases(&[(&before, &case)]).await?;
                }
                events.push(Event::of_case(case.id, None, at, kind));
                report.expired += 1;
            }
            tx.release_active_slots(&released).await?;
            tx.insert_events(&events).await?;
            tx.commit().await?;
            if count < batch as usize {
                return Ok(report);
            }
        }
    }
}
