//! The media store (PRODUCT.md §11 "Media is kept"): where the bytes of attachments, uploads and
//! avatars live, behind the `caredesk_app::media::MediaStore` port.
//!
//! [`MediaLocation::parse`] reads `CAREDESK_MEDIA_URL`: `s3://bucket/prefix` is S3-compatible
//! object storage that several nodes share (credentials, region and endpoint from the standard
//! AWS variables), anything else a directory, made when missing. [`ObjectMediaStore`] serves
//! both through the `object_store` crate: keys are checked before they reach either, an object is
//! complete when `put` answers (a directory writes to a staging file, syncs it and renames it),
//! and what a store says about itself never holds a credential.

mod key;
mod location;
mod store;

pub use key::{check_key, MAX_KEY_LEN};
pub use location::MediaLocation;
pub use store::ObjectMediaStore;
