//! The home page's figures, scoped to what the caller may see.

use axum::extract::State;
use axum::Json;
use caredesk_app::overview::OverviewReport;

use crate::caller::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::AppState;

/// Cases per status, escalations and Done per day for 14 days, unassigned New cases and the
/// oldest wait, each agent's load, median times over 7 days, grace periods ending within 24
/// hours (Care users).
#[utoipa::path(get, path = "/api/v1/overview", tag = "overview",
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_overview(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<OverviewReport>> {
    Ok(Json(state.app.overview(caller.user.id).await?))
}
