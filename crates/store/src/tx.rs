//! [`Tx`]: one unit of work, everything the use cases read and write inside one database
//! transaction (see `ports` for what a transaction guarantees on each backend).

use async_trait::async_trait;
use caredesk_domain::escalation::NewCase;
use caredesk_domain::*;

use crate::assignment::AssignmentWrites;
use crate::ingest::IngestWrites;
use crate::lookups::LookupWrites;
use crate::media::MediaWrites;
use crate::mentions::MentionWrites;
use crate::notifications::NotificationWrites;
use crate::ports::Result;
use crate::records::*;
use crate::salesforce::SalesforceWrites;
use crate::saved_replies::SavedReplyWrites;
use crate::sla::SlaWrites;

/// One unit of work.
#[async_trait]
pub trait Tx:
    AssignmentWrites
    + SalesforceWrites
    + IngestWrites
    + MediaWrites
    + LookupWrites
    + MentionWrites
    + SavedReplyWrites
    + NotificationWrites
    + SlaWrites
    + Send
{
    /// Makes every write of the unit durable.
    async fn commit(self: Box<Self>) -> Result<()>;

    // --- savepoints (one level: each savepoint ends with one release or rollback)
    /// Marks the current point of the unit of work.
    async fn savepoint(&mut self) -> Result<()>;
    /// Keeps the work done since the savepoint and ends it.
    async fn release_savepoint(&mut self) -> Result<()>;
    /// Undoes the work done since the savepoint, even after an error, and ends it; the unit of
    /// work is usable again (an error here leaves it spent).
    async fn rollback_to_savepoint(&mut self) -> Result<()>;

    // --- users and settings
    /// A user.
    async fn user(&mut self, id: UserId) -> Result<Option<User>>;
    /// Inserts a user; answers it with the id the database gave it. `Conflict` when the e-mail
    /// is taken.
    async fn insert_user(&mut self, new: &NewUser) -> Result<User>;
    /// Saves a user's role, access, capacity, active flag, name, e-mail and profiles.
    async fn update_user(&mut self, user: &User) -> Result<()>;
    /// Saves what a user says of their presence.
    async fn set_presence_choice(
        &mut self,
        user: UserId,
        choice: caredesk_domain::availability::PresenceChoice,
    ) -> Result<()>;
    /// Replaces a user's password hash.
    async fn set_password_hash(&mut self, id: UserId, hash: &str) -> Result<()>;
    /// The non-deleted cases assigned to a user.
    async fn cases_assigned_to(&mut self, id: UserId) -> Result<Vec<Case>>;
    /// The settings.
    async fn settings(&mut self) -> Result<Settings>;
    /// Saves the settings.
    async fn save_settings(&mut self, settings: &Settings) -> Result<()>;
    /// Every case field.
    async fn case_fields(&mut self) -> Result<Vec<CaseField>>;
    /// Inserts a case field; answers it with the id the database gave it.
    async fn insert_case_field(&mut self, field: &NewCaseField) -> Result<CaseField>;
    /// Saves a case field.
    async fn update_case_field(&mut self, field: &CaseField) -> Result<()>;

    // --- network apps and profiles
    /// A network app.
    async fn network_app(&mut self, id: NetworkAppId) -> Result<Option<NetworkApp>>;
    /// Inserts a network app; answers it with the id the database gave it.
    async fn insert_network_app(&mut self, app: &NewNetworkApp) -> Result<NetworkApp>;
    /// Saves a network app.
    async fn update_network_app(&mut self, app: &NetworkApp) -> Result<()>;
    /// A profile.
    async fn profile(&mut self, id: ProfileId) -> Result<Option<Profile>>;
    /// Inserts a profile; answers it with the id the database gave it. `Conflict` when
    /// (network, external id) exists.
    async fn insert_profile(&mut self, profile: &NewProfile) -> Result<Profile>;
    /// Saves a profile.
    async fn update_profile(&mut self, profile: &Profile) -> Result<()>;
    /// Deletes a network app no profile uses (`Conflict` otherwise).
    async fn delete_network_app(&mut self, id: NetworkAppId) -> Result<()>;
    /// Deletes a profile that holds no messages, with its users' connections (`Conflict` when
    /// it holds messages: their history is never dropped).
    async fn delete_profile(&mut self, id: ProfileId) -> Result<()>;
    /// Deletes a case-field definition; values stay stored on old cases.
    async fn delete_case_field(&mut self, id: CaseFieldId) -> Result<()>;

    // --- customers, conversations, messages
    /// A customer.
    async fn customer(&mut self, id: CustomerId) -> Result<Option<Customer>>;
    /// A customer by network and network user id.
    async fn customer_by_network_id(
        &mut self,
        network: Network,
        user_id: &str,
    ) -> Result<Option<Customer>>;
    /// The customer with this network user id, inserted with `details` when missing (safe
    /// against concurrent inserts of the same person).
    async fn insert_customer(
        &mut self,
        network: Network,
        user_id: &str,
        details: &CustomerDetails,
    ) -> Result<Customer>;
    /// Saves a customer's details, the details an agent set by hand, and their Salesforce link.
    async fn update_customer(&mut self, customer: &Customer) -> Result<()>;
    /// Sets a customer's name and handle where they are still empty (a value written meanwhile,
    /// by an agent say, is kept).
    async fn fill_customer_names(
        &mut self,
        id: CustomerId,
        display_name: &str,
        handle: &str,
    ) -> Result<()>;
    /// Serialises units of work on one customer (PostgreSQL: a row lock; SQLite: already
    /// serialised).
    async fn lock_customer(&mut self, id: CustomerId) -> Result<()>;
    /// The conversation of a customer and profile of this kind and root, created if missing.
    async fn conversation_for(
        &mut self,
        profile: ProfileId,
        customer: CustomerId,
        kind: ConversationKind,
        root_network_id: &str,
    ) -> Result<Conversation>;
    /// A conversation.
    async fn conversation(&mut self, id: ConversationId) -> Result<Option<Conversation>>;
    /// A message.
    async fn message(&mut self, id: MessageId) -> Result<Option<Message>>;
    /// A message by profile and network id.
    async fn message_by_network_id(
        &mut self,
        profile: ProfileId,
        network_id: &str,
    ) -> Result<Option<Message>>;
    /// Inserts a message; answers it with the id the database gave it. `Conflict` when
    /// (profile, network id) exists.
    async fn insert_message(&mut self, message: &NewMessage) -> Result<Message>;
    /// Saves a message's text, flags, network id and delivery state.
    async fn update_message(&mut self, message: &Message) -> Result<()>;
    /// The latest customer message of a conversation (network time and receive time).
    async fn last_customer_message(
        &mut self,
        conversation: ConversationId,
    ) -> Result<Option<Message>>;
    /// True when a private reply to `target` exists that was not cancelled or failed.
    async fn private_reply_exists(&mut self, target: MessageId) -> Result<bool>;

    // --- community items
    /// A community item.
    async fn community_item(&mut self, id: CommunityItemId) -> Result<Option<CommunityItem>>;
    /// The DM-thread item of a conversation.
    async fn dm_thread_item(
        &mut self,
        conversation: ConversationId,
    ) -> Result<Option<CommunityItem>>;
    /// Saves a community item's message, status and labels.
    async fn update_community_item(&mut self, item: &CommunityItem) -> Result<()>;

    // --- cases
    /// A case (locked for this unit of work).
    async fn case(&mut self, id: CaseId) -> Result<Option<Case>>;
    /// The case holding the active slot of (customer, profile), if any.
    async fn active_case(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
    ) -> Result<Option<Case>>;
    /// The newest non-deleted case of (customer, profile).
    async fn newest_case(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
    ) -> Result<Option<Case>>;
    /// The non-deleted cases holding a message.
    async fn cases_holding(&mut self, message: MessageId) -> Result<Vec<Case>>;
    /// Inserts a case with the next number; `Conflict` when the slot is taken.
    async fn insert_case(&mut self, case: &NewCase) -> Result<Case>;
    /// Saves cases, each given as it was read and as it is now: the mutable state (status,
    /// assignee, priority, sentiment, times, slot, version, deleted) always, the field values
    /// and their filter tokens only when they changed. The one way a case is saved.
    async fn save_cases(&mut self, cases: &[(&Case, &Case)]) -> Result<()>;
    /// Adds a message to a case (no-op when it is there already).
    async fn add_case_message(&mut self, case: CaseId, message: MessageId) -> Result<()>;
    /// Adds every message of a conversation to a case (the snapshot taken at escalation).
    async fn add_conversation_to_case(
        &mut self,
        case: CaseId,
        conversation: ConversationId,
    ) -> Result<()>;
    /// Done cases holding their slot whose grace period ended at or before `now`, oldest
    /// first.
    async fn due_grace_cases(&mut self, now: Timestamp, limit: u32) -> Result<Vec<Case>>;
    /// Saves that these cases no longer hold their active slot, and nothing else of them (the
    /// grace sweep's change, one statement for a whole batch).
    async fn release_active_slots(&mut self, cases: &[CaseId]) -> Result<()>;
    /// Records when the case's first reply was delivered, unless one was recorded before.
    async fn mark_first_reply(&mut self, case: CaseId, at: Timestamp) -> Result<()>;

    // --- events and outbox
    /// Appends events.
    async fn insert_events(&mut self, events: &[Event]) -> Result<()>;
    /// Sends a queued reply again from the start: its attempts reset, due now. Outbox rows stay
    /// until their reply is sent or cancelled; `false` when there is none.
    async fn requeue_outbox(&mut self, message: MessageId, now: Timestamp) -> Result<bool>;
    /// Takes a cancelled reply out of the outbox.
    async fn remove_outbox(&mut self, message: MessageId) -> Result<()>;
    /// Queues a reply for sending, with how it travels (JSON).
    async fn enqueue_outbox(
        &mut self,
        message: MessageId,
        channel: &serde_json::Value,
        now: Timestamp,
    ) -> Result<()>;
    /// Claims up to `limit` queued replies due at `now`, oldest due first (PostgreSQL: rows
    /// another unit of work holds are skipped).
    async fn due_replies(&mut self, now: Timestamp, limit: u32) -> Result<Vec<OutboxEntry>>;
    /// Claims up to `limit` replies still `sending` whose call started at or before
    /// `sending_before` (PostgreSQL: rows another unit of work holds are skipped).
    async fn replies_in_doubt(
        &mut self,
        sending_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>>;
    /// A reply's outbox row (locked for this unit of work).
    async fn outbox_entry(&mut self, message: MessageId) -> Result<Option<OutboxEntry>>;
    /// A call starts now: one more attempt, in flight since `now`.
    async fn start_outbox_send(&mut self, message: MessageId, now: Timestamp) -> Result<()>;
    /// The call is over without sending: no longer in flight, next due at `next_attempt_at`
    /// when given.
    async fn end_outbox_send(
        &mut self,
        message: MessageId,
        next_attempt_at: Option<Timestamp>,
    ) -> Result<()>;
    /// Our replies to this customer on this profile that the network has not named yet, oldest
    /// first (at most 500).
    async fn unconfirmed_replies(
        &mut self,
        profile: ProfileId,
        customer: CustomerId,
    ) -> Result<Vec<Message>>;
    /// Records that the network refused the profile's token (`None`: it works again).
    async fn set_token_rejected(
        &mut self,
        profile: ProfileId,
        rejected: Option<(Timestamp, &str)>,
    ) -> Result<()>;

    // --- sessions and sign-in failures
    /// Stores a new session; answers its id. `Conflict` when the token hash exists.
    async fn insert_session(&mut self, new: &NewSession) -> Result<i64>;
    /// Marks a session as used at `now`.
    async fn touch_session(&mut self, id: i64, now: Timestamp) -> Result<()>;
    /// Revokes the session of this token hash at `now` (no-op when unknown or revoked).
    async fn revoke_session(&mut self, token_hash: &str, now: Timestamp) -> Result<()>;
    /// Revokes every live session of a user at `now`; answers how many.
    async fn revoke_user_sessions(&mut self, user: UserId, now: Timestamp) -> Result<u64>;
    /// Records a failed sign-in under `key` (`account:<email>` or `address:<ip>`).
    async fn record_login_failure(&mut self, key: &str, at: Timestamp) -> Result<()>;
    /// Forgets every failed sign-in recorded under `key`.
    async fn clear_login_failures(&mut self, key: &str) -> Result<()>;
    /// Removes every session that has ended: revoked, or last used at or before `idle_since`.
    /// Answers how many.
    async fn delete_ended_sessions(&mut self, idle_since: Timestamp) -> Result<u64>;
    /// Removes every failed sign-in recorded at or before `until`; answers how many.
    async fn delete_login_failures_until(&mut self, until: Timestamp) -> Result<u64>;
}
