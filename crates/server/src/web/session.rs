//! Who is at the browser: the session cookie, checked like the API's; a page asked for without a
//! valid session redirects to the sign-in page, and a form that changes something must carry
//! the session's CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use caredesk_domain::User;

use crate::caller::SESSION_COOKIE;
use crate::AppState;

/// The signed-in user of a page request.
pub(crate) struct WebUser {
    /// The user (active).
    pub user: User,
    /// The session's CSRF token, for forms and the script's API calls.
    pub csrf: String,
    /// The session token (for sign-out).
    pub token: String,
}

impl WebUser {
    /// True when `sent` is this session's CSRF token (compared in constant time).
    pub fn csrf_matches(&self, sent: &str) -> bool {
        crate::caller::same_secret(sent, &self.csrf)
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let jar = CookieJar::from_headers(&parts.headers);
        let to_login = || Redirect::to("/login").into_response();
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_owned())
            .ok_or_else(to_login)?;
        match state.app.authenticate(&token).await {
            Ok(session) => Ok(WebUser {
                user: session.user,
                csrf: session.csrf_token,
                token,
            }),
            Err(error) if error.refusal().is_some() => Err(to_login()),
            Err(error) => {
                tracing::error!(%error, "web: the session could not be checked");
                Err(crate::ApiError::from(error).into_response())
            }
        }
    }
}
