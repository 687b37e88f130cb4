//! Home: the overview of PRODUCT.md §9 for the signed-in user's profiles — status tiles that open
//! their view, a 14-day chart of escalations and Done drawn as SVG by the server, the oldest
//! unassigned New case, each agent's load against their capacity, the median and 90th-percentile
//! times to the first delivered reply and to Done over 7 days, and grace periods ending within
//! 24 hours. A supervisor's tiles count the statuses of their profiles; an agent's count
//! the views they open (their own cases, the unassigned New ones), so a tile and its view always
//! agree. Community agents have no overview: Home sends them to their inbox.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caredesk_app::overview::OverviewReport;
use caredesk_app::queries::View;
use caredesk_domain::CaseStatus;

use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

/// One status tile.
struct Tile {
    label: &'static str,
    /// The status it counts, for its colour.
    status: &'static str,
    count: i64,
    href: String,
}

/// One day of the chart, already laid out.
struct Bar {
    label: String,
    x_escalated: i64,
    x_done: i64,
    y_escalated: i64,
    h_escalated: i64,
    y_done: i64,
    h_done: i64,
    title: String,
}

/// An agent's tiles: each view's own count, so the number is the rows the tile opens.
const AGENT_TILES: [(&str, &str, View); 6] = [
    ("New", "new", View::New),
    ("My open", "open", View::MyOpen),
    ("My pending", "pending", View::MyPending),
    ("My on hold", "on_hold", View::MyOnHold),
    ("My done", "done", View::Done),
    ("My spam", "spam", View::Spam),
];

/// An agent's load.
struct Load {
    name: String,
    /// `online`, `away` or `offline`.
    presence: &'static str,
    load: i64,
    capacity: u32,
    over: bool,
}

/// A time over the last 7 days: its median and 90th percentile in words, or `None` when no
/// case qualifies.
struct Timing {
    label: &'static str,
    figures: Option<(String, String)>,
}

fn timing(label: &'static str, median: Option<i64>, p90: Option<i64>) -> Timing {
    Timing {
        label,
        figures: median
            .zip(p90)
            .map(|(m, p)| (duration_words(m), duration_words(p))),
    }
}

/// A grace period about to end.
struct Ending {
    number: i64,
    until: String,
    until_words: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    tiles: Vec<Tile>,
    bars: Vec<Bar>,
    oldest_new: Option<String>,
    unassigned_new: i64,
    loads: Vec<Load>,
    timings: Vec<Timing>,
    ending: Vec<Ending>,
    error: Option<String>,
}

impl HomePage {
    /// The page that says, in words, why the overview cannot be shown.
    fn failed(chrome: Chrome, message: String) -> Self {
        HomePage {
            chrome,
            tiles: Vec::new(),
            bars: Vec::new(),
            oldest_new: None,
            unassigned_new: 0,
            loads: Vec::new(),
            timings: Vec::new(),
            ending: Vec::new(),
            error: Some(message),
        }
    }
}

const CHART_HEIGHT: i64 = 140;
const DAY_WIDTH: i64 = 40;

/// "3d 4h", "2h 10m", "5m".
pub(crate) fn duration_words(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (d, h) {
        (0, 0) => format!("{}m", m.max(0)),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

fn bars(report: &OverviewReport) -> Vec<Bar> {
    let top = report
        .days
        .iter()
        .map(|d| d.escalations.max(d.done))
        .max()
        .unwrap_or(0)
        .max(1);
    report
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let i = i64::try_from(i).unwrap_or(0);
            let h_escalated = d.escalations * CHART_HEIGHT / top;
            let h_done = d.done * CHART_HEIGHT / top;
            Bar {
                label: d.date.get(5..).unwrap_or(&d.date).to_owned(),
                x_escalated: i * DAY_WIDTH + 6,
                x_done: i * DAY_WIDTH + 20,
                y_escalated: CHART_HEIGHT - h_escalated,
                h_escalated,
                y_done: CHART_HEIGHT - h_done,
                h_done,
                title: format!("{}: {} escalated, {} done", d.date, d.escalations, d.done),
            }
        })
        .collect()
}

fn tiles(report: &OverviewReport) -> Vec<Tile> {
    CaseStatus::ALL
        .iter()
        .map(|status| {
            let code = status.as_str();
            let href = match status {
                CaseStatus::New | CaseStatus::Done | CaseStatus::Spam => {
                    format!("/care?view={code}")
                }
                _ => format!("/care?view=inbox&status={code}"),
            };
            Tile {
                label: super::words::status_label(*status),
                status: code,
                count: report.cases_by_status.get(code).copied().unwrap_or(0),
                href,
            }
        })
        .collect()
}

/// An agent's tiles, from the counts of their views.
fn agent_tiles(counts: &[(View, i64)]) -> Vec<Tile> {
    AGENT_TILES
        .into_iter()
        .map(|(label, status, view)| Tile {
            label,
            status,
            count: counts
                .iter()
                .find(|(v, _)| *v == view)
                .map_or(0, |(_, n)| *n),
            href: format!("/care?view={}", view.as_str()),
        })
        .collect()
}

/// `GET /home`.
pub(crate) async fn page(State(state): State<AppState>, who: WebUser) -> Response {
    if !who.user.has_care_access() {
        return Redirect::to("/community").into_response();
    }
    let chrome = Chrome::load(&state, &who, "home").await;
    let page = match state.app.home(&who.user).await {
        Ok(home) => {
            let report = home.report;
            HomePage {
                tiles: match &home.view_counts {
                    Some(counts) => agent_tiles(counts),
                    None => tiles(&report),
                },
                bars: bars(&report),
                oldest_new: report.oldest_new_waiting_secs.map(duration_words),
                unassigned_new: report.unassigned_new,
                loads: report
                    .loads
                    .iter()
                    .map(|l| Load {
                        name: l.name.clone(),
                        presence: l.presence.as_str(),
                        load: l.load,
                        capacity: l.capacity,
                        over: l.over_capacity,
                    })
                    .collect(),
                timings: vec![
                    timing(
                        "First delivered reply",
                        report.median_first_reply_secs,
                        report.p90_first_reply_secs,
                    ),
                    timing("Done", report.median_done_secs, report.p90_done_secs),
                ],
                ending: report
                    .grace_ending
                    .iter()
                    .map(|g| Ending {
                        number: g.number,
                        until: g.grace_until.to_rfc3339(),
                        until_words: super::words::time_fallback(g.grace_until),
                    })
                    .collect(),
                error: None,
                chrome,
            }
        }
        Err(error) => {
            let message = match error.refusal() {
                Some(refusal) => refusal.to_string(),
                None => {
                    tracing::error!(%error, "web: the overview could not be read");
                    "The overview cannot be shown right now.".to_owned()
                }
            };
            HomePage::failed(chrome, message)
        }
    };
    render(&page)
}
