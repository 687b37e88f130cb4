//! Bulk actions: the supervisor hands 500 cases in progress to another agent in one call, as a
//! team lead does when someone goes home sick, one call after another. Every case of every
//! answer must be done; the figure is the time of the whole call.

use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use serde_json::json;

use super::Ctx;
use crate::bench::client::{Outcome, Request};
use crate::bench::report::Figure;

/// Cases per call: the most the route takes.
pub const CASES_PER_CALL: usize = 500;
/// Calls per run.
const CALLS: usize = 10;

/// Bulk assignments of [`CASES_PER_CALL`] cases, [`CALLS`] of them in turn, on cases the writes
/// phase leaves alone.
pub async fn run(ctx: &Ctx) -> anyhow::Result<Vec<Figure>> {
    let cases = ctx.plan.assigned_in_progress();
    let skip = 2 * ctx.load.writes;
    let wanted = CALLS * CASES_PER_CALL;
    ensure!(
        cases.len() >= skip + wanted,
        "the data set has {} assigned cases in progress; the bulk phase needs {} after the {} \
         the writes phase takes",
        cases.len(),
        wanted,
        skip
    );
    let mut latencies = Vec::with_capacity(CALLS);
    let started = Instant::now();
    for (call, chunk) in cases[skip..skip + wanted]
        .chunks(CASES_PER_CALL)
        .enumerate()
    {
        let ids: Vec<String> = chunk.iter().map(|(case, _, _)| case.to_string()).collect();
        let to = ctx.agent(call + 1).user_id.clone();
        let request = Request::post_json(
            "/api/v1/cases/bulk",
            &ctx.supervisor.token,
            &json!({ "case_ids": ids, "action": "assign", "assignee_id": to }),
        )?;
        let sent = Instant::now();
        let (status, body) = ctx.client.send(&request).await?;
        latencies.push(sent.elapsed());
        ensure!(
            status == 200,
            "bulk assignment answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
        let answer: serde_json::Value = serde_json::from_slice(&body)?;
        let results = answer["results"]
            .as_array()
            .context("the bulk answer has no results")?;
        let done = results.iter().filter(|r| r["ok"] == json!(true)).count();
        ensure!(
            done == chunk.len(),
            "bulk assignment did {done} of {} cases: {}",
            chunk.len(),
            results
                .iter()
                .find(|r| r["ok"] != json!(true))
                .map(ToString::to_string)
                .unwrap_or_default()
        );
    }
    let outcome = Outcome {
        latencies,
        elapsed: started.elapsed().max(Duration::from_micros(1)),
    };
    let cases_per_s = outcome.rate() * CASES_PER_CALL as f64;
    Ok(vec![
        Figure::new("bulk_500.p50_ms", "ms", outcome.quantile_ms(0.5)),
        Figure::new("bulk_500.max_ms", "ms", outcome.quantile_ms(1.0)),
        Figure::new("bulk_500.cases_per_s", "1/s", cases_per_s),
    ])
}
