//! Profiles (admins write; users read the ones they are connected to). Tokens are write-only:
//! they are accepted, stored, and never answered. Network apps are `network_apps`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::{ProfileHealth, ProfileInput, ProfilePatch};
use caredesk_domain::{Network, NetworkAppId, Profile, ProfileId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// A profile, without its credentials.
#[derive(Serialize, ToSchema)]
pub struct ProfileBody {
    id: String,
    network: String,
    external_id: String,
    name: String,
    app_id: String,
    /// Where the network must send webhooks (needs CAREDESK_PUBLIC_URL).
    webhook_url: Option<String>,
    /// Whether customers risk being ignored on this profile.
    health: HealthBody,
    /// New cases go to an available agent on their own.
    auto_assign: bool,
}

/// A profile's health: what the networks last said and how its replies are doing.
#[derive(Serialize, ToSchema)]
pub struct HealthBody {
    /// True when nothing below needs attention.
    healthy: bool,
    /// What is wrong, each with a sentence for people.
    problems: Vec<HealthProblemBody>,
    /// When a webhook for this profile last arrived (to the minute).
    last_webhook_at: Option<String>,
    /// Replies queued or being sent.
    replies_waiting: i64,
    /// Failed replies and replies whose delivery is unknown.
    replies_stuck: i64,
}

/// One health problem.
#[derive(Serialize, ToSchema)]
pub struct HealthProblemBody {
    /// `token_rejected`, `webhooks_silent`, `replies_piling_up` or `replies_need_attention`.
    kind: String,
    /// What it means, in words.
    message: String,
    /// The details (timestamps, counts, the network's words).
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

impl HealthBody {
    fn of(health: Option<&ProfileHealth>) -> Self {
        let Some(h) = health else {
            return HealthBody {
                healthy: true,
                problems: Vec::new(),
                last_webhook_at: None,
                replies_waiting: 0,
                replies_stuck: 0,
            };
        };
        let problems = h
            .problems
            .iter()
            .map(|p| {
                let details = serde_json::to_value(p).unwrap_or_default();
                HealthProblemBody {
                    kind: details["kind"].as_str().unwrap_or_default().to_owned(),
                    message: p.describe(),
                    details,
                }
            })
            .collect::<Vec<_>>();
        HealthBody {
            healthy: problems.is_empty(),
            problems,
            last_webhook_at: h.signals.last_webhook_at.map(|t| t.to_rfc3339()),
            replies_waiting: h.signals.replies_waiting,
            replies_stuck: h.signals.replies_stuck,
        }
    }
}

async fn health_of(state: &AppState) -> ApiResult<Vec<ProfileHealth>> {
    Ok(state.app.profile_health().await?)
}

impl ProfileBody {
    fn of(p: &Profile, public_url: Option<&str>, health: &[ProfileHealth]) -> Self {
        let path = crate::webhooks::webhook_path(p);
        ProfileBody {
            id: p.id.to_string(),
            network: p.network.to_string(),
            external_id: p.external_id.clone(),
            name: p.name.clone(),
            app_id: p.app_id.to_string(),
            webhook_url: public_url.map(|u| format!("{}{path}", u.trim_end_matches('/'))),
            health: HealthBody::of(health.iter().find(|h| h.profile_id == p.id)),
            auto_assign: p.auto_assign,
        }
    }
}

/// A list of profiles.
#[derive(Serialize, ToSchema)]
pub struct ProfileList {
    items: Vec<ProfileBody>,
    next_cursor: Option<String>,
}

/// The profiles the caller is connected to (admins: all).
#[utoipa::path(get, path = "/api/v1/profiles", tag = "directory",
    responses((status = 200, body = ProfileList), (status = 401, body = ErrorBody)))]
pub async fn list_profiles(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ProfileList>> {
    let directory = state.app.profile_directory(&caller.user).await?;
    let public = state.public_url.as_deref();
    let items = directory
        .profiles
        .iter()
        .map(|p| ProfileBody::of(p, public, &directory.health))
        .collect();
    Ok(Json(ProfileList {
        items,
        next_cursor: None,
    }))
}

/// A profile to connect, or the parts of one to change (empty credentials keep the old ones).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInputBody {
    /// facebook, instagram or x.
    #[schema(value_type = String)]
    network: Network,
    external_id: String,
    name: String,
    #[schema(value_type = String)]
    app_id: NetworkAppId,
    #[serde(default)]
    access_token: String,
    /// X only: the user token secret.
    #[serde(default)]
    token_secret: String,
}

impl ProfileInputBody {
    fn into_input(self) -> ProfileInput {
        ProfileInput {
            network: self.network,
            external_id: self.external_id,
            name: self.name,
            app_id: self.app_id,
            access_token: self.access_token,
            token_secret: self.token_secret,
        }
    }
}

/// Connects a profile (admins).
#[utoipa::path(post, path = "/api/v1/profiles", tag = "directory", request_body = ProfileInputBody,
    responses((status = 201, body = ProfileBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_profile(
    State(state): State<AppState>,
    caller: Caller,
    Body(input): Body<ProfileInputBody>,
) -> ApiResult<(StatusCode, Json<ProfileBody>)> {
    let profile = state
        .app
        .create_profile(Some(caller.user.id), input.into_input())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProfileBody::of(
            &profile,
            state.public_url.as_deref(),
            &health_of(&state).await?,
        )),
    ))
}

/// The parts of a profile to change; what is absent stays. The network and external id cannot
/// change; empty credentials keep the old ones.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatchBody {
    /// Must be the profile's own (facebook, instagram or x).
    #[schema(value_type = Option<String>)]
    network: Option<Network>,
    /// Must be the profile's own.
    external_id: Option<String>,
    name: Option<String>,
    #[schema(value_type = Option<String>)]
    app_id: Option<NetworkAppId>,
    access_token: Option<String>,
    /// X only: the user token secret.
    token_secret: Option<String>,
    /// New cases go to an available agent on their own (admins and the profile's supervisors).
    auto_assign: Option<bool>,
}

impl ProfilePatchBody {
    fn into_patch(self) -> ProfilePatch {
        ProfilePatch {
            network: self.network,
            external_id: self.external_id,
            name: self.name,
            app_id: self.app_id,
            access_token: self.access_token,
            token_secret: self.token_secret,
            auto_assign: self.auto_assign,
        }
    }
}

/// Renames a profile or replaces its credentials (admins); turns its auto-assignment on or off
/// (admins and the profile's supervisors).
#[utoipa::path(patch, path = "/api/v1/profiles/{id}", tag = "directory", params(("id" = String, Path)), request_body = ProfilePatchBody,
    responses((status = 200, body = ProfileBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<ProfilePatchBody>,
) -> ApiResult<Json<ProfileBody>> {
    let id: ProfileId = id.parse().map_err(|_| ApiError::not_found())?;
    let profile = state
        .app
        .update_profile(caller.user.id, id, patch.into_patch())
        .await?;
    let health = health_of(&state).await?;
    Ok(Json(ProfileBody::of(
        &profile,
        state.public_url.as_deref(),
        &health,
    )))
}

/// Deletes a profile that holds no messages (admins); 409 when it has history.
#[utoipa::path(delete, path = "/api/v1/profiles/{id}", tag = "directory", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: ProfileId = id.parse().map_err(|_| ApiError::not_found())?;
    state.app.delete_profile(caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
