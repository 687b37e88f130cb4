//! Request bodies: JSON only, 1 MiB at most, with refusals in the error envelope — 413 when too
//! large, 400 `invalid_json` when it is not JSON, 422 `validation_failed` when it is not an
//! object or its fields are missing or of the wrong type. The body is checked before anything
//! else about the request's target, in the order of API.md.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest API request body.
pub const MAX_API_BODY: usize = 1024 * 1024;

/// A JSON body, refused in the error envelope.
pub struct Body<T>(pub T);

/// A JSON body that may be absent: no body (or an empty one) is `None`.
pub struct OptionalBody<T>(pub Option<T>);

/// A body of any type (an upload), its refusals in the error envelope.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        read(req).await.map(|(_, bytes)| RawBody(bytes))
    }
}

async fn read(req: Request) -> Result<(bool, Bytes), ApiError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    let bytes = Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large()
        } else {
            ApiError::bad_request(e.body_text())
        }
    })?;
    Ok((is_json, bytes))
}

/// For a `PATCH` field that `null` clears: absent stays `None` (with `#[serde(default)]`),
/// `null` is `Some(None)`, a value is `Some(Some(value))`.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Parses in two steps so that broken JSON (400) and well-formed JSON of the wrong shape (422)
/// are told apart whatever the target type. Every body of the API is an object: an array (which
/// serde would otherwise read field by field in order) or a bare value is 422.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::invalid_json(format!("the body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::validation("the body must be a JSON object"));
    }
    serde_json::from_value(value).map_err(|e| ApiError::validation(e.to_string()))
}

impl<S, T> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (is_json, bytes) = read(req).await?;
        if !is_json {
            return Err(ApiError::invalid_json(
                "send a JSON body with Content-Type: application/json",
            ));
        }
        parse(&bytes).map(Body)
    }
}

impl<S, T> FromRequest<S> for OptionalBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (_, bytes) = read(req).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalBody(None));
        }
        parse(&bytes).map(|v| OptionalBody(Some(v)))
    }
}
