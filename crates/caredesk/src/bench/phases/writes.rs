//! Changing cases: each assignee moves their own cases between open and pending, and the
//! supervisor hands cases to other agents; every answer is a committed, durable change. Each
//! request acts on a different case in progress of the data set.

use anyhow::ensure;
use caredesk_domain::CaseStatus;
use serde_json::json;

use super::Ctx;
use crate::bench::client::Request;
use crate::bench::report::{Figure, Target};

/// Status changes and assignments: p99 at most this many milliseconds.
const CHANGE_P99_MS: f64 = 10.0;

/// Status changes, then assignments.
pub async fn run(ctx: &Ctx) -> anyhow::Result<Vec<Figure>> {
    let cases = ctx.plan.assigned_in_progress();
    let n = ctx.load.writes;
    ensure!(
        cases.len() >= 2 * n,
        "the data set has {} assigned cases in progress; {} writes need twice as many",
        cases.len(),
        n
    );
    let statuses = cases[..n]
        .iter()
        .map(|(case, status, agent)| {
            let to = if *status == CaseStatus::Pending {
                CaseStatus::Open
            } else {
                CaseStatus::Pending
            };
            Request::post_json(
                format!("/api/v1/cases/{case}/status"),
                &ctx.agent(*agent).token,
                &json!({ "status": to.as_str() }),
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let assignments = cases[n..2 * n]
        .iter()
        .map(|(case, _, agent)| {
            Request::post_json(
                format!("/api/v1/cases/{case}/assign"),
                &ctx.supervisor.token,
                &json!({ "assignee_id": ctx.agent(agent + 1).user_id }),
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut figures = Vec::new();
    for (name, requests) in [("status_change", statuses), ("assignment", assignments)] {
        let outcome = ctx
            .client
            .drive(requests, ctx.load.write_concurrency)
            .await?;
        figures.push(Figure::new(
            format!("{name}.p50_ms"),
            "ms",
            outcome.quantile_ms(0.5),
        ));
        let p99 = Figure::new(format!("{name}.p99_ms"), "ms", outcome.quantile_ms(0.99));
        figures.push(if name == "status_change" {
            p99.target(Target::AtMost(CHANGE_P99_MS))
        } else {
            p99
        });
        figures.push(Figure::new(format!("{name}.per_s"), "1/s", outcome.rate()));
    }
    Ok(figures)
}
