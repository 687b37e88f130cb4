//! Changing cases: edit, assign, status, reopen, delete, notes and replies. Every change accepts
//! `expected_version` in the body (or `If-Match: "<version>"`) and answers 409 `stale_case` when
//! the case moved on. The rules are the domain's, reached through the use cases.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use caredesk_app::{CaseEditRequest, ReplyRequest};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::{CaseFieldId, CaseStatus, MediaId, MessageId, Priority, Sentiment, UserId};
use serde::Deserialize;
use utoipa::ToSchema;

use super::cases::{case_id, changed_case_body};
use super::dto::{CaseBody, MessageBody};
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::{Body, OptionalBody};
use crate::AppState;

/// The version the caller last saw: the body's `expected_version`, else `If-Match`.
fn expected(body: Option<i64>, headers: &HeaderMap) -> ApiResult<Option<i64>> {
    if body.is_some() {
        return Ok(body);
    }
    match headers.get(header::IF_MATCH) {
        None => Ok(None),
        Some(value) => {
            let text = value
                .to_str()
                .unwrap_or("")
                .trim()
                .trim_start_matches("W/")
                .trim_matches('"');
            text.parse()
                .map(Some)
                .map_err(|_| ApiError::validation("If-Match must be a case version"))
        }
    }
}

/// `PATCH /api/v1/cases/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CasePatch {
    #[schema(value_type = Option<String>)]
    priority: Option<Priority>,
    #[schema(value_type = Option<String>)]
    sentiment: Option<Sentiment>,
    /// Values to merge, by field id; `null` clears one.
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: BTreeMap<CaseFieldId, serde_json::Value>,
    expected_version: Option<i64>,
}

/// Edits priority, sentiment and case-field values.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)), request_body = CasePatch,
    responses((status = 200, body = CaseBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(patch): Body<CasePatch>,
) -> ApiResult<Json<CaseBody>> {
    let ev = expected(patch.expected_version, &headers)?;
    let request = CaseEditRequest {
        priority: patch.priority,
        sentiment: patch.sentiment,
        fields: patch.fields,
    };
    let case = state
        .app
        .edit_case(caller.user.id, case_id(&id)?, request, ev)
        .await?;
    changed_case_body(&state, &caller, case).await
}

/// `POST /api/v1/cases/{id}/assign`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The new assignee; `null` unassigns.
    #[schema(value_type = Option<String>)]
    assignee_id: Option<UserId>,
    expected_version: Option<i64>,
}

/// Assigns the case, or unassigns it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", tag = "cases", params(("id" = String, Path)), request_body = AssignBody,
    responses((status = 200, body = CaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<AssignBody>,
) -> ApiResult<Json<CaseBody>> {
    let ev = expected(body.expected_version, &headers)?;
    let case = state
        .app
        .assign(caller.user.id, case_id(&id)?, body.assignee_id, ev)
        .await?;
    changed_case_body(&state, &caller, case).await
}

/// `POST /api/v1/cases/{id}/status`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// open, pending, on_hold, done or spam.
    #[schema(value_type = String)]
    status: CaseStatus,
    expected_version: Option<i64>,
}

/// The assignee sets the status.
#[utoipa::path(post, path = "/api/v1/cases/{id}/status", tag = "cases", params(("id" = String, Path)), request_body = StatusBody,
    responses((status = 200, body = CaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_case_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<StatusBody>,
) -> ApiResult<Json<CaseBody>> {
    let ev = expected(body.expected_version, &headers)?;
    let case = state
        .app
        .set_status(caller.user.id, case_id(&id)?, body.status, ev)
        .await?;
    changed_case_body(&state, &caller, case).await
}

/// A body that carries only the version the caller saw.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    expected_version: Option<i64>,
}

/// The assignee reopens a done or spam case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reopen", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = CaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reopen_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<VersionBody>,
) -> ApiResult<Json<CaseBody>> {
    let ev = expected(body.and_then(|b| b.expected_version), &headers)?;
    let case = state.app.reopen(caller.user.id, case_id(&id)?, ev).await?;
    changed_case_body(&state, &caller, case).await
}

/// A supervisor deletes the case.
#[utoipa::path(delete, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let ev = expected(None, &headers)?;
    state
        .app
        .delete_case(caller.user.id, case_id(&id)?, ev)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/cases/{id}/notes`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    text: String,
    /// The users the note mentions: each must be able to open the case, and is notified.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    mention_ids: Vec<UserId>,
    expected_version: Option<i64>,
}

/// Adds an internal note; each user it mentions (`mention_ids`) must be able to open the case
/// (else 422 naming them, and nothing is written) and gets a `mentioned` notification.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "cases", params(("id" = String, Path)), request_body = NoteBody,
    responses((status = 201, body = MessageBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_case_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<NoteBody>,
) -> ApiResult<(StatusCode, Json<MessageBody>)> {
    let ev = expected(body.expected_version, &headers)?;
    let note = state
        .app
        .add_note(
            caller.user.id,
            case_id(&id)?,
            &body.text,
            &body.mention_ids,
            ev,
        )
        .await?;
    let stored = state.app.message_for(&caller.user, note).await?;
    Ok((StatusCode::CREATED, Json(MessageBody::from(&stored))))
}

/// `POST /api/v1/cases/{id}/replies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    text: String,
    /// reply, comment or direct.
    #[schema(value_type = String)]
    kind: ReplyKind,
    #[schema(value_type = Option<String>)]
    in_reply_to: Option<MessageId>,
    /// pending or on_hold, set in the same action.
    #[schema(value_type = Option<String>)]
    set_status: Option<CaseStatus>,
    expected_version: Option<i64>,
    /// The caller's uploads sent with it (`POST /api/v1/media`), one at most.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    attachment_ids: Vec<MediaId>,
}

/// The assignee queues a reply; it is sent through the outbox.
#[utoipa::path(post, path = "/api/v1/cases/{id}/replies", tag = "cases", params(("id" = String, Path)), request_body = ReplyBody,
    responses((status = 202, body = MessageBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_case_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<ReplyBody>,
) -> ApiResult<(StatusCode, Json<MessageBody>)> {
    let ev = expected(body.expected_version, &headers)?;
    let request = ReplyRequest {
        text: body.text,
        kind: body.kind,
        in_reply_to: body.in_reply_to,
        set_status: body.set_status,
        attachment_ids: body.attachment_ids,
    };
    let message = state
        .app
        .queue_reply(caller.user.id, case_id(&id)?, request, ev)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(MessageBody::from(&message))))
}
