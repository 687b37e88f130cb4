//! What Salesforce's answers mean, decided from the status, headers and body alone (no I/O):
//! the session a token answer grants or why not, the error a data answer stands for, the
//! records a success holds, and the API usage of `Sforce-Limit-Info`.

use caredesk_app::salesforce::port::words;
use caredesk_app::salesforce::{
    ApiProblem, ApiUsage, CaseState, Found, FoundPage, SalesforceError, Session,
};
use reqwest::header::HeaderMap;
use reqwest::Url;
use serde_json::Value;

/// How much of an unknown body a problem quotes.
const SNIPPET_CHARS: usize = 200;

/// Salesforce's answer to one call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The response body.
    pub body: &'a [u8],
}

impl Answer<'_> {
    fn json(&self) -> Option<Value> {
        serde_json::from_slice(self.body).ok()
    }

    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The answer is a success but not the one expected.
    pub(crate) fn unexpected(&self, wanted: &str) -> SalesforceError {
        SalesforceError::Unavailable {
            detail: format!(
                "Salesforce answered HTTP {} without {wanted}: {}",
                self.status,
                snippet(self.body)
            ),
            retry_after_secs: None,
        }
    }
}

/// The session a token endpoint's answer grants, or why it grants none: an OAuth error object
/// is a refused grant unless Salesforce is failing (5xx) or throttling (429).
pub(crate) fn token_session(answer: &Answer<'_>) -> Result<Session, SalesforceError> {
    let status = answer.status;
    let json = answer.json();
    if answer.ok() {
        let field = |name: &str| {
            json.as_ref()
                .and_then(|v| v.get(name))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let instance = field("instance_url").filter(|u| is_http_url(u));
        return match (field("access_token"), instance) {
            (Some(token), Some(instance)) => Ok(Session {
                access_token: token.to_owned(),
                instance_url: instance.trim_end_matches('/').to_owned(),
            }),
            _ => Err(SalesforceError::Unavailable {
                detail: format!(
                    "Salesforce's token answer (HTTP {status}) lacked an access token or an \
                     http(s) instance URL"
                ),
                retry_after_secs: None,
            }),
        };
    }
    if status == 429 || status >= 500 {
        return Err(unavailable(answer, &format!("HTTP {status}")));
    }
    let oauth = json.as_ref().and_then(|v| {
        let error = v.get("error").and_then(Value::as_str)?;
        let description = v
            .get("error_description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some((error.to_owned(), description.to_owned()))
    });
    match oauth {
        Some((error, description)) => Err(SalesforceError::Grant { error, description }),
        None => match failure(answer) {
            Some(SalesforceError::Unavailable {
                detail,
                retry_after_secs,
            }) => Err(SalesforceError::Unavailable {
                detail,
                retry_after_secs,
            }),
            _ => Err(SalesforceError::Grant {
                error: format!("HTTP {status}"),
                description: snippet(answer.body),
            }),
        },
    }
}

/// The error a data call's answer stands for, `None` for a success: any 401 is an invalid
/// session; a 403 `REQUEST_LIMIT_EXCEEDED`, a 429 and every 5xx are worth trying later; any
/// other status is Salesforce's refusal, with its error array.
pub(crate) fn failure(answer: &Answer<'_>) -> Option<SalesforceError> {
    let status = answer.status;
    if answer.ok() {
        return None;
    }
    if status == 401 {
        return Some(SalesforceError::SessionInvalid);
    }
    let problems = problems(answer);
    let over_limit = status == 403
        && problems
            .iter()
            .any(|p| p.error_code == "REQUEST_LIMIT_EXCEEDED");
    if over_limit || status == 429 || status >= 500 {
        return Some(unavailable(
            answer,
            &format!("HTTP {status}: {}", words(&problems)),
        ));
    }
    Some(SalesforceError::Refused { status, problems })
}

fn unavailable(answer: &Answer<'_>, what: &str) -> SalesforceError {
    SalesforceError::Unavailable {
        detail: format!("Salesforce answered {what}"),
        retry_after_secs: retry_after(answer.headers),
    }
}

/// Salesforce's error array (one object is taken as an array of one); a body that is neither
/// becomes one problem quoting the status and the body's start.
pub(crate) fn problems(answer: &Answer<'_>) -> Vec<ApiProblem> {
    let json = answer.json();
    let items: Vec<&Value> = match &json {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    };
    let parsed: Vec<ApiProblem> = items.into_iter().filter_map(problem).collect();
    if parsed.is_empty() {
        return vec![ApiProblem {
            message: snippet(answer.body),
            error_code: format!("HTTP {}", answer.status),
            fields: Vec::new(),
        }];
    }
    parsed
}

fn problem(v: &Value) -> Option<ApiProblem> {
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let message = text("message");
    let error_code = text("errorCode");
    if message.is_none() && error_code.is_none() {
        return None;
    }
    let fields = v
        .get("fields")
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(ApiProblem {
        message: message.unwrap_or_default(),
        error_code: error_code.unwrap_or_default(),
        fields,
    })
}

/// `Retry-After` in seconds, when given as a number.
fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// The usage an answer's `Sforce-Limit-Info` header reports.
pub(crate) fn usage(headers: &HeaderMap) -> Option<ApiUsage> {
    headers
        .get_all("sforce-limit-info")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(parse_limit_info)
}

/// `api-usage=18/5000` out of a `Sforce-Limit-Info` value, whatever else it lists
/// (`; per-app-api-usage=17/250(appName=x)`, `; api-bursts=1/750`), in any case and spacing.
pub fn parse_limit_info(value: &str) -> Option<ApiUsage> {
    value.split([';', ',']).find_map(|part| {
        let (key, rest) = part.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("api-usage") {
            return None;
        }
        let (used, limit) = rest.split_once('/')?;
        let limit: String = limit
            .trim()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some(ApiUsage {
            used: used.trim().parse().ok()?,
            limit: limit.parse().ok()?,
        })
    })
}

/// A query answer's records as found items, and its `nextRecordsUrl` when not `done`.
pub(crate) fn found_page(answer: &Answer<'_>) -> Option<FoundPage> {
    let json = answer.json()?;
    let records = json.get("records")?.as_array()?;
    let items = records
        .iter()
        .map(|r| {
            let id = r.get("Id")?.as_str()?.to_owned();
            let name = r.get("Name").and_then(Value::as_str).unwrap_or_default();
            Some(Found {
                id,
                name: name.to_owned(),
            })
        })
        .collect::<Option<Vec<Found>>>()?;
    let done = json.get("done").and_then(Value::as_bool).unwrap_or(true);
    let next = json
        .get("nextRecordsUrl")
        .and_then(Value::as_str)
        .filter(|_| !done)
        .map(str::to_owned);
    Some(FoundPage { items, next })
}

/// A Case query answer's records.
pub(crate) fn case_states(answer: &Answer<'_>) -> Option<Vec<CaseState>> {
    let json = answer.json()?;
    json.get("records")?
        .as_array()?
        .iter()
        .map(|r| {
            Some(CaseState {
                id: r.get("Id")?.as_str()?.to_owned(),
                number: r
                    .get("CaseNumber")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                status: r.get("Status").and_then(Value::as_str)?.to_owned(),
            })
        })
        .collect()
}

/// A string field of a record or a create answer (`Name`, `id`).
pub(crate) fn text_field(answer: &Answer<'_>, name: &str) -> Option<String> {
    answer
        .json()?
        .get(name)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Whether `raw` is an absolute http(s) URL that can be a base.
pub(crate) fn is_http_url(raw: &str) -> bool {
    Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base())
}

/// The start of a body, for problems: lossy UTF-8, trimmed, at most [`SNIPPET_CHARS`].
pub(crate) fn snippet(body: &[u8]) -> String {
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
#[path = "answer_tests.rs"]
mod tests;
