//! One read from a network's API (a GET, such as a person look-up), made once with the profile's
//! credentials in the `Authorization` header ([`Auth`]; never in the URL, never logged), and what its answer means: the
//! JSON body, or why not and whether to come back. The answer is classified with the rules of a
//! reply's (`classify`), read as a GET reads them: a read that broke off is simply temporary (it
//! changed nothing), and a refusal is told apart as the person being gone (HTTP 404 or 410,
//! Graph codes 100 and 551) or the call being refused (permissions).

use reqwest::header::AUTHORIZATION;
use reqwest::Url;
use serde_json::Value;

use caredesk_app::outbound::SendOutcome;

use super::auth::Auth;
use super::call::{Api, IdAt};
use super::classify::{classify, graph_error, snippet, Answer};
use super::transport::{chain, now_epoch_secs};
use super::NetworkApi;

/// Graph codes that say the object is not there for this caller: an unknown or deleted id
/// (`100`, subcode 33) and a person no longer reachable (`551`).
const GRAPH_GONE_CODES: [i64; 2] = [100, 551];

/// What a read came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Read {
    /// A success with its JSON object.
    Body(Value),
    /// The object is not there (never worth asking again soon).
    Gone(String),
    /// It may work later: timeouts, broken connections, 5xx, rate limits.
    Temporary(String),
    /// The network refused the token.
    TokenRejected(String),
    /// Refused for good (a missing permission, a malformed call).
    Refused(String),
}

impl NetworkApi<'_> {
    /// GETs `url` from `api` with `auth` (an OAuth 1.0a signature covers the URL's query) and
    /// classifies the answer.
    pub async fn get(&self, url: Url, api: Api, auth: Auth<'_>) -> Read {
        let authorization = match auth.header("GET", &url, &[]) {
            Ok(value) => value,
            Err(reason) => return Read::Refused(reason),
        };
        let request = self.http.get(url).header(AUTHORIZATION, authorization);
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) if e.is_builder() => {
                return Read::Refused(format!("the request could not be built: {}", chain(&e)))
            }
            Err(e) => return Read::Temporary(format!("no answer: {}", chain(&e))),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => {
                return Read::Temporary(format!(
                    "HTTP {status}, then the answer broke off: {}",
                    chain(&e)
                ))
            }
        };
        let answer = Answer {
            api,
            status,
            headers: &headers,
            body: &body,
        };
        classify_read(&answer, now_epoch_secs())
    }
}

/// The meaning of a read's answer.
pub(crate) fn classify_read(answer: &Answer<'_>, now_epoch_secs: u64) -> Read {
    let json: Option<Value> = serde_json::from_slice(answer.body).ok();
    if (200..300).contains(&answer.status) {
        return match json {
            Some(body) if body.is_object() => Read::Body(body),
            _ => Read::Temporary(format!(
                "HTTP {} without a JSON object: {}",
                answer.status,
                snippet(answer.body)
            )),
        };
    }
    let gone = matches!(answer.status, 404 | 410)
        || json
            .as_ref()
            .and_then(graph_error)
            .is_some_and(|(code, _)| GRAPH_GONE_CODES.contains(&code));
    match classify(answer, IdAt::Id, now_epoch_secs) {
        SendOutcome::TokenRejected { reason } => Read::TokenRejected(reason),
        SendOutcome::Permanent { reason } if gone => Read::Gone(reason),
        SendOutcome::Permanent { reason } => Read::Refused(reason),
        SendOutcome::Transient { reason, .. } | SendOutcome::InDoubt { reason } => {
            Read::Temporary(reason)
        }
        SendOutcome::Sent { network_id } => {
            Read::Temporary(format!("an unexpected answer naming {network_id}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderMap;
    use serde_json::json;

    use super::*;

    fn read(status: u16, body: &str) -> Read {
        let headers = HeaderMap::new();
        let answer = Answer {
            api: Api::Graph,
            status,
            headers: &headers,
            body: body.as_bytes(),
        };
        classify_read(&answer, 0)
    }

    fn graph(code: i64, subcode: Option<i64>) -> String {
        let mut error = json!({"message": "words", "type": "OAuthException", "code": code});
        if let Some(sub) = subcode {
            error["error_subcode"] = sub.into();
        }
        json!({ "error": error }).to_string()
    }

    #[test]
    fn a_read_is_its_body_or_says_why_not_and_whether_to_come_back() {
        let table = [
            (200, r#"{"id":"1","name":"Ann"}"#.to_owned(), "body"),
            (200, "[1]".to_owned(), "temporary"),
            (400, graph(100, Some(33)), "gone"),
            (400, graph(551, None), "gone"),
            (404, "not here".to_owned(), "gone"),
            (400, graph(190, Some(460)), "token"),
            (400, graph(613, None), "temporary"),
            (500, graph(2, None), "temporary"),
            (503, "<html>".to_owned(), "temporary"),
            (429, String::new(), "temporary"),
            (403, graph(10, None), "refused"),
            (400, graph(200, None), "refused"),
        ];
        for (status, body, expected) in table {
            let found = match read(status, &body) {
                Read::Body(_) => "body",
                Read::Gone(_) => "gone",
                Read::Temporary(_) => "temporary",
                Read::TokenRejected(_) => "token",
                Read::Refused(_) => "refused",
            };
            assert_eq!(found, expected, "HTTP {status} {body}");
        }
    }

    #[test]
    fn a_refusal_keeps_the_networks_words_and_code() {
        assert_eq!(
            read(400, &graph(100, Some(33))),
            Read::Gone("words [code 100/33]".into())
        );
    }
}
