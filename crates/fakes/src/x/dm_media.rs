//! The media of customers' direct messages, served as `ton.twitter.com` serves it: at
//! `GET /1.1/ton/data/dm/{message}/{media}/{name}`, and only to a request signed with OAuth 1.0a
//! (HMAC-SHA1) by the fake's consumer key and secret and an account's access token (its bearer
//! token) and token secret, stamped within five minutes of now, its nonce not used before
//! (checked as the API's calls are, in `auth`; a bearer token is not enough here). Anything else
//! is X's 401 problem; an unknown picture is 404.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::auth::{self, Request};
use super::XState;
use crate::fault::x_problem;
use crate::ids;
use crate::meta::media::PICTURES;

/// The route of direct-message media.
pub(super) const ROUTE: &str = "/1.1/ton/data/dm/{message}/{media}/{name}";

/// Where the fake at `addr` serves the picture `name` as a direct message's media.
pub(super) fn url(addr: SocketAddr, name: &str) -> String {
    let (message, media) = (ids::fresh(), ids::fresh());
    format!("http://{addr}/1.1/ton/data/dm/{message}/{media}/{name}")
}

/// `GET /1.1/ton/data/dm/{message}/{media}/{name}`.
pub(super) async fn serve(
    State(state): State<Arc<XState>>,
    Path((_message, _media, name)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let request = Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &[],
    };
    if auth::signer(&state, request).is_none() {
        return x_problem(401, "Unauthorized", "Unauthorized");
    }
    match PICTURES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => ([(header::CONTENT_TYPE, "image/png")], *bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
