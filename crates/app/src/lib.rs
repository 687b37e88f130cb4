//! The use cases of caredesk.
//!
//! Each public method of [`App`] is one unit of work: it opens a store transaction, loads what
//! the rules need, asks the domain, writes the changes together with their events, and commits.
//! A refusal rolls everything back, so a refused action changes nothing. Time comes from the
//! injected [`Clock`]; a case met past its grace period is finalised in the same transaction.

mod auto_assign;
mod case_actions;
mod case_bulk;
mod case_save;
mod clock;
mod community;
mod customers;
mod directory;
mod error;
mod escalate;
mod grace;
pub mod group_commit;
mod health;
mod housekeeping;
mod ingest;
pub mod lookups;
pub mod media;
pub mod mentions;
mod notifications;
pub mod outbound;
pub mod outbox;
pub mod overview;
pub mod password;
pub mod presence;
pub mod presence_feed;
pub mod queries;
mod replies;
mod reply_control;
pub mod reports;
pub mod salesforce;
mod saved_replies;
mod sessions;
mod settings;
mod sign_in_throttle;
pub mod sla;
mod touch;
mod users;

use std::sync::Arc;

use caredesk_store::Store;

pub use caredesk_store::StoreError;
pub use case_actions::CaseEditRequest;
pub use clock::{Clock, ManualClock, SystemClock};
pub use directory::{NetworkAppInput, NetworkAppPatch, ProfileInput, ProfilePatch};
pub use error::{AppError, AppResult};
pub use escalate::{Escalation, EscalationOutcome};
pub use health::ProfileHealth;
pub use housekeeping::HousekeepingReport;
pub use ingest::delivery;
pub use ingest::{InboundAuthor, InboundMessage, IngestOutcome, NetworkMessage};
pub use outbox::{OutboxConfig, OutboxPass};
pub use queries::PageRequest;
pub use replies::ReplyRequest;
pub use reply_control::CommunityReply;
pub use saved_replies::{SavedReplyChange, SavedReplyInput};
pub use sessions::{token_hash, AuthConfig, LoginOutcome, Session};
pub use settings::{CaseFieldChange, SettingsChange};
pub use users::{MePatch, NewUserInput, UserPatch};

/// The use cases, over a store and a clock.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    auth: AuthConfig,
    outbox: OutboxConfig,
    outbox_wake: Arc<tokio::sync::Notify>,
    health: caredesk_domain::profile_health::HealthThresholds,
    salesforce: Option<salesforce::SalesforceSetup>,
    changes: Option<group_commit::ChangeQueue>,
    media: Option<Arc<dyn media::MediaStore>>,
    presence: Arc<presence_feed::PresenceFeed>,
}

impl App {
    /// Builds the use cases over a store and a clock, with the default [`AuthConfig`].
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        App {
            store,
            clock,
            auth: AuthConfig::default(),
            outbox: OutboxConfig::default(),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            health: Default::default(),
            salesforce: None,
            changes: None,
            media: None,
            presence: Default::default(),
        }
    }

    /// The same use cases with the changes Care users make to cases (assign, status, edit,
    /// note, reopen, delete) committed together when they arrive together: for a store with a
    /// single writer, where each would otherwise wait for the durable commit of each before it.
    /// Starts the committer on the current Tokio runtime (call it inside one).
    pub fn with_grouped_changes(mut self) -> Self {
        self.changes = Some(group_commit::ChangeQueue::start(self.store.clone()));
        self
    }

    /// The committer of grouped case changes, when there is one.
    pub fn change_queue(&self) -> Option<&group_commit::ChangeQueue> {
        self.changes.as_ref()
    }

    /// Runs `change` in a unit of work and commits it: in the next group commit when changes
    /// are grouped, else in a transaction of its own.
    pub(crate) async fn change<T: Send + 'static>(
        &self,
        change: impl group_commit::Change<T>,
    ) -> AppResult<T> {
        if let Some(queue) = &self.changes {
            return queue.run(self.clone(), change).await;
        }
        let mut tx = self.store.begin().await?;
        let value = change(self, tx.as_mut()).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// The same use cases keeping media in `store`.
    pub fn with_media_store(mut self, store: Arc<dyn media::MediaStore>) -> Self {
        self.media = Some(store);
        self
    }

    /// Where media is kept, when the installation keeps media.
    pub fn media_store(&self) -> Option<&Arc<dyn media::MediaStore>> {
        self.media.as_ref()
    }

    /// The same use cases with this outbox behaviour.
    pub fn with_outbox(mut self, config: OutboxConfig) -> Self {
        self.outbox = config;
        self
    }

    /// Woken each time this node queues a reply, so its outbox worker sends at once instead of
    /// at its next poll (replies queued on other nodes are found by polling).
    pub fn outbox_wake(&self) -> Arc<tokio::sync::Notify> {
        self.outbox_wake.clone()
    }

    /// The store itself, for tests and the operator's tools; the HTTP edge reads through
    /// [`queries`].
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock's now.
    pub fn now(&self) -> caredesk_domain::Timestamp {
        self.clock.now()
    }
}
