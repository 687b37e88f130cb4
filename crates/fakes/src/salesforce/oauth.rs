//! The fake's OAuth token endpoint, `POST /services/oauth2/token`, form-encoded: the
//! client-credentials grant (consumer key and secret in the form or in HTTP Basic), the
//! refresh-token grant (the one refresh token the fake was configured with, until revoked) and
//! the JWT-bearer grant (`iss` must be the consumer key, `sub` set and `exp` ahead; the
//! signature is not verified). Failures are OAuth error objects, never REST error arrays.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

use super::SfState;
use crate::server::Hangup;
use crate::{clock, ids, lock};

/// The path of the token endpoint.
pub(super) const TOKEN_PATH: &str = "/services/oauth2/token";

/// The org id the fake's tokens and identity URLs name.
const ORG_ID: &str = "00DFk0000000001EAA";
/// The integration user the fake's sessions run as.
const USER_ID: &str = "005Fk0000000001AAA";

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

fn bad_request(error: &str, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// `client_id` and `client_secret` from the form, else from HTTP Basic.
fn client<'a>(
    form: &'a HashMap<String, String>,
    basic: Option<&'a (String, String)>,
) -> (Option<&'a str>, Option<&'a str>) {
    let id = form.get("client_id").map(String::as_str);
    let secret = form.get("client_secret").map(String::as_str);
    match basic {
        Some((basic_id, basic_secret)) if id.is_none() => (Some(basic_id), Some(basic_secret)),
        _ => (id, secret),
    }
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Whether the JWT's claims name the consumer key, a user and a future expiry.
fn jwt_acceptable(assertion: &str, client_id: &str) -> bool {
    let mut parts = assertion.split('.');
    let claims = parts
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    let Some(claims) = claims else {
        return false;
    };
    let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    text("iss") == client_id && !text("sub").is_empty() && exp > clock::secs()
}

/// The token endpoint's answer to one form.
fn grant(state: &SfState, headers: &HeaderMap, body: &[u8]) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let basic = basic_auth(headers);
    let (id, secret) = client(&form, basic.as_ref());
    let check_client = || {
        if id != Some(state.client_id.as_str()) {
            Err(("invalid_client_id", "client identifier invalid"))
        } else if secret != Some(state.client_secret.as_str()) {
            Err(("invalid_client", "invalid client credentials"))
        } else {
            Ok(())
        }
    };
    let checked = match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => check_client(),
        Some("refresh_token") => check_client().and_then(|()| {
            let given = form.get("refresh_token").map(String::as_str);
            let org = lock(&state.org);
            if org.refresh_revoked || given != Some(state.refresh_token.as_str()) {
                Err(("invalid_grant", "expired access/refresh token"))
            } else {
                Ok(())
            }
        }),
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            let assertion = form.get("assertion").map(String::as_str);
            if jwt_acceptable(assertion.unwrap_or_default(), &state.client_id) {
                Ok(())
            } else {
                Err(("invalid_grant", "invalid assertion"))
            }
        }
        _ => Err(("unsupported_grant_type", "grant type not supported")),
    };
    if let Err((error, description)) = checked {
        return bad_request(error, description);
    }
    let token = format!("{}!AQ{}", &ORG_ID[..15], ids::fresh());
    lock(&state.org).tokens.insert(token.clone());
    let base = state.base_url();
    let issued_at = clock::millis().to_string();
    let identity = format!("{base}/id/{ORG_ID}/{USER_ID}");
    // Salesforce signs `id + issued_at` with the consumer secret; the fake's is only its shape.
    let signature = STANDARD.encode(format!("{identity}{issued_at}"));
    let answer = json!({
        "access_token": token,
        "instance_url": base,
        "id": identity,
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": signature,
        "scope": "api",
    });
    (
        StatusCode::OK,
        [(
            "cache-control",
            "no-cache,must-revalidate,max-age=0,no-store,private",
        )],
        Json(answer),
    )
        .into_response()
}

pub(super) async fn token(
    State(state): State<Arc<SfState>>,
    Extension(hangup): Extension<Hangup>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state
        .serve("POST", TOKEN_PATH, &hangup, false, || {
            grant(&state, &headers, &body)
        })
        .await
}
