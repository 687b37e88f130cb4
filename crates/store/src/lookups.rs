//! What the store keeps of customer look-ups (PRODUCT.md §11 "Who the customer is"), and the
//! part of the ports that writes it: a look-up is asked for by a request appended in the same
//! unit of work as the message that calls for it, becomes a due time on the customer's row when
//! the look-up worker promotes the request, and is claimed by the worker for a lease (on
//! PostgreSQL rows another unit of work holds are skipped, so several nodes never ask about one
//! customer twice at once; a crash only delays it) and saved with the answer. A customer's
//! picture is a media row of theirs, downloaded by the media worker.

use async_trait::async_trait;
use caredesk_domain::media::Media;
use caredesk_domain::{Customer, CustomerId, MediaId, ProfileId, Timestamp};

use crate::ports::Result;

/// Writes inside a unit of work.
#[async_trait]
pub trait LookupWrites: Send {
    /// Asks for look-ups of these customers, each with the token of the profile beside them, due
    /// at `now`: appends a request each (nothing is written to the customers' rows). The domain
    /// decided they are due; promoting leaves out, all the same, a customer whose look-up waits
    /// already or ended after `refresh_before` (a stale read never queues one twice).
    async fn queue_lookups(
        &mut self,
        queued: &[(CustomerId, ProfileId)],
        now: Timestamp,
        refresh_before: Timestamp,
    ) -> Result<()>;
    /// Moves up to `limit` of the oldest requests onto their customers' rows (due at the
    /// request's time, attempts reset, unless a look-up waits already or ended after the
    /// request's `refresh_before`) and deletes them; a customer another unit of work holds keeps
    /// its requests for the next time. Answers the requests done with.
    async fn promote_lookup_requests(&mut self, limit: u32) -> Result<usize>;
    /// Claims up to `limit` due look-ups whose lease is free, oldest due first, leasing them
    /// until `lease_until` and counting the attempt.
    async fn claim_lookups(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Customer>>;
    /// Saves a customer's name, handle and look-up state, and frees the lease.
    async fn save_lookup(&mut self, customer: &Customer) -> Result<()>;
    /// Queues the download of a customer's picture at `url` with `profile`'s token, due at
    /// `now`; answers its media row's id.
    async fn queue_avatar(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
        url: &str,
        now: Timestamp,
    ) -> Result<MediaId>;
    /// The customer's newest picture row, if any.
    async fn newest_avatar(&mut self, customer: CustomerId) -> Result<Option<Media>>;
}
