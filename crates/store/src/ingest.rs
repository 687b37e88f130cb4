//! The lookups of webhook ingest, made for a whole batch of deliveries at once: one statement
//! per kind of row (customers, messages, conversations, cases, DM-thread items) for every
//! message of the batch, instead of one statement per message and kind. What they answer is
//! what the single lookups of [`crate::Tx`] would answer for each key; keys that match nothing
//! are simply absent from the answer.
//!
//! The writes of ingest are made for a whole batch too: rows take ids reserved beforehand
//! ([`IngestWrites::reserve_ids`]), so that what routing creates can be held in memory and
//! written with one statement per kind of row when the batch has been routed.

use async_trait::async_trait;
use caredesk_domain::{
    Case, CaseId, CommunityItem, CommunityItemId, Conversation, ConversationId, ConversationKind,
    Customer, CustomerDetails, CustomerId, Message, MessageId, Network, ProfileId, Timestamp,
};

use crate::ports::Result;

/// A customer to create: network, network user id, details, and the look-up their first
/// message calls for (the profile whose token asks, due when).
pub type NewCustomer = (
    Network,
    String,
    CustomerDetails,
    Option<(ProfileId, Timestamp)>,
);

/// The key of a conversation: its profile, customer, kind and root post (empty for a DM).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationKey {
    /// The profile.
    pub profile: ProfileId,
    /// The customer.
    pub customer: CustomerId,
    /// DM or public thread.
    pub kind: ConversationKind,
    /// The network id of the thread's root post; empty for a DM.
    pub root_network_id: String,
}

impl ConversationKey {
    /// The key of a stored conversation.
    pub fn of(conversation: &Conversation) -> ConversationKey {
        ConversationKey {
            profile: conversation.profile_id,
            customer: conversation.customer_id,
            kind: conversation.kind,
            root_network_id: conversation.root_network_id.clone(),
        }
    }
}

/// Ids reserved for rows a unit of work will insert, in increasing order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReservedIds {
    /// For messages ([`IngestWrites::insert_messages`]).
    pub messages: Vec<MessageId>,
    /// For community items ([`IngestWrites::insert_community_items`]).
    pub items: Vec<CommunityItemId>,
}

/// Batch lookups and writes of ingest, inside a unit of work.
#[async_trait]
pub trait IngestWrites: Send {
    /// The customers with these (network, network user id) pairs that exist.
    async fn customers_by_network_ids(
        &mut self,
        keys: &[(Network, String)],
    ) -> Result<Vec<Customer>>;
    /// Inserts each (network, network user id, details) that no customer has yet: answers the
    /// customers this unit of work created (nothing of theirs can exist yet), leaving out those
    /// that exist already.
    async fn create_customers(&mut self, new: &[NewCustomer]) -> Result<Vec<Customer>>;
    /// Creates the conversations with these keys that do not exist: answers those this unit of
    /// work created, leaving out those that exist already.
    async fn create_conversations(&mut self, keys: &[ConversationKey])
        -> Result<Vec<Conversation>>;
    /// [`crate::Tx::lock_customer`] for each of these customers, in the order of their ids.
    async fn lock_customers(&mut self, ids: &[CustomerId]) -> Result<()>;
    /// The messages with these (profile, network id) pairs that exist.
    async fn messages_by_network_ids(
        &mut self,
        keys: &[(ProfileId, String)],
    ) -> Result<Vec<Message>>;
    /// The conversations with these keys that exist.
    async fn conversations_by_keys(
        &mut self,
        keys: &[ConversationKey],
    ) -> Result<Vec<Conversation>>;
    /// The DM-thread items of these conversations that exist, each with the network's time of
    /// the message it shows.
    async fn dm_thread_items(
        &mut self,
        conversations: &[ConversationId],
    ) -> Result<Vec<(CommunityItem, Timestamp)>>;
    /// The cases holding an active slot of any of these customers (on any profile).
    async fn active_cases_of(&mut self, customers: &[CustomerId]) -> Result<Vec<Case>>;
    /// [`crate::Tx::newest_case`] for each (customer, profile) pair, where there is one.
    async fn newest_cases_of(&mut self, keys: &[(CustomerId, ProfileId)]) -> Result<Vec<Case>>;
    /// Reserves ids for this many messages and community items. No other insert takes them;
    /// until they are inserted, the unit of work inserts no message or item any other way.
    async fn reserve_ids(&mut self, messages: usize, items: usize) -> Result<ReservedIds>;
    /// Inserts messages with the ids reserved for them; a parent may be inserted in the same
    /// call, before its answers.
    async fn insert_messages(&mut self, messages: &[Message]) -> Result<()>;
    /// Inserts community items with the ids reserved for them.
    async fn insert_community_items(&mut self, items: &[CommunityItem]) -> Result<()>;
    /// Saves what [`crate::Tx::update_community_item`] saves, for each item.
    async fn update_community_items(&mut self, items: &[CommunityItem]) -> Result<()>;
    /// [`crate::Tx::add_case_message`] for each (case, message) pair.
    async fn add_case_messages(&mut self, pairs: &[(CaseId, MessageId)]) -> Result<()>;
    /// Records that a webhook delivery for each of these profiles arrived at `at` (kept to the
    /// minute: a busy profile writes its row once a minute, not once a delivery).
    async fn touch_profiles_webhook(&mut self, profiles: &[ProfileId], at: Timestamp)
        -> Result<()>;
}
