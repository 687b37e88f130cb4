//! The unit of work of ingest, [`Work`]: its transaction, what it has read (so that routing
//! every message of a batch reads from memory what the batch looked up at its start with one
//! statement per kind of row, `prefetch`), and what it has created or changed but not written
//! yet (so that the batch writes each kind of row with one statement, `pending`).
//!
//! The buffer writes itself out; routing never does it by hand:
//! - the transaction is reachable only through [`Work::settled`], which writes everything that
//!   waits first: for the reads and writes ingest does not buffer (edits, the network's echoes
//!   of our replies, the brand's messages);
//! - a read the memory answers never reaches the database; one it cannot answer does, after
//!   writing what could change its answer: the waiting case states before a case is read
//!   singly, everything before ids are reserved (SQLite numbers after the largest id written),
//!   a case is finalised or its fields are saved. Rows the buffer never holds (customers,
//!   conversations, users) and buffered rows the memory always answers (messages by network
//!   id, DM-thread items) need nothing written first;
//! - ending a savepoint and committing write everything that waits.
//!
//! What the memory answers is only what the unit of work alone can change:
//! - customers are looked up first, then the existing ones are locked (PostgreSQL: row locks, in
//!   id order) before anything of theirs is read, as a single message locks its customer before
//!   reading their messages and cases;
//! - a customer this unit of work created has nothing yet, so nothing of theirs is looked up;
//! - every write of ingest goes through here too, so the memory stays what the database holds;
//! - anything not remembered is looked up singly, and remembered after.
//!
//! Rolling back to a savepoint forgets everything: what the memory held may have been undone,
//! and the waiting writes with it.

mod lookups;
mod pending;
mod prefetch;

use std::collections::{HashMap, HashSet};

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::{Store, Tx};

use crate::error::{AppError, AppResult};
use pending::PendingWrites;

pub(crate) use lookups::conversation_key;

/// The unit of work of ingest: its transaction, memory and waiting writes.
pub(crate) struct Work {
    tx: Box<dyn Tx>,
    memory: Memory,
    /// Rows created or changed but not written yet.
    pending: PendingWrites,
    /// Ids reserved at a time: the batch's messages (kept when the memory is forgotten).
    reserve: usize,
}

/// What the unit of work has read, and what it knows about what it read.
#[derive(Debug, Default)]
struct Memory {
    customers: HashMap<(Network, String), Customer>,
    /// Customers looked up and found missing at the start of the batch.
    missing_customers: HashSet<(Network, String)>,
    /// Customers locked by this unit of work: what is remembered of them is current.
    locked: HashSet<CustomerId>,
    /// Customers this unit of work created: nothing of theirs existed before.
    created: HashSet<CustomerId>,
    messages: HashMap<(ProfileId, String), Option<Message>>,
    conversations: HashMap<ConversationKey, Option<Conversation>>,
    dm_items: HashMap<ConversationId, Option<CommunityItem>>,
    /// The network's time of the message each DM-thread item shows, where known.
    shown_at: HashMap<CommunityItemId, Timestamp>,
    active_cases: HashMap<(CustomerId, ProfileId), Option<Case>>,
    newest_cases: HashMap<(CustomerId, ProfileId), Option<Case>>,
    active_users: HashMap<UserId, bool>,
}

/// Why ending a savepoint or the unit of work failed.
#[derive(Debug)]
pub(crate) enum EndFailure {
    /// Writing what the routed deliveries left waiting failed: some delivery's rows.
    Writes(AppError),
    /// The transaction itself failed.
    Tx(AppError),
}

impl Work {
    /// Opens a unit of work on `store`.
    pub(crate) async fn begin(store: &dyn Store) -> AppResult<Work> {
        Ok(Work {
            tx: store.begin().await?,
            memory: Memory::default(),
            pending: PendingWrites::default(),
            reserve: 0,
        })
    }

    /// The transaction, for reads and writes ingest does not buffer, after writing everything
    /// that waits.
    pub(crate) async fn settled(&mut self) -> AppResult<&mut dyn Tx> {
        self.write_pending().await?;
        Ok(self.tx.as_mut())
    }

    /// Takes a savepoint: what follows can be undone alone.
    pub(crate) async fn savepoint(&mut self) -> AppResult<()> {
        Ok(self.tx.savepoint().await?)
    }

    /// Writes what waits, then releases the savepoint.
    pub(crate) async fn release_savepoint(&mut self) -> Result<(), EndFailure> {
        self.write_pending().await.map_err(EndFailure::Writes)?;
        self.tx
            .release_savepoint()
            .await
            .map_err(|e| EndFailure::Tx(e.into()))
    }

    /// Undoes everything since the savepoint, and forgets what the memory held (it may have
    /// been undone) and what waited.
    pub(crate) async fn rollback_to_savepoint(&mut self) -> AppResult<()> {
        self.tx.rollback_to_savepoint().await?;
        self.memory = Memory::default();
        self.pending = PendingWrites::default();
        Ok(())
    }

    /// Writes what waits, records that webhooks reached `heard_from` (once per unit of work,
    /// however many deliveries it holds), and commits.
    pub(crate) async fn commit(
        mut self,
        heard_from: &[ProfileId],
        now: Timestamp,
    ) -> Result<(), EndFailure> {
        self.write_pending().await.map_err(EndFailure::Writes)?;
        let tx = |e: caredesk_store::StoreError| EndFailure::Tx(e.into());
        self.tx
            .touch_profiles_webhook(heard_from, now)
            .await
            .map_err(tx)?;
        self.tx.commit().await.map_err(tx)
    }

    /// Writes everything that waits, with one statement per kind of row.
    async fn write_pending(&mut self) -> AppResult<()> {
        self.pending.flush(self.tx.as_mut()).await
    }
}
