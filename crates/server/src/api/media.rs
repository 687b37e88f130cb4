//! `POST /api/v1/media`: a Care user's file for a reply (the raw body, 25 MiB at most), and
//! `GET /api/v1/media/{id}`: a kept file, to users who may see the message that holds it or,
//! for a customer's picture, to the users of the profiles the customer wrote to (404 for
//! everyone else). Pictures, video and sound are shown inline; everything else — HTML and
//! SVG above all — is a download, never sniffed, and sandboxed should a browser open it anyway.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caredesk_app::media::Upload;
use caredesk_domain::MediaId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::RawBody;
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

/// An upload, ready to be named in a reply's `attachment_ids`.
#[derive(Serialize, ToSchema)]
pub struct UploadBody {
    /// Its id.
    id: String,
    /// image, gif, video, audio or file.
    kind: String,
    /// Its content type, by its bytes.
    mime: String,
    /// Its size in bytes.
    size: i64,
}

/// The `filename` of a query string, percent-decoded.
fn filename(raw: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw?).ok()?;
    pairs
        .into_iter()
        .find(|(key, _)| key == "filename")
        .map(|(_, value)| value)
}

/// Keeps a file to send with a reply: the raw file as the body, with its `Content-Type`.
#[utoipa::path(post, path = "/api/v1/media", tag = "media",
    params(("filename" = Option<String>, Query, description = "The file's name")),
    request_body(content_type = "application/octet-stream", description = "The file's bytes, 25 MiB at most"),
    responses((status = 201, body = UploadBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn upload_media(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<UploadBody>)> {
    let announced = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let upload = Upload {
        bytes: body,
        announced,
        filename: filename(query.as_deref()),
    };
    let media = state.app.upload_media(caller.user.id, upload).await?;
    let answer = UploadBody {
        id: media.id.to_string(),
        kind: media.kind.as_str().to_owned(),
        mime: media.mime.unwrap_or_default(),
        size: media.size.unwrap_or_default(),
    };
    Ok((StatusCode::CREATED, Json(answer)))
}
