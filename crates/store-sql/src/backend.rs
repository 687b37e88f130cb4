//! What a backend supplies to the one implementation: its connections, and the few operations
//! whose SQL truly differs between the dialects (the commit-ordered change log, the claims of
//! Salesforce work, id reservation, the upkeep after a bulk load, and the batch statements of
//! ingest, which bind a batch's keys and rows in each dialect's table form). Everything else is
//! written once in this crate. Where it can, a backend only writes a statement ([`Sql`]); this
//! crate runs it and decodes its rows.

use async_trait::async_trait;
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, ReservedIds};
use caredesk_store::salesforce::SalesforceSync;
use caredesk_store::{ChangeCursor, StoreError};

use crate::conn::{Conn, Pooled, Transaction};
use crate::Sql;

type Result<T> = std::result::Result<T, StoreError>;

/// A claim of due background work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Rows due at this time (syncs), or last read before it (pulls), qualify.
    pub due: Timestamp,
    /// What the claim writes on the rows it takes: the lease's end (syncs) or the read time
    /// (pulls).
    pub mark: Timestamp,
    /// Rows taken at most.
    pub limit: u32,
}

/// How many ids a unit of work reserves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdCounts {
    /// For messages.
    pub messages: usize,
    /// For community items.
    pub items: usize,
}

/// A database: its connections and the operations it writes in its own SQL.
#[async_trait]
pub trait Backend: BatchSql + Send + Sync + 'static {
    /// A connection for reads outside a unit of work.
    async fn reader(&self) -> Result<Pooled>;
    /// A connection for upkeep outside a unit of work (SQLite: the writer).
    async fn writer(&self) -> Result<Pooled>;
    /// Opens a unit of work.
    async fn begin(&self) -> Result<Transaction>;
    /// Closes every connection.
    async fn close(&self);
    /// True when units of work write at once, each waiting only on the rows it locks; false
    /// when the database takes one writer at a time.
    fn writes_in_parallel(&self) -> bool;

    /// [`caredesk_store::salesforce::SalesforceWrites::claim_salesforce_syncs`].
    async fn claim_salesforce_syncs(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<SalesforceSync>>;
    /// [`caredesk_store::salesforce::SalesforceWrites::claim_salesforce_pulls`].
    async fn claim_salesforce_pulls(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<(CaseId, SalesforceCase)>>;

    /// Where the change log ends now.
    async fn change_log_end(&self, conn: &mut Conn<'_>) -> Result<ChangeCursor>;
    /// The statement reading committed changes after `cursor`, in commit order, as
    /// [`crate::change_log::change`] decodes them.
    fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Sql<'static>;

    /// [`caredesk_store::ingest::IngestWrites::reserve_ids`].
    async fn reserve_ids(&self, conn: &mut Conn<'_>, wanted: IdCounts) -> Result<ReservedIds>;

    /// [`caredesk_store::bulk::BulkLoad::move_ids_past_loaded`].
    async fn move_ids_past_loaded(&self) -> Result<()>;
    /// [`caredesk_store::bulk::BulkLoad::finish_load`].
    async fn finish_load(&self) -> Result<()>;
    /// [`caredesk_store::bulk::BulkLoad::settle`].
    async fn settle(&self) -> Result<()>;
}

/// The statements of ingest's batch lookups and writes
/// ([`caredesk_store::ingest::IngestWrites`]): one statement (or a fixed few) for a whole
/// batch, its keys or rows bound in the dialect's table form. A lookup or create answers `None`
/// when the backend runs no statement for an empty batch; a write answers its statements in
/// order (none for an empty batch).
pub trait BatchSql {
    /// The customers with these (network, network user id) pairs.
    fn customers_by_network_ids<'a>(&self, keys: &'a [(Network, String)]) -> Option<Sql<'a>>;
    /// The messages with these (profile, network id) pairs.
    fn messages_by_network_ids<'a>(&self, keys: &'a [(ProfileId, String)]) -> Option<Sql<'a>>;
    /// The conversations with these keys.
    fn conversations_by_keys<'a>(&self, keys: &'a [ConversationKey]) -> Option<Sql<'a>>;
    /// The DM-thread items of these conversations.
    fn dm_thread_items<'a>(&self, conversations: &'a [ConversationId]) -> Option<Sql<'a>>;
    /// The cases holding an active slot of these customers.
    fn active_cases_of<'a>(&self, customers: &'a [CustomerId]) -> Option<Sql<'a>>;
    /// The newest non-deleted case of each (customer, profile).
    fn newest_cases_of<'a>(&self, keys: &'a [(CustomerId, ProfileId)]) -> Option<Sql<'a>>;

    /// Inserts the customers that do not exist, `RETURNING` those inserted.
    fn create_customers<'a>(&self, new: &'a [NewCustomer]) -> Result<Option<Sql<'a>>>;
    /// Inserts the conversations that do not exist, `RETURNING` those inserted.
    fn create_conversations<'a>(&self, keys: &'a [ConversationKey]) -> Result<Option<Sql<'a>>>;

    /// Inserts messages with their reserved ids.
    fn insert_messages<'a>(&self, messages: &'a [Message]) -> Result<Vec<Sql<'a>>>;
    /// Inserts community items with their reserved ids.
    fn insert_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>>;
    /// Saves community items' message, status and labels.
    fn update_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>>;
    /// Saves cases' state but their fields.
    fn update_case_states<'a>(&self, cases: &'a [&'a Case]) -> Result<Vec<Sql<'a>>>;
    /// Adds messages to cases (no-op for pairs there already).
    fn add_case_messages<'a>(&self, pairs: &'a [(CaseId, MessageId)]) -> Result<Vec<Sql<'a>>>;
}

/// A customer to create: network, network user id, details.
pub use caredesk_store::ingest::NewCustomer;
