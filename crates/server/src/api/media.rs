//! `GET /api/v1/media/{id}`: a kept file, to users who may see the message that holds it or,
//! for a customer's picture, to the users of the profiles the customer wrote to (404 for
//! everyone else). Pictures, video and sound are shown inline; everything else — HTML and
//! SVG above all — is a download, never sniffed, and sandboxed should a browser open it anyway.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use caredesk_domain::MediaId;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::AppState;

/// The bytes of a kept file.
#[utoipa::path(get, path = "/api/v1/media/{id}", tag = "media", params(("id" = String, Path)),
    responses((status = 200, description = "The file's bytes, with its content type", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_media(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id: MediaId = id.parse().map_err(|_| ApiError::not_found())?;
    let file = state.app.media_file(caller.user.id, id).await?;
    let content_type = HeaderValue::from_str(&file.mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = if file.inline {
        HeaderValue::from_static("inline")
    } else {
        let name: String = file
            .filename
            .as_deref()
            .unwrap_or("attachment")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
            .take(100)
            .collect();
        let name = if name.trim().is_empty() {
            "attachment".to_owned()
        } else {
            name
        };
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
    };
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=86400"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox; default-src 'none'"),
        ),
    ];
    Ok((headers, file.bytes).into_response())
}
