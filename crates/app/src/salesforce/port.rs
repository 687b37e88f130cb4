//! The port through which caredesk talks to Salesforce: what a call needs (the credentials, a
//! session), what it answers, and how it fails ([`SalesforceError`]). The HTTP client speaking
//! Salesforce's REST API lives in the `networks` crate; the use cases that keep the session,
//! refresh it once on `INVALID_SESSION_ID` and record outcomes live beside this module.

use std::fmt;

use async_trait::async_trait;

/// What the token endpoint needs. Secrets are never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `https://login.salesforce.com`, `https://test.salesforce.com` or the org's My Domain.
    pub login_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: String,
    /// With one, the refresh-token flow; without, the client-credentials flow.
    pub refresh_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("login_url", &self.login_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// An access token and the instance it is good for.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The bearer token.
    pub access_token: String,
    /// The base of every data call (`https://acme.my.salesforce.com`).
    pub instance_url: String,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"<redacted>")
            .field("instance_url", &self.instance_url)
            .finish()
    }
}

/// One entry of Salesforce's REST error array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiProblem {
    /// For people.
    pub message: String,
    /// `REQUIRED_FIELD_MISSING`, `MALFORMED_QUERY`, …
    pub error_code: String,
    /// The fields concerned, when Salesforce names them.
    pub fields: Vec<String>,
}

/// Why a Salesforce call did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SalesforceError {
    /// 401 `INVALID_SESSION_ID`: the access token expired or was revoked; get a new one.
    #[error("the Salesforce session expired")]
    SessionInvalid,
    /// The token endpoint refused (`invalid_grant`, `invalid_client`, …).
    #[error("Salesforce refused the credentials: {error}: {description}")]
    Grant {
        /// The OAuth error code.
        error: String,
        /// Salesforce's words.
        description: String,
    },
    /// Salesforce refused the request for good (4xx other than 401): its error array.
    #[error("Salesforce refused ({status}): {}", words(.problems))]
    Refused {
        /// The HTTP status.
        status: u16,
        /// What Salesforce said.
        problems: Vec<ApiProblem>,
    },
    /// Unreachable, overloaded or over its limits: worth trying again later.
    #[error("Salesforce is unavailable: {detail}")]
    Unavailable {
        /// What happened, in words.
        detail: String,
        /// When Salesforce said to come back, in seconds.
        retry_after_secs: Option<u64>,
    },
}

/// Salesforce's error array in words: `Required fields are missing: [Subject]
/// (REQUIRED_FIELD_MISSING: Subject)`.
pub fn words(problems: &[ApiProblem]) -> String {
    if problems.is_empty() {
        return "no details given".to_owned();
    }
    problems
        .iter()
        .map(|p| {
            let fields = if p.fields.is_empty() {
                String::new()
            } else {
                format!(": {}", p.fields.join(", "))
            };
            format!("{} ({}{fields})", p.message, p.error_code)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a search looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchObject {
    /// `Account` records.
    Account,
    /// `Contact` records.
    Contact,
}

/// A record found by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Salesforce's id.
    pub id: String,
    /// Its `Name`.
    pub name: String,
}

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundPage {
    /// The records.
    pub items: Vec<Found>,
    /// Salesforce's `nextRecordsUrl`, to fetch the next page.
    pub next: Option<String>,
}

/// The fields of a new Salesforce Case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewSalesforceCase {
    /// `Subject`.
    pub subject: String,
    /// `Description`.
    pub description: String,
    /// `Origin`.
    pub origin: String,
    /// `Status`.
    pub status: String,
    /// `Priority`.
    pub priority: String,
    /// `AccountId`.
    pub account_id: Option<String>,
    /// `ContactId`.
    pub contact_id: Option<String>,
    /// `SuppliedName`.
    pub supplied_name: Option<String>,
    /// `SuppliedEmail`.
    pub supplied_email: Option<String>,
}

/// A Case as read back: id, number and Salesforce's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseState {
    /// `Id`.
    pub id: String,
    /// `CaseNumber`.
    pub number: Option<String>,
    /// `Status`.
    pub status: String,
}

/// Salesforce's API usage from `Sforce-Limit-Info` (`api-usage=18/5000`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiUsage {
    /// Calls used in the last 24 hours.
    pub used: u64,
    /// The org's daily limit.
    pub limit: u64,
}

/// The Salesforce REST API. Each method makes one call (following nothing, retrying nothing):
/// the use cases decide about sessions and retries.
#[async_trait]
pub trait SalesforceApi: Send + Sync + 'static {
    /// A new session from the token endpoint (refresh-token flow when the credentials carry a
    /// refresh token, client-credentials flow otherwise).
    async fn token(&self, credentials: &Credentials) -> Result<Session, SalesforceError>;
    /// Records whose `Name` contains `name` (SOQL `LIKE`, the user's text escaped), by name;
    /// `page` is a `nextRecordsUrl` from an earlier answer.
    async fn search(
        &self,
        session: &Session,
        object: SearchObject,
        name: &str,
        page: Option<&str>,
    ) -> Result<FoundPage, SalesforceError>;
    /// The record's `Name`, to store with a link (`None` when Salesforce has no such record).
    async fn record_name(
        &self,
        session: &Session,
        object: SearchObject,
        id: &str,
    ) -> Result<Option<String>, SalesforceError>;
    /// Creates a Case; answers its id.
    async fn create_case(
        &self,
        session: &Session,
        case: &NewSalesforceCase,
    ) -> Result<String, SalesforceError>;
    /// Sets a Case's `Status` and `Priority`.
    async fn update_case(
        &self,
        session: &Session,
        id: &str,
        status: &str,
        priority: &str,
    ) -> Result<(), SalesforceError>;
    /// The current state of these Cases (one query; ids Salesforce no longer has are missing).
    async fn cases(
        &self,
        session: &Session,
        ids: &[String],
    ) -> Result<Vec<CaseState>, SalesforceError>;
    /// The API usage read from the last answer that carried it.
    fn usage(&self) -> Option<ApiUsage>;
}
