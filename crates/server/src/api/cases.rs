//! Reading cases: the views and their counts, one case, its conversation and its activity log.
//! Visibility is the domain's: a case the caller may not see answers 404.

use axum::extract::{Path, RawQuery, State};

use axum::Json;
use caredesk_app::queries::{
    case_viewer, AssigneeFilter, CaseDetails, CaseFilter, CaseListRequest, CaseRef, Sort, View,
};
use caredesk_app::PageRequest;
use caredesk_domain::{CaseFieldId, CaseId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{CaseBody, CaseMessagePage, CasePage, EventBody, EventList};
use super::paging::PageParams;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::query::Query;
use crate::AppState;

/// Filters and paging of `GET /api/v1/cases` (plus `field.<field_id>=value`).
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CaseListParams {
    /// inbox, new, my_open, my_pending, my_on_hold, done, spam or mentions (default inbox).
    view: Option<String>,
    status: Option<String>,
    /// A user id, or `none` for unassigned cases.
    assignee_id: Option<String>,
    profile_id: Option<String>,
    network: Option<String>,
    priority: Option<String>,
    /// Case number, customer name or handle, message text.
    q: Option<String>,
    /// created, last_customer_message or priority; `-` in front for descending.
    sort: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
    cursor: Option<String>,
}

fn parse<T: std::str::FromStr>(name: &str, value: Option<&String>) -> ApiResult<Option<T>> {
    value
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::validation(format!("{name}: {v:?} is not valid")))
        })
        .transpose()
}

fn field_filters(raw: Option<&str>) -> ApiResult<Vec<(CaseFieldId, String)>> {
    let pairs: Vec<(String, String)> = raw
        .map(serde_urlencoded::from_str)
        .transpose()
        .map_err(|_| ApiError::validation("the query string is malformed"))?
        .unwrap_or_default();
    pairs
        .into_iter()
        .filter_map(|(key, value)| key.strip_prefix("field.").map(|id| (id.to_owned(), value)))
        .map(|(id, value)| {
            let id = id
                .parse()
                .map_err(|_| ApiError::validation(format!("field.{id}: not a field id")))?;
            Ok((id, value))
        })
        .collect()
}

/// The cases of a view the caller may see.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseListParams),
    responses((status = 200, body = CasePage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<CaseListParams>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<CasePage>> {
    let viewer = case_viewer(&caller.user)?;
    let view = match &p.view {
        Some(v) => View::parse(v)
            .ok_or_else(|| ApiError::validation(format!("view: {v:?} is not a view")))?,
        None => View::Inbox,
    };
    let assignee = match p.assignee_id.as_deref() {
        None => None,
        Some("none") => Some(AssigneeFilter::Unassigned),
        Some(id) => {
            Some(AssigneeFilter::User(id.parse().map_err(|_| {
                ApiError::validation("assignee_id: not a user id")
            })?))
        }
    };
    let filter = CaseFilter {
        status: parse("status", p.status.as_ref())?,
        assignee,
        profile_id: parse("profile_id", p.profile_id.as_ref())?,
        network: parse("network", p.network.as_ref())?,
        priority: parse("priority", p.priority.as_ref())?,
        fields: field_filters(raw.as_deref())?,
        text: p.q.clone(),
    };
    let sort = match &p.sort {
        Some(s) => {
            Some(Sort::parse(s).ok_or_else(|| ApiError::validation(format!("sort: {s:?}")))?)
        }
        None => None,
    };
    let request = CaseListRequest {
        view,
        filter,
        sort,
        page: PageRequest {
            limit: p.limit,
            cursor: p.cursor,
        },
    };
    let page = state.app.list_cases(&viewer, request).await?;
    Ok(Json(CasePage::of(page)))
}

/// The number of cases in each view the caller has, by the view's name (`inbox`, `new`, …).
#[derive(Serialize, ToSchema)]
pub struct ViewCounts(std::collections::BTreeMap<String, i64>);

/// The number of cases in each view, for the caller, unfiltered.
#[utoipa::path(get, path = "/api/v1/cases/counts", tag = "cases",
    responses((status = 200, body = ViewCounts), (status = 401, body = ErrorBody)))]
pub async fn get_case_counts(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ViewCounts>> {
    let counts = state.app.case_counts(&caller.user).await?;
    Ok(Json(ViewCounts(
        counts
            .into_iter()
            .map(|(view, n)| (view.as_str().to_owned(), n))
            .collect(),
    )))
}

/// The answer for a case: the case with its customer and its Salesforce Case.
pub(crate) fn case_body(details: &CaseDetails) -> Json<CaseBody> {
    Json(CaseBody::of(details))
}

/// The answer for a case the caller just changed.
pub(crate) async fn changed_case_body(
    state: &AppState,
    caller: &Caller,
    case: caredesk_domain::Case,
) -> ApiResult<Json<CaseBody>> {
    let details = state.app.details_of(&caller.user, case).await?;
    Ok(case_body(&details))
}

/// A case id of a path: anything else is a case that does not exist.
pub(crate) fn case_id(id: &str) -> ApiResult<CaseId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = CaseBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseBody>> {
    let details = state
        .app
        .case_details(&caller.user, CaseRef::Id(case_id(&id)?))
        .await?;
    Ok(case_body(&details))
}

/// One case, by its number.
#[utoipa::path(get, path = "/api/v1/cases/by-number/{n}", tag = "cases", params(("n" = i64, Path)),
    responses((status = 200, body = CaseBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_case_by_number(
    State(state): State<AppState>,
    caller: Caller,
    Path(n): Path<String>,
) -> ApiResult<Json<CaseBody>> {
    let n: i64 = n
        .trim_start_matches('#')
        .parse()
        .map_err(|_| ApiError::not_found())?;
    let details = state
        .app
        .case_details(&caller.user, CaseRef::Number(n))
        .await?;
    Ok(case_body(&details))
}

/// The case's messages in time order, oldest first (a DM conversation: its last 500).
#[utoipa::path(get, path = "/api/v1/cases/{id}/messages", tag = "cases", params(("id" = String, Path), PageParams),
    responses((status = 200, body = CaseMessagePage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_case_messages(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<CaseMessagePage>> {
    let found = state
        .app
        .case_messages(&caller.user, case_id(&id)?, page.page())
        .await?;
    Ok(Json(CaseMessagePage::of(found)))
}

/// The case's activity log, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/events", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = EventList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_case_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<EventList>> {
    let events = state.app.case_events(&caller.user, case_id(&id)?).await?;
    Ok(Json(EventList {
        items: events.iter().map(EventBody::from).collect(),
        next_cursor: None,
    }))
}
