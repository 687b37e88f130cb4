//! The networks' webhooks (no sign-in: authenticated by signature). Each network's adapter
//! (`caredesk_networks::registry`) answers its subscription handshake and checks the signature
//! over the raw bytes against every app of its platform before anything is parsed; a bad or
//! missing one is 401 and nothing is stored. A delivery answers 200 only after every update in
//! it is routed and committed; concurrent deliveries share a commit through the group committer
//! (`AppState::deliveries`). Bodies of up to 16 MiB are accepted.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caredesk_domain::{AppNetwork, NetworkApp};
use caredesk_networks::adapter::{Handshake, HandshakeRefusal, Received, Rejected};
use caredesk_networks::registry;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::RawBody;
use crate::query::Query;
use crate::AppState;

/// The largest webhook body.
pub const MAX_WEBHOOK_BODY: usize = 16 * 1024 * 1024;

fn bad_signature() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_signature",
        "the signature does not match any app's secret",
    )
}

async fn apps_of(state: &AppState, network: AppNetwork) -> ApiResult<Vec<NetworkApp>> {
    Ok(state.app.network_apps_of(network).await?)
}

/// The platform's answer to its subscription handshake.
async fn handshake(
    state: &AppState,
    platform: AppNetwork,
    query: &HashMap<String, String>,
) -> ApiResult<Response> {
    let apps = apps_of(state, platform).await?;
    match registry::adapter(platform).handshake(query, &apps) {
        Ok(Handshake::Text(text)) => Ok(text.into_response()),
        Ok(Handshake::Json(value)) => Ok(Json(value).into_response()),
        Err(HandshakeRefusal::Forbidden(why)) => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", why))
        }
        Err(HandshakeRefusal::BadRequest(why)) => Err(ApiError::bad_request(why)),
        Err(HandshakeRefusal::UnknownApp) => Err(ApiError::not_found()),
    }
}

/// Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is a Meta
/// app's verify token.
#[utoipa::path(get, path = "/webhooks/meta", tag = "webhooks",
    params(("hub.mode" = String, Query), ("hub.verify_token" = String, Query), ("hub.challenge" = String, Query)),
    responses((status = 200, body = String, content_type = "text/plain"), (status = 403, body = ErrorBody)))]
pub async fn verify_meta(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    handshake(&state, AppNetwork::Meta, &query).await
}

/// X's CRC: answers `sha256=<base64 HMAC>` of `crc_token` with the consumer secret of the X app
/// named by `app` (the id in the webhook URL the profiles API shows), or of the only X app.
#[utoipa::path(get, path = "/webhooks/x", tag = "webhooks",
    params(("crc_token" = String, Query), ("app" = Option<String>, Query, description = "The X app's id; needed when several X apps are configured")),
    responses((status = 200, body = CrcAnswer), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn crc_x(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    handshake(&state, AppNetwork::X, &query).await
}

/// Verifies, parses and commits a delivery of the platform.
async fn receive(
    state: &AppState,
    platform: AppNetwork,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Json<DeliveryReceipt>> {
    let network = platform.as_str();
    let apps = apps_of(state, platform).await?;
    let Received {
        signer,
        updates,
        skipped,
    } = registry::adapter(platform)
        .receive(&apps, headers, body)
        .map_err(|rejected| match rejected {
            Rejected::BadSignature => bad_signature(),
            Rejected::NotADelivery => {
                ApiError::invalid_json("the body is not a delivery of this network")
            }
        })?;
    for (kind, n) in &skipped.kinds {
        state.metrics.webhook_skipped(network, kind, *n);
    }
    let report = state.deliveries.submit(signer.id, updates).await?;
    for (kind, n) in [
        ("stored", report.stored),
        ("known", report.known),
        ("unknown_edit", report.unknown_edits),
        ("foreign", report.foreign),
        ("unrelated", report.unrelated),
        ("to_look_up", report.to_look_up),
    ] {
        state.metrics.webhook_updates(network, kind, n);
    }
    if report.foreign > 0 {
        tracing::warn!(network, app.id = %signer.id, updates = report.foreign, "webhook: updates for profiles this app does not serve were dropped");
    }
    Ok(Json(DeliveryReceipt {
        stored: report.stored,
        known: report.known,
        to_look_up: report.to_look_up,
        skipped: skipped.total() + report.unknown_edits + report.foreign + report.unrelated,
    }))
}

/// What a delivery did: updates stored, already known, waiting on a look-up, and skipped.
#[derive(Serialize, ToSchema)]
pub struct DeliveryReceipt {
    stored: u32,
    known: u32,
    to_look_up: u32,
    skipped: u32,
}

/// X's challenge-response check answered.
#[derive(Serialize, ToSchema)]
pub struct CrcAnswer {
    /// `sha256=<base64 HMAC-SHA256 of crc_token under the consumer secret>`.
    response_token: String,
}

/// A Meta delivery (Facebook Pages, Messenger, Instagram), signed with `X-Hub-Signature-256`.
#[utoipa::path(post, path = "/webhooks/meta", tag = "webhooks", request_body = Object,
    responses((status = 200, body = DeliveryReceipt), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn receive_meta(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<DeliveryReceipt>> {
    receive(&state, AppNetwork::Meta, &headers, &body).await
}

/// An X Account Activity delivery, signed with `x-twitter-webhooks-signature`.
#[utoipa::path(post, path = "/webhooks/x", tag = "webhooks", request_body = Object,
    responses((status = 200, body = DeliveryReceipt), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn receive_x(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<DeliveryReceipt>> {
    receive(&state, AppNetwork::X, &headers, &body).await
}

/// The path a profile's network delivers to (X names its app, so the CRC knows whose secret
/// answers).
pub(crate) fn webhook_path(profile: &caredesk_domain::Profile) -> String {
    match profile.network.app_network() {
        AppNetwork::Meta => "/webhooks/meta".to_owned(),
        AppNetwork::X => format!("/webhooks/x?app={}", profile.app_id),
    }
}

/// The webhook routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify_meta, receive_meta))
        .routes(routes!(crc_x, receive_x))
}
