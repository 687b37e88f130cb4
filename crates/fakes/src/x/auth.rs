//! Whose a call to the X fake is, as X API v2 decides it for user-context calls: either
//! `Authorization: Bearer <token>` with a known account's token, or `Authorization: OAuth …`
//! signed with OAuth 1.0a (HMAC-SHA1) by the fake's consumer key and secret and a known account's
//! access token (its bearer token) and token secret, over the method, the URL with its query and,
//! for an `application/x-www-form-urlencoded` body only, the form's pairs; stamped within five
//! minutes of now, with a nonce not used before with that token and timestamp (RFC 5849 §3.3).
//! A revoked token is refused either way. The check is the desk's own signing code
//! ([`caredesk_networks::x::oauth1`]), whose tests pin it to the published worked examples.
//! Every accepted call is kept ([`XCall`]), so tests can see which scheme it came with.

use std::collections::HashSet;
use std::sync::Mutex;

use axum::http::{header, HeaderMap, Method, Uri};
use caredesk_networks::x::oauth1::Presented;
use reqwest::Url;

use super::{FakeAccount, XState};
use crate::{clock, lock};

/// How far a signature's timestamp may be from now, in seconds.
const CLOCK_SKEW: i64 = 300;

/// The credentials an accepted call came with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAuth {
    /// An OAuth 2 user-context bearer token.
    Bearer,
    /// An OAuth 1.0a user-context signature.
    OAuth1,
}

/// A call the fake accepted the credentials of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XCall {
    /// `GET` or `POST`.
    pub method: String,
    /// The path it was made to, e.g. `/2/tweets`.
    pub path: String,
    /// The user id of the account it was made for.
    pub account: String,
    /// How it said whose it was.
    pub auth: XAuth,
}

/// What the fake keeps of the calls it authorizes.
#[derive(Debug, Default)]
pub(super) struct Gate {
    /// `(token, timestamp, nonce)` of the signatures accepted that are still fresh.
    nonces: Mutex<HashSet<(String, i64, String)>>,
    /// The accepted calls, oldest first.
    calls: Mutex<Vec<XCall>>,
}

impl Gate {
    pub(super) fn calls(&self) -> Vec<XCall> {
        lock(&self.calls).clone()
    }
}

/// The parts of a request its authorization is checked against.
#[derive(Clone, Copy)]
pub(super) struct Request<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The account a call is made for, by a bearer token or an OAuth 1.0a signature; `None` for
/// anything else (X's 401).
pub(super) fn caller<'s>(state: &'s XState, request: Request<'_>) -> Option<&'s FakeAccount> {
    let value = request
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())?;
    match value.strip_prefix("Bearer ").map(str::trim) {
        Some(token) => bearer(state, token).inspect(|a| kept(state, request, a, XAuth::Bearer)),
        None => signer(state, request),
    }
}

/// The account of a request signed with OAuth 1.0a; a bearer token is not enough (X's
/// direct-message media).
pub(super) fn signer<'s>(state: &'s XState, request: Request<'_>) -> Option<&'s FakeAccount> {
    let presented = request
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(Presented::parse)?;
    let host = request
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let url = Url::parse(&format!("http://{host}{}", request.uri)).ok()?;
    let form = form_pairs(request);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (&**k, &**v)).collect();
    let now = clock::secs();
    let timestamp = presented.get("oauth_timestamp")?.parse::<i64>().ok()?;
    let fresh = (now - timestamp).abs() <= CLOCK_SKEW;
    let token = presented.get("oauth_token")?;
    let nonce = presented.get("oauth_nonce").filter(|n| !n.is_empty())?;
    let account = state
        .accounts
        .iter()
        .find(|a| a.bearer_token == token && !a.token_secret.is_empty())?;
    let valid = fresh
        && !lock(&state.controls.book).revoked.contains(token)
        && !state.consumer_secret.is_empty()
        && presented.get("oauth_consumer_key") == Some(state.consumer_key.as_str())
        && presented.signature_valid(
            request.method.as_str(),
            &url,
            &form,
            &state.consumer_secret,
            &account.token_secret,
        );
    let first_use = valid && {
        let mut nonces = lock(&state.gate.nonces);
        // A stale timestamp is refused anyway: its nonces need not be kept.
        nonces.retain(|(_, at, _)| (now - at).abs() <= CLOCK_SKEW);
        nonces.insert((token.into(), timestamp, nonce.into()))
    };
    first_use.then(|| {
        kept(state, request, account, XAuth::OAuth1);
        account
    })
}

/// The known, unrevoked account whose bearer token `token` is.
fn bearer<'s>(state: &'s XState, token: &str) -> Option<&'s FakeAccount> {
    if token.is_empty() || lock(&state.controls.book).revoked.contains(token) {
        return None;
    }
    state.accounts.iter().find(|a| a.bearer_token == token)
}

/// The pairs of an `application/x-www-form-urlencoded` body; none for any other body.
fn form_pairs(request: Request<'_>) -> Vec<(String, String)> {
    let is_form = request
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Vec::new();
    }
    serde_urlencoded::from_bytes(request.body).unwrap_or_default()
}

fn kept(state: &XState, request: Request<'_>, account: &FakeAccount, auth: XAuth) {
    lock(&state.gate.calls).push(XCall {
        method: request.method.to_string(),
        path: request.uri.path().to_owned(),
        account: account.user_id.clone(),
        auth,
    });
}
