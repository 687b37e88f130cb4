//! OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as X takes it on API v2 calls made in a
//! user's name and wants it on direct-message media: the signature base string is the method,
//! the base URL (scheme and host in lower case, default port dropped, no query or fragment) and
//! the sorted, percent-encoded parameters (the `oauth_*` ones, the query's and a form body's,
//! never a JSON or multipart body's); the key is the percent-encoded consumer secret and token
//! secret joined by `&`. Pure: the caller brings the nonce and the time, so the published worked
//! examples are tests. The X fake verifies with the same code ([`Presented`]).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Url;
use sha1::Sha1;

/// RFC 5849 §3.6: everything but the unreserved characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`)
/// is encoded, as `%XX` in upper case.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The one signature method made and accepted.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// `text` percent-encoded as RFC 5849 §3.6 says.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

/// The four secrets of a user-context signature. It has no `Debug`: all four are credentials.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The app's consumer key (API key).
    pub consumer_key: &'a str,
    /// The app's consumer secret (API key secret).
    pub consumer_secret: &'a str,
    /// The user's access token.
    pub token: &'a str,
    /// The user's access token secret.
    pub token_secret: &'a str,
}

/// RFC 5849 §3.4.1.2: the base URL of `url`. The URL parser already writes the scheme and host
/// in lower case and drops a default port.
fn base_url(url: &Url) -> String {
    let mut base = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        base.push_str(&format!(":{port}"));
    }
    base.push_str(url.path());
    base
}

/// RFC 5849 §3.4.1: the signature base string of a `method` request to `url` (whose query
/// parameters are taken in) with the other `params` (the `oauth_*` ones without
/// `oauth_signature`, and a form body's).
pub fn base_string(method: &str, url: &Url, params: &[(&str, &str)]) -> String {
    let query = url.query_pairs().map(|(k, v)| (encode(&k), encode(&v)));
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (encode(k), encode(v)))
        .chain(query)
        .collect();
    pairs.sort();
    let normalized = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(&base_url(url)),
        encode(&normalized)
    )
}

fn mac(consumer_secret: &str, token_secret: &str, base: &str) -> Option<Hmac<Sha1>> {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).ok()?;
    mac.update(base.as_bytes());
    Some(mac)
}

/// RFC 5849 §3.4.2: the base64 HMAC-SHA1 signature of the request (see [`base_string`]).
pub fn signature(
    method: &str,
    url: &Url,
    params: &[(&str, &str)],
    consumer_secret: &str,
    token_secret: &str,
) -> String {
    let base = base_string(method, url, params);
    mac(consumer_secret, token_secret, &base)
        .map(|m| STANDARD.encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// The `Authorization` header value of a `method` request to `url` with the form body `form`
/// (empty for a GET), signed with `credentials` at `timestamp` (Unix seconds) with `nonce`.
pub fn authorization(
    method: &str,
    url: &Url,
    form: &[(&str, &str)],
    credentials: &Credentials<'_>,
    nonce: &str,
    timestamp: u64,
) -> String {
    let timestamp = timestamp.to_string();
    let mut oauth = vec![
        ("oauth_consumer_key", credentials.consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", SIGNATURE_METHOD),
        ("oauth_timestamp", timestamp.as_str()),
        ("oauth_token", credentials.token),
        ("oauth_version", "1.0"),
    ];
    let all: Vec<(&str, &str)> = oauth.iter().chain(form).copied().collect();
    let signature = signature(
        method,
        url,
        &all,
        credentials.consumer_secret,
        credentials.token_secret,
    );
    oauth.push(("oauth_signature", &signature));
    oauth.sort();
    let fields: Vec<String> = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", encode(k), encode(v)))
        .collect();
    format!("OAuth {}", fields.join(", "))
}

/// The protocol parameters of an `Authorization: OAuth …` header, as a server reads them.
#[derive(Clone, PartialEq, Eq)]
pub struct Presented {
    params: Vec<(String, String)>,
}

impl Presented {
    /// The parameters of `header`, or `None` when it is not an OAuth header (RFC 5849 §3.5.1).
    pub fn parse(header: &str) -> Option<Self> {
        let (scheme, rest) = header.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("OAuth") {
            return None;
        }
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|d| d.into_owned())
        };
        let params = rest
            .split(',')
            .map(|field| {
                let (name, value) = field.trim().split_once('=')?;
                let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
                Some((decode(name.trim())?, decode(value)?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { params })
    }

    /// The value of the parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// True when the header's HMAC-SHA1 signature is the one of a `method` request to `url`
    /// (its query parameters included) whose `application/x-www-form-urlencoded` body holds
    /// `form` (empty for any other body), with these secrets (compared in constant time).
    pub fn signature_valid(
        &self,
        method: &str,
        url: &Url,
        form: &[(&str, &str)],
        consumer_secret: &str,
        token_secret: &str,
    ) -> bool {
        if self.get("oauth_signature_method") != Some(SIGNATURE_METHOD) {
            return false;
        }
        let Some(given) = self
            .get("oauth_signature")
            .and_then(|s| STANDARD.decode(s).ok())
        else {
            return false;
        };
        let signed: Vec<(&str, &str)> = self
            .params
            .iter()
            .filter(|(k, _)| k != "oauth_signature" && k != "realm")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(form.iter().copied())
            .collect();
        let base = base_string(method, url, &signed);
        mac(consumer_secret, token_secret, &base).is_some_and(|m| m.verify_slice(&given).is_ok())
    }
}

#[cfg(test)]
#[path = "oauth1_tests.rs"]
mod tests;
