//! One call to a network's API, made once: [`NetworkApi`] posts a [`Call`] with the profile's
//! credentials in the `Authorization` header ([`Auth`]: a bearer token or an OAuth 1.0a
//! signature; never in the URL, never logged) and reports what the answer means (decided in
//! `classify`). A connection that never opened is transient; a timeout or a dropped connection
//! after the request left is in doubt, because the network may have posted it.

use std::error::Error as _;
use std::time::{SystemTime, UNIX_EPOCH};

use caredesk_app::outbound::SendOutcome;
use reqwest::header::AUTHORIZATION;
use reqwest::{multipart, Client, Url};

use super::auth::Auth;
use super::call::{Call, Part, Payload};
use super::classify::{classify, Answer};

/// What an adapter calls its network with: the shared HTTP client and the configured base URL
/// of its network's API.
#[derive(Clone, Copy, Debug)]
pub struct NetworkApi<'a> {
    pub(crate) http: &'a Client,
    /// The base URL of the network's API, version included.
    pub base: &'a Url,
}

impl NetworkApi<'_> {
    /// Posts `call` with `auth` and classifies the answer. An OAuth 1.0a signature covers the
    /// URL's query and, for a form body, its pairs (not a JSON or multipart body).
    pub async fn post(&self, call: &Call, auth: Auth<'_>) -> SendOutcome {
        let form: Vec<(&str, &str)> = match &call.payload {
            Payload::Form(pairs) => pairs.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            Payload::Json(_) | Payload::Multipart(_) => Vec::new(),
        };
        let authorization = match auth.header("POST", &call.url, &form) {
            Ok(value) => value,
            Err(reason) => return SendOutcome::Permanent { reason },
        };
        let request = self
            .http
            .post(call.url.clone())
            .header(AUTHORIZATION, authorization);
        let request = match &call.payload {
            Payload::Form(pairs) => request.form(pairs),
            Payload::Json(body) => request.json(body),
            Payload::Multipart(parts) => match multipart(parts) {
                Ok(form) => request.multipart(form),
                Err(e) => return transport_failure(&e),
            },
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return transport_failure(&e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            // The status is known; a success whose body was cut off cannot name the message.
            Err(e) if (200..300).contains(&status) => {
                return SendOutcome::InDoubt {
                    reason: format!("HTTP {status}, then the answer broke off: {}", chain(&e)),
                }
            }
            Err(_) => Default::default(),
        };
        let answer = Answer {
            api: call.api,
            status,
            headers: &headers,
            body: &body,
        };
        classify(&answer, call.id_at, now_epoch_secs())
    }
}

/// The `multipart/form-data` body of `parts`.
fn multipart(parts: &[Part]) -> Result<multipart::Form, reqwest::Error> {
    let mut form = multipart::Form::new();
    for part in parts {
        form = match part {
            Part::Text(name, value) => form.text(*name, value.clone()),
            Part::File { name, file } => {
                let bytes = multipart::Part::stream_with_length(
                    reqwest::Body::from(file.bytes.clone()),
                    u64::try_from(file.bytes.len()).unwrap_or(u64::MAX),
                )
                .file_name(file.filename.clone())
                .mime_str(&file.mime)?;
                form.part(*name, bytes)
            }
        };
    }
    Ok(form)
}

pub(super) fn now_epoch_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An error with its causes, `a: b: c`.
pub(crate) fn chain(e: &reqwest::Error) -> String {
    let mut words = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

/// A call that failed without an answer: transient when no connection opened, in doubt once the
/// request may have reached the network.
fn transport_failure(e: &reqwest::Error) -> SendOutcome {
    if e.is_builder() {
        SendOutcome::Permanent {
            reason: format!("the request could not be built: {}", chain(e)),
        }
    } else if e.is_connect() {
        SendOutcome::Transient {
            reason: format!("could not connect: {}", chain(e)),
            retry_after: None,
        }
    } else if e.is_timeout() {
        SendOutcome::InDoubt {
            reason: format!("no answer in time: {}", chain(e)),
        }
    } else {
        SendOutcome::InDoubt {
            reason: format!(
                "the connection failed after the request was sent: {}",
                chain(e)
            ),
        }
    }
}
