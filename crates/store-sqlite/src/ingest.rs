//! The batch lookups and writes of ingest ([`caredesk_store::ingest::IngestWrites`]) on SQLite, inside the
//! unit of work.

use async_trait::async_trait;
use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, IngestWrites, ReservedIds};

use crate::queries::ingest as q;
use crate::queries::ingest_writes as w;
use crate::rows::Result;
use crate::tx::SqliteTx;

#[async_trait]
impl IngestWrites for SqliteTx {
    async fn customers_by_network_ids(
        &mut self,
        keys: &[(Network, String)],
    ) -> Result<Vec<Customer>> {
        q::customers_by_network_ids(self.conn(), keys).await
    }

    async fn create_customers(
        &mut self,
        new: &[(Network, String, CustomerDetails)],
    ) -> Result<Vec<Customer>> {
        w::create_customers(self.conn(), new).await
    }

    async fn create_conversations(
        &mut self,
        keys: &[ConversationKey],
    ) -> Result<Vec<Conversation>> {
        w::create_conversations(self.conn(), keys).await
    }

    async fn lock_customers(&mut self, _ids: &[CustomerId]) -> Result<()> {
        // The writer connection and BEGIN IMMEDIATE already serialise every unit of work.
        Ok(())
    }

    async fn messages_by_network_ids(
        &mut self,
        keys: &[(ProfileId, String)],
    ) -> Result<Vec<Message>> {
        q::messages_by_network_ids(self.conn(), keys).await
    }

    async fn conversations_by_keys(
        &mut self,
        keys: &[ConversationKey],
    ) -> Result<Vec<Conversation>> {
        q::conversations_by_keys(self.conn(), keys).await
    }

    async fn dm_thread_items(
        &mut self,
        conversations: &[ConversationId],
    ) -> Result<Vec<CommunityItem>> {
        q::dm_thread_items(self.conn(), conversations).await
    }

    async fn active_cases_of(&mut self, customers: &[CustomerId]) -> Result<Vec<Case>> {
        q::active_cases_of(self.conn(), customers).await
    }

    async fn newest_cases_of(&mut self, keys: &[(CustomerId, ProfileId)]) -> Result<Vec<Case>> {
        q::newest_cases_of(self.conn(), keys).await
    }

    async fn reserve_ids(&mut self, messages: usize, items: usize) -> Result<ReservedIds> {
        w::reserve_ids(self.conn(), messages, items).await
    }

    async fn insert_messages(&mut self, messages: &[Message]) -> Result<()> {
        w::insert_messages(self.conn(), messages).await
    }

    async fn insert_community_items(&mut self, items: &[CommunityItem]) -> Result<()> {
        w::insert_community_items(self.conn(), items).await
    }

    async fn update_community_items(&mut self, items: &[CommunityItem]) -> Result<()> {
        w::update_community_items(self.conn(), items).await
    }

    async fn update_case_states(&mut self, cases: &[Case]) -> Result<()> {
        w::update_case_states(self.conn(), cases).await
    }

    async fn add_case_messages(&mut self, pairs: &[(CaseId, MessageId)]) -> Result<()> {
        w::add_case_messages(self.conn(), pairs).await
    }

    async fn touch_profiles_webhook(
        &mut self,
        profiles: &[ProfileId],
        at: Timestamp,
    ) -> Result<()> {
        w::touch_profiles_webhook(self.conn(), profiles, at).await
    }
}
