//! The look-up parts of the store: writes inside the unit of work.

use async_trait::async_trait;
use caredesk_domain::media::Media;
use caredesk_domain::{Customer, CustomerId, MediaId, ProfileId, Timestamp};
use caredesk_store::lookups::LookupWrites;
use caredesk_store::StoreError;

use crate::queries::lookups as q;
use crate::{Backend, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> LookupWrites for SqlTx<B> {
    async fn queue_lookups(
        &mut self,
        queued: &[(CustomerId, ProfileId)],
        now: Timestamp,
        refresh_before: Timestamp,
    ) -> Result<()> {
        if queued.is_empty() {
            return Ok(());
        }
        q::queue_lookups(&mut self.conn(), queued, now, refresh_before).await
    }

    async fn promote_lookup_requests(&mut self, limit: u32) -> Result<usize> {
        q::promote_lookup_requests(&mut self.conn(), limit).await
    }

    async fn claim_lookups(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Customer>> {
        q::claim_lookups(&mut self.conn(), now, lease_until, limit).await
    }

    async fn save_lookup(&mut self, customer: &Customer) -> Result<()> {
        q::save_lookup(&mut self.conn(), customer).await
    }

    async fn queue_avatar(
        &mut self,
        customer: CustomerId,
        profile: ProfileId,
        url: &str,
        now: Timestamp,
    ) -> Result<MediaId> {
        q::queue_avatar(&mut self.conn(), customer, profile, url, now).await
    }

    async fn newest_avatar(&mut self, customer: CustomerId) -> Result<Option<Media>> {
        q::newest_avatar(&mut self.conn(), customer).await
    }
}
