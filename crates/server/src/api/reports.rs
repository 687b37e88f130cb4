//! Reports (API.md "Service levels and reports") for supervisors: the figures of the cases
//! escalated in a range by day, agent, profile or network, and the CSV export, streamed a page
//! at a time so that a million lines hold no more memory than one page.

use axum::body::Body;
use axum::extract::State;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use caredesk_domain::percentile::Percentiles;
use caredesk_domain::report::{GroupBy, ReportLine};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::query::Query;
use crate::AppState;

/// A report's range and grouping.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// The first day, `YYYY-MM-DD` (UTC).
    from: String,
    /// The last day, included.
    to: String,
    /// `day` (default), `agent`, `profile` or `network`.
    group_by: Option<String>,
}

/// A report's range.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// The first day, `YYYY-MM-DD` (UTC).
    from: String,
    /// The last day, included.
    to: String,
}

/// A median and 90th percentile, in seconds (null when no case qualifies).
#[derive(Serialize, ToSchema)]
pub struct DurationsBody {
    median_secs: Option<i64>,
    p90_secs: Option<i64>,
}

impl From<Percentiles> for DurationsBody {
    fn from(p: Percentiles) -> Self {
        DurationsBody {
            median_secs: p.median,
            p90_secs: p.p90,
        }
    }
}

/// One line of a report: the cases escalated in the range that fall in its group.
#[derive(Serialize, ToSchema)]
pub struct ReportLineBody {
    /// The day (`YYYY-MM-DD`), the assignee's id (`""`: unassigned), the profile's id or the
    /// network.
    key: String,
    escalated: i64,
    /// Of those, Done now.
    done: i64,
    /// Of those, reopened at least once.
    reopened: i64,
    first_response: DurationsBody,
    resolution: DurationsBody,
    /// Cases that met every service-level target.
    sla_attained: i64,
    /// Cases that missed one.
    sla_breached: i64,
}

impl From<ReportLine> for ReportLineBody {
    fn from(l: ReportLine) -> Self {
        ReportLineBody {
            key: l.key,
            escalated: l.escalated,
            done: l.done,
            reopened: l.reopened,
            first_response: l.first_response.into(),
            resolution: l.resolution.into(),
            sla_attained: l.sla_attained,
            sla_breached: l.sla_breached,
        }
    }
}

/// A report.
#[derive(Serialize, ToSchema)]
pub struct ReportBody {
    items: Vec<ReportLineBody>,
    next_cursor: Option<String>,
}

pub(crate) fn group_by(word: Option<&str>) -> ApiResult<GroupBy> {
    match word {
        None | Some("") => Ok(GroupBy::Day),
        Some(word) => word
            .parse()
            .map_err(|_| ApiError::validation("group_by: must be day, agent, profile or network")),
    }
}

/// The figures of the cases escalated in a range (supervisors).
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(SummaryParams),
    responses((status = 200, body = ReportBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_summary(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<SummaryParams>,
) -> ApiResult<Json<ReportBody>> {
    let group_by = group_by(p.group_by.as_deref())?;
    let lines = state
        .app
        .report_summary(&caller.user, &p.from, &p.to, group_by)
        .await?;
    Ok(Json(ReportBody {
        items: lines.into_iter().map(ReportLineBody::from).collect(),
        next_cursor: None,
    }))
}

/// One CSV line per case escalated in the range, streamed (supervisors).
#[utoipa::path(get, path = "/api/v1/reports/cases.csv", tag = "reports", params(RangeParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_csv(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<RangeParams>,
) -> ApiResult<Response> {
    let csv = state.app.report_csv(&caller.user, &p.from, &p.to).await?;
    let name = format!("caredesk-cases-{}-{}.csv", p.from.trim(), p.to.trim());
    let chunks = futures::stream::unfold(csv, |mut csv| async move {
        match csv.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok::<_, std::io::Error>(chunk), csv)),
            Ok(None) => None,
            Err(error) => {
                // The status line is out: cut the file short rather than end it as if whole.
                tracing::warn!(%error, "the CSV export failed part way");
                Some((Err(std::io::Error::other("the export failed")), csv))
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
