//! [`MediaStore`]: where the bytes of attachments, uploads and avatars live — a directory in the
//! data directory, or S3-compatible object storage that several nodes share.

use async_trait::async_trait;
use bytes::Bytes;

/// Why the media store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The key is not one the desk makes (empty, absolute, or climbing out with `..`).
    #[error("not a media key: {0}")]
    BadKey(String),
    /// The store failed (disk, network, permissions); the words say where.
    #[error("the media store failed: {0}")]
    Unavailable(String),
}

/// Where media bytes live. Keys are relative paths made by the desk (`ab/cd/123-…`), never
/// anything a caller typed. The content type and size live on the media row in the database,
/// which is what the desk answers from.
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Writes `bytes` under `key` with their content type, replacing what was there; the
    /// object is complete and readable when this answers.
    async fn put(&self, key: &str, bytes: Bytes, mime: &str) -> Result<(), MediaError>;
    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, MediaError>;
    /// Removes the object under `key` (nothing when there is none).
    async fn delete(&self, key: &str) -> Result<(), MediaError>;
    /// Where the store keeps its objects, for logs and the readiness check (never a secret).
    fn describe(&self) -> String;
}
