//! What agents read all day: the Care views (the supervisor's whole inbox, an agent's inbox,
//! new cases, an agent's open cases, a view filtered by status and profile, one filtered by a
//! case field), the view counts, two-word searches (an agent's messages, a supervisor's cases),
//! and the conversation of a DM case of 5,000 messages (its first page of 200, and the whole
//! window of the last 500 in three pages). Each request is answered on its own; the figures are
//! latencies.

use anyhow::Context;
use serde_json::Value;

use super::{Ctx, Session};
use crate::bench::client::Request;
use crate::bench::report::{Figure, Target};

/// Inbox, views and counts: p99 at most this many milliseconds.
const LIST_P99_MS: f64 = 10.0;
/// The conversation: p99 at most this many milliseconds.
const CONVERSATION_P99_MS: f64 = 15.0;
/// Search: p99 at most this many milliseconds.
const SEARCH_P99_MS: f64 = 20.0;

/// Two-word queries of the data set's words, common and rare, the last word cut short as an
/// agent types it.
const SEARCHES: [&str; 6] = [
    "refund kett",
    "charged twi",
    "parcel damag",
    "decaf nut",
    "grinder stopp",
    "subscription cance",
];

/// Requests to one path per session, in turn.
fn spread(
    ctx: &Ctx,
    sessions: &[&Session],
    path: impl Fn(usize) -> String,
) -> anyhow::Result<Vec<Request>> {
    (0..ctx.load.requests)
        .map(|i| Request::get(path(i), &sessions[i % sessions.len()].token))
        .collect()
}

/// Measures one figure: warms up with a tenth of the requests, then sends them all.
async fn measure(
    ctx: &Ctx,
    name: &str,
    target_ms: f64,
    requests: Vec<Request>,
) -> anyhow::Result<Vec<Figure>> {
    let warm: Vec<Request> = requests.iter().take(requests.len() / 10).cloned().collect();
    ctx.client.drive(warm, ctx.load.concurrency).await?;
    let outcome = ctx.client.drive(requests, ctx.load.concurrency).await?;
    Ok(vec![
        Figure::new(format!("{name}.p50_ms"), "ms", outcome.quantile_ms(0.5)),
        Figure::new(format!("{name}.p99_ms"), "ms", outcome.quantile_ms(0.99))
            .target(Target::AtMost(target_ms)),
        Figure::new(format!("{name}.per_s"), "1/s", outcome.rate()),
    ])
}

/// The views and counts.
pub async fn views(ctx: &Ctx) -> anyhow::Result<Vec<Figure>> {
    let agents: Vec<&Session> = ctx.agents.iter().collect();
    let supervisor = [&ctx.supervisor];
    let profiles = ctx.profiles.clone();
    let topic = ctx.topic;
    let cases = "/api/v1/cases";
    let lists: Vec<(&str, Vec<Request>)> = vec![
        (
            "inbox_supervisor",
            spread(ctx, &supervisor, |_| format!("{cases}?view=inbox"))?,
        ),
        (
            "inbox_agent",
            spread(ctx, &agents, |_| format!("{cases}?view=inbox"))?,
        ),
        (
            "new",
            spread(ctx, &agents, |_| format!("{cases}?view=new"))?,
        ),
        (
            "my_open",
            spread(ctx, &agents, |_| format!("{cases}?view=my_open"))?,
        ),
        (
            "filtered_status_profile",
            spread(ctx, &supervisor, |i| {
                let profile = profiles[i % profiles.len()];
                format!("{cases}?view=inbox&status=pending&profile_id={profile}")
            })?,
        ),
        (
            "filtered_field",
            spread(ctx, &agents, |i| {
                let value = ["Refund", "Delivery", "Billing"][i % 3];
                format!("{cases}?view=inbox&field.{topic}={value}")
            })?,
        ),
        (
            "counts_agent",
            spread(ctx, &agents, |_| format!("{cases}/counts"))?,
        ),
        (
            "counts_supervisor",
            spread(ctx, &supervisor, |_| format!("{cases}/counts"))?,
        ),
    ];
    let mut figures = Vec::new();
    for (name, requests) in lists {
        figures.extend(measure(ctx, name, LIST_P99_MS, requests).await?);
    }
    let searches: Vec<(&str, Vec<Request>)> = vec![
        (
            "search_messages_agent",
            spread(ctx, &agents, |i| {
                let q = SEARCHES[i % SEARCHES.len()].replace(' ', "%20");
                format!("/api/v1/search?type=messages&limit=20&q={q}")
            })?,
        ),
        (
            "search_cases_supervisor",
            spread(ctx, &supervisor, |i| {
                let q = SEARCHES[i % SEARCHES.len()].replace(' ', "%20");
                format!("/api/v1/search?type=cases&limit=20&q={q}")
            })?,
        ),
    ];
    for (name, requests) in searches {
        figures.extend(measure(ctx, name, SEARCH_P99_MS, requests).await?);
    }
    Ok(figures)
}

/// The long DM conversation.
pub async fn conversation(ctx: &Ctx) -> anyhow::Result<Vec<Figure>> {
    let case = ctx
        .plan
        .long_thread_case()
        .context("the data set has no cases")?;
    let path = format!("/api/v1/cases/{case}/messages?limit=200");
    let owner = ctx.agent(0).clone();
    let first = spread(ctx, &[&owner], |_| path.clone())?;
    let mut figures = measure(ctx, "conversation_first_page", CONVERSATION_P99_MS, first).await?;
    let client = ctx.client.clone();
    let count = (ctx.load.requests / 3).max(1);
    let outcome = ctx
        .client
        .drive_with(count, ctx.load.concurrency, move |_| {
            let (client, path, token) = (client.clone(), path.clone(), owner.token.clone());
            async move {
                let mut cursor: Option<String> = None;
                let mut messages = 0;
                loop {
                    let page = match &cursor {
                        Some(c) => format!("{path}&cursor={c}"),
                        None => path.clone(),
                    };
                    let (status, body) = client.send(&Request::get(page, &token)?).await?;
                    anyhow::ensure!(status == 200, "the conversation answered {status}");
                    let answer: Value = serde_json::from_slice(&body)?;
                    messages += answer["items"].as_array().map_or(0, Vec::len);
                    match answer["next_cursor"].as_str() {
                        Some(next) => cursor = Some(next.to_owned()),
                        None => break,
                    }
                }
                anyhow::ensure!(messages >= 500, "the window showed {messages} messages");
                Ok(())
            }
        })
        .await?;
    figures.push(Figure::new(
        "conversation_window_500.p50_ms",
        "ms",
        outcome.quantile_ms(0.5),
    ));
    figures.push(Figure::new(
        "conversation_window_500.p99_ms",
        "ms",
        outcome.quantile_ms(0.99),
    ));
    Ok(figures)
}
