//! The CSV export (PRODUCT.md §13): the supervisor downloads one line per case escalated over the
//! data set's whole year, through the server, as a browser's "Export CSV" does. The figure is the
//! time to the last byte, the lines, and the server's peak memory once it is done (run alone,
//! `--phases export`, so that no other phase's peak is in it).

use std::time::Instant;

use anyhow::ensure;

use super::Ctx;
use crate::bench::client::Request;
use crate::bench::dataset::{ANCHOR_SECS, SPAN_SECS};
use crate::bench::report::Figure;

/// A day's date, `YYYY-MM-DD`, of `secs` since the epoch.
fn day(secs: i64) -> anyhow::Result<String> {
    let at = caredesk_domain::Timestamp::from_secs(secs).to_rfc3339();
    Ok(at.get(..10).unwrap_or_default().to_owned())
}

/// Downloads the export of every case and counts its lines.
pub async fn run(ctx: &Ctx) -> anyhow::Result<Vec<Figure>> {
    let from = day(ANCHOR_SECS - SPAN_SECS - 86_400)?;
    let to = day(ANCHOR_SECS + 86_400)?;
    let request = Request::get(
        format!("/api/v1/reports/cases.csv?from={from}&to={to}"),
        &ctx.supervisor.token,
    )?;
    let started = Instant::now();
    let (status, body) = ctx.client.send(&request).await?;
    let secs = started.elapsed().as_secs_f64();
    ensure!(status == 200, "the export answered {status}");
    let lines = body
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1);
    ensure!(
        lines as u64 >= ctx.plan.sizes.cases,
        "the export has {lines} lines for {} cases",
        ctx.plan.sizes.cases
    );
    Ok(vec![
        Figure::new("export.lines", "lines", lines as f64),
        Figure::new("export.secs", "s", secs),
        Figure::new("export.mb", "MB", body.len() as f64 / 1_048_576.0),
        Figure::new(
            "export.lines_per_s",
            "lines/s",
            lines as f64 / secs.max(1e-9),
        ),
    ])
}
