//! The Salesforce fake: a loopback org that serves the OAuth token endpoint and the REST data
//! calls caredesk makes, in Salesforce's shapes — OAuth error objects, REST error arrays, 201 and
//! 204 answers, SOQL pages behind `nextRecordsUrl`, `Sforce-Limit-Info` on every data answer.
//! Tests and `caredesk demo` seed it with accounts and contacts, expire its sessions, revoke its
//! refresh token, take it down, inject one-off [`Fault`]s, change a Case's status as a
//! Salesforce user would, and read back the Cases and the calls it got.

mod case_writes;
mod oauth;
mod org;
mod rest;
mod sobject;
mod soql;

use std::sync::{Arc, Mutex, OnceLock};

use caredesk_app::salesforce::Credentials;
use serde_json::Value;

use crate::fault::Faults;
use crate::server::Loopback;
use crate::{lock, FakeError, Fault};

pub use org::FakeCase;
use org::{Named, Org, Picklists};

/// How the fake org is set up.
#[derive(Clone)]
pub struct FakeSalesforceConfig {
    /// The connected app's consumer key.
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: String,
    /// The refresh token the org honours (until revoked).
    pub refresh_token: String,
    /// The daily API limit `Sforce-Limit-Info` reports.
    pub api_limit: u64,
    /// How many records a query page holds (Salesforce: 2000).
    pub page_size: usize,
    /// The values Case `Origin` accepts.
    pub origins: Vec<String>,
    /// The values Case `Status` accepts.
    pub statuses: Vec<String>,
    /// The values Case `Priority` accepts.
    pub priorities: Vec<String>,
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}

impl Default for FakeSalesforceConfig {
    /// Salesforce's default picklists, a 15 000-call limit and 2000-record pages.
    fn default() -> Self {
        Self {
            client_id: "3MVG9FakeConsumerKeyForCaredesk".into(),
            client_secret: "FakeConsumerSecret0001".into(),
            refresh_token: "5Aep861FakeRefreshToken0001".into(),
            api_limit: 15_000,
            page_size: 2000,
            origins: words(&["Phone", "Email", "Web"]),
            statuses: words(&["New", "Working", "Escalated", "Closed"]),
            priorities: words(&["High", "Medium", "Low"]),
        }
    }
}

impl std::fmt::Debug for FakeSalesforceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeSalesforceConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("api_limit", &self.api_limit)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

/// How the fake is down while an outage is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outage {
    /// Every call is answered 503 by a gateway page.
    ServiceUnavailable,
    /// Every connection is closed without an answer.
    DropConnections,
}

/// One call the fake got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeCall {
    /// `GET`, `POST`, `PATCH`, …
    pub method: String,
    /// The path, without the query string.
    pub path: String,
}

/// The fake's state, shared with its handlers.
struct SfState {
    client_id: String,
    client_secret: String,
    refresh_token: String,
    api_limit: u64,
    base_url: OnceLock<String>,
    faults: Faults,
    org: Mutex<OrgState>,
}

impl SfState {
    fn base_url(&self) -> String {
        self.base_url.get().cloned().unwrap_or_default()
    }
}

/// The org's records and the fake's book of sessions, calls and switches.
struct OrgState {
    records: Org,
    tokens: std::collections::HashSet<String>,
    refresh_revoked: bool,
    api_calls: u64,
    calls: Vec<FakeCall>,
    outage: Option<Outage>,
}

impl std::ops::Deref for OrgState {
    type Target = Org;
    fn deref(&self) -> &Org {
        &self.records
    }
}

impl std::ops::DerefMut for OrgState {
    fn deref_mut(&mut self) -> &mut Org {
        &mut self.records
    }
}

/// A running Salesforce fake; stops when dropped.
pub struct FakeSalesforce {
    server: Loopback,
    state: Arc<SfState>,
}

impl std::fmt::Debug for FakeSalesforce {
    /// The address and the usage; never the secrets or the sessions.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeSalesforce")
            .field("url", &self.state.base_url())
            .field("client_id", &self.state.client_id)
            .field("api_calls", &self.api_calls())
            .finish_non_exhaustive()
    }
}

impl FakeSalesforce {
    /// Starts an empty org on a fresh `127.0.0.1` port.
    pub async fn start(config: FakeSalesforceConfig) -> Result<Self, FakeError> {
        let picklists = Picklists {
            origin: config.origins,
            status: config.statuses,
            priority: config.priorities,
        };
        let state = Arc::new(SfState {
            client_id: config.client_id,
            client_secret: config.client_secret,
            refresh_token: config.refresh_token,
            api_limit: config.api_limit,
            base_url: OnceLock::new(),
            faults: Faults::default(),
            org: Mutex::new(OrgState {
                records: Org::new(picklists, config.page_size),
                tokens: Default::default(),
                refresh_revoked: false,
                api_calls: 0,
                calls: Vec::new(),
                outage: None,
            }),
        });
        let server = Loopback::start(rest::router(state.clone())).await?;
        // Set once, before any request can ask for it.
        let _ = state.base_url.set(format!("http://{}", server.addr()));
        Ok(Self { server, state })
    }

    /// Starts an org seeded with a few realistic accounts and contacts, for demos.
    pub async fn demo() -> Result<Self, FakeError> {
        let fake = Self::start(FakeSalesforceConfig::default()).await?;
        let acme = fake.add_account("Acme Ltd");
        let obrien = fake.add_account("O'Brien & Sons");
        let globex = fake.add_account("Globex Corporation");
        fake.add_account("Initech");
        fake.add_account("Umbrella Retail");
        fake.add_contact("Jane Customer", Some(&acme));
        fake.add_contact("John Smith", Some(&acme));
        fake.add_contact("Siobhan O'Brien", Some(&obrien));
        fake.add_contact("Hank Scorpio", Some(&globex));
        fake.add_contact("Maria García", None);
        Ok(fake)
    }

    /// The login URL (token endpoint base), e.g. `http://127.0.0.1:PORT`.
    pub fn login_url(&self) -> String {
        self.state.base_url()
    }

    /// The instance URL its sessions name; the same server as [`Self::login_url`].
    pub fn instance_url(&self) -> String {
        self.state.base_url()
    }

    /// Credentials for the refresh-token flow with the configured token.
    pub fn refresh_credentials(&self) -> Credentials {
        Credentials {
            refresh_token: Some(self.state.refresh_token.clone()),
            ..self.client_credentials()
        }
    }

    /// Credentials for the client-credentials flow.
    pub fn client_credentials(&self) -> Credentials {
        Credentials {
            login_url: self.login_url(),
            client_id: self.state.client_id.clone(),
            client_secret: self.state.client_secret.clone(),
            refresh_token: None,
        }
    }

    /// Adds an account; its id (`001…`).
    pub fn add_account(&self, name: &str) -> String {
        self.add(name, None, true)
    }

    /// Adds a contact, under an account or none; its id (`003…`).
    pub fn add_contact(&self, name: &str, account: Option<&str>) -> String {
        self.add(name, account, false)
    }

    fn add(&self, name: &str, account: Option<&str>, is_account: bool) -> String {
        let mut org = lock(&self.state.org);
        let id = org.new_id(if is_account { "001" } else { "003" });
        let record = Named {
            id: id.clone(),
            name: name.to_owned(),
            account_id: account.map(str::to_owned),
        };
        if is_account {
            org.accounts.push(record);
        } else {
            org.contacts.push(record);
        }
        id
    }

    /// Ends every session issued so far: their calls get 401 `INVALID_SESSION_ID`.
    pub fn expire_tokens(&self) {
        lock(&self.state.org).tokens.clear();
    }

    /// Revokes the refresh token: the refresh-token grant answers `invalid_grant`.
    pub fn revoke_refresh_token(&self) {
        lock(&self.state.org).refresh_revoked = true;
    }

    /// Takes every endpoint down (or brings them back with `None`).
    pub fn set_outage(&self, outage: Option<Outage>) {
        lock(&self.state.org).outage = outage;
    }

    /// Queues `fault` for a coming call (one fault per call, in order).
    pub fn inject(&self, fault: Fault) {
        self.state.faults.push(fault);
    }

    /// Sets a Case's `Status` as a Salesforce user would (no picklist check); false when the
    /// Case does not exist.
    pub fn set_case_status(&self, id: &str, status: &str) -> bool {
        let mut org = lock(&self.state.org);
        match org.case_mut(id) {
            Some(case) => {
                case.fields
                    .insert("Status".into(), Value::String(status.to_owned()));
                true
            }
            None => false,
        }
    }

    /// The Case with this id (15 or 18 characters).
    pub fn case(&self, id: &str) -> Option<FakeCase> {
        lock(&self.state.org).case(id).cloned()
    }

    /// Every Case, oldest first.
    pub fn cases(&self) -> Vec<FakeCase> {
        lock(&self.state.org).cases.clone()
    }

    /// Every call so far, oldest first.
    pub fn calls(&self) -> Vec<FakeCall> {
        lock(&self.state.org).calls.clone()
    }

    /// How many calls had this method and path.
    pub fn call_count(&self, method: &str, path: &str) -> usize {
        let org = lock(&self.state.org);
        org.calls
            .iter()
            .filter(|c| c.method == method && c.path == path)
            .count()
    }

    /// How many token requests the fake got.
    pub fn token_calls(&self) -> usize {
        self.call_count("POST", oauth::TOKEN_PATH)
    }

    /// How many data API calls were counted (what `Sforce-Limit-Info` reports).
    pub fn api_calls(&self) -> u64 {
        lock(&self.state.org).api_calls
    }

    /// Sets how many records a query page holds.
    pub fn set_page_size(&self, size: usize) {
        lock(&self.state.org).page_size = size.max(1);
    }

    /// Sets the values a Case picklist (`Origin`, `Status` or `Priority`) accepts; false for
    /// another field.
    pub fn set_picklist(&self, field: &str, values: &[&str]) -> bool {
        let mut org = lock(&self.state.org);
        let list = match field {
            "Origin" => &mut org.picklists.origin,
            "Status" => &mut org.picklists.status,
            "Priority" => &mut org.picklists.priority,
            _ => return false,
        };
        *list = words(values);
        true
    }

    /// Stops serving; the port is closed when this returns.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}
