//! [`IngestWrites`] inside a unit of work. The batch statements are the backend's (each dialect
//! binds a batch's keys and rows in its own table form); they run and their rows are decoded
//! here. Customer locks and the profiles' webhook times are written once here.

use async_trait::async_trait;
use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, IngestWrites, NewCustomer, ReservedIds};
use caredesk_store::rows::{self, Columns};
use caredesk_store::StoreError;

use crate::queries::customer_locks;
use crate::{Backend, Conn, IdCounts, Sql, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

/// The decoded rows of a lookup or create; none when the backend runs no statement.
async fn rows_of<T>(
    conn: &mut Conn<'_>,
    statement: Option<Sql<'_>>,
    decode: fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    match statement {
        Some(statement) => statement.all(conn, decode).await,
        None => Ok(Vec::new()),
    }
}

/// Runs a write's statements in order.
async fn run(conn: &mut Conn<'_>, statements: Vec<Sql<'_>>) -> Result<()> {
    for statement in statements {
        statement.execute(conn).await?;
    }
    Ok(())
}

#[async_trait]
impl<B: Backend> IngestWrites for SqlTx<B> {
    async fn customers_by_network_ids(
        &mut self,
        keys: &[(Network, String)],
    ) -> Result<Vec<Customer>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.customers_by_network_ids(keys);
        rows_of(&mut conn, lookup, rows::customer).await
    }

    async fn create_customers(&mut self, new: &[NewCustomer]) -> Result<Vec<Customer>> {
        let (backend, mut conn) = self.backend_and_conn();
        let create = backend.create_customers(new)?;
        rows_of(&mut conn, create, rows::customer).await
    }

    async fn create_conversations(
        &mut self,
        keys: &[ConversationKey],
    ) -> Result<Vec<Conversation>> {
        let (backend, mut conn) = self.backend_and_conn();
        let create = backend.create_conversations(keys)?;
        rows_of(&mut conn, create, rows::conversation).await
    }

    async fn lock_customers(&mut self, ids: &[CustomerId]) -> Result<()> {
        customer_locks::lock_customers(&mut self.conn(), ids).await
    }

    async fn messages_by_network_ids(
        &mut self,
        keys: &[(ProfileId, String)],
    ) -> Result<Vec<Message>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.messages_by_network_ids(keys);
        rows_of(&mut conn, lookup, rows::message).await
    }

    async fn conversations_by_keys(
        &mut self,
        keys: &[ConversationKey],
    ) -> Result<Vec<Conversation>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.conversations_by_keys(keys);
        rows_of(&mut conn, lookup, rows::conversation).await
    }

    async fn dm_thread_items(
        &mut self,
        conversations: &[ConversationId],
    ) -> Result<Vec<(CommunityItem, Timestamp)>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.dm_thread_items(conversations);
        rows_of(&mut conn, lookup, rows::dm_thread_item).await
    }

    async fn active_cases_of(&mut self, customers: &[CustomerId]) -> Result<Vec<Case>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.active_cases_of(customers);
        rows_of(&mut conn, lookup, rows::case).await
    }

    async fn newest_cases_of(&mut self, keys: &[(CustomerId, ProfileId)]) -> Result<Vec<Case>> {
        let (backend, mut conn) = self.backend_and_conn();
        let lookup = backend.newest_cases_of(keys);
        rows_of(&mut conn, lookup, rows::case).await
    }

    async fn reserve_ids(&mut self, messages: usize, items: usize) -> Result<ReservedIds> {
        let (backend, mut conn) = self.backend_and_conn();
        let wanted = IdCounts { messages, items };
        backend.reserve_ids(&mut conn, wanted).await
    }

    async fn insert_messages(&mut self, messages: &[Message]) -> Result<()> {
        let (backend, mut conn) = self.backend_and_conn();
        run(&mut conn, backend.insert_messages(messages)?).await
    }

    async fn insert_community_items(&mut self, items: &[CommunityItem]) -> Result<()> {
        let (backend, mut conn) = self.backend_and_conn();
        run(&mut conn, backend.insert_community_items(items)?).await
    }

    async fn update_community_items(&mut self, items: &[CommunityItem]) -> Result<()> {
        let (backend, mut conn) = self.backend_and_conn();
        run(&mut conn, backend.update_community_items(items)?).await
    }

    async fn add_case_messages(&mut self, pairs: &[(CaseId, MessageId)]) -> Result<()> {
        let (backend, mut conn) = self.backend_and_conn();
        run(&mut conn, backend.add_case_messages(pairs)?).await
    }

    async fn touch_profiles_webhook(
        &mut self,
        profiles: &[ProfileId],
        at: Timestamp,
    ) -> Result<()> {
        if profiles.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let among = conn.dialect().any_of("id", 2);
        // Kept to the minute, as for one profile.
        Sql::new(format!(
            "UPDATE profiles SET last_webhook_at = $1 WHERE {among} \
             AND (last_webhook_at IS NULL OR last_webhook_at < $3)"
        ))
        .bind(at.0)
        .bind(profiles.iter().map(|p| p.0).collect::<Vec<_>>())
        .bind(at.plus_secs(-60).0)
        .execute(&mut conn)
        .await?;
        Ok(())
    }
}
