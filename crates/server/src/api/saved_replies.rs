//! Saved replies (API.md "Saved replies"): the shared ones and the caller's own, kept by
//! supervisors (shared) and each Care user (their own), and filled for a case. Users without
//! Care access are refused every route (403); another user's personal reply is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::{SavedReplyChange, SavedReplyInput};
use caredesk_domain::{SavedReply, SavedReplyId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::case_id;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// A saved reply.
#[derive(Serialize, ToSchema)]
pub struct SavedReplyBody {
    id: String,
    name: String,
    /// The text with its `{{variables}}` unfilled.
    text: String,
    /// Shared by the desk (else the owner's own).
    shared: bool,
    /// The owner of a personal reply; null for a shared one.
    owner_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<&SavedReply> for SavedReplyBody {
    fn from(r: &SavedReply) -> Self {
        SavedReplyBody {
            id: r.id.to_string(),
            name: r.name.clone(),
            text: r.text.clone(),
            shared: r.is_shared(),
            owner_id: r.owner.map(|o| o.to_string()),
            created_at: r.created_at.to_rfc3339(),
            updated_at: r.updated_at.to_rfc3339(),
        }
    }
}

/// The saved replies a caller may use.
#[derive(Serialize, ToSchema)]
pub struct SavedReplyList {
    items: Vec<SavedReplyBody>,
    next_cursor: Option<String>,
}

fn reply_id(id: &str) -> ApiResult<SavedReplyId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// The shared saved replies and the caller's own, by name (Care users).
#[utoipa::path(get, path = "/api/v1/saved-replies", tag = "saved replies",
    responses((status = 200, body = SavedReplyList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_saved_replies(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SavedReplyList>> {
    let replies = state.app.saved_replies_for(&caller.user).await?;
    Ok(Json(SavedReplyList {
        items: replies.iter().map(SavedReplyBody::from).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/saved-replies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSavedReplyBody {
    /// 1 to 100 characters.
    name: String,
    /// 1 to 10,000 characters; variables: `{{customer.name}}`, `{{customer.first_name}}`,
    /// `{{agent.name}}`, `{{agent.first_name}}`, `{{case.number}}`, `{{profile.name}}`.
    text: String,
    /// Shared by the desk (supervisors only); the caller's own when false.
    #[serde(default)]
    shared: bool,
}

/// Adds a saved reply: the caller's own, or a shared one (supervisors). An unknown
/// `{{variable}}` is 422 naming it.
#[utoipa::path(post, path = "/api/v1/saved-replies", tag = "saved replies", request_body = NewSavedReplyBody,
    responses((status = 201, body = SavedReplyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_saved_reply(
    State(state): State<AppState>,
    caller: Caller,
    Body(new): Body<NewSavedReplyBody>,
) -> ApiResult<(StatusCode, Json<SavedReplyBody>)> {
    let input = SavedReplyInput {
        name: new.name,
        text: new.text,
        shared: new.shared,
    };
    let reply = state.app.create_saved_reply(caller.user.id, input).await?;
    Ok((StatusCode::CREATED, Json(SavedReplyBody::from(&reply))))
}

/// `PATCH /api/v1/saved-replies/{id}`: the parts to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedReplyPatch {
    name: Option<String>,
    text: Option<String>,
    /// true shares it (supervisors); false makes it the caller's own.
    shared: Option<bool>,
}

/// Changes a saved reply the caller keeps (their own; shared ones: supervisors).
#[utoipa::path(patch, path = "/api/v1/saved-replies/{id}", tag = "saved replies", params(("id" = String, Path)), request_body = SavedReplyPatch,
    responses((status = 200, body = SavedReplyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_saved_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<SavedReplyPatch>,
) -> ApiResult<Json<SavedReplyBody>> {
    let change = SavedReplyChange {
        name: patch.name,
        text: patch.text,
        shared: patch.shared,
    };
    let reply = state
        .app
        .change_saved_reply(caller.user.id, reply_id(&id)?, change)
        .await?;
    Ok(Json(SavedReplyBody::from(&reply)))
}

/// Deletes a saved reply the caller keeps.
#[utoipa::path(delete, path = "/api/v1/saved-replies/{id}", tag = "saved replies", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_saved_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_saved_reply(caller.user.id, reply_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A saved reply filled for a case.
#[derive(Serialize, ToSchema)]
pub struct RenderedReply {
    text: String,
}

/// A saved reply's text with its variables filled for the case and the caller (nothing is
/// stored): 404 for a case the caller may not see or a reply that is not theirs to use.
#[utoipa::path(post, path = "/api/v1/cases/{id}/saved-replies/{reply_id}/render", tag = "saved replies",
    params(("id" = String, Path), ("reply_id" = String, Path)),
    responses((status = 200, body = RenderedReply), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn render_saved_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, reply)): Path<(String, String)>,
) -> ApiResult<Json<RenderedReply>> {
    let text = state
        .app
        .render_saved_reply(&caller.user, case_id(&id)?, reply_id(&reply)?)
        .await?;
    Ok(Json(RenderedReply { text }))
}
