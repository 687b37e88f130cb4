//! The SLA sweep: records every warning and breach that came due, each exactly once, as an event
//! on the case (on the stream and in its activity log) and a notification to its assignee. Due
//! rows are claimed with a row lock other nodes skip (`FOR UPDATE OF case_sla SKIP LOCKED` on
//! PostgreSQL; the case is read with them, not locked, so the sweep never waits on a unit of
//! work that holds a case and wants its targets) and written back without their fired times in
//! the same unit of work, so no two nodes, nor two passes, record one twice.

use std::collections::HashMap;

use caredesk_domain::notification;
use caredesk_domain::sla::{SlaFired, SlaFiring};
use caredesk_domain::{Event, EventKind, Timestamp};

use crate::error::AppResult;
use crate::App;

/// Cases handled per transaction.
const BATCH: u32 = 1_000;
/// Batches swept at once where the store writes in parallel.
const PARALLEL_BATCHES: usize = 3;

/// What an SLA sweep recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaSweepReport {
    /// Warnings recorded.
    pub warnings: usize,
    /// Breaches recorded.
    pub breaches: usize,
}

impl std::ops::AddAssign for SlaSweepReport {
    fn add_assign(&mut self, other: SlaSweepReport) {
        self.warnings += other.warnings;
        self.breaches += other.breaches;
    }
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

    /// The same, `batch` cases per transaction; a batch is written with a fixed number of
    /// statements (the targets, the events, the notifications and their stream events). Where
    /// the store writes in parallel, [`PARALLEL_BATCHES`] batches run at once, each claiming
    /// rows the others skip, so one batch's statements run while another's are prepared.
    pub async fn sweep_sla_in_batches(&self, batch: u32) -> AppResult<SlaSweepReport> {
        let batch = batch.max(1);
        let now = self.now();
        let workers = if self.store.writes_in_parallel() {
            PARALLEL_BATCHES
        } else {
            1
        };
        let reports = futures::future::try_join_all(
            (0..workers).map(|_| self.sweep_sla_until_done(batch, now)),
        )
        .await?;
        let mut all = SlaSweepReport::default();
        for one in reports {
            all += one;
        }
        Ok(all)
    }

    /// Sweeps batch after batch until a claim finds fewer than `batch` due rows it may take
    /// (rows another batch holds are that batch's to record).
    async fn sweep_sla_until_done(&self, batch: u32, now: Timestamp) -> AppResult<SlaSweepReport> {
        let mut report = SlaSweepReport::default();
        loop {
            let mut tx = self.store.begin().await?;
            let due = tx.due_case_slas(now, batch).await?;
            let count = due.len();
            let mut saves = Vec::with_capacity(count);
            let mut events = Vec::new();
            let mut told = Vec::new();
            let mut numbers = HashMap::new();
            let mut recorded_here = SlaSweepReport::default();
            for mut case in due {
                let firings = case.sla.fire(now);
                saves.push((case.case_id, case.sla));
                if case.deleted {
                    continue;
                }
                let recorded: Vec<Event> = firings
                    .iter()
                    .map(|f| Event::of_case(case.case_id, None, f.at, recorded_here.count(f)))
                    .collect();
                told.extend(notification::of_events(
                    case.case_id,
                    case.assignee_id,
                    &recorded,
                ));
                numbers.insert(case.case_id, case.case_number);
                events.extend(recorded);
            }
            tx.save_case_slas(&saves).await?;
            tx.insert_events(&events).await?;
            let stored = tx.insert_notifications(&told).await?;
            let notified: Vec<Event> = stored
                .iter()
                .filter_map(|(id, n)| Some(n.event(*id, *numbers.get(&n.case_id)?)))
                .collect();
            tx.insert_events(&notified).await?;
            tx.commit().await?;
            report += recorded_here;
            if count < batch as usize {
                return Ok(report);
            }
        }
    }
}

impl SlaSweepReport {
    /// Counts a firing; answers its event.
    fn count(&mut self, firing: &SlaFiring) -> EventKind {
        match firing.fired {
            SlaFired::Warning => {
                self.warnings += 1;
                EventKind::SlaWarning {
                    target: firing.target,
                }
            }
            SlaFired::Breach => {
                self.breaches += 1;
                EventKind::SlaBreached {
                    target: firing.target,
                }
            }
        }
    }
}
