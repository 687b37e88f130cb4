//! Signing in and out, who am I, and the changes a user makes to themselves (name, time zone). Login answers the bearer token for API clients and sets
//! the HttpOnly session cookie for the web app, with the CSRF token its unsafe requests carry.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use caredesk_app::MePatch;
use caredesk_domain::availability::PresenceChoice;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::UserBody;
use crate::caller::{Caller, SESSION_COOKIE};
use crate::client_address::ClientAddress;
use crate::error::{ApiResult, ErrorBody};
use crate::json::{present, Body};
use crate::AppState;

/// `POST /api/v1/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// Send as `X-CSRF-Token` on unsafe requests authenticated by the cookie.
    csrf_token: String,
    user: UserBody,
}

/// Signs in.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    jar: CookieJar,
    Body(body): Body<LoginBody>,
) -> ApiResult<(CookieJar, Json<LoginAnswer>)> {
    let outcome = state
        .app
        .login(&body.email, &body.password, &address)
        .await?;
    let cookie = Cookie::build((SESSION_COOKIE, outcome.token.clone()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .path("/")
        .build();
    // Signed in just now: online unless they said they are away.
    let standing = state.app.standing_of(&outcome.user).await?;
    let user = UserBody::of(&outcome.user, standing, true);
    Ok((
        jar.add(cookie),
        Json(LoginAnswer {
            token: outcome.token,
            csrf_token: outcome.csrf_token,
            user,
        }),
    ))
}

/// Signs out: the session is revoked and the cookie cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    jar: CookieJar,
) -> ApiResult<(CookieJar, StatusCode)> {
    state.app.logout(&caller.token).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserBody), (status = 401, body = ErrorBody)))]
pub async fn get_me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<UserBody>> {
    let standing = state.app.standing_of(&caller.user).await?;
    Ok(Json(UserBody::of(&caller.user, standing, true)))
}

/// `PUT /api/v1/me/presence`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceBody {
    /// `online` or `away`.
    #[schema(value_type = String)]
    status: PresenceChoice,
}

/// The signed-in user says whether they are online or away (idle users show as away, and
/// signed-out ones as offline, whatever they said).
#[utoipa::path(put, path = "/api/v1/me/presence", tag = "auth", request_body = PresenceBody,
    responses((status = 200, body = UserBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_presence(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<PresenceBody>,
) -> ApiResult<Json<UserBody>> {
    let standing = state.app.set_presence(&caller.user, body.status).await?;
    Ok(Json(UserBody::of(&caller.user, standing, true)))
}

/// `PATCH /api/v1/me`: only the fields sent change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatchBody {
    /// A new display name (not blank).
    name: Option<String>,
    /// An IANA time zone such as `Europe/Paris`; `null` shows times in the browser's zone.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    time_zone: Option<Option<String>>,
}

/// Changes the signed-in user's name or time zone; an unknown zone or a blank name is 422
/// `validation_failed` and changes nothing.
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = MePatchBody,
    responses((status = 200, body = UserBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_me(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<MePatchBody>,
) -> ApiResult<Json<UserBody>> {
    let patch = MePatch {
        name: body.name,
        time_zone: body.time_zone,
    };
    let user = state.app.update_me(caller.user.id, patch).await?;
    let standing = state.app.standing_of(&user).await?;
    Ok(Json(UserBody::of(&user, standing, true)))
}
