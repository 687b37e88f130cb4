//! The traits the use cases talk to: [`Store`] for reads and for opening units of work, and
//! [`Tx`] (in `tx`) for everything read and written inside one.
//!
//! A `Tx` is one database transaction. Reads inside it see its own writes; on PostgreSQL the
//! case and customer reads lock their rows (`FOR UPDATE`), on SQLite the whole transaction holds
//! the write lock from its first statement (`BEGIN IMMEDIATE`). Dropping a `Tx` without
//! [`Tx::commit`] rolls it back. After any error the unit of work is spent (PostgreSQL aborts
//! the transaction): drop it, and run the whole unit again when the error is retryable. The one
//! way back from an error is a savepoint taken before it ([`Tx::savepoint`]): rolling back to it
//! undoes what followed and makes the unit of work usable again, so several independent parts
//! (the deliveries of one group commit) share a transaction and fail one by one.

use async_trait::async_trait;
use caredesk_domain::{
    Case, CaseField, CaseId, CommunityItemId, ConversationId, Customer, CustomerId, Message,
    MessageId, Network, NetworkApp, Profile, ProfileId, Settings, Timestamp, User, UserId,
};

use crate::assignment::AssignmentReads;
use crate::media::MediaReads;
use crate::notifications::NotificationReads;
use crate::presence::PresenceStore;
use crate::records::{
    CaseMessages, CaseRow, Change, ChangeCursor, ConversationSummary, Credentials, EventFilter,
    ItemRow, MessagePage, Page, ProfileSignals, StoredEvent, StoredSession, UserWithLoad,
};
use crate::reports::ReportReads;
use crate::salesforce::SalesforceReads;
use crate::saved_replies::SavedReplyReads;
use crate::search::SearchReads;
use crate::sla::SlaReads;
pub use crate::tx::Tx;
use crate::views::community::ItemQuery;
use crate::views::overview::Overview;
use crate::views::{CaseQuery, ProfileScope, View, Viewer};
use crate::StoreError;

/// Shorthand for store results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A backend: reads outside transactions, and units of work.
#[async_trait]
pub trait Store:
    AssignmentReads
    + SalesforceReads
    + MediaReads
    + SearchReads
    + SavedReplyReads
    + NotificationReads
    + SlaReads
    + ReportReads
    + PresenceStore
    + Send
    + Sync
    + 'static
{
    /// Opens a write transaction.
    async fn begin(&self) -> Result<Box<dyn Tx>>;
    /// Checks the database answers (readiness).
    async fn ping(&self) -> Result<()>;
    /// Closes every connection and ends the store's own upkeep; later calls fail.
    async fn close(&self);
    /// True when units of work write at once (PostgreSQL's row locks), so background work may
    /// run several batches together; false when one unit of work writes at a time (SQLite).
    fn writes_in_parallel(&self) -> bool;

    /// A user by id.
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    /// A user and their password hash, by e-mail (case-insensitive).
    async fn credentials(&self, email: &str) -> Result<Option<Credentials>>;
    /// Every user with their load, by name.
    async fn users(&self) -> Result<Vec<UserWithLoad>>;
    /// One user with their load.
    async fn user_with_load(&self, id: UserId) -> Result<Option<UserWithLoad>>;
    /// The settings.
    async fn settings(&self) -> Result<Settings>;
    /// Every case field, by position.
    async fn case_fields(&self) -> Result<Vec<CaseField>>;
    /// Every network app.
    async fn network_apps(&self) -> Result<Vec<NetworkApp>>;
    /// Every profile.
    async fn profiles(&self) -> Result<Vec<Profile>>;
    /// A profile by its network and external id.
    async fn profile_by_external_id(
        &self,
        network: Network,
        external_id: &str,
    ) -> Result<Option<Profile>>;
    /// A customer.
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>>;
    /// The profiles a customer wrote to (their conversations' profiles).
    async fn customer_profiles(&self, customer: CustomerId) -> Result<Vec<ProfileId>>;
    /// The customer's non-deleted cases on these profiles, newest first.
    async fn customer_cases(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<CaseRow>>;
    /// The customer's conversations on these profiles, most recently active first.
    async fn customer_conversations(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<ConversationSummary>>;
    /// A case by id (deleted ones too; the domain decides who sees them).
    async fn case(&self, id: CaseId) -> Result<Option<Case>>;
    /// A case by number.
    async fn case_by_number(&self, number: i64) -> Result<Option<Case>>;
    /// One page of a Care view.
    async fn list_cases(&self, query: &CaseQuery) -> Result<Page<CaseRow>>;
    /// The home page's figures for these profiles: escalations and Done changes since `since`,
    /// first replies delivered since `first_reply_since`, grace periods ending in
    /// `(now, grace_horizon]`.
    async fn overview(
        &self,
        scope: &ProfileScope,
        now: Timestamp,
        since: Timestamp,
        first_reply_since: Timestamp,
        grace_horizon: Timestamp,
    ) -> Result<Overview>;
    /// The count of each view for a viewer, unfiltered.
    async fn case_counts(&self, viewer: &Viewer) -> Result<Vec<(View, i64)>>;
    /// The messages of a case in time order, oldest first; a DM conversation exposes only its
    /// last 500 customer and brand messages (notes always show).
    async fn case_messages(
        &self,
        case: CaseId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<CaseMessages>;
    /// The messages of a conversation in time order, oldest first, with delivery states.
    async fn conversation_messages(
        &self,
        conversation: ConversationId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<MessagePage>;
    /// The events of a case, oldest first.
    async fn case_events(&self, case: CaseId) -> Result<Vec<StoredEvent>>;
    /// Every event of the installation that matches, newest first (the audit log).
    async fn events(
        &self,
        filter: &EventFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<StoredEvent>>;
    /// A community item with its lock.
    async fn community_item(&self, id: CommunityItemId) -> Result<Option<ItemRow>>;
    /// One page of the Community inbox.
    async fn community_items(&self, query: &ItemQuery) -> Result<Page<ItemRow>>;
    /// A message.
    async fn message(&self, id: MessageId) -> Result<Option<Message>>;
    /// The messages of these ids that exist, in one read (any order).
    async fn messages(&self, ids: &[MessageId]) -> Result<Vec<Message>>;
    /// Where the change log ends now: a stream starting here sees only later changes.
    async fn change_log_end(&self) -> Result<ChangeCursor>;
    /// Committed changes after `cursor`, in commit order; a change is answered only once every
    /// change before it in that order is committed, so a reader never skips one.
    async fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Result<Vec<Change>>;
    /// Replies waiting in the outbox.
    async fn outbox_depth(&self) -> Result<i64>;
    /// Every profile's health signals, by profile id.
    async fn profile_signals(&self) -> Result<Vec<ProfileSignals>>;

    /// The session whose bearer token hashes to `token_hash` (revoked ones too).
    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>>;
    /// How many sign-in failures were recorded under `key` at or after `since`.
    async fn login_failures_since(&self, key: &str, since: Timestamp) -> Result<i64>;
    /// The oldest sign-in failure recorded under `key` at or after `since`.
    async fn oldest_login_failure_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<Timestamp>>;
}
