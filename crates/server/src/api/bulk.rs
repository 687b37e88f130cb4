//! `POST /api/v1/cases/bulk`: assign, unassign, set priority or set status on up to 500 cases
//! in one call; each case is judged exactly as its single route would judge it, and the answer
//! reports each one (done with the case, or the refusal's code and words) in the order sent.

use axum::extract::State;
use axum::Json;
use caredesk_domain::bulk::{BulkAction, BulkRequest, MAX_BULK_CASES};
use caredesk_domain::{CaseId, CaseStatus, Priority, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::case_body;
use super::dto::CaseBody;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorDetail};
use crate::json::Body;
use crate::AppState;

/// What to do to which cases.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    /// 1 to 500 case ids, each once.
    case_ids: Vec<String>,
    /// `assign`, `unassign`, `priority` or `status`.
    action: String,
    /// For `assign`: the new assignee.
    assignee_id: Option<String>,
    /// For `priority`: low, normal, high or urgent.
    priority: Option<String>,
    /// For `status`: open, pending, on_hold, done or spam.
    status: Option<String>,
}

/// One case's outcome.
#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    case_id: String,
    ok: bool,
    /// The case as changed, when `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<CaseBody>,
    /// The refusal, when not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorDetail>,
}

/// Every case's outcome, in the order sent.
#[derive(Serialize, ToSchema)]
pub struct BulkResults {
    results: Vec<BulkResult>,
}

fn required<'a>(value: &'a Option<String>, action: &str, field: &str) -> ApiResult<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| ApiError::validation(format!("{field}: required for {action}")))
}

fn word<T: std::str::FromStr>(text: &str, field: &str) -> ApiResult<T> {
    text.parse()
        .map_err(|_| ApiError::validation(format!("{field}: {text:?} is not one")))
}

fn action_of(body: &BulkBody) -> ApiResult<BulkAction> {
    let action = body.action.as_str();
    Ok(match action {
        "assign" => {
            let id = required(&body.assignee_id, action, "assignee_id")?;
            BulkAction::Assign(word::<UserId>(id, "assignee_id")?)
        }
        "unassign" => BulkAction::Unassign,
        "priority" => BulkAction::Priority(word::<Priority>(
            required(&body.priority, action, "priority")?,
            "priority",
        )?),
        "status" => BulkAction::Status(word::<CaseStatus>(
            required(&body.status, action, "status")?,
            "status",
        )?),
        other => {
            return Err(ApiError::validation(format!(
                "action: {other:?} is not assign, unassign, priority or status"
            )))
        }
    })
}

/// Changes many cases, each on its own rules.
#[utoipa::path(post, path = "/api/v1/cases/bulk", tag = "cases", request_body = BulkBody,
    responses((status = 200, body = BulkResults), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn bulk_change(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<BulkBody>,
) -> ApiResult<Json<BulkResults>> {
    if !caller.user.has_care_access() {
        return Err(caredesk_domain::Refusal::Forbidden("cases are for Care users").into());
    }
    if body.case_ids.len() > MAX_BULK_CASES {
        return Err(ApiError::validation(format!(
            "case_ids: 1 to {MAX_BULK_CASES} cases"
        )));
    }
    let case_ids = body
        .case_ids
        .iter()
        .map(|id| word::<CaseId>(id, "case_ids"))
        .collect::<ApiResult<Vec<_>>>()?;
    let action = action_of(&body)?;
    let request = BulkRequest::new(case_ids, action)?;
    let outcomes = state.app.bulk_change(caller.user.id, request).await;
    let mut results = Vec::with_capacity(outcomes.len());
    for (case_id, outcome) in outcomes {
        let shown = match outcome {
            Ok(case) => state
                .app
                .details_of(&caller.user, case)
                .await
                .map(|details| case_body(&details).0)
                .map_err(ApiError::from),
            Err(error) => Err(ApiError::from(error)),
        };
        results.push(match shown {
            Ok(case) => BulkResult {
                case_id: case_id.to_string(),
                ok: true,
                case: Some(case),
                error: None,
            },
            Err(refused) => BulkResult {
                case_id: case_id.to_string(),
                ok: false,
                case: None,
                error: Some(refused.detail()),
            },
        });
    }
    Ok(Json(BulkResults { results }))
}
