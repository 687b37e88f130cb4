//! The media of customers' direct messages, served as `ton.twitter.com` serves it: at
//! `GET /1.1/ton/data/dm/{message}/{media}/{name}`, and only to a request signed with OAuth 1.0a
//! (HMAC-SHA1) by the fake's consumer key and secret and an account's access token (its bearer
//! token) and token secret, stamped within five minutes of now. Anything else is X's 401
//! problem; an unknown picture is 404. The check is the desk's own signing code
//! ([`caredesk_networks::x::oauth1`]), which this crate may use since it depends on the networks
//! crate; the published worked examples pin that code down in its own tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use caredesk_networks::x::oauth1::Presented;
use reqwest::Url;

use super::XState;
use crate::fault::x_problem;
use crate::meta::media::PICTURES;
use crate::{clock, ids, lock};

/// The route of direct-message media.
pub(super) const ROUTE: &str = "/1.1/ton/data/dm/{message}/{media}/{name}";

/// How far a signature's timestamp may be from now, in seconds.
const CLOCK_SKEW: i64 = 300;

/// Where the fake at `addr` serves the picture `name` as a direct message's media.
pub(super) fn url(addr: SocketAddr, name: &str) -> String {
    let (message, media) = (ids::fresh(), ids::fresh());
    format!("http://{addr}/1.1/ton/data/dm/{message}/{media}/{name}")
}

/// `GET /1.1/ton/data/dm/{message}/{media}/{name}`.
pub(super) async fn serve(
    State(state): State<Arc<XState>>,
    Path((_message, _media, name)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !signed(&state, &uri, &headers) {
        return x_problem(401, "Unauthorized", "Unauthorized");
    }
    match PICTURES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => ([(header::CONTENT_TYPE, "image/png")], *bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// True when the request carries a valid OAuth 1.0a signature of a known, unrevoked account.
fn signed(state: &XState, uri: &Uri, headers: &HeaderMap) -> bool {
    let Some(presented) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(Presented::parse)
    else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let Ok(url) = Url::parse(&format!("http://{host}{uri}")) else {
        return false;
    };
    let fresh = presented
        .get("oauth_timestamp")
        .and_then(|t| t.parse::<i64>().ok())
        .is_some_and(|t| (clock::secs() - t).abs() <= CLOCK_SKEW);
    let Some(token) = presented.get("oauth_token") else {
        return false;
    };
    let account = state
        .accounts
        .iter()
        .find(|a| a.bearer_token == token && !a.token_secret.is_empty());
    let revoked = lock(&state.controls.book).revoked.contains(token);
    fresh
        && !revoked
        && !state.consumer_secret.is_empty()
        && presented.get("oauth_consumer_key") == Some(state.consumer_key.as_str())
        && account.is_some_and(|a| {
            presented.signature_valid("GET", &url, &[], &state.consumer_secret, &a.token_secret)
        })
}
