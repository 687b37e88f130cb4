//! How a call to a network's API says whose it is: the profile's token as an OAuth 2 bearer
//! (Meta's page tokens, X's OAuth 2 user tokens), or an OAuth 1.0a user-context signature (X
//! profiles that hold an access token secret), made afresh for each request from its method, URL
//! and form parameters with a new nonce and the current time. The header is marked sensitive and
//! the credentials have no readable `Debug`: none of them reaches a reason or a log.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::x::oauth1::{self, Credentials};

/// The credentials a call carries in its `Authorization` header.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: OAuth …`, signed per RFC 5849 (HMAC-SHA1).
    OAuth1(Credentials<'a>),
}

impl fmt::Debug for Auth<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Auth::OAuth1(_) => f.write_str("OAuth1(<redacted>)"),
        }
    }
}

impl Auth<'_> {
    /// The scheme the header names: `Bearer` or `OAuth`.
    pub fn scheme(&self) -> &'static str {
        match self {
            Auth::Bearer(_) => "Bearer",
            Auth::OAuth1(_) => "OAuth",
        }
    }

    /// The `Authorization` value of a `method` request to `url` whose
    /// `application/x-www-form-urlencoded` body holds `form` (empty for any other body: JSON and
    /// multipart bodies are not signed). An OAuth 1.0a signature also covers `url`'s query
    /// parameters, and is made with a fresh nonce at the current time.
    pub fn value(&self, method: &str, url: &Url, form: &[(&str, &str)]) -> String {
        match self {
            Auth::Bearer(token) => format!("Bearer {token}"),
            Auth::OAuth1(credentials) => {
                oauth1::authorization(method, url, form, credentials, &nonce(), now())
            }
        }
    }

    /// [`value`](Self::value) as a header value marked sensitive, or why it cannot be one (the
    /// words never hold the credentials).
    pub(crate) fn header(
        &self,
        method: &str,
        url: &Url,
        form: &[(&str, &str)],
    ) -> Result<HeaderValue, String> {
        let mut value = HeaderValue::from_str(&self.value(method, url, form)).map_err(|_| {
            format!(
                "the profile's credentials cannot travel in an {} Authorization header \
                 (a control character in the token?)",
                self.scheme()
            )
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// A fresh nonce: 128 random bits in hex.
pub(crate) fn nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The current time in Unix seconds.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
