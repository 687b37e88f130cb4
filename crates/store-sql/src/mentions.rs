//! The mention look-ups of the store, written inside the unit of work.

use async_trait::async_trait;
use caredesk_domain::mention::MentionLookup;
use caredesk_domain::{ProfileId, Timestamp};
use caredesk_store::mentions::MentionWrites;
use caredesk_store::StoreError;

use crate::queries::mentions as q;
use crate::{Backend, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> MentionWrites for SqlTx<B> {
    async fn queue_mention_lookup(
        &mut self,
        profile: ProfileId,
        post_id: &str,
        comment_id: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        q::queue(&mut self.conn(), profile, post_id, comment_id, now).await
    }

    async fn claim_mention_lookups(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<MentionLookup>> {
        q::claim(&mut self.conn(), now, lease_until, limit).await
    }

    async fn save_mention_lookup(&mut self, lookup: &MentionLookup) -> Result<()> {
        q::save(&mut self.conn(), lookup).await
    }
}
