//! The parts of the ports auto-assignment uses (PRODUCT.md §13). The New cases of a profile that
//! assigns automatically are the work waiting; a pass claims the profile and its waiting cases
//! (other nodes skip what it holds) and locks the users it may hand them to, so no two units of
//! work push one agent over capacity by racing. Who is picked is the domain's
//! (`caredesk_domain::availability`).

use async_trait::async_trait;
use caredesk_domain::{Case, ProfileId, Timestamp, UserId};

use crate::ports::Result;
use crate::records::UserWithLoad;

/// Reads outside a unit of work.
#[async_trait]
pub trait AssignmentReads {
    /// The profiles that assign automatically and have New cases waiting, by id.
    async fn profiles_with_waiting_cases(&self) -> Result<Vec<ProfileId>>;
}

/// Reads and writes inside a unit of work.
#[async_trait]
pub trait AssignmentWrites: Send {
    /// Claims `profile` for one pass of auto-assignment until the unit of work ends: false when
    /// it does not assign automatically, or another unit of work holds it.
    async fn claim_auto_assign(&mut self, profile: ProfileId) -> Result<bool>;
    /// The New cases of `profile`, oldest first, at most `limit`, each claimed (cases another
    /// unit of work holds are passed over).
    async fn claim_waiting_cases(&mut self, profile: ProfileId, limit: u32) -> Result<Vec<Case>>;
    /// The active users connected to `profile`, each locked until the unit of work ends (in id
    /// order, so two units of work never wait on each other in a circle), with their load
    /// counted once the locks are held.
    async fn lock_assignees(&mut self, profile: ProfileId) -> Result<Vec<UserWithLoad>>;
    /// Records that a case was assigned to `user` at `at` (auto-assignment's tie-break).
    async fn stamp_assigned(&mut self, user: UserId, at: Timestamp) -> Result<()>;
}
