//! The admins' audit log: every event of the installation — deleted cases' included — with
//! sign-ins and changes to users, apps, profiles and settings; newest first.

use axum::extract::State;

use axum::Json;
use caredesk_app::queries::EventFilter;
use caredesk_app::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::{EventBody, EventList};
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::query::Query;
use crate::AppState;

/// Filters and paging of the audit log.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    case_id: Option<String>,
    /// Events this user caused.
    user_id: Option<String>,
    /// An event kind, e.g. `status_changed`, `deleted`, `admin`.
    kind: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
    cursor: Option<String>,
}

/// The audit log (admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = EventList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<EventList>> {
    let log = state.app.audit_log(&caller.user)?;
    let id = |name: &str, v: &Option<String>| -> ApiResult<Option<i64>> {
        v.as_ref()
            .map(|t| {
                t.parse()
                    .map_err(|_| ApiError::validation(format!("{name}: not an id")))
            })
            .transpose()
    };
    let filter = EventFilter {
        case_id: id("case_id", &p.case_id)?.map(caredesk_domain::CaseId),
        actor: id("user_id", &p.user_id)?.map(caredesk_domain::UserId),
        kind: p.kind,
    };
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let page = log.events(&filter, page).await?;
    Ok(Json(EventList {
        items: page.items.iter().map(EventBody::from).collect(),
        next_cursor: page.next_cursor,
    }))
}
