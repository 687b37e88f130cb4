//! The SLA sweep (PRODUCT.md §13), in this process on the run's database before the server
//! starts: 100,000 cases (fewer in a smaller data set) are given a first-response target whose
//! warning was recorded when it came due and whose breach came due an hour ago, written through
//! the store's own batch port; the sweep the server runs every few seconds records each breach,
//! with its event and the assignee's notification, timed as it runs. The targets are settled
//! first (vacuumed, analysed and checkpointed on PostgreSQL, as a running installation's would
//! be by then), so the figure is the sweep's, not the upkeep of the rows just written.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use caredesk_app::{App, SystemClock};
use caredesk_domain::sla::{CaseSla, SlaClock, SlaConditions, SlaPolicy, SlaTargets};
use caredesk_domain::{CaseId, CaseStatus, SlaPolicyId, Timestamp};

use crate::bench::dataset::Plan;
use crate::bench::report::{Figure, Target};
use crate::bench::snapshot::Db;

/// Due targets swept.
const TARGETS: u64 = 100_000;
/// Targets written per transaction while setting up.
const SETUP_BATCH: usize = 5_000;
/// The sweep of 100,000 due targets: at most this many seconds.
const SWEEP_100K_SECS: f64 = 3.0;

/// Gives cases a due target, then times the sweep that records them.
pub async fn sweep(db: &Db, plan: &Plan) -> anyhow::Result<Vec<Figure>> {
    let app = App::new(db.store.clone(), Arc::new(SystemClock));
    let now = app.now();
    let policy = SlaPolicy {
        id: SlaPolicyId(1),
        name: "Bench".into(),
        position: 1,
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response_secs: Some(3_600),
            ..SlaTargets::default()
        },
        warn_at: 0.5,
        schedule_id: None,
    };
    let started_at = Timestamp(now.0 - 2 * 3_600 * 1_000_000);
    let mut sla = CaseSla::apply(
        None,
        Some(&policy),
        &SlaClock::Calendar,
        CaseStatus::Open,
        started_at,
    )
    .context("the bench policy applies")?;
    // The warning was recorded by an earlier sweep, when it came due.
    sla.fire(Timestamp(started_at.0 + 1_800 * 1_000_000));
    let cases = TARGETS.min(plan.sizes.cases);
    let ids: Vec<CaseId> = (1..=i64::try_from(cases)?).map(CaseId).collect();
    for chunk in ids.chunks(SETUP_BATCH) {
        let rows: Vec<(CaseId, CaseSla)> = chunk.iter().map(|id| (*id, sla.clone())).collect();
        let mut tx = db.store.begin().await?;
        tx.save_case_slas(&rows).await?;
        tx.commit().await?;
    }
    db.bulk
        .settle()
        .await
        .context("cannot settle the database")?;
    let started = Instant::now();
    let report = app.sweep_sla().await.context("the SLA sweep failed")?;
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.breaches as u64 == cases,
        "the sweep recorded {} breaches of {cases} due targets",
        report.breaches
    );
    let per_100k = secs * 100_000.0 / (cases.max(1) as f64);
    Ok(vec![
        Figure::new("sla_sweep.targets", "targets", cases as f64),
        Figure::new("sla_sweep.secs", "s", secs),
        Figure::new("sla_sweep.secs_per_100k", "s", per_100k)
            .target(Target::AtMost(SWEEP_100K_SECS)),
    ])
}
