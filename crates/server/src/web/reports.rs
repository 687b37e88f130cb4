//! Reports (UI.md "Reports"), for supervisors: a date range and a grouping in the address, the
//! figures of PRODUCT.md §13 as a table, two charts drawn by the server as SVG (cases escalated
//! and done per day; the median first response per day against the first-response target of
//! the policy that covers every case), and "Export CSV".

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use caredesk_domain::report::{GroupBy, ReportLine};
use caredesk_domain::{policy, Network, Timestamp};
use serde::Deserialize;

use super::home::duration_words;
use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

/// Days shown when the address names none.
const DEFAULT_DAYS: i64 = 14;
const CHART_WIDTH: i64 = 560;
const CHART_HEIGHT: i64 = 140;
/// The widest a day's slot is drawn, so that a short range does not draw slabs.
const MAX_SLOT: i64 = 40;

/// The width of a day's slot in the charts.
fn slot_width(days: usize) -> i64 {
    let n = i64::try_from(days).unwrap_or(1).max(1);
    (CHART_WIDTH / n).clamp(2, MAX_SLOT)
}

/// The page's address.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    group_by: Option<String>,
}

/// A bar pair of the volume chart.
struct Bar {
    x: i64,
    /// The day's label under the bars (`MM-DD`), on every few days only.
    label: String,
    width: i64,
    y_escalated: i64,
    h_escalated: i64,
    y_done: i64,
    h_done: i64,
    title: String,
}

/// A line of the table, in words.
struct Line {
    key: String,
    escalated: i64,
    done: i64,
    reopened: i64,
    first_response: String,
    resolution: String,
    attained: String,
}

/// A choice of the grouping control.
struct Grouping {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    from: String,
    to: String,
    groupings: Vec<Grouping>,
    group_label: &'static str,
    lines: Vec<Line>,
    bars: Vec<Bar>,
    /// The median first response per day, as SVG polyline points.
    response_points: String,
    /// The first-response target's height in the chart, when a policy covers every case.
    target_y: Option<i64>,
    target_words: String,
    response_top: String,
    csv_href: String,
    error: Option<String>,
}

fn day_text(at: Timestamp) -> String {
    at.to_rfc3339().chars().take(10).collect()
}

fn groupings(chosen: GroupBy) -> Vec<Grouping> {
    [
        (GroupBy::Day, "Day"),
        (GroupBy::Agent, "Agent"),
        (GroupBy::Profile, "Profile"),
        (GroupBy::Network, "Network"),
    ]
    .into_iter()
    .map(|(g, label)| Grouping {
        value: g.as_str(),
        label,
        selected: g == chosen,
    })
    .collect()
}

fn bars(days: &[ReportLine]) -> Vec<Bar> {
    let top = days
        .iter()
        .map(|d| d.escalated.max(d.done))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = slot_width(days.len());
    // A label every so many days, so that they never overlap.
    let every = usize::try_from((36 / slot).max(1)).unwrap_or(1);
    days.iter()
        .enumerate()
        .map(|(index, d)| {
            let i = i64::try_from(index).unwrap_or(0);
            let (h_escalated, h_done) = (
                d.escalated * CHART_HEIGHT / top,
                d.done * CHART_HEIGHT / top,
            );
            Bar {
                x: i * slot,
                label: if index % every == 0 {
                    d.key.get(5..).unwrap_or(&d.key).to_owned()
                } else {
                    String::new()
                },
                width: (slot / 2 - 1).max(1),
                y_escalated: CHART_HEIGHT - h_escalated,
                h_escalated,
                y_done: CHART_HEIGHT - h_done,
                h_done,
                title: format!("{}: {} escalated, {} done", d.key, d.escalated, d.done),
            }
        })
        .collect()
}

/// The median first response per day as polyline points, scaled so that the highest median
/// and the target both fit; answers the points, the target's height and the top's words.
fn response_line(days: &[ReportLine], target: Option<i64>) -> (String, Option<i64>, String) {
    let top = days
        .iter()
        .filter_map(|d| d.first_response.median)
        .chain(target)
        .max()
        .unwrap_or(0)
        .max(60)
        // Headroom, so that neither the highest median nor the target sits on the edge.
        * 5
        / 4;
    let slot = slot_width(days.len());
    let points: Vec<String> = days
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let median = d.first_response.median?;
            let x = i64::try_from(i).unwrap_or(0) * slot + slot / 2;
            Some(format!(
                "{x},{}",
                CHART_HEIGHT - median * CHART_HEIGHT / top
            ))
        })
        .collect();
    let target_y = target.map(|t| CHART_HEIGHT - t * CHART_HEIGHT / top);
    (points.join(" "), target_y, duration_words(top))
}

/// `GET /reports`.
pub(crate) async fn page(
    State(state): State<AppState>,
    who: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    let chrome = Chrome::load(&state, &who, "reports").await;
    let today = state.app.now();
    let to = params
        .to
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| day_text(today));
    let from = params
        .from
        .filter(|f| !f.trim().is_empty())
        .unwrap_or_else(|| day_text(today.plus_secs(-(DEFAULT_DAYS - 1) * 86_400)));
    let chosen = params
        .group_by
        .as_deref()
        .and_then(|g| g.parse().ok())
        .unwrap_or(GroupBy::Day);
    let mut page = ReportsPage {
        chrome,
        groupings: groupings(chosen),
        group_label: match chosen {
            GroupBy::Day => "Day",
            GroupBy::Agent => "Agent",
            GroupBy::Profile => "Profile",
            GroupBy::Network => "Network",
        },
        lines: Vec::new(),
        bars: Vec::new(),
        response_points: String::new(),
        target_y: None,
        target_words: String::new(),
        response_top: String::new(),
        csv_href: format!("/api/v1/reports/cases.csv?from={from}&to={to}"),
        error: None,
        from,
        to,
    };
    if let Err(refusal) = policy::require_supervisor(&who.user) {
        page.error = Some(refusal.to_string());
        return render(&page);
    }
    let user = &who.user;
    let app = &state.app;
    let read = async {
        // One read of the range: by day for the charts, and as chosen for the table.
        let mut both = app
            .report_summaries(user, &page.from, &page.to, &[GroupBy::Day, chosen])
            .await?;
        let lines = both.pop().unwrap_or_default();
        let days = both.pop().unwrap_or_default();
        let users = app.list_users(user).await?;
        let profiles = app.visible_profiles(user).await?;
        let policies = app.sla_policies(user).await?;
        Ok::<_, caredesk_app::AppError>((days, lines, users, profiles, policies))
    };
    match read.await {
        Ok((days, lines, users, profiles, policies)) => {
            let target = policies
                .iter()
                .find(|p| p.conditions == Default::default())
                .and_then(|p| p.targets.first_response_secs);
            let (points, target_y, top) = response_line(&days, target);
            page.bars = bars(&days);
            page.response_points = points;
            page.target_y = target_y;
            page.target_words = target.map(duration_words).unwrap_or_default();
            page.response_top = top;
            page.lines = lines
                .into_iter()
                .map(|l| {
                    let key = match chosen {
                        GroupBy::Day => l.key.clone(),
                        GroupBy::Agent if l.key.is_empty() => "Unassigned".to_owned(),
                        GroupBy::Agent => users
                            .iter()
                            .find(|u| u.user.id.to_string() == l.key)
                            .map_or_else(|| format!("User {}", l.key), |u| u.user.name.clone()),
                        GroupBy::Profile => profiles
                            .iter()
                            .find(|p| p.id.to_string() == l.key)
                            .map_or_else(|| format!("Profile {}", l.key), |p| p.name.clone()),
                        GroupBy::Network => l
                            .key
                            .parse::<Network>()
                            .map_or_else(|_| l.key.clone(), |n| n.label().to_owned()),
                    };
                    line_words(key, &l)
                })
                .collect();
        }
        Err(error) => {
            page.error = Some(match error.refusal() {
                Some(refusal) => refusal.to_string(),
                None => {
                    tracing::error!(%error, "web: the report could not be read");
                    "The report cannot be shown right now.".to_owned()
                }
            });
        }
    }
    render(&page)
}

fn line_words(key: String, l: &ReportLine) -> Line {
    let durations = |median: Option<i64>, p90: Option<i64>| match median.zip(p90) {
        Some((m, p)) => format!("{} · {}", duration_words(m), duration_words(p)),
        None => "—".to_owned(),
    };
    let judged = l.sla_attained + l.sla_breached;
    Line {
        key,
        escalated: l.escalated,
        done: l.done,
        reopened: l.reopened,
        first_response: durations(l.first_response.median, l.first_response.p90),
        resolution: durations(l.resolution.median, l.resolution.p90),
        attained: if judged == 0 {
            "—".to_owned()
        } else {
            format!(
                "{}% ({} of {judged})",
                l.sla_attained * 100 / judged,
                l.sla_attained
            )
        },
    }
}
