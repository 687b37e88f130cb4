//! Community work on items: status and labels, and escalation to Care. A caller without Care
//! access learns only the case's number and status from an escalation.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::EscalationOutcome;
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::{CaseFieldId, CommunityItemId, CommunityStatus, Priority, UserId};
use caredesk_store::ItemRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::case_body;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

fn item_id(id: &str) -> ApiResult<CommunityItemId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// The badge of the case that locks an item.
#[derive(Serialize, ToSchema)]
pub struct CaseBadgeBody {
    id: String,
    number: i64,
    status: String,
}

/// A community item.
#[derive(Serialize, ToSchema)]
pub struct ItemBody {
    id: String,
    kind: String,
    message_id: String,
    customer_id: String,
    profile_id: String,
    status: String,
    labels: Vec<String>,
    locked: bool,
    case: Option<CaseBadgeBody>,
    customer_last_case_spam: bool,
}

impl From<&ItemRow> for ItemBody {
    fn from(row: &ItemRow) -> Self {
        let item = &row.item;
        ItemBody {
            id: item.id.to_string(),
            kind: item.kind.to_string(),
            message_id: item.message_id.to_string(),
            customer_id: item.customer_id.to_string(),
            profile_id: item.profile_id.to_string(),
            status: item.status.to_string(),
            labels: item.labels.iter().cloned().collect(),
            locked: row.locking_case.is_some(),
            case: row.locking_case.map(|b| CaseBadgeBody {
                id: b.id.to_string(),
                number: b.number,
                status: b.status.to_string(),
            }),
            customer_last_case_spam: item.customer_last_case_spam,
        }
    }
}

/// `PATCH /api/v1/community/items/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    /// none, in_progress, no_action or done.
    #[schema(value_type = Option<String>)]
    status: Option<CommunityStatus>,
    labels: Option<BTreeSet<String>>,
}

/// Sets an item's Community status and labels (locked items too).
#[utoipa::path(patch, path = "/api/v1/community/items/{id}", tag = "community", params(("id" = String, Path)), request_body = ItemPatch,
    responses((status = 200, body = ItemBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<ItemPatch>,
) -> ApiResult<Json<ItemBody>> {
    let item = state
        .app
        .update_item(caller.user.id, item_id(&id)?, patch.status, patch.labels)
        .await?;
    let row = state
        .app
        .store()
        .community_item(item.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(ItemBody::from(&row)))
}

/// `POST /api/v1/community/items/{id}/escalate`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EscalateBody {
    #[serde(default)]
    note: String,
    /// urgent, high, medium (default) or low.
    #[schema(value_type = Option<String>)]
    priority: Option<Priority>,
    /// Case-field values by field id.
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: BTreeMap<CaseFieldId, serde_json::Value>,
    #[schema(value_type = Option<String>)]
    assignee_id: Option<UserId>,
}

/// Escalates an item to Care: 201 with a new case, or 200 with the customer's active case (and
/// `"appended": true` when the message joined it).
#[utoipa::path(post, path = "/api/v1/community/items/{id}/escalate", tag = "community", params(("id" = String, Path)), request_body = EscalateBody,
    responses((status = 201, body = Object, description = "the new case"), (status = 200, body = Object, description = "the active case, with appended"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn escalate_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<EscalateBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let request = EscalationRequest {
        note: body.note,
        priority: body.priority,
        fields: body.fields,
        assignee_id: body.assignee_id,
    };
    let escalation = state
        .app
        .escalate(caller.user.id, item_id(&id)?, request)
        .await?;
    let case = &escalation.case;
    let mut answer = if caller.user.has_care_access() {
        let Json(full) = case_body(&state, case).await?;
        serde_json::to_value(full).map_err(|e| ApiError::bad_request(e.to_string()))?
    } else {
        serde_json::json!({ "id": case.id.to_string(), "number": case.number, "status": case.status.as_str() })
    };
    let status = match escalation.outcome {
        EscalationOutcome::Created => StatusCode::CREATED,
        EscalationOutcome::Appended | EscalationOutcome::AlreadyEscalated => StatusCode::OK,
    };
    if let Some(map) = answer.as_object_mut() {
        map.insert(
            "appended".into(),
            (escalation.outcome == EscalationOutcome::Appended).into(),
        );
    }
    Ok((status, Json(answer)))
}
