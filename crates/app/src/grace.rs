//! The grace sweep: records the expiry of Done cases that nothing touched after their grace
//! period ended. Correctness never waits for it (every use case finalises what it touches); the
//! sweep only keeps the log and the active slots tidy, in batches.

use caredesk_store::SweepReport;

use crate::error::AppResult;
use crate::touch::finalise_if_due;
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
            for mut case in due {
                if finalise_if_due(tx.as_mut(), &mut case, now).await? {
                    report.expired += 1;
                }
            }
            tx.commit().await?;
            if count < batch as usize {
                return Ok(report);
            }
        }
    }
}
