//! Network apps (admins): their list, creation, partial change and deletion. Secrets are
//! write-only: they are accepted, stored, and never answered.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::{NetworkAppInput, NetworkAppPatch};
use caredesk_domain::{AppNetwork, NetworkApp, NetworkAppId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// A network app, without its secrets.
#[derive(Serialize, ToSchema)]
pub struct AppBody {
    id: String,
    network: String,
    name: String,
}

impl From<&NetworkApp> for AppBody {
    fn from(a: &NetworkApp) -> Self {
        AppBody {
            id: a.id.to_string(),
            network: a.network.to_string(),
            name: a.name.clone(),
        }
    }
}

/// A list of network apps.
#[derive(Serialize, ToSchema)]
pub struct AppList {
    items: Vec<AppBody>,
    next_cursor: Option<String>,
}

/// Every network app (admins).
#[utoipa::path(get, path = "/api/v1/network-apps", tag = "directory",
    responses((status = 200, body = AppList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_network_apps(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AppList>> {
    let apps = state.app.network_apps_for(&caller.user).await?;
    Ok(Json(AppList {
        items: apps.iter().map(AppBody::from).collect(),
        next_cursor: None,
    }))
}

/// A network app to create, or the parts of one to change (empty secrets keep the old ones).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppInput {
    /// meta or x.
    #[schema(value_type = String)]
    network: AppNetwork,
    name: String,
    /// Meta app secret (Meta apps).
    #[serde(default)]
    app_secret: String,
    /// Meta webhook verify token.
    #[serde(default)]
    verify_token: String,
    /// X consumer key.
    #[serde(default)]
    consumer_key: String,
    /// X consumer secret (X apps; stored as the signing secret).
    #[serde(default)]
    consumer_secret: String,
}

impl AppInput {
    fn into_input(self) -> NetworkAppInput {
        let secret = if self.network == AppNetwork::X {
            self.consumer_secret
        } else {
            self.app_secret
        };
        NetworkAppInput {
            network: self.network,
            name: self.name,
            app_secret: secret,
            verify_token: self.verify_token,
            consumer_key: self.consumer_key,
        }
    }
}

/// Adds a network app (admins).
#[utoipa::path(post, path = "/api/v1/network-apps", tag = "directory", request_body = AppInput,
    responses((status = 201, body = AppBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_network_app(
    State(state): State<AppState>,
    caller: Caller,
    Body(input): Body<AppInput>,
) -> ApiResult<(StatusCode, Json<AppBody>)> {
    let app = state
        .app
        .create_network_app(Some(caller.user.id), input.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(AppBody::from(&app))))
}

/// The parts of a network app to change; what is absent stays. The network cannot change; empty
/// secrets keep the old ones.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppPatchBody {
    /// Must be the app's own (meta or x).
    #[schema(value_type = Option<String>)]
    network: Option<AppNetwork>,
    name: Option<String>,
    /// Meta app secret (Meta apps).
    app_secret: Option<String>,
    /// Meta webhook verify token.
    verify_token: Option<String>,
    /// X consumer key.
    consumer_key: Option<String>,
    /// X consumer secret (X apps; stored as the signing secret).
    consumer_secret: Option<String>,
}

impl AppPatchBody {
    fn into_patch(self) -> NetworkAppPatch {
        NetworkAppPatch {
            network: self.network,
            name: self.name,
            app_secret: self.consumer_secret.or(self.app_secret),
            verify_token: self.verify_token,
            consumer_key: self.consumer_key,
        }
    }
}

/// Renames a network app or replaces its secrets (admins).
#[utoipa::path(patch, path = "/api/v1/network-apps/{id}", tag = "directory", params(("id" = String, Path)), request_body = AppPatchBody,
    responses((status = 200, body = AppBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_network_app(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<AppPatchBody>,
) -> ApiResult<Json<AppBody>> {
    let id: NetworkAppId = id.parse().map_err(|_| ApiError::not_found())?;
    let app = state
        .app
        .update_network_app(caller.user.id, id, patch.into_patch())
        .await?;
    Ok(Json(AppBody::from(&app)))
}

/// Deletes a network app that no profile uses (admins).
#[utoipa::path(delete, path = "/api/v1/network-apps/{id}", tag = "directory", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_network_app(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: NetworkAppId = id.parse().map_err(|_| ApiError::not_found())?;
    state.app.delete_network_app(caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
