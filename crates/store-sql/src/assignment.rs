//! The auto-assignment parts of the store: the waiting work read on a reader connection, the
//! claims and locks inside the unit of work.

use async_trait::async_trait;
use caredesk_domain::{Case, ProfileId, Timestamp, UserId};
use caredesk_store::assignment::{AssignmentReads, AssignmentWrites};
use caredesk_store::{StoreError, UserWithLoad};

use crate::queries::assignment as q;
use crate::{Backend, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> AssignmentReads for SqlStore<B> {
    async fn profiles_with_waiting_cases(&self) -> Result<Vec<ProfileId>> {
        q::profiles_with_waiting_cases(&mut self.backend().reader().await?.conn()).await
    }
}

#[async_trait]
impl<B: Backend> AssignmentWrites for SqlTx<B> {
    async fn claim_auto_assign(&mut self, profile: ProfileId) -> Result<bool> {
        q::claim_profile(&mut self.conn(), profile).await
    }

    async fn claim_waiting_cases(&mut self, profile: ProfileId, limit: u32) -> Result<Vec<Case>> {
        q::claim_waiting_cases(&mut self.conn(), profile, limit).await
    }

    async fn lock_assignees(&mut self, profile: ProfileId) -> Result<Vec<UserWithLoad>> {
        q::lock_assignees(&mut self.conn(), profile).await
    }

    async fn stamp_assigned(&mut self, user: UserId, at: Timestamp) -> Result<()> {
        q::stamp_assigned(&mut self.conn(), user, at).await
    }
}
