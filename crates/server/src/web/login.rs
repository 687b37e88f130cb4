//! Signing in and out at the browser. A successful sign-in sets the same HttpOnly session cookie
//! as the API's; a form posted from another site is refused (its `Origin` must be ours).

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use caredesk_domain::Refusal;
use serde::Deserialize;

use super::{render, WebUser};
use crate::caller::SESSION_COOKIE;
use crate::client_address::ClientAddress;
use crate::AppState;

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    email: String,
    error: Option<String>,
}

/// `GET /login`.
pub(crate) async fn page() -> Response {
    render(&LoginPage {
        email: String::new(),
        error: None,
    })
}

/// The sign-in form.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

/// True when the request comes from a page of this site (or says nothing of its origin).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
}

/// `POST /login`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<Credentials>,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "sign in from this site's own page").into_response();
    }
    match state.app.login(&form.email, &form.password, &address).await {
        Ok(outcome) => {
            let cookie = Cookie::build((SESSION_COOKIE, outcome.token))
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.secure_cookies)
                .path("/")
                .build();
            (jar.add(cookie), Redirect::to("/home")).into_response()
        }
        Err(error) => {
            let (status, message) = match error.refusal() {
                Some(Refusal::RateLimited { retry_after_secs }) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many attempts. Try again in {} minutes.",
                        ((retry_after_secs + 59) / 60).max(1)
                    ),
                ),
                Some(_) => (
                    StatusCode::UNAUTHORIZED,
                    "That e-mail and password do not match an active account.".to_owned(),
                ),
                None => {
                    tracing::error!(%error, "web: sign-in failed");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Signing in is not possible right now. Try again in a moment.".to_owned(),
                    )
                }
            };
            let page = LoginPage {
                email: form.email,
                error: Some(message),
            };
            (status, render(&page)).into_response()
        }
    }
}

/// The sign-out form.
#[derive(Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

/// `POST /logout`: ends the session and clears the cookie.
pub(crate) async fn logout(
    State(state): State<AppState>,
    who: WebUser,
    jar: CookieJar,
    Form(form): Form<SignOut>,
) -> Response {
    if !who.csrf_matches(&form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            "the form has expired; reload the page",
        )
            .into_response();
    }
    if let Err(error) = state.app.logout(&who.token).await {
        tracing::warn!(%error, "web: sign-out could not revoke the session");
    }
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response()
}
