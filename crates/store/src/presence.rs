//! What the store keeps of who has a case open (PRODUCT.md §12 "Collision"), and the part of
//! the port that reads and writes it: one row per (case, user), written by each heartbeat in one
//! statement outside any unit of work (heartbeats are frequent, and nothing else changes with
//! them). A row holds when its user lapses (`expires_at`) and when what others see of it last
//! changed (`changed_at`: the user arrived, left or lapsed and came back, or started or stopped
//! typing); a refresh that changes nothing seen leaves `changed_at` alone, so the live streams'
//! watch ([`PresenceStore::presence_changes`]) reads only what moved. Lapsed rows stay until
//! [`PresenceStore::forget_presence`] removes them.

use async_trait::async_trait;
use caredesk_domain::presence::Viewer;
use caredesk_domain::{CaseId, ProfileId, Timestamp, UserId};

use crate::ports::Result;
use crate::rows::Columns;

/// A heartbeat as the store keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresenceBeat {
    /// The case.
    pub case_id: CaseId,
    /// Who has it open.
    pub user_id: UserId,
    /// Typing now.
    pub typing: bool,
    /// When the heartbeat came.
    pub at: Timestamp,
    /// When the user lapses (`at` for a screen that left).
    pub expires_at: Timestamp,
}

/// The viewers of one case whose presence moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasePresence {
    /// The case.
    pub case_id: CaseId,
    /// Its profile (who may hear of it).
    pub profile_id: ProfileId,
    /// Its viewers now, by name (empty when the last one left or lapsed).
    pub viewers: Vec<Viewer>,
}

/// Who has which case open.
#[async_trait]
pub trait PresenceStore {
    /// Records a heartbeat (one statement, committed at once).
    async fn record_presence(&self, beat: &PresenceBeat) -> Result<()>;
    /// The viewers of `case` at `now`, by name.
    async fn case_viewers(&self, case: CaseId, now: Timestamp) -> Result<Vec<Viewer>>;
    /// The undeleted cases whose presence changed after `since` (someone arrived, left, lapsed
    /// or started or stopped typing) up to `now`, each with its viewers at `now`; one statement.
    async fn presence_changes(&self, since: Timestamp, now: Timestamp)
        -> Result<Vec<CasePresence>>;
    /// Removes the rows of viewers who lapsed before `before`; answers how many.
    async fn forget_presence(&self, before: Timestamp) -> Result<u64>;
}

/// A viewer from its row (`user_id, name, typing`).
pub fn viewer(row: &dyn Columns) -> Result<Viewer> {
    Ok(Viewer {
        user_id: UserId(row.int("user_id")?),
        name: row.text("name")?,
        typing: row.flag("typing")?,
    })
}
