//! [`Tx`] over a backend: one database transaction. Its reads of cases, outbox rows and
//! Salesforce rows lock what they find where the dialect locks rows; customers are locked
//! explicitly ([`Tx::lock_customer`]), always before their cases.

use std::sync::Arc;

use async_trait::async_trait;
use caredesk_domain::escalation::NewCase;
use caredesk_domain::*;
use caredesk_store::*;

use crate::queries::{
    cases, customer_locks, directory, events, installation, messages, networks, outbox, savepoints,
    sessions,
};
use crate::write_health::WriteHealth;
use crate::{Backend, Conn, Lock, Secrets, Transaction};

type Result<T> = std::result::Result<T, StoreError>;

/// A unit of work; rolled back when dropped uncommitted.
pub(crate) struct SqlTx<B> {
    tx: Transaction,
    backend: Arc<B>,
    writes: WriteHealth,
    pub(crate) secrets: Secrets,
}

impl<B: Backend> SqlTx<B> {
    pub(crate) fn new(
        tx: Transaction,
        backend: Arc<B>,
        writes: WriteHealth,
        secrets: Secrets,
    ) -> SqlTx<B> {
        SqlTx {
            tx,
            backend,
            writes,
            secrets,
        }
    }

    /// The connection the unit of work runs on.
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    /// The backend, for its own operations, and the connection to run them on.
    pub(crate) fn backend_and_conn(&mut self) -> (&B, Conn<'_>) {
        (&self.backend, self.tx.conn())
    }
}

#[async_trait]
impl<B: Backend> Tx for SqlTx<B> {
    async fn commit(self: Box<Self>) -> Result<()> {
        let writes = self.writes.clone();
        let committed = self.tx.commit().await;
        writes.commit_ended(&committed);
        committed
    }

    async fn savepoint(&mut self) -> Result<()> {
        savepoints::savepoint(&mut self.conn()).await
    }

    async fn release_savepoint(&mut self) -> Result<()> {
        savepoints::release(&mut self.conn()).await
    }

    async fn rollback_to_savepoint(&mut self) -> Result<()> {
        savepoints::rollback_to(&mut self.conn()).await
    }

    async fn user(&mut self, id: UserId) -> Result<Option<User>> {
        directory::user(&mut self.conn(), id).await
    }

    async fn insert_user(&mut self, new: &NewUser) -> Result<User> {
        directory::insert_user(&mut self.conn(), new).await
    }

    async fn update_user(&mut self, user: &User) -> Result<()> {
        directory::update_user(&mut self.conn(), user).await
    }

    async fn set_presence_choice(
        &mut self,
        user: UserId,
        choice: caredesk_domain::availability::PresenceChoice,
    ) -> Result<()> {
        directory::set_presence_choice(&mut self.conn(), user, choice).await
    }

    async fn set_password_hash(&mut self, id: UserId, hash: &str) -> Result<()> {
        directory::set_password_hash(&mut self.conn(), id, hash).await
    }

    async fn cases_assigned_to(&mut self, id: UserId) -> Result<Vec<Case>> {
        cases::cases_assigned_to(&mut self.conn(), id).await
    }

    async fn settings(&mut self) -> Result<Settings> {
        installation::settings(&mut self.conn()).await
    }

    async fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        installation::save_settings(&mut self.conn(), settings).await
    }

    async fn case_fields(&mut self) -> Result<Vec<CaseField>> {
        installation::case_fields(&mut self.conn()).await
    }

    async fn insert_case_field(&mut self, field: &NewCaseField) -> Result<CaseField> {
        installation::insert_case_field(&mut self.conn(), field).await
    }

    async fn update_case_field(&mut self, field: &CaseField) -> Result<()> {
        installation::update_case_field(&mut self.conn(), field).await
    }

    async fn network_app(&mut self, id: NetworkAppId) -> Result<Option<NetworkApp>> {
        let secrets = self.secrets.clone();
        networks::network_app(&mut self.conn(), &secrets, id).await
    }

    async fn insert_network_app(&mut self, app: &NewNetworkApp) -> Result<NetworkApp> {
        let secrets = self.secrets.clone();
        networks::insert_network_app(&mut self.conn(), &secrets, app).await
    }

    async fn update_network_app(&mut self, app: &NetworkApp) -> Result<()> {
        let secrets = self.secrets.clone();
        networks::update_network_app(&mut self.conn(), &secrets, app).await
    }

    async fn profile(&mut self, id: ProfileId) -> Result<Option<Profile>> {
        let secrets = self.secrets.clone();
        networks::profile(&mut self.conn(), &secrets, id).await
    }

    async fn insert_profile(&mut self, profile: &NewProfile) -> Result<Profile> {
        let secrets = self.secrets.clone();
        networks::insert_profile(&mut self.conn(), &secrets, profile).await
    }

    async fn update_profile(&mut self, profile: &Profile) -> Result<()> {
        let secrets = self.secrets.clone();
        networks::update_profile(&mut self.conn(), &secrets, profile).await
    }

    async fn delete_network_app(&mut self, id: NetworkAppId) -> Result<()> {
        networks::delete_network_app(&mut self.conn(), id).await
    }

    async fn delete_profile(&mut self, id: ProfileId) -> Result<()> {
        networks::delete_profile(&mut self.conn(), id).await
    }

    async fn delete_case_field(&mut self, id: CaseFieldId) -> Result<()> {
        installation::delete_case_field(&mut self.conn(), id).await
    }

    async fn customer(&mut self, id: CustomerId) -> Result<Option<Customer>> {
        messages::customer(&mut self.conn(), id).await
    }

    async fn customer_by_network_id(
        &mut self,
        network: Network,
        user_id: &str,
    ) -> Result<Option<Customer>> {
        messages::customer_by_network_id(&mut self.conn(), network, user_id).await
    }

    async fn insert_customer(
        &mut self,
        network: Network,
        user_id: &str,
        details: &CustomerDetails,
    ) -> Result<Customer> {
        messages::insert_customer(&mut self.conn(), network, user_id, details).await
    }

    async fn update_customer(&mut self, customer: &Customer) -> Result<()> {
        messages::update_customer(&mut self.conn(), customer).await
    }

    async fn fill_customer_names(
        &mut self,
        id: CustomerId,
        display_name: &str,
        handle: &str,
    ) -> Result<()> {
        messages::fill_customer_names(&mut self.conn(), id, display_name, handle).await
    }

    async fn lock_customer(&mut self, id: CustomerId) -> Result<()> {
        customer_locks::lock_customer(&mut self.conn(), id).await
    }

    async fn conversation_for(
        &mut self,
        profile: ProfileId,
        customer: CustomerId,
        kind: ConversationKind,
        root: &str,
    ) -> Result<Conversation> {
        messages::conversation_for(&mut self.conn(), profile, customer, kind, root).await
    }

    async fn conversation(&mut self, id: ConversationId) -> Result<Option<Conversation>> {
        messages::conversation(&mut self.conn(), id).await
    }

    async fn message(&mut self, id: MessageId) -> Result<Option<Message>> {
        messages::message(&mut self.conn(), id).await
    }

    async fn message_by_network_id(
        &mut self,
        profile: ProfileId,
        network_id: &str,
    ) -> Result<Option<Message>> {
        messages::message_by_network_id(&mut self.conn(), profile, network_id).await
    }

    async fn insert_message(&mut self, message: &NewMessage) -> Result<Message> {
        messages::insert_message(&mut self.conn(), message).await
    }

    async fn update_message(&mut self, message: &Message) -> Result<()> {
        messages::update_message(&mut self.conn(), message).await
    }

    async fn last_customer_message(&mut self, id: ConversationId) -> Result<Option<Message>> {
        messages::last_customer_message(&mut self.conn(), id).await
    }

    async fn private_reply_exists(&mut self, target: MessageId) -> Result<bool> {
        messages::private_reply_exists(&mut self.conn(), target).await
    }

    async fn community_item(&mut self, id: CommunityItemId) -> Result<Option<CommunityItem>> {
        messages::community_item(&mut self.conn(), id).await
    }

    async fn dm_thread_item(&mut self, id: ConversationId) -> Result<Option<CommunityItem>> {
        messages::dm_thread_item(&mut self.conn(), id).await
    }

    async fn update_community_item(&mut self, item: &CommunityItem) -> Result<()> {
        messages::update_community_item(&mut self.conn(), item).await
    }

    async fn case(&mut self, id: CaseId) -> Result<Option<Case>> {
        cases::case(&mut self.conn(), id, Lock::ForUpdate).await
    }

    async fn active_case(&mut self, c: CustomerId, p: ProfileId) -> Result<Option<Case>> {
        cases::active_case(&mut self.conn(), c, p).await
    }

    async fn newest_case(&mut self, c: CustomerId, p: ProfileId) -> Result<Option<Case>> {
        cases::newest_case(&mut self.conn(), c, p).await
    }

    async fn cases_holding(&mut self, message: MessageId) -> Result<Vec<Case>> {
        cases::cases_holding(&mut self.conn(), message).await
    }

    async fn insert_case(&mut self, case: &NewCase) -> Result<Case> {
        cases::insert_case(&mut self.conn(), case).await
    }

    async fn save_cases(&mut self, saves: &[(&Case, &Case)]) -> Result<()> {
        let (backend, mut conn) = self.backend_and_conn();
        cases::save_cases(backend, &mut conn, saves).await
    }

    async fn add_case_message(&mut self, case: CaseId, message: MessageId) -> Result<()> {
        cases::add_case_message(&mut self.conn(), case, message).await
    }

    async fn add_conversation_to_case(&mut self, case: CaseId, c: ConversationId) -> Result<()> {
        cases::add_conversation_to_case(&mut self.conn(), case, c).await
    }

    async fn due_grace_cases(&mut self, now: Timestamp, limit: u32) -> Result<Vec<Case>> {
        cases::due_grace_cases(&mut self.conn(), now, limit).await
    }

    async fn release_active_slots(&mut self, ids: &[CaseId]) -> Result<()> {
        cases::release_active_slots(&mut self.conn(), ids).await
    }

    async fn mark_first_reply(&mut self, case: CaseId, at: Timestamp) -> Result<()> {
        cases::mark_first_reply(&mut self.conn(), case, at).await
    }

    async fn insert_events(&mut self, list: &[Event]) -> Result<()> {
        events::insert_events(&mut self.conn(), list).await
    }

    async fn requeue_outbox(&mut self, message: MessageId, now: Timestamp) -> Result<bool> {
        outbox::requeue_outbox(&mut self.conn(), message, now).await
    }

    async fn remove_outbox(&mut self, message: MessageId) -> Result<()> {
        outbox::remove_outbox(&mut self.conn(), message).await
    }

    async fn enqueue_outbox(
        &mut self,
        message: MessageId,
        channel: &serde_json::Value,
        now: Timestamp,
    ) -> Result<()> {
        outbox::enqueue_outbox(&mut self.conn(), message, channel, now).await
    }

    async fn due_replies(&mut self, now: Timestamp, limit: u32) -> Result<Vec<OutboxEntry>> {
        outbox::due_replies(&mut self.conn(), now, limit).await
    }

    async fn replies_in_doubt(&mut self, before: Timestamp, n: u32) -> Result<Vec<OutboxEntry>> {
        outbox::replies_in_doubt(&mut self.conn(), before, n).await
    }

    async fn outbox_entry(&mut self, message: MessageId) -> Result<Option<OutboxEntry>> {
        outbox::outbox_entry(&mut self.conn(), message).await
    }

    async fn start_outbox_send(&mut self, message: MessageId, now: Timestamp) -> Result<()> {
        outbox::start_outbox_send(&mut self.conn(), message, now).await
    }

    async fn end_outbox_send(&mut self, m: MessageId, next: Option<Timestamp>) -> Result<()> {
        outbox::end_outbox_send(&mut self.conn(), m, next).await
    }

    async fn unconfirmed_replies(&mut self, p: ProfileId, c: CustomerId) -> Result<Vec<Message>> {
        outbox::unconfirmed_replies(&mut self.conn(), p, c).await
    }

    async fn set_token_rejected(
        &mut self,
        profile: ProfileId,
        rejected: Option<(Timestamp, &str)>,
    ) -> Result<()> {
        outbox::set_token_rejected(&mut self.conn(), profile, rejected).await
    }

    async fn insert_session(&mut self, new: &NewSession) -> Result<i64> {
        sessions::insert_session(&mut self.conn(), new).await
    }

    async fn touch_session(&mut self, id: i64, now: Timestamp) -> Result<()> {
        sessions::touch_session(&mut self.conn(), id, now).await
    }

    async fn revoke_session(&mut self, token_hash: &str, now: Timestamp) -> Result<()> {
        sessions::revoke_session(&mut self.conn(), token_hash, now).await
    }

    async fn revoke_user_sessions(&mut self, user: UserId, now: Timestamp) -> Result<u64> {
        sessions::revoke_user_sessions(&mut self.conn(), user, now).await
    }

    async fn record_login_failure(&mut self, key: &str, at: Timestamp) -> Result<()> {
        sessions::record_login_failure(&mut self.conn(), key, at).await
    }

    async fn clear_login_failures(&mut self, key: &str) -> Result<()> {
        sessions::clear_login_failures(&mut self.conn(), key).await
    }

    async fn delete_ended_sessions(&mut self, idle_since: Timestamp) -> Result<u64> {
        sessions::delete_ended_sessions(&mut self.conn(), idle_since).await
    }

    async fn delete_login_failures_until(&mut self, until: Timestamp) -> Result<u64> {
        sessions::delete_login_failures_until(&mut self.conn(), until).await
    }
}
