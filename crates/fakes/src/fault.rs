//! Faults a fake plays instead of (or around) its normal answer, one per request in the order
//! they were injected.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What the next request meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A Graph error envelope with this status, code and subcode (served as is by either fake).
    GraphError {
        /// The HTTP status.
        http_status: u16,
        /// The Graph error code, e.g. 100, 190, 613.
        code: i64,
        /// The Graph error subcode, e.g. 2018278.
        subcode: Option<i64>,
        /// The network's words, e.g. `(#100) Invalid parameter`.
        message: String,
    },
    /// An X problem object with this status (served as is by either fake).
    Problem {
        /// The HTTP status.
        status: u16,
        /// The problem's title, e.g. `Forbidden`.
        title: String,
        /// The problem's detail.
        detail: String,
    },
    /// A Salesforce REST error array of one error with this status (served as is by every fake).
    ErrorArray {
        /// The HTTP status.
        status: u16,
        /// Salesforce's `errorCode`, e.g. `FIELD_CUSTOM_VALIDATION_EXCEPTION`.
        error_code: String,
        /// Salesforce's words.
        message: String,
        /// The fields concerned (the `fields` member is left out when empty).
        fields: Vec<String>,
    },
    /// A bare status with a non-JSON body, as a gateway in front of the API answers.
    Status(u16),
    /// The network's rate limit: Graph code 613 with HTTP 400 (Graph names no wait), X's 429
    /// with `x-rate-limit-limit`, `x-rate-limit-remaining: 0` and `x-rate-limit-reset` this many
    /// seconds ahead, or Salesforce's 403 `REQUEST_LIMIT_EXCEEDED` with `Retry-After`.
    RateLimited {
        /// Seconds until the limit resets.
        retry_after_secs: u64,
    },
    /// Posts (and echoes) the reply at once, then answers after this long (Salesforce: does the
    /// call, then answers after this long).
    Delay(Duration),
    /// Posts the reply and sends its echo, then closes the connection without an answer
    /// (Salesforce: does the call, then closes the connection).
    DropAfterPosting,
    /// Closes the connection without posting (or doing) anything or answering.
    DropBeforePosting,
}

impl Fault {
    /// A Graph error without subcode.
    pub fn graph(http_status: u16, code: i64, message: impl Into<String>) -> Self {
        Fault::GraphError {
            http_status,
            code,
            subcode: None,
            message: message.into(),
        }
    }

    /// A Salesforce error array naming no fields.
    pub fn salesforce(
        status: u16,
        error_code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Fault::ErrorArray {
            status,
            error_code: error_code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

/// The injected faults, first in first out.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<VecDeque<Fault>>);

impl Faults {
    pub(crate) fn push(&self, fault: Fault) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(fault);
    }

    pub(crate) fn pop(&self) -> Option<Fault> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }
}

/// A status code, 500 when `status` is not one.
pub(crate) fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The body a gateway sends with a bare status.
pub(crate) fn bare_status(status: u16) -> Response {
    let code = status_code(status);
    let words = code.canonical_reason().unwrap_or("Error");
    (
        code,
        [("content-type", "text/html")],
        format!(
            "<html><body><h1>{} {words}</h1></body></html>",
            code.as_u16()
        ),
    )
        .into_response()
}

/// A Graph error envelope.
pub(crate) fn graph_error(
    status: u16,
    code: i64,
    subcode: Option<i64>,
    kind: &str,
    message: &str,
) -> Response {
    let mut error = serde_json::json!({
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": format!("Fake{}", crate::ids::fresh()),
    });
    if let Some(sub) = subcode {
        error["error_subcode"] = sub.into();
    }
    (
        status_code(status),
        axum::Json(serde_json::json!({ "error": error })),
    )
        .into_response()
}

/// An X problem object.
pub(crate) fn x_problem(status: u16, title: &str, detail: &str) -> Response {
    let body = serde_json::json!({
        "title": title,
        "type": "about:blank",
        "status": status,
        "detail": detail,
    });
    (status_code(status), axum::Json(body)).into_response()
}

/// A Salesforce REST error array of one error.
pub(crate) fn error_array(
    status: u16,
    error_code: &str,
    message: &str,
    fields: &[String],
) -> Response {
    let mut error = serde_json::json!({ "message": message, "errorCode": error_code });
    if !fields.is_empty() {
        error["fields"] = fields.into();
    }
    (status_code(status), axum::Json(serde_json::json!([error]))).into_response()
}

/// The answer of a fault that replaces the whole call, in the fake's own error format for
/// rate limits; `None` for faults that let the call through.
pub(crate) fn replacing_answer(
    fault: &Fault,
    rate_limited: fn(u64) -> Response,
) -> Option<Response> {
    match fault {
        Fault::GraphError {
            http_status,
            code,
            subcode,
            message,
        } => Some(graph_error(
            *http_status,
            *code,
            *subcode,
            "OAuthException",
            message,
        )),
        Fault::Problem {
            status,
            title,
            detail,
        } => Some(x_problem(*status, title, detail)),
        Fault::ErrorArray {
            status,
            error_code,
            message,
            fields,
        } => Some(error_array(*status, error_code, message, fields)),
        Fault::Status(status) => Some(bare_status(*status)),
        Fault::RateLimited { retry_after_secs } => Some(rate_limited(*retry_after_secs)),
        Fault::Delay(_) | Fault::DropAfterPosting | Fault::DropBeforePosting => None,
    }
}
