//! Reading from a network's API (a mention's content): a GET with the profile's token in the
//! `Authorization` header, whose answer is the JSON body or, classified like a reply's answer,
//! whether a later try may work.

use caredesk_app::outbound::SendOutcome;
use reqwest::Url;
use serde_json::Value;

use super::call::{Api, IdAt};
use super::classify::{classify, Answer};
use super::transport::{chain, NetworkApi};

/// Why a read gave no body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadFailure {
    /// It may work later (a timeout, a 5xx, a rate limit, a refused token).
    Temporary(String),
    /// It never will (the object does not exist, or may not be read).
    Permanent(String),
}

impl NetworkApi<'_> {
    /// GETs `url` with `token`; answers the JSON body of a success.
    pub async fn read_json(&self, api: Api, url: Url, token: &str) -> Result<Value, ReadFailure> {
        let response = self
            .http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| ReadFailure::Temporary(chain(&e)))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| ReadFailure::Temporary(chain(&e)))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&body)
                .map_err(|_| ReadFailure::Permanent(format!("HTTP {status} without JSON")));
        }
        let answer = Answer {
            api,
            status,
            headers: &headers,
            body: &body,
        };
        Err(match classify(&answer, IdAt::Id, 0) {
            SendOutcome::Permanent { reason } => ReadFailure::Permanent(reason),
            SendOutcome::Transient { reason, .. }
            | SendOutcome::TokenRejected { reason }
            | SendOutcome::InDoubt { reason } => ReadFailure::Temporary(reason),
            SendOutcome::Sent { .. } => ReadFailure::Temporary(format!("HTTP {status}")),
        })
    }
}
