//! Retrying and cancelling replies: in Care by the case's assignee while it is open, in
//! Community by any member of the profile.

use axum::extract::{Path, State};
use axum::Json;
use caredesk_domain::MessageId;

use super::dto::MessageBody;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::AppState;

fn message_id(id: &str) -> ApiResult<MessageId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// Sends a failed, unknown or waiting reply again.
#[utoipa::path(post, path = "/api/v1/messages/{id}/retry", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, body = MessageBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageBody>> {
    let message = state
        .app
        .retry_reply(caller.user.id, message_id(&id)?)
        .await?;
    Ok(Json(MessageBody::from(&message)))
}

/// Cancels a failed, unknown or waiting reply: it is never sent.
#[utoipa::path(post, path = "/api/v1/messages/{id}/cancel", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, body = MessageBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageBody>> {
    let message = state
        .app
        .cancel_reply(caller.user.id, message_id(&id)?)
        .await?;
    Ok(Json(MessageBody::from(&message)))
}
