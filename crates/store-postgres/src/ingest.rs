//! The batch lookups of ingest ([`caredesk_store::ingest::IngestWrites`]) on PostgreSQL, inside the
//! unit of work.

use async_trait::async_trait;
use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, IngestWrites};

use crate::queries::ingest as q;
use crate::rows::Result;
use crate::tx::PgTx;

#[async_trait]
impl IngestWrites for PgTx {
    async fn customers_by_network_ids(
        &mut self,
        keys: &[(Network, String)],
    ) -> Result<Vec<Customer>> {
        q::customers_by_network_ids(self.conn(), keys).await
    }

    async fn create_customer(
        &mut self,
        network: Network,
        user_id: &str,
        details: &CustomerDetails,
    ) -> Result<Option<Customer>> {
        q::create_customer(self.conn(), network, user_id, details).await
    }

    async fn lock_customers(&mut self, ids: &[CustomerId]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        q::lock_customers(self.conn(), ids).await
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

    async fn update_case_state(&mut self, case: &Case) -> Result<()> {
        q::update_case_state(self.conn(), case).await
    }
}
