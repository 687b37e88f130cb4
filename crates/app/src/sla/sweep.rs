//! The SLA sweep: records every warning and breach that came due, each exactly once, as an event
//! on the case (on the stream and in its activity log) and a notification to its assignee. Due
//! rows are claimed with a row lock other nodes skip (`FOR UPDATE SKIP LOCKED` on PostgreSQL)
//! and written back without their fired times in the same unit of work, so no two nodes, nor
//! two passes, record one twice.

use caredesk_domain::sla::SlaFired;
use caredesk_domain::{Event, EventKind};

use crate::error::AppResult;
use crate::App;

/// Cases handled per transaction.
const BATCH: u32 = 500;

/// What an SLA sweep recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaSweepReport {
    /// Warnings recorded.
    pub warnings: usize,
    /// Breaches recorded.
    pub breaches: usize,
}

impl SlaSweepReport {
    /// How many were recorded.
    pub fn recorded(&self) -> usize {
        self.warnings + self.breaches
    }
}

impl App {
    /// Records every warning and breach due now, in batches.
    pub async fn sweep_sla(&self) -> AppResult<SlaSweepReport> {
        self.sweep_sla_in_batches(BATCH).await
    }

    /// The same, `batch` cases per transaction.
    pub async fn sweep_sla_in_batches(&self, batch: u32) -> AppResult<SlaSweepReport> {
        let batch = batch.max(1);
        let now = self.now();
        let mut report = SlaSweepReport::default();
        loop {
            let mut tx = self.store.begin().await?;
            let due = tx.due_case_slas(now, batch).await?;
            let count = due.len();
            for (case_id, mut sla) in due {
                let firings = sla.fire(now);
                tx.save_case_sla(case_id, Some(&sla)).await?;
                if firings.is_empty() {
                    continue;
                }
                // Read outside the unit of work: the case is not locked here, so this claim
                // never waits on a unit of work that holds the case and wants its targets.
                let Some(case) = self.store.case(case_id).await?.filter(|c| !c.deleted) else {
                    continue;
                };
                let events: Vec<Event> = firings
                    .iter()
                    .map(|f| {
                        let kind = match f.fired {
                            SlaFired::Warning => {
                                report.warnings += 1;
                                EventKind::SlaWarning { target: f.target }
                            }
                            SlaFired::Breach => {
                                report.breaches += 1;
                                EventKind::SlaBreached { target: f.target }
                            }
                        };
                        Event::of_case(case_id, None, f.at, kind)
                    })
                    .collect();
                tx.insert_events(&events).await?;
                crate::notifications::of_case_events(tx.as_mut(), &case, &events).await?;
            }
            tx.commit().await?;
            if count < batch as usize {
                return Ok(report);
            }
        }
    }
}
