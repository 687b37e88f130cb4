//! The web app for people at a browser: server-rendered pages (askama templates, escaped by
//! default) under a strict Content-Security-Policy, signed in with the same HttpOnly session
//! cookie as the JSON API. Pages read through the use cases; the small script in
//! `assets/app.js` performs actions through the JSON API (with the session's CSRF token) and keeps
//! pages live from the SSE stream.

mod assets;
mod attachments;
mod care;
mod care_case;
mod care_conversation;
mod care_events;
mod care_list;
mod care_panel;
mod care_salesforce;
mod community;
mod community_item;
mod community_list;
mod composer;
mod forms;
mod home;
mod layout;
mod login;
mod profile;
mod reports;
mod session;
mod settings;
mod settings_replies;
mod sla_badge;
mod words;

use askama::Template;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::AppState;

pub(crate) use session::WebUser;

/// The policy every page is served with: only this origin's scripts, styles and connections; no
/// inline script, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: https:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Renders a page, or a plain 500 that says nothing internal (the cause is logged).
pub(crate) fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Html(html),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

/// The pages and their assets.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/home") }))
        .route("/login", get(login::page).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route("/home", get(home::page))
        .route("/community", get(community::page))
        .route("/community/list", get(community::fragment))
        .route("/community/items/{id}", get(community::item))
        .route("/settings", get(settings::page))
        .route("/reports", get(reports::page))
        .route("/profile", get(profile::page))
        .route("/care", get(care::list))
        .route("/care/cases/{number}", get(care::case))
        .route("/assets/{file}", get(assets::serve))
        .layer(middleware::from_fn(security_headers))
}
