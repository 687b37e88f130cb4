//! [`Store`] on SQLite: reads on the reader pool, units of work on the single writer.

use async_trait::async_trait;
use caredesk_domain::*;
use caredesk_store::*;

use crate::queries::{cases, directory, messages, outbox, sessions};
use crate::tx::SqliteTx;
use crate::{map_error, views, SqliteStore};

type Result<T> = std::result::Result<T, StoreError>;

impl SqliteStore {
    pub(crate) async fn reader(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        self.readers.acquire().await.map_err(map_error)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn begin(&self) -> Result<Box<dyn Tx>> {
        let tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(map_error)?;
        Ok(Box::new(SqliteTx::new(tx)))
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.reader().await?)
            .await
            .map_err(map_error)?;
        Ok(())
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        directory::user(&mut *self.reader().await?, id).await
    }

    async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        directory::credentials(&mut *self.reader().await?, email).await
    }

    async fn users(&self) -> Result<Vec<UserWithLoad>> {
        directory::users(&mut *self.reader().await?).await
    }

    async fn settings(&self) -> Result<Settings> {
        directory::settings(&mut *self.reader().await?).await
    }

    async fn case_fields(&self) -> Result<Vec<CaseField>> {
        directory::case_fields(&mut *self.reader().await?).await
    }

    async fn network_apps(&self) -> Result<Vec<NetworkApp>> {
        directory::network_apps(&mut *self.reader().await?).await
    }

    async fn profiles(&self) -> Result<Vec<Profile>> {
        directory::profiles(&mut *self.reader().await?).await
    }

    async fn profile_by_external_id(
        &self,
        network: Network,
        external_id: &str,
    ) -> Result<Option<Profile>> {
        directory::profile_by_external_id(&mut *self.reader().await?, network, external_id).await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        messages::customer(&mut *self.reader().await?, id).await
    }

    async fn customer_profiles(&self, customer: CustomerId) -> Result<Vec<ProfileId>> {
        views::customer_profiles(&mut *self.reader().await?, customer).await
    }

    async fn customer_cases(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<CaseRow>> {
        caredesk_store::reads::customer_cases(
            &mut views::ConnReader(&mut *self.reader().await?),
            customer,
            scope,
            cursor,
            limit,
        )
        .await
    }

    async fn customer_conversations(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<ConversationSummary>> {
        caredesk_store::reads::customer_conversations(
            &mut views::ConnReader(&mut *self.reader().await?),
            customer,
            scope,
            cursor,
            limit,
        )
        .await
    }

    async fn case(&self, id: CaseId) -> Result<Option<Case>> {
        cases::case(&mut *self.reader().await?, id).await
    }

    async fn case_by_number(&self, number: i64) -> Result<Option<Case>> {
        cases::case_by_number(&mut *self.reader().await?, number).await
    }

    async fn list_cases(&self, query: &CaseQuery) -> Result<Page<CaseRow>> {
        caredesk_store::reads::list_cases(&mut views::ConnReader(&mut *self.reader().await?), query)
            .await
    }

    async fn overview(
        &self,
        scope: &ProfileScope,
        now: Timestamp,
        since: Timestamp,
        grace_horizon: Timestamp,
    ) -> Result<caredesk_store::views::overview::Overview> {
        caredesk_store::reads::overview(
            &mut views::ConnReader(&mut *self.reader().await?),
            scope,
            now,
            since,
            grace_horizon,
        )
        .await
    }

    async fn case_counts(&self, viewer: &Viewer) -> Result<Vec<(View, i64)>> {
        caredesk_store::reads::case_counts(
            &mut views::ConnReader(&mut *self.reader().await?),
            viewer,
        )
        .await
    }

    async fn case_messages(
        &self,
        case: CaseId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<MessagePage> {
        views::case_messages(&mut *self.reader().await?, case, cursor, limit).await
    }

    async fn conversation_messages(
        &self,
        conversation: ConversationId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<MessagePage> {
        views::conversation_messages(&mut *self.reader().await?, conversation, cursor, limit).await
    }

    async fn case_events(&self, case: CaseId) -> Result<Vec<StoredEvent>> {
        cases::case_events(&mut *self.reader().await?, case).await
    }

    async fn events(
        &self,
        filter: &EventFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<StoredEvent>> {
        let before = match cursor {
            Some(text) => {
                Cursor::decode(text)
                    .ok_or_else(|| StoreError::Conflict("invalid cursor".into()))?
                    .id
            }
            None => i64::MAX,
        };
        let limit = i64::from(limit.clamp(1, caredesk_store::views::MAX_LIMIT));
        let found = cases::events(&mut *self.reader().await?, filter, before, limit).await?;
        let keep = usize::try_from(limit).unwrap_or(0);
        Ok(Page::from_overfetched(found, keep, |e: &StoredEvent| {
            Cursor {
                value: 0,
                id: e.id.0,
            }
        }))
    }

    async fn community_item(&self, id: CommunityItemId) -> Result<Option<ItemRow>> {
        caredesk_store::reads::community_item(
            &mut views::ConnReader(&mut *self.reader().await?),
            id,
        )
        .await
    }

    async fn community_items(
        &self,
        query: &caredesk_store::views::community::ItemQuery,
    ) -> Result<Page<ItemRow>> {
        caredesk_store::reads::community_items(
            &mut views::ConnReader(&mut *self.reader().await?),
            query,
        )
        .await
    }

    async fn change_log_end(&self) -> Result<ChangeCursor> {
        views::change_log_end(&mut *self.reader().await?).await
    }

    async fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Result<Vec<Change>> {
        views::changes_after(&mut *self.reader().await?, cursor, limit).await
    }

    async fn outbox_depth(&self) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id \
             WHERE m.delivery IN ('queued', 'sending')",
        )
        .fetch_one(&mut *self.reader().await?)
        .await
        .map_err(map_error)
    }

    async fn profile_signals(&self) -> Result<Vec<ProfileSignals>> {
        outbox::profile_signals(&mut *self.reader().await?).await
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>> {
        messages::message(&mut *self.reader().await?, id).await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>> {
        sessions::session(&mut *self.reader().await?, token_hash).await
    }

    async fn login_failures_since(&self, key: &str, since: Timestamp) -> Result<i64> {
        sessions::login_failures_since(&mut *self.reader().await?, key, since).await
    }

    async fn oldest_login_failure_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<Timestamp>> {
        sessions::oldest_login_failure_since(&mut *self.reader().await?, key, since).await
    }
}
