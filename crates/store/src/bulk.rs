//! Loading many rows at once, for data sets made outside the use cases (`caredesk bench`
//! generates a million cases through it).
//!
//! Rows arrive with their ids already chosen, so a generator can link them without reading
//! anything back; each [`BulkLoad::load`] is one transaction of multi-row inserts, committed
//! with the backend's usual durability. After the last batch, [`BulkLoad::finish_load`] moves
//! the id generators and the case numbering past what was loaded, so the use cases carry on
//! from there. Nothing here checks a business rule: the caller loads states the domain could
//! have reached.

use async_trait::async_trait;
use caredesk_domain::{
    Case, CaseId, CommunityItem, Conversation, Customer, Event, Message, MessageId, Timestamp,
};

use crate::StoreError;

/// Rows to insert together, ids included.
#[derive(Clone, Debug, Default)]
pub struct BulkRows {
    /// Customers (their Salesforce link is not loaded).
    pub customers: Vec<Customer>,
    /// Conversations.
    pub conversations: Vec<Conversation>,
    /// Messages.
    pub messages: Vec<Message>,
    /// Community items.
    pub community_items: Vec<CommunityItem>,
    /// Cases, with their numbers; their field values become filter tokens.
    pub cases: Vec<Case>,
    /// Which messages belong to which case.
    pub case_messages: Vec<CaseMessage>,
    /// Events (their ids are the backend's).
    pub events: Vec<Event>,
}

impl BulkRows {
    /// How many rows the batch holds.
    pub fn len(&self) -> usize {
        self.customers.len()
            + self.conversations.len()
            + self.messages.len()
            + self.community_items.len()
            + self.cases.len()
            + self.case_messages.len()
            + self.events.len()
    }

    /// True when the batch holds no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A message's membership of a case, with what the backends keep of the message alongside it
/// (its time and whether it is direct, which never change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseMessage {
    /// The case.
    pub case_id: CaseId,
    /// The message.
    pub message_id: MessageId,
    /// The message's `created_at`.
    pub created_at: Timestamp,
    /// The message is direct.
    pub direct: bool,
}

/// The highest ids in use, where a loader starts numbering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastIds {
    /// Customers.
    pub customer: i64,
    /// Conversations.
    pub conversation: i64,
    /// Messages.
    pub message: i64,
    /// Community items.
    pub community_item: i64,
    /// Cases.
    pub case: i64,
    /// Case numbers.
    pub case_number: i64,
}

/// A backend that takes rows in bulk.
#[async_trait]
pub trait BulkLoad: Send + Sync {
    /// Inserts every row of `rows` in one transaction (parents before children), ids as given.
    async fn load(&self, rows: &BulkRows) -> Result<(), StoreError>;
    /// The highest ids in use.
    async fn last_ids(&self) -> Result<LastIds, StoreError>;
    /// Moves id generators and case numbering past the loaded rows (rows loaded after the
    /// last [`BulkLoad::finish_load`] need this before anything else inserts).
    async fn move_ids_past_loaded(&self) -> Result<(), StoreError>;
    /// [`BulkLoad::move_ids_past_loaded`], then refreshes the planner's
    /// statistics, and leaves the tables as the backend's own upkeep would (PostgreSQL:
    /// vacuumed, as autovacuum leaves a running installation's tables).
    async fn finish_load(&self) -> Result<(), StoreError>;
    /// Leaves rows written since the load as a running installation's upkeep would, before a
    /// measurement: statistics refreshed and the log written back (PostgreSQL: vacuumed,
    /// analysed and checkpointed; SQLite: the log folded into the file).
    async fn settle(&self) -> Result<(), StoreError>;
    /// Closes every connection (SQLite folds its write-ahead log into the database file).
    async fn close(&self);
}
