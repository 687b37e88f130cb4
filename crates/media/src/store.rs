//! [`ObjectMediaStore`]: the `MediaStore` port on the `object_store` crate, a local directory or
//! an S3-compatible bucket.

use std::fmt;
use std::path::Path as FsPath;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use caredesk_app::media::{MediaError, MediaStore};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

use crate::key::check_key;
use crate::location::MediaLocation;

/// The AWS variables that may name an S3 endpoint, most specific first.
const ENDPOINT_VARIABLES: [&str; 3] = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"];

/// The media store on a directory or an S3-compatible bucket.
#[derive(Clone)]
pub struct ObjectMediaStore {
    objects: Arc<dyn ObjectStore>,
    /// Where the keys start within the store (an S3 location's prefix; empty for a directory).
    prefix: String,
    /// Whether the store keeps a content type with each object (S3 does; files do not).
    typed: bool,
    described: String,
}

impl fmt::Debug for ObjectMediaStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ObjectMediaStore")
            .field(&self.described)
            .finish()
    }
}

impl ObjectMediaStore {
    /// Opens the store at `location`: a directory is made when missing and written with `fsync`;
    /// an S3 bucket is reached with the credentials, region and endpoint of the standard AWS
    /// variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` or
    /// `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`), over plain HTTP only when the endpoint is an
    /// `http://` URL. Nothing is read or written until the first call.
    pub fn open(location: &MediaLocation) -> Result<Self, MediaError> {
        match location {
            MediaLocation::Directory(dir) => Self::directory(dir),
            MediaLocation::S3 { bucket, prefix } => Self::s3(bucket, prefix, location),
        }
    }

    /// Reads `url_or_path` as a [`MediaLocation`] and opens the store there.
    pub fn open_url(url_or_path: &str) -> Result<Self, MediaError> {
        Self::open(&MediaLocation::parse(url_or_path)?)
    }

    fn directory(dir: &FsPath) -> Result<Self, MediaError> {
        let unavailable = |e: &dyn fmt::Display| {
            MediaError::Unavailable(format!("directory {}: {e}", dir.display()))
        };
        std::fs::create_dir_all(dir).map_err(|e| unavailable(&e))?;
        let dir = std::fs::canonicalize(dir).map_err(|e| unavailable(&e))?;
        let objects = LocalFileSystem::new_with_prefix(&dir)
            .map_err(|e| unavailable(&e))?
            .with_fsync(true);
        Ok(Self {
            objects: Arc::new(objects),
            prefix: String::new(),
            typed: false,
            described: MediaLocation::Directory(dir).to_string(),
        })
    }

    fn s3(bucket: &str, prefix: &str, location: &MediaLocation) -> Result<Self, MediaError> {
        let described = location.to_string();
        let plain_http = ENDPOINT_VARIABLES
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
            .is_some_and(|endpoint| endpoint.trim().starts_with("http://"));
        let objects = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_allow_http(plain_http)
            .build()
            .map_err(|e| MediaError::Unavailable(format!("{described}: {e}")))?;
        Ok(Self {
            objects: Arc::new(objects),
            prefix: prefix.to_owned(),
            typed: true,
            described,
        })
    }

    /// Where `key` is within the store, once it is checked.
    fn path(&self, key: &str) -> Result<Path, MediaError> {
        check_key(key)?;
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        Path::parse(full).map_err(|e| MediaError::BadKey(format!("{key:?}: {e}")))
    }

    fn failed(&self, e: object_store::Error) -> MediaError {
        MediaError::Unavailable(format!("{}: {e}", self.described))
    }
}

/// `mime` as an object's content type, when it can be one (printable ASCII, not empty).
fn content_type(mime: &str) -> Option<String> {
    let mime = mime.trim();
    (!mime.is_empty() && mime.bytes().all(|b| (b' '..=b'~').contains(&b))).then(|| mime.to_owned())
}

#[async_trait]
impl MediaStore for ObjectMediaStore {
    async fn put(&self, key: &str, bytes: Bytes, mime: &str) -> Result<(), MediaError> {
        let path = self.path(key)?;
        let mut attributes = Attributes::new();
        if let Some(mime) = content_type(mime).filter(|_| self.typed) {
            attributes.insert(Attribute::ContentType, mime.into());
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.objects
            .put_opts(&path, PutPayload::from(bytes), options)
            .await
            .map(|_| ())
            .map_err(|e| self.failed(e))
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, MediaError> {
        let path = self.path(key)?;
        let found = match self.objects.get(&path).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(self.failed(e)),
        };
        found.bytes().await.map(Some).map_err(|e| self.failed(e))
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        let path = self.path(key)?;
        match self.objects.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failed(e)),
        }
    }

    fn describe(&self) -> String {
        self.described.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_printable_content_types_are_kept() {
        assert_eq!(content_type(" image/png ").as_deref(), Some("image/png"));
        assert_eq!(content_type(""), None);
        assert_eq!(content_type("image/png\r\nx: y"), None);
    }
}
