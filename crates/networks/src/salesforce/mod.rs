//! The HTTP client speaking Salesforce's REST API for the app's
//! [`SalesforceApi`](caredesk_app::salesforce::SalesforceApi) port: [`SalesforceClient`] gets
//! sessions from the OAuth token endpoint and makes the data calls (SOQL searches, record names,
//! Case create, update and read-back), each once. The SOQL and the ids that reach a URL are built
//! and checked in [`soql`] and the answers are read in `answer`, both without I/O. The usage
//! Salesforce reports in `Sforce-Limit-Info` is kept from every answer. Tokens and secrets
//! travel only in headers and form bodies; they are never logged and never appear in errors.

mod answer;
mod api;
pub mod soql;

use std::error::Error as _;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use caredesk_app::salesforce::{ApiProblem, ApiUsage, SalesforceError, Session};
use reqwest::{redirect, Client, RequestBuilder, Url};

pub use answer::parse_limit_info;
pub use soql::{escape_like, is_salesforce_id};

use answer::Answer;

/// The REST API version used unless configured otherwise.
pub const DEFAULT_API_VERSION: &str = "v62.0";

/// How the client talks to Salesforce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesforceConfig {
    /// The REST API version, `vNN.N`.
    pub api_version: String,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// How long a whole call may take, answer included.
    pub request_timeout: Duration,
}

impl Default for SalesforceConfig {
    fn default() -> Self {
        Self {
            api_version: DEFAULT_API_VERSION.into(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a [`SalesforceClient`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SalesforceClientError {
    /// The API version is not `vNN.N`.
    #[error("{0:?} is not a Salesforce API version like v62.0")]
    BadVersion(String),
    /// The HTTP client could not be set up.
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// Salesforce's REST API over HTTPS.
#[derive(Clone)]
pub struct SalesforceClient {
    http: Client,
    version: String,
    usage: Arc<Mutex<Option<ApiUsage>>>,
}

impl fmt::Debug for SalesforceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SalesforceClient")
            .field("version", &self.version)
            .field("usage", &self.latest_usage())
            .finish()
    }
}

/// `vNN.N`.
fn is_version(v: &str) -> bool {
    v.strip_prefix('v').is_some_and(|rest| {
        let mut parts = rest.split('.');
        let numeric = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
    })
}

impl SalesforceClient {
    /// A client for the API version and timeouts of `config`.
    pub fn new(config: &SalesforceConfig) -> Result<Self, SalesforceClientError> {
        let version = config.api_version.trim();
        if !is_version(version) {
            return Err(SalesforceClientError::BadVersion(
                config.api_version.clone(),
            ));
        }
        let http = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would carry the token elsewhere; the API never asks for one.
            .redirect(redirect::Policy::none())
            .user_agent(concat!("caredesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SalesforceClientError::Client(e.to_string()))?;
        Ok(Self {
            http,
            version: version.to_owned(),
            usage: Arc::default(),
        })
    }

    /// The API version the data calls use.
    pub fn api_version(&self) -> &str {
        &self.version
    }

    fn latest_usage(&self) -> Option<ApiUsage> {
        *self.usage.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `…/services/data/{version}/` on the session's instance.
    fn data_base(&self, session: &Session) -> Result<Url, SalesforceError> {
        let base = session.instance_url.trim().trim_end_matches('/');
        Url::parse(&format!("{base}/services/data/{}/", self.version))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                not_sent(
                    "INVALID_URL",
                    &format!("{:?} is not an http(s) instance URL", session.instance_url),
                )
            })
    }

    /// `rest` under the data API of the session's instance.
    fn data_url(&self, session: &Session, rest: &str) -> Result<Url, SalesforceError> {
        let base = self.data_base(session)?;
        base.join(rest)
            .map_err(|_| not_sent("INVALID_URL", &format!("{rest:?} is not a data API path")))
    }

    /// Makes the call once and hands `read` its answer; keeps the usage the answer reports and
    /// turns transport failures into [`SalesforceError::Unavailable`].
    async fn exchange<T>(
        &self,
        request: RequestBuilder,
        read: impl FnOnce(&Answer<'_>) -> Result<T, SalesforceError>,
    ) -> Result<T, SalesforceError> {
        let response = request.send().await.map_err(|e| transport_failure(&e))?;
        let status = response.status().as_u16();
        let path = response.url().path().to_owned();
        let headers = response.headers().clone();
        if let Some(usage) = answer::usage(&headers) {
            *self.usage.lock().unwrap_or_else(PoisonError::into_inner) = Some(usage);
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| SalesforceError::Unavailable {
                detail: format!("HTTP {status}, then the answer broke off: {}", chain(&e)),
                retry_after_secs: None,
            })?;
        tracing::debug!(%path, status, "Salesforce answered");
        read(&Answer {
            status,
            headers: &headers,
            body: &body,
        })
    }
}

/// A refusal of a request the client would not send; `code` names why.
fn not_sent(code: &str, message: &str) -> SalesforceError {
    SalesforceError::Refused {
        status: 400,
        problems: vec![ApiProblem {
            message: format!("{message} (not sent to Salesforce)"),
            error_code: code.into(),
            fields: Vec::new(),
        }],
    }
}

/// An error with its causes, `a: b: c`.
fn chain(e: &reqwest::Error) -> String {
    let mut words = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

/// A call that got no answer: Salesforce is unreachable or too slow, worth trying later.
fn transport_failure(e: &reqwest::Error) -> SalesforceError {
    let detail = if e.is_builder() {
        return not_sent(
            "INVALID_REQUEST",
            &format!("the request could not be built: {}", chain(e)),
        );
    } else if e.is_connect() {
        format!("could not connect to Salesforce: {}", chain(e))
    } else if e.is_timeout() {
        format!("Salesforce did not answer in time: {}", chain(e))
    } else {
        format!("the connection to Salesforce failed: {}", chain(e))
    };
    SalesforceError::Unavailable {
        detail,
        retry_after_secs: None,
    }
}

/// `error` with every occurrence of each secret in its words replaced.
fn redacted(error: SalesforceError, secrets: &[&str]) -> SalesforceError {
    let clean = |mut text: String| {
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            text = text.replace(secret, "<redacted>");
        }
        text
    };
    match error {
        SalesforceError::SessionInvalid => SalesforceError::SessionInvalid,
        SalesforceError::Grant { error, description } => SalesforceError::Grant {
            error: clean(error),
            description: clean(description),
        },
        SalesforceError::Refused { status, problems } => SalesforceError::Refused {
            status,
            problems: problems
                .into_iter()
                .map(|p| ApiProblem {
                    message: clean(p.message),
                    error_code: clean(p.error_code),
                    fields: p.fields,
                })
                .collect(),
        },
        SalesforceError::Unavailable {
            detail,
            retry_after_secs,
        } => SalesforceError::Unavailable {
            detail: clean(detail),
            retry_after_secs,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_must_look_like_salesforces() {
        for bad in ["", "62.0", "v62", "v62.0.1", "vx.0", "v62.0/../x"] {
            let config = SalesforceConfig {
                api_version: bad.into(),
                ..SalesforceConfig::default()
            };
            assert!(SalesforceClient::new(&config).is_err(), "{bad}");
        }
        let client = SalesforceClient::new(&SalesforceConfig::default()).expect("client");
        assert_eq!(client.api_version(), "v62.0");
    }

    #[test]
    fn data_urls_stay_on_the_instance() {
        let client = SalesforceClient::new(&SalesforceConfig::default()).expect("client");
        let session = |instance: &str| Session {
            access_token: "t".into(),
            instance_url: instance.into(),
        };
        let url = client
            .data_url(&session("https://acme.my.salesforce.com/"), "sobjects/Case")
            .expect("url");
        assert_eq!(
            url.as_str(),
            "https://acme.my.salesforce.com/services/data/v62.0/sobjects/Case"
        );
        for bad in ["", "acme.my.salesforce.com", "ftp://acme/", "javascript:x"] {
            assert!(client.data_url(&session(bad), "query").is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_never_reach_the_errors() {
        let error = SalesforceError::Grant {
            error: "invalid_grant".into(),
            description: "refresh token rt-secret-1 is expired; client s3cr3t".into(),
        };
        assert_eq!(
            redacted(error, &["rt-secret-1", "s3cr3t", ""]),
            SalesforceError::Grant {
                error: "invalid_grant".into(),
                description: "refresh token <redacted> is expired; client <redacted>".into(),
            }
        );
    }
}
