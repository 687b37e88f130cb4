//! [`MediaLocation`]: where `CAREDESK_MEDIA_URL` says the media store is, a directory or an
//! `s3://bucket/prefix`.

use std::fmt;
use std::path::PathBuf;

use caredesk_app::media::MediaError;

use crate::key::check_key;

/// Where the media store keeps its objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaLocation {
    /// A directory on this node (made when missing).
    Directory(PathBuf),
    /// A bucket of S3-compatible object storage, under a prefix (empty for the whole bucket).
    S3 {
        /// The bucket.
        bucket: String,
        /// The prefix, without leading or trailing `/`.
        prefix: String,
    },
}

impl MediaLocation {
    /// Reads a media location: `s3://bucket/prefix` (or `s3://bucket`) is object storage,
    /// `file:///path` or any other text a directory (relative to the working directory). A URL
    /// of another scheme is refused rather than taken for a directory named after it.
    pub fn parse(url_or_path: &str) -> Result<Self, MediaError> {
        let raw = url_or_path.trim();
        let bad = |why: &str| {
            Err(MediaError::Unavailable(format!(
                "{raw:?} is not a media location: {why}"
            )))
        };
        if raw.is_empty() {
            return bad("it is empty");
        }
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if !bucket_name(bucket) {
                return bad("the bucket name must be 3 to 63 of a-z, 0-9, '.' and '-'");
            }
            let prefix = prefix.trim_matches('/');
            if !prefix.is_empty() {
                if let Err(e) = check_key(prefix) {
                    return bad(&format!("the prefix is not usable ({e})"));
                }
            }
            return Ok(MediaLocation::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
            });
        }
        if let Some(path) = raw.strip_prefix("file://") {
            if !path.starts_with('/') {
                return bad("a file:// URL must name an absolute path (file:///…)");
            }
            return Ok(MediaLocation::Directory(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return bad("only s3:// URLs and directories are supported");
            }
        }
        Ok(MediaLocation::Directory(PathBuf::from(raw)))
    }
}

/// S3's rule for bucket names, loosely: 3 to 63 lower-case letters, digits, dots and hyphens.
fn bucket_name(bucket: &str) -> bool {
    (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

impl fmt::Display for MediaLocation {
    /// `directory /x/y` or `s3://bucket/prefix`: never a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaLocation::Directory(path) => write!(f, "directory {}", path.display()),
            MediaLocation::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            MediaLocation::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(bucket: &str, prefix: &str) -> MediaLocation {
        MediaLocation::S3 {
            bucket: bucket.into(),
            prefix: prefix.into(),
        }
    }

    #[test]
    fn s3_urls_are_object_storage_and_the_rest_directories() {
        let dir = |p: &str| MediaLocation::Directory(PathBuf::from(p));
        let table = [
            ("s3://caredesk-test/run-123", s3("caredesk-test", "run-123")),
            ("s3://media.example/a/b/", s3("media.example", "a/b")),
            ("s3://bucket", s3("bucket", "")),
            ("s3://bucket/", s3("bucket", "")),
            ("media", dir("media")),
            ("./caredesk-data/media/", dir("./caredesk-data/media/")),
            (" /var/lib/caredesk/media ", dir("/var/lib/caredesk/media")),
            ("file:///srv/media", dir("/srv/media")),
        ];
        for (raw, location) in table {
            assert_eq!(MediaLocation::parse(raw).ok(), Some(location), "{raw}");
        }
    }

    #[test]
    fn what_is_neither_is_refused() {
        for raw in [
            "",
            "  ",
            "s3://",
            "s3://ab",
            "s3://Bucket/x",
            "s3://bucket/../x",
            "s3://bucket/a//b",
            "s3://bucket/x?versionId=1",
            "gs://bucket/x",
            "https://s3.example/bucket",
            "file://relative/path",
        ] {
            assert!(MediaLocation::parse(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn a_location_says_where_it_is() {
        assert_eq!(s3("b-1", "p/q").to_string(), "s3://b-1/p/q");
        assert_eq!(s3("b-1", "").to_string(), "s3://b-1");
        let dir = MediaLocation::Directory(PathBuf::from("/x/y"));
        assert_eq!(dir.to_string(), "directory /x/y");
    }
}
