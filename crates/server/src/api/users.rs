//! Users: any signed-in user reads the list (the assignee picker needs it); e-mail addresses,
//! roles and connections are for admins (and each user's own). Admins add and change users;
//! supervisors change capacity and connections to their own profiles.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_app::queries::{Standing, UserView};
use caredesk_app::{NewUserInput, UserPatch};
use caredesk_domain::availability::Presence;
use caredesk_domain::{CareAccess, ProfileId, Role, UserId};
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::{UserBody, UserList};
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// Every user, with their load against their capacity.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<UserList>> {
    let users = state.app.list_users(&caller.user).await?;
    Ok(Json(UserList {
        items: users.iter().map(UserBody::seen).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/users`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    email: String,
    name: String,
    password: String,
    /// admin or member.
    #[schema(value_type = String)]
    role: Role,
    /// none, agent or supervisor (admins are always supervisors).
    #[schema(value_type = String)]
    care_access: CareAccess,
    capacity: Option<u32>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    profile_ids: BTreeSet<ProfileId>,
}

/// Adds a user (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserBody,
    responses((status = 201, body = UserBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewUserBody>,
) -> ApiResult<(StatusCode, Json<UserBody>)> {
    let input = NewUserInput {
        email: body.email,
        name: body.name,
        password: body.password,
        role: body.role,
        care_access: body.care_access,
        capacity: body.capacity,
        profile_ids: body.profile_ids,
    };
    let user = state.app.create_user(Some(caller.user.id), input).await?;
    let standing = Standing {
        load: 0,
        presence: Presence::Offline,
    };
    Ok((
        StatusCode::CREATED,
        Json(UserBody::of(&user, standing, true)),
    ))
}

/// `PATCH /api/v1/users/{id}`: admins change everything; supervisors change capacity and
/// connections to their own profiles, never an admin's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchBody {
    email: Option<String>,
    name: Option<String>,
    #[schema(value_type = Option<String>)]
    role: Option<Role>,
    #[schema(value_type = Option<String>)]
    care_access: Option<CareAccess>,
    capacity: Option<u32>,
    active: Option<bool>,
    /// A new password (admins); the user's sessions end.
    password: Option<String>,
    #[schema(value_type = Option<Vec<String>>)]
    profile_ids: Option<BTreeSet<ProfileId>>,
}

/// Changes a user.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserPatchBody,
    responses((status = 200, body = UserBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<UserPatchBody>,
) -> ApiResult<Json<UserBody>> {
    let id: UserId = id.parse().map_err(|_| ApiError::not_found())?;
    let patch = UserPatch {
        email: body.email,
        name: body.name,
        role: body.role,
        care_access: body.care_access,
        capacity: body.capacity,
        active: body.active,
        password: body.password,
        profile_ids: body.profile_ids,
    };
    let user = state.app.update_user(caller.user.id, id, patch).await?;
    let standing = state.app.standing_of(&user).await?;
    Ok(Json(UserBody::seen(&UserView::seen_by(
        &caller.user,
        user,
        standing,
    ))))
}
