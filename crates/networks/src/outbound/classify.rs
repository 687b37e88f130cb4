//! What a network's answer means for a reply, decided from the status, headers and body alone
//! (no I/O): the id of the posted message, or why not and whether to come back.

use std::time::Duration;

use caredesk_app::outbound::SendOutcome;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::call::{Api, IdAt};

/// Graph error codes worth another try later: unknown and temporary errors, rate limits,
/// temporary blocks.
const GRAPH_TRANSIENT_CODES: [i64; 9] = [1, 2, 4, 17, 32, 341, 368, 613, 80001];
/// The Graph code of a refused access token.
const GRAPH_TOKEN_CODE: i64 = 190;
/// How much of an unknown body a reason quotes.
const SNIPPET_CHARS: usize = 200;

/// A network's answer to one call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Answer<'a> {
    /// The API that answered.
    pub api: Api,
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The response body.
    pub body: &'a [u8],
}

/// The outcome `answer` stands for; `now_epoch_secs` turns `x-rate-limit-reset` into a wait.
pub(crate) fn classify(answer: &Answer<'_>, id_at: IdAt, now_epoch_secs: u64) -> SendOutcome {
    let status = answer.status;
    let json: Option<Value> = serde_json::from_slice(answer.body).ok();
    if (200..300).contains(&status) {
        return match json.as_ref().and_then(|v| posted_id(v, id_at)) {
            Some(network_id) => SendOutcome::Sent { network_id },
            None => SendOutcome::InDoubt {
                reason: format!(
                    "HTTP {status} without the posted message's id: {}",
                    snippet(answer.body)
                ),
            },
        };
    }
    let transient_status = status == 429 || status >= 500;
    let transient = |reason: String| SendOutcome::Transient {
        reason,
        retry_after: retry_after(answer.headers, now_epoch_secs),
    };
    if let Some((code, reason)) = json.as_ref().and_then(graph_error) {
        return if code == GRAPH_TOKEN_CODE {
            SendOutcome::TokenRejected { reason }
        } else if transient_status || GRAPH_TRANSIENT_CODES.contains(&code) {
            transient(reason)
        } else {
            SendOutcome::Permanent { reason }
        };
    }
    let reason = json
        .as_ref()
        .and_then(x_problem)
        .map(|words| format!("{words} [HTTP {status}]"))
        .unwrap_or_else(|| format!("HTTP {status}: {}", snippet(answer.body)));
    if answer.api == Api::X && status == 401 {
        SendOutcome::TokenRejected { reason }
    } else if transient_status {
        transient(reason)
    } else {
        SendOutcome::Permanent { reason }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn posted_id(v: &Value, id_at: IdAt) -> Option<String> {
    let found = match id_at {
        IdAt::Id => v.get("id"),
        IdAt::MessageId => v.get("message_id"),
        IdAt::DataId => v.get("data").and_then(|d| d.get("id")),
        IdAt::DataDmEventId => v.get("data").and_then(|d| d.get("dm_event_id")),
    };
    found.and_then(text)
}

/// A Graph error envelope's code and its words: `"(#100) Invalid parameter [code 100]"`, with
/// the subcode as `[code 10/2018278]`.
pub(super) fn graph_error(v: &Value) -> Option<(i64, String)> {
    let error = v.get("error")?;
    let code = error.get("code").and_then(Value::as_i64)?;
    let message = error
        .get("message")
        .and_then(text)
        .or_else(|| error.get("type").and_then(text))
        .unwrap_or_else(|| "Graph error".into());
    let reason = match error.get("error_subcode").and_then(Value::as_i64) {
        Some(sub) => format!("{message} [code {code}/{sub}]"),
        None => format!("{message} [code {code}]"),
    };
    Some((code, reason))
}

/// An X problem object's words (`title: detail`), or those of its first `errors[]` item.
fn x_problem(v: &Value) -> Option<String> {
    let words = |p: &Value| {
        let parts: Vec<String> = ["title", "detail", "message"]
            .iter()
            .filter_map(|k| p.get(*k).and_then(text))
            .collect();
        (!parts.is_empty()).then(|| parts.join(": "))
    };
    words(v).or_else(|| {
        v.get("errors")
            .and_then(Value::as_array)
            .and_then(|errors| errors.first())
            .and_then(words)
    })
}

/// `Retry-After` (seconds), else X's `x-rate-limit-reset` (epoch seconds) from now.
fn retry_after(headers: &HeaderMap, now_epoch_secs: u64) -> Option<Duration> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    number("retry-after")
        .or_else(|| number("x-rate-limit-reset").map(|reset| reset.saturating_sub(now_epoch_secs)))
        .map(Duration::from_secs)
}

/// The start of a body, for reasons: lossy UTF-8, trimmed, at most [`SNIPPET_CHARS`].
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "(empty body)".into();
    }
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
