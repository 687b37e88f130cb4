//! The part of the unit of work that keeps mentions to look up (PRODUCT.md §11): queued with the
//! delivery that announced them, claimed by the look-up worker for a lease (on PostgreSQL rows
//! another unit of work holds are skipped, so two nodes never look one up at once), and saved
//! with what the look-up came to.

use async_trait::async_trait;
use caredesk_domain::mention::MentionLookup;
use caredesk_domain::{ProfileId, Timestamp};

use crate::ports::Result;

/// Writes inside a unit of work.
#[async_trait]
pub trait MentionWrites: Send {
    /// Queues the look-up of a mention of `profile` on `post_id` (in `comment_id`, or in the
    /// caption), due at `now`; nothing when it is queued already.
    async fn queue_mention_lookup(
        &mut self,
        profile: ProfileId,
        post_id: &str,
        comment_id: Option<&str>,
        now: Timestamp,
    ) -> Result<()>;
    /// Claims up to `limit` due look-ups whose lease is free, oldest due first, leasing them
    /// until `lease_until` and counting the attempt.
    async fn claim_mention_lookups(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<MentionLookup>>;
    /// Saves a look-up's attempts, due time and error, and frees its lease.
    async fn save_mention_lookup(&mut self, lookup: &MentionLookup) -> Result<()>;
}
