//! The installation's Salesforce connection and its session: what admins set and see, and how
//! every call gets a working access token. The token and `instance_url` are kept in the store
//! (every node shares them); a call answered 401 `INVALID_SESSION_ID` fetches a new token once
//! and is made again; a refused grant marks the connection `expired` until an admin reconnects.

use std::future::Future;
use std::sync::Arc;

use caredesk_domain::salesforce::{ConnectionState, Mapping};
use caredesk_domain::{policy, Event, Refusal, Timestamp, UserId};
use caredesk_store::salesforce::SalesforceConnection;

use super::port::{ApiUsage, Credentials, SalesforceApi, SalesforceError, Session};
use super::SalesforceProblem;
use crate::error::{AppError, AppResult, FoundOr};
use crate::App;

/// How the integration behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesforceConfig {
    /// Care words → the org's picklist values.
    pub mapping: Mapping,
    /// How often Salesforce's own status of each linked Case is read, in seconds.
    pub pull_every_secs: i64,
    /// Status syncs claimed per pass.
    pub sync_batch: u32,
    /// How long a claimed sync is held before another worker may take it, in seconds.
    pub sync_lease_secs: i64,
}

impl Default for SalesforceConfig {
    fn default() -> Self {
        SalesforceConfig {
            mapping: Mapping::default(),
            pull_every_secs: 300,
            sync_batch: 20,
            sync_lease_secs: 120,
        }
    }
}

/// The client and how to use it.
#[derive(Clone)]
pub(crate) struct SalesforceSetup {
    pub(crate) api: Arc<dyn SalesforceApi>,
    pub(crate) config: SalesforceConfig,
    pub(crate) in_flight: Arc<super::cases::InFlight>,
}

/// What an admin sends to connect.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectInput {
    /// `https://login.salesforce.com`, `https://test.salesforce.com` or the org's My Domain.
    pub login_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: String,
    /// For the refresh-token flow; without it, the client-credentials flow.
    pub refresh_token: Option<String>,
}

/// The connection as shown: never its secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionView {
    /// connected, expired, error or none.
    pub state: ConnectionState,
    /// The login host.
    pub login_url: Option<String>,
    /// The consumer key.
    pub client_id: Option<String>,
    /// `refresh_token` or `client_credentials`.
    pub flow: Option<&'static str>,
    /// The instance data calls go to.
    pub instance_url: Option<String>,
    /// What went wrong last, in words.
    pub error: Option<String>,
    /// When a token was last obtained.
    pub connected_at: Option<Timestamp>,
    /// Salesforce's API usage, as last reported to this node.
    pub usage: Option<ApiUsage>,
}

fn credentials(c: &SalesforceConnection) -> Credentials {
    Credentials {
        login_url: c.login_url.clone(),
        client_id: c.client_id.clone(),
        client_secret: c.client_secret.clone(),
        refresh_token: c.refresh_token.clone(),
    }
}

fn same_credentials(a: &SalesforceConnection, b: &SalesforceConnection) -> bool {
    credentials(a) == credentials(b)
}

/// A login URL an admin may give: an absolute http(s) URL without query or fragment.
fn check_login_url(url: &str) -> Result<String, Refusal> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ', '@']) => {
            Ok(url.to_owned())
        }
        _ => Err(Refusal::invalid(
            "login_url must be an http(s) URL such as https://login.salesforce.com",
        )),
    }
}

impl App {
    /// The same use cases, talking to Salesforce through `api`.
    pub fn with_salesforce(
        mut self,
        api: Arc<dyn SalesforceApi>,
        config: SalesforceConfig,
    ) -> Self {
        self.salesforce = Some(SalesforceSetup {
            api,
            config,
            in_flight: Arc::default(),
        });
        self
    }

    pub(crate) fn salesforce_setup(&self) -> Result<&SalesforceSetup, SalesforceProblem> {
        self.salesforce
            .as_ref()
            .ok_or(SalesforceProblem::NotConnected)
    }

    /// Salesforce's API usage as last reported to this node (for `/metrics`).
    pub fn salesforce_usage(&self) -> Option<ApiUsage> {
        self.salesforce.as_ref().and_then(|s| s.api.usage())
    }

    /// The connection as admins see it (admins only).
    pub async fn salesforce_connection(&self, actor: UserId) -> AppResult<ConnectionView> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let stored = self.store.salesforce_connection().await?;
        Ok(self.view(stored))
    }

    fn view(&self, stored: Option<SalesforceConnection>) -> ConnectionView {
        let usage = self.salesforce_usage();
        match stored {
            None => ConnectionView {
                state: ConnectionState::None,
                login_url: None,
                client_id: None,
                flow: None,
                instance_url: None,
                error: None,
                connected_at: None,
                usage,
            },
            Some(c) => ConnectionView {
                state: c.state,
                flow: Some(if c.refresh_token.is_some() {
                    "refresh_token"
                } else {
                    "client_credentials"
                }),
                login_url: Some(c.login_url),
                client_id: Some(c.client_id),
                instance_url: c.instance_url,
                error: c.error,
                connected_at: c.connected_at,
                usage,
            },
        }
    }

    /// Stores the connection's credentials (admins only) and tries them at once: the answer
    /// says whether Salesforce accepted them (`connected`) or why not (`expired`, `error`).
    pub async fn connect_salesforce(
        &self,
        actor: UserId,
        input: ConnectInput,
    ) -> AppResult<ConnectionView> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let login_url = check_login_url(&input.login_url)?;
        if input.client_id.trim().is_empty() || input.client_secret.trim().is_empty() {
            return Err(Refusal::invalid("client_id and client_secret are required").into());
        }
        let refresh_token = input.refresh_token.filter(|t| !t.trim().is_empty());
        let now = self.now();
        let connection = SalesforceConnection {
            login_url,
            client_id: input.client_id.trim().to_owned(),
            client_secret: input.client_secret,
            refresh_token,
            access_token: None,
            instance_url: None,
            state: ConnectionState::Error,
            error: Some("not tried yet".to_owned()),
            connected_at: None,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.save_salesforce_connection(&connection).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            now,
            "salesforce_connected",
            "salesforce",
        )])
        .await?;
        tx.commit().await?;
        match self.new_session(&connection).await {
            Ok(_) | Err(AppError::Salesforce(_)) => {}
            Err(other) => return Err(other),
        }
        let stored = self.store.salesforce_connection().await?;
        Ok(self.view(stored))
    }

    /// Forgets the connection and its secrets (admins only). Links already made stay.
    pub async fn disconnect_salesforce(&self, actor: UserId) -> AppResult<()> {
        let actor = self.store.user(actor).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let mut tx = self.store.begin().await?;
        tx.delete_salesforce_connection().await?;
        let now = self.now();
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            now,
            "salesforce_disconnected",
            "salesforce",
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a Salesforce call with the stored session, getting one first when there is none,
    /// and getting a new one once when Salesforce answers that the session is invalid.
    pub(crate) async fn salesforce_call<T, F, Fut>(&self, call: F) -> AppResult<T>
    where
        F: Fn(Arc<dyn SalesforceApi>, Session) -> Fut,
        Fut: Future<Output = Result<T, SalesforceError>>,
    {
        let api = self.salesforce_setup()?.api.clone();
        let connection = self
            .store
            .salesforce_connection()
            .await?
            .ok_or(SalesforceProblem::NotConnected)?;
        if connection.state == ConnectionState::Expired {
            let why = connection.error.clone().unwrap_or_default();
            return Err(SalesforceProblem::Expired(why).into());
        }
        let session = match (&connection.access_token, &connection.instance_url) {
            (Some(token), Some(instance)) => Session {
                access_token: token.clone(),
                instance_url: instance.clone(),
            },
            _ => self.new_session(&connection).await?,
        };
        match call(api.clone(), session).await {
            Err(SalesforceError::SessionInvalid) => {
                let fresh = self.new_session(&connection).await?;
                match call(api, fresh).await {
                    Err(SalesforceError::SessionInvalid) => {
                        let why = "Salesforce refused a fresh session".to_owned();
                        self.record_connection(
                            &connection,
                            ConnectionState::Expired,
                            Some(&why),
                            None,
                        )
                        .await?;
                        Err(SalesforceProblem::Expired(why).into())
                    }
                    other => other.map_err(problem),
                }
            }
            other => other.map_err(problem),
        }
    }

    /// Gets a new session from the token endpoint and stores it (or why it failed).
    async fn new_session(&self, connection: &SalesforceConnection) -> AppResult<Session> {
        let api = self.salesforce_setup()?.api.clone();
        match api.token(&credentials(connection)).await {
            Ok(session) => {
                self.record_connection(
                    connection,
                    ConnectionState::Connected,
                    None,
                    Some(&session),
                )
                .await?;
                Ok(session)
            }
            Err(error) => {
                let words = error.to_string();
                let state = match &error {
                    SalesforceError::Grant { error, .. } if error == "invalid_grant" => {
                        ConnectionState::Expired
                    }
                    SalesforceError::Unavailable { .. } => connection.state,
                    _ => ConnectionState::Error,
                };
                tracing::warn!(state = state.as_str(), error = %words, "salesforce token refused");
                self.record_connection(connection, state, Some(&words), None)
                    .await?;
                Err(match state {
                    ConnectionState::Expired => SalesforceProblem::Expired(words).into(),
                    _ => problem(error),
                })
            }
        }
    }

    /// Saves the state of the connection `used`, unless an admin replaced its credentials
    /// meanwhile (then the newer ones decide).
    async fn record_connection(
        &self,
        used: &SalesforceConnection,
        state: ConnectionState,
        error: Option<&str>,
        session: Option<&Session>,
    ) -> AppResult<()> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let Some(mut stored) = tx.salesforce_connection().await? else {
            return Ok(());
        };
        if !same_credentials(&stored, used) {
            return Ok(());
        }
        stored.state = state;
        stored.error = error.map(str::to_owned);
        stored.updated_at = now;
        if let Some(session) = session {
            stored.access_token = Some(session.access_token.clone());
            stored.instance_url = Some(session.instance_url.clone());
            stored.connected_at = Some(now);
        } else if state == ConnectionState::Expired {
            stored.access_token = None;
        }
        tx.save_salesforce_connection(&stored).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A failed call in the words the user sees.
pub(crate) fn problem(error: SalesforceError) -> AppError {
    let words = error.to_string();
    match error {
        SalesforceError::SessionInvalid | SalesforceError::Grant { .. } => {
            SalesforceProblem::Expired(words)
        }
        SalesforceError::Refused { .. } => SalesforceProblem::Refused(words),
        SalesforceError::Unavailable { .. } => SalesforceProblem::Unavailable(words),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_urls_must_be_plain_http_urls() {
        let cases = [
            ("https://login.salesforce.com", true),
            ("https://test.salesforce.com/", true),
            ("http://127.0.0.1:4000", true),
            ("ftp://login.salesforce.com", false),
            ("login.salesforce.com", false),
            ("https://", false),
            ("https://user@evil.example", false),
            ("https://login.salesforce.com?x=1", false),
        ];
        for (url, ok) in cases {
            assert_eq!(check_login_url(url).is_ok(), ok, "{url}");
        }
        assert_eq!(
            check_login_url("https://test.salesforce.com/")
                .ok()
                .as_deref(),
            Some("https://test.salesforce.com")
        );
    }
}
