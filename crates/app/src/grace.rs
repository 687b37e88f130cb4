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
        let now = self.now();
        let mut report = SweepReport::default();
        loop {
            let mut tx = self.store.begin().await?;
            let due = tx.due_grace_cases(now, BATCH).await?;
            let count = due.len();
            for mut case in due {
                finalise_if_due(tx.as_mut(), &mut case, now).await?;
            }
            tx.commit().await?;
            report.expired += count as u64;
            if count < BATCH as usize {
                return Ok(report);
            }
        }
    }
}
