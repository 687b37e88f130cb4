//! The saved-reply parts of the store: reads on a reader connection, writes inside the unit of
//! work.

use async_trait::async_trait;
use caredesk_domain::{NewSavedReply, SavedReply, SavedReplyId, UserId};
use caredesk_store::saved_replies::{SavedReplyReads, SavedReplyWrites};
use caredesk_store::StoreError;

use crate::queries::saved_replies as q;
use crate::{Backend, Lock, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> SavedReplyReads for SqlStore<B> {
    async fn saved_replies(&self, owner: UserId) -> Result<Vec<SavedReply>> {
        q::list(&mut self.backend().reader().await?.conn(), owner).await
    }

    async fn saved_reply(&self, id: SavedReplyId) -> Result<Option<SavedReply>> {
        q::one(&mut self.backend().reader().await?.conn(), id, Lock::No).await
    }
}

#[async_trait]
impl<B: Backend> SavedReplyWrites for SqlTx<B> {
    async fn saved_reply_for_update(&mut self, id: SavedReplyId) -> Result<Option<SavedReply>> {
        q::one(&mut self.conn(), id, Lock::ForUpdate).await
    }

    async fn insert_saved_reply(&mut self, new: &NewSavedReply) -> Result<SavedReply> {
        q::insert(&mut self.conn(), new).await
    }

    async fn update_saved_reply(&mut self, reply: &SavedReply) -> Result<()> {
        q::update(&mut self.conn(), reply).await
    }

    async fn delete_saved_reply(&mut self, id: SavedReplyId) -> Result<()> {
        q::delete(&mut self.conn(), id).await
    }
}
