//! The search parts of the store: reads on a reader connection.

use async_trait::async_trait;
use caredesk_domain::{Customer, CustomerId};
use caredesk_store::search::{CaseBrief, MessageHits, SearchQuery, SearchReads};
use caredesk_store::{ProfileScope, StoreError};

use crate::queries::search as q;
use crate::{Backend, SqlStore};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> SearchReads for SqlStore<B> {
    async fn search_messages(&self, query: &SearchQuery<'_>) -> Result<MessageHits> {
        q::search_messages(&mut self.backend().reader().await?.conn(), query).await
    }

    async fn search_customers(&self, query: &SearchQuery<'_>) -> Result<Vec<Customer>> {
        q::search_customers(&mut self.backend().reader().await?.conn(), query).await
    }

    async fn cases_of_customers(
        &self,
        customers: &[CustomerId],
        scope: &ProfileScope,
        limit: u32,
    ) -> Result<Vec<(CustomerId, CaseBrief)>> {
        let mut reader = self.backend().reader().await?;
        q::cases_of_customers(&mut reader.conn(), customers, scope, limit).await
    }
}
