//! The lookups of webhook ingest, made for a whole batch of deliveries at once: one statement
//! per kind of row (customers, messages, conversations, cases, DM-thread items) for every
//! message of the batch, instead of one statement per message and kind. What they answer is
//! what the single lookups of [`crate::Tx`] would answer for each key; keys that match nothing
//! are simply absent from the answer.

use async_trait::async_trait;
use caredesk_domain::{
    Case, CommunityItem, Conversation, ConversationId, ConversationKind, Customer, CustomerDetails,
    CustomerId, Message, Network, ProfileId,
};

use crate::ports::Result;

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

/// Batch lookups and writes of ingest, inside a unit of work.
#[async_trait]
pub trait IngestWrites: Send {
    /// The customers with these (network, network user id) pairs that exist.
    async fn customers_by_network_ids(
        &mut self,
        keys: &[(Network, String)],
    ) -> Result<Vec<Customer>>;
    /// Inserts the customer when no one has this network user id: `Some` when this unit of work
    /// created it (so nothing of theirs can exist yet), `None` when they exist already.
    async fn create_customer(
        &mut self,
        network: Network,
        user_id: &str,
        details: &CustomerDetails,
    ) -> Result<Option<Customer>>;
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
    /// The DM-thread items of these conversations that exist.
    async fn dm_thread_items(
        &mut self,
        conversations: &[ConversationId],
    ) -> Result<Vec<CommunityItem>>;
    /// The cases holding an active slot of any of these customers (on any profile).
    async fn active_cases_of(&mut self, customers: &[CustomerId]) -> Result<Vec<Case>>;
    /// [`crate::Tx::newest_case`] for each (customer, profile) pair, where there is one.
    async fn newest_cases_of(&mut self, keys: &[(CustomerId, ProfileId)]) -> Result<Vec<Case>>;
    /// Saves what [`crate::Tx::update_case`] saves except the case fields, which the caller
    /// knows are unchanged.
    async fn update_case_state(&mut self, case: &Case) -> Result<()>;
}
