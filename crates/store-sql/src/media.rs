//! The media parts of the store: reads on a reader connection, writes inside the unit of work.

use async_trait::async_trait;
use caredesk_domain::media::{Media, MediaDownload, NewUpload};
use caredesk_domain::{Attachment, MediaId, MessageId, ProfileId, Timestamp, UserId};
use caredesk_store::media::{MediaReads, MediaWrites};
use caredesk_store::StoreError;

use crate::queries::media as q;
use crate::{Backend, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> MediaReads for SqlStore<B> {
    async fn media(&self, id: MediaId) -> Result<Option<Media>> {
        q::media(&mut self.backend().reader().await?.conn(), id).await
    }

    async fn media_backlog(&self) -> Result<i64> {
        q::media_backlog(&mut self.backend().reader().await?.conn()).await
    }
}

#[async_trait]
impl<B: Backend> MediaWrites for SqlTx<B> {
    async fn queue_downloads(&mut self, downloads: &[MediaDownload], now: Timestamp) -> Result<()> {
        if downloads.is_empty() {
            return Ok(());
        }
        q::queue_downloads(&mut self.conn(), downloads, now).await
    }

    async fn claim_downloads(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Media>> {
        q::claim_downloads(&mut self.conn(), now, lease_until, limit).await
    }

    async fn save_media(&mut self, media: &Media) -> Result<()> {
        q::save_media(&mut self.conn(), media).await
    }

    async fn insert_upload(&mut self, upload: &NewUpload) -> Result<Media> {
        q::insert_upload(&mut self.conn(), upload).await
    }

    async fn attach_upload(
        &mut self,
        media: MediaId,
        uploader: UserId,
        at: (MessageId, u32),
        profile: ProfileId,
    ) -> Result<Option<Media>> {
        q::attach_upload(&mut self.conn(), media, uploader, at, profile).await
    }

    async fn set_message_attachments(
        &mut self,
        message: MessageId,
        attachments: &[Attachment],
    ) -> Result<()> {
        q::set_message_attachments(&mut self.conn(), message, attachments).await
    }
}
