//! What the store keeps for the Salesforce integration, and the parts of the ports that read and
//! write it: the installation's one connection (credentials and the current session), the
//! Salesforce Case linked to a Care case, the status-sync queue (one row per linked case whose
//! Care status or priority must still reach Salesforce) and the claim on links whose Salesforce
//! status is due to be read again.
//!
//! The sync queue follows the outbox's rules: a row is written in the same transaction as the
//! change that causes it, claimed by a worker for a lease (PostgreSQL skips rows another unit of
//! work holds, so several nodes never claim one twice) and removed only when the change it was
//! claimed for is the latest one.

use async_trait::async_trait;
use caredesk_domain::salesforce::{ConnectionState, SalesforceCase};
use caredesk_domain::{CaseId, Timestamp};

use crate::ports::Result;

/// The Salesforce connection of the installation. Secrets stay in the store; nothing shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct SalesforceConnection {
    /// The login host (production, sandbox or My Domain).
    pub login_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: String,
    /// The refresh token, when the refresh-token flow is used.
    pub refresh_token: Option<String>,
    /// The current access token, if one was obtained.
    pub access_token: Option<String>,
    /// The instance the access token is good for.
    pub instance_url: Option<String>,
    /// The state shown to admins.
    pub state: ConnectionState,
    /// What went wrong last, in words.
    pub error: Option<String>,
    /// When a token was last obtained.
    pub connected_at: Option<Timestamp>,
    /// When this row last changed.
    pub updated_at: Timestamp,
}

impl std::fmt::Debug for SalesforceConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SalesforceConnection")
            .field("login_url", &self.login_url)
            .field("client_id", &self.client_id)
            .field("instance_url", &self.instance_url)
            .field("state", &self.state)
            .field("error", &self.error)
            .field("connected_at", &self.connected_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// A claimed status sync: the linked Case to update, and which change of the Care case it was
/// claimed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesforceSync {
    /// The Care case.
    pub case_id: CaseId,
    /// The Salesforce Case's id.
    pub salesforce_id: String,
    /// Rises with every change queued; the row goes only if it is unchanged when the call ends.
    pub generation: i64,
    /// Calls started for this change, this one included.
    pub attempts: u32,
}

/// Where a case's status sync stands (for the Salesforce tab).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesforceSyncState {
    /// Calls made for the waiting change.
    pub attempts: u32,
    /// When the next call may start; `None` once it was given up.
    pub next_attempt_at: Option<Timestamp>,
    /// What went wrong last, in words.
    pub last_error: Option<String>,
}

/// How a claimed sync ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncEnd {
    /// Salesforce has the change: the row goes (unless a newer change was queued meanwhile,
    /// which then becomes due at once).
    Done,
    /// Try again at `next_attempt_at`, or never (`None`: refused for good) until the next change.
    Failed {
        /// When to try again.
        next_attempt_at: Option<Timestamp>,
        /// Salesforce's words.
        error: String,
    },
}

/// Reads outside a unit of work.
#[async_trait]
pub trait SalesforceReads: Send + Sync {
    /// The connection, if one is configured.
    async fn salesforce_connection(&self) -> Result<Option<SalesforceConnection>>;
    /// The Salesforce Case linked to a case.
    async fn salesforce_case(&self, case: CaseId) -> Result<Option<SalesforceCase>>;
    /// The Salesforce Cases linked to any of these cases (one query).
    async fn salesforce_cases(&self, cases: &[CaseId]) -> Result<Vec<(CaseId, SalesforceCase)>>;
    /// The case's waiting status sync, if any.
    async fn salesforce_sync_state(&self, case: CaseId) -> Result<Option<SalesforceSyncState>>;
    /// Status syncs waiting (due or in flight, not given up).
    async fn salesforce_sync_depth(&self) -> Result<i64>;
}

/// Writes inside a unit of work.
#[async_trait]
pub trait SalesforceWrites: Send {
    /// The connection, if one is configured (PostgreSQL: its row stays locked until the unit of
    /// work ends, so nodes refreshing the session take turns).
    async fn salesforce_connection(&mut self) -> Result<Option<SalesforceConnection>>;
    /// Creates or replaces the connection.
    async fn save_salesforce_connection(&mut self, connection: &SalesforceConnection)
        -> Result<()>;
    /// Removes the connection (no-op when there is none).
    async fn delete_salesforce_connection(&mut self) -> Result<()>;
    /// The Salesforce Case linked to a case (PostgreSQL: its row stays locked until the unit of
    /// work ends).
    async fn salesforce_case(&mut self, case: CaseId) -> Result<Option<SalesforceCase>>;
    /// Links a Salesforce Case to a case, never read yet; `Conflict` when the case has one
    /// already or that Salesforce Case is linked to another case.
    async fn insert_salesforce_case(&mut self, case: CaseId, link: &SalesforceCase) -> Result<()>;
    /// Records Salesforce's own number and status of a linked Case, read at `now`.
    async fn set_salesforce_case_state(
        &mut self,
        case: CaseId,
        number: Option<&str>,
        status: &str,
        now: Timestamp,
    ) -> Result<()>;
    /// Queues a status sync for the case, due at `now` (a newer change replaces a waiting one);
    /// no-op when the case has no Salesforce Case.
    async fn queue_salesforce_sync(&mut self, case: CaseId, now: Timestamp) -> Result<()>;
    /// Claims up to `limit` due syncs whose lease is free, leasing them until `lease_until` and
    /// counting one more attempt (PostgreSQL: rows another unit of work holds are skipped).
    async fn claim_salesforce_syncs(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<SalesforceSync>>;
    /// Ends a claimed sync and frees its lease. When a newer change was queued since the claim,
    /// that change stays as the queue left it (due, its attempts counted from zero) whatever the
    /// end; otherwise `Done` removes the row and `Failed` reschedules it (or gives it up).
    async fn end_salesforce_sync(&mut self, sync: &SalesforceSync, end: &SyncEnd) -> Result<()>;
    /// Claims up to `limit` linked Cases last read before `read_before` (never read first),
    /// marking them read at `now` (PostgreSQL: rows another unit of work holds are skipped).
    async fn claim_salesforce_pulls(
        &mut self,
        read_before: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<(CaseId, SalesforceCase)>>;
}
