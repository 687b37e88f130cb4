//! [`Store`] over a backend: each read takes one of the backend's reader connections; `begin`
//! opens one of its transactions.

use async_trait::async_trait;
use caredesk_domain::*;
use caredesk_store::reads;
use caredesk_store::views::community::ItemQuery;
use caredesk_store::views::overview::Overview;
use caredesk_store::views::MAX_LIMIT;
use caredesk_store::*;

use crate::change_log;
use crate::queries::{
    cases, conversation, directory, events, installation, messages, networks, outbox, sessions,
};
use crate::views::ViewReader;
use crate::{Backend, Lock, Sql, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

impl<B: Backend> SqlStore<B> {
    /// A unit of work, noting a begin the storage refused.
    async fn unit_of_work(&self) -> Result<SqlTx<B>> {
        let tx = self
            .backend
            .begin()
            .await
            .inspect_err(|e| self.writes.begin_failed(e))?;
        Ok(SqlTx::new(
            tx,
            self.backend.clone(),
            self.writes.clone(),
            self.secrets.clone(),
        ))
    }

    /// Seals under the store's sealing key every secret that is plain (from before sealing)
    /// or sealed under an older key it still opens, in one unit of work; answers how many. Run
    /// at every start, so an upgrade leaves no plain secret and an interrupted key rotation is
    /// finished. A secret under a key the store lacks is an error naming that key, and nothing
    /// changes.
    pub async fn seal_secrets(&self) -> Result<u64> {
        let mut tx = Box::new(self.unit_of_work().await?);
        let secrets = self.secrets.clone();
        let sealed = crate::sealed::seal_all(&mut tx.conn(), &secrets).await?;
        caredesk_store::Tx::commit(tx).await?;
        Ok(sealed)
    }
}

#[async_trait]
impl<B: Backend> Store for SqlStore<B> {
    async fn begin(&self) -> Result<Box<dyn Tx>> {
        Ok(Box::new(self.unit_of_work().await?))
    }

    fn writes_in_parallel(&self) -> bool {
        self.backend.writes_in_parallel()
    }

    async fn close(&self) {
        SqlStore::close(self).await;
    }

    async fn ping(&self) -> Result<()> {
        Sql::new("SELECT 1")
            .execute(&mut self.backend.reader().await?.conn())
            .await?;
        if self.writes.failing() {
            // A unit of work of the probe's own: one row rewritten as it is.
            let mut tx = self.unit_of_work().await?;
            Sql::new("UPDATE settings SET grace_period_secs = grace_period_secs WHERE id = 1")
                .execute(&mut tx.conn())
                .await?;
            Box::new(tx).commit().await?;
        }
        Ok(())
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        directory::user(&mut self.backend.reader().await?.conn(), id).await
    }

    async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        directory::credentials(&mut self.backend.reader().await?.conn(), email).await
    }

    async fn users(&self) -> Result<Vec<UserWithLoad>> {
        directory::users(&mut self.backend.reader().await?.conn()).await
    }

    async fn user_with_load(&self, id: UserId) -> Result<Option<UserWithLoad>> {
        directory::user_with_load(&mut self.backend.reader().await?.conn(), id).await
    }

    async fn settings(&self) -> Result<Settings> {
        installation::settings(&mut self.backend.reader().await?.conn()).await
    }

    async fn case_fields(&self) -> Result<Vec<CaseField>> {
        installation::case_fields(&mut self.backend.reader().await?.conn()).await
    }

    async fn network_apps(&self) -> Result<Vec<NetworkApp>> {
        networks::network_apps(&mut self.backend.reader().await?.conn(), &self.secrets).await
    }

    async fn profiles(&self) -> Result<Vec<Profile>> {
        networks::profiles(&mut self.backend.reader().await?.conn(), &self.secrets).await
    }

    async fn profile_by_external_id(
        &self,
        network: Network,
        external_id: &str,
    ) -> Result<Option<Profile>> {
        let mut reader = self.backend.reader().await?;
        networks::profile_by_external_id(&mut reader.conn(), &self.secrets, network, external_id)
            .await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        messages::customer(&mut self.backend.reader().await?.conn(), id).await
    }

    async fn customer_profiles(&self, customer: CustomerId) -> Result<Vec<ProfileId>> {
        conversation::customer_profiles(&mut self.backend.reader().await?.conn(), customer).await
    }

    async fn customer_cases(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<CaseRow>> {
        let mut reader = self.backend.reader().await?;
        let mut conn = reader.conn();
        reads::customer_cases(&mut ViewReader(&mut conn), customer, scope, cursor, limit).await
    }

    async fn customer_conversations(
        &self,
        customer: CustomerId,
        scope: &ProfileScope,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<ConversationSummary>> {
        let mut reader = self.backend.reader().await?;
        let mut conn = reader.conn();
        let mut views = ViewReader(&mut conn);
        reads::customer_conversations(&mut views, customer, scope, cursor, limit).await
    }

    async fn case(&self, id: CaseId) -> Result<Option<Case>> {
        cases::case(&mut self.backend.reader().await?.conn(), id, Lock::No).await
    }

    async fn case_by_number(&self, number: i64) -> Result<Option<Case>> {
        cases::case_by_number(&mut self.backend.reader().await?.conn(), number).await
    }

    async fn list_cases(&self, query: &CaseQuery) -> Result<Page<CaseRow>> {
        let mut reader = self.backend.reader().await?;
        reads::list_cases(&mut ViewReader(&mut reader.conn()), query).await
    }

    async fn overview(
        &self,
        scope: &ProfileScope,
        now: Timestamp,
        since: Timestamp,
        first_reply_since: Timestamp,
        grace_horizon: Timestamp,
    ) -> Result<Overview> {
        let mut reader = self.backend.reader().await?;
        let mut conn = reader.conn();
        reads::overview(
            &mut ViewReader(&mut conn),
            scope,
            now,
            since,
            first_reply_since,
            grace_horizon,
        )
        .await
    }

    async fn case_counts(&self, viewer: &Viewer) -> Result<Vec<(View, i64)>> {
        let mut reader = self.backend.reader().await?;
        reads::case_counts(&mut ViewReader(&mut reader.conn()), viewer).await
    }

    async fn case_messages(
        &self,
        case: CaseId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<CaseMessages> {
        let mut reader = self.backend.reader().await?;
        conversation::case_messages(&mut reader.conn(), case, cursor, limit).await
    }

    async fn conversation_messages(
        &self,
        id: ConversationId,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<MessagePage> {
        let mut reader = self.backend.reader().await?;
        conversation::conversation_messages(&mut reader.conn(), id, cursor, limit).await
    }

    async fn case_events(&self, case: CaseId) -> Result<Vec<StoredEvent>> {
        events::case_events(&mut self.backend.reader().await?.conn(), case).await
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
        let limit = i64::from(limit.clamp(1, MAX_LIMIT));
        let mut reader = self.backend.reader().await?;
        let found = events::events(&mut reader.conn(), filter, before, limit).await?;
        let keep = usize::try_from(limit).unwrap_or(0);
        Ok(Page::from_overfetched(found, keep, |e: &StoredEvent| {
            Cursor {
                value: 0,
                id: e.id.0,
            }
        }))
    }

    async fn community_item(&self, id: CommunityItemId) -> Result<Option<ItemRow>> {
        let mut reader = self.backend.reader().await?;
        reads::community_item(&mut ViewReader(&mut reader.conn()), id).await
    }

    async fn community_items(&self, query: &ItemQuery) -> Result<Page<ItemRow>> {
        let mut reader = self.backend.reader().await?;
        reads::community_items(&mut ViewReader(&mut reader.conn()), query).await
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>> {
        messages::message(&mut self.backend.reader().await?.conn(), id).await
    }

    async fn messages(&self, ids: &[MessageId]) -> Result<Vec<Message>> {
        messages::messages(&mut self.backend.reader().await?.conn(), ids).await
    }

    async fn change_log_end(&self) -> Result<ChangeCursor> {
        let mut reader = self.backend.reader().await?;
        self.backend.change_log_end(&mut reader.conn()).await
    }

    async fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Result<Vec<Change>> {
        let mut reader = self.backend.reader().await?;
        self.backend
            .changes_after(cursor, limit)
            .all(&mut reader.conn(), change_log::change)
            .await
    }

    async fn outbox_depth(&self) -> Result<i64> {
        outbox::outbox_depth(&mut self.backend.reader().await?.conn()).await
    }

    async fn profile_signals(&self) -> Result<Vec<ProfileSignals>> {
        outbox::profile_signals(&mut self.backend.reader().await?.conn()).await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>> {
        sessions::session(&mut self.backend.reader().await?.conn(), token_hash).await
    }

    async fn login_failures_since(&self, key: &str, since: Timestamp) -> Result<i64> {
        let mut reader = self.backend.reader().await?;
        sessions::login_failures_since(&mut reader.conn(), key, since).await
    }

    async fn oldest_login_failure_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<Timestamp>> {
        let mut reader = self.backend.reader().await?;
        sessions::oldest_login_failure_since(&mut reader.conn(), key, since).await
    }
}
