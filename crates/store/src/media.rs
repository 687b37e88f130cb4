//! What the store keeps of media (PRODUCT.md §11 "Media is kept"), and the parts of the ports
//! that read and write it: the rows of the desk's copies of attachments, queued in the same unit
//! of work as the messages that carry them, claimed by the download worker for a lease (on
//! PostgreSQL rows another unit of work holds are skipped, so several nodes never download one
//! twice at once) and saved with what the download came to.

use async_trait::async_trait;
use caredesk_domain::media::{Media, MediaDownload, NewUpload};
use caredesk_domain::{Attachment, MediaId, MessageId, ProfileId, Timestamp, UserId};

use crate::ports::Result;

/// Reads outside a unit of work.
#[async_trait]
pub trait MediaReads {
    /// A media row.
    async fn media(&self, id: MediaId) -> Result<Option<Media>>;
    /// Downloads waiting (pending, not given up).
    async fn media_backlog(&self) -> Result<i64>;
}

/// Writes inside a unit of work.
#[async_trait]
pub trait MediaWrites: Send {
    /// Queues the downloads of attachments, due at `now` (no-op for an attachment queued
    /// already).
    async fn queue_downloads(&mut self, downloads: &[MediaDownload], now: Timestamp) -> Result<()>;
    /// Claims up to `limit` due downloads whose lease is free, oldest due first, leasing them
    /// until `lease_until` and counting the attempt.
    async fn claim_downloads(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Media>>;
    /// Saves a media row's state, key, type, size, attempts, due time and error, and frees its
    /// lease.
    async fn save_media(&mut self, media: &Media) -> Result<()>;
    /// Makes the row of an upload, `pending` and not servable until its bytes are kept and it
    /// is saved as `stored`.
    async fn insert_upload(&mut self, upload: &NewUpload) -> Result<Media>;
    /// Ties `uploader`'s kept upload `media`, not sent before, to the reply `message` (at
    /// `position`) of `profile`, whose users may then see it; `None` when it is not such an
    /// upload (someone else's, sent already, not kept, unknown).
    async fn attach_upload(
        &mut self,
        media: MediaId,
        uploader: UserId,
        at: (MessageId, u32),
        profile: ProfileId,
    ) -> Result<Option<Media>>;
    /// Replaces a message's attachments (the desk's copy of one was kept or given up).
    async fn set_message_attachments(
        &mut self,
        message: MessageId,
        attachments: &[Attachment],
    ) -> Result<()>;
}
