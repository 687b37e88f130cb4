//! The use cases of caredesk.
//!
//! Each public method of [`App`] is one unit of work: it opens a store transaction, loads what
//! the rules need, asks the domain, writes the changes together with their events, and commits.
//! A refusal rolls everything back, so a refused action changes nothing. Time comes from the
//! injected [`Clock`]; a case met past its grace period is finalised in the same transaction.

mod case_actions;
mod clock;
mod community;
mod customers;
pub mod delivery;
pub mod demo;
mod directory;
mod error;
mod escalate;
mod grace;
pub mod group_commit;
mod health;
mod ingest;
pub mod outbound;
pub mod outbox;
pub mod overview;
pub mod password;
mod replies;
mod reply_control;
pub mod salesforce;
mod sessions;
mod touch;
mod users;

use std::sync::Arc;

use caredesk_store::Store;

pub use case_actions::CaseEditRequest;
pub use clock::{Clock, ManualClock, SystemClock};
pub use directory::{NetworkAppInput, ProfileInput};
pub use error::{AppError, AppResult};
pub use escalate::{Escalation, EscalationOutcome};
pub use health::ProfileHealth;
pub use ingest::{InboundAuthor, InboundMessage, IngestOutcome};
pub use outbox::{OutboxConfig, OutboxPass};
pub use replies::ReplyRequest;
pub use reply_control::CommunityReply;
pub use sessions::{token_hash, AuthConfig, LoginOutcome, Session};
pub use users::{NewUserInput, UserPatch};

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
        }
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

    /// The store, for reads.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock's now.
    pub fn now(&self) -> caredesk_domain::Timestamp {
        self.clock.now()
    }
}
