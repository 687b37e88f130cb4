//! The home page's figures, scoped to what the caller may see.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use caredesk_app::overview::OverviewReport;
use serde::Serialize;
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::AppState;

/// The home page's figures.
#[derive(Serialize, ToSchema)]
pub struct OverviewBody {
    /// Cases by status (`new`, `open`, …).
    cases_by_status: BTreeMap<String, i64>,
    /// Escalations and Done per day, oldest first, 14 days.
    days: Vec<DayBody>,
    /// New cases nobody is assigned.
    unassigned_new: i64,
    /// How long the oldest of them has waited.
    oldest_new_waiting_secs: Option<i64>,
    /// Each agent's load.
    loads: Vec<AgentLoadBody>,
    median_first_reply_secs: Option<i64>,
    p90_first_reply_secs: Option<i64>,
    median_done_secs: Option<i64>,
    p90_done_secs: Option<i64>,
    /// Grace periods ending within 24 hours.
    grace_ending: Vec<GraceEndingBody>,
}

/// One day's escalations and cases marked Done.
#[derive(Serialize, ToSchema)]
pub struct DayBody {
    /// `YYYY-MM-DD` (UTC).
    date: String,
    escalations: i64,
    done: i64,
}

/// An agent's cases in progress against their capacity.
#[derive(Serialize, ToSchema)]
pub struct AgentLoadBody {
    user_id: String,
    name: String,
    load: i64,
    capacity: u32,
    over_capacity: bool,
    /// `online`, `away` or `offline`.
    presence: String,
}

/// A Done case whose grace period ends soon.
#[derive(Serialize, ToSchema)]
pub struct GraceEndingBody {
    case_id: String,
    number: i64,
    grace_until: String,
}

impl OverviewBody {
    fn of(report: OverviewReport) -> OverviewBody {
        OverviewBody {
            cases_by_status: report.cases_by_status,
            days: report
                .days
                .into_iter()
                .map(|d| DayBody {
                    date: d.date,
                    escalations: d.escalations,
                    done: d.done,
                })
                .collect(),
            unassigned_new: report.unassigned_new,
            oldest_new_waiting_secs: report.oldest_new_waiting_secs,
            loads: report
                .loads
                .into_iter()
                .map(|l| AgentLoadBody {
                    user_id: l.user_id.to_string(),
                    name: l.name,
                    load: l.load,
                    capacity: l.capacity,
                    over_capacity: l.over_capacity,
                    presence: l.presence.as_str().to_owned(),
                })
                .collect(),
            median_first_reply_secs: report.median_first_reply_secs,
            p90_first_reply_secs: report.p90_first_reply_secs,
            median_done_secs: report.median_done_secs,
            p90_done_secs: report.p90_done_secs,
            grace_ending: report
                .grace_ending
                .into_iter()
                .map(|g| GraceEndingBody {
                    case_id: g.case_id.to_string(),
                    number: g.number,
                    grace_until: g.grace_until.to_rfc3339(),
                })
                .collect(),
        }
    }
}

/// Cases per status, escalations and Done per day for 14 days, unassigned New cases and the
/// oldest wait, each agent's load, median times over 7 days, grace periods ending within 24
/// hours (Care users).
#[utoipa::path(get, path = "/api/v1/overview", tag = "overview",
    responses((status = 200, body = OverviewBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_overview(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<OverviewBody>> {
    Ok(Json(OverviewBody::of(
        state.app.overview(caller.user.id).await?,
    )))
}
