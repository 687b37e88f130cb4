//! Uploading a file to send with a reply (`POST /api/v1/media`): a Care user's file is typed by
//! its bytes, written to the media store, and kept as theirs alone until a reply carries it
//! (PRODUCT.md §11, "Agents can also send an image or a file").

use bytes::Bytes;
use caredesk_domain::media::{Media, NewUpload};
use caredesk_domain::media_sniff::media_type;
use caredesk_domain::{AttachmentKind, MediaState, Refusal, UserId};
use caredesk_store::StoreError;

use super::object_key;
use crate::error::{AppError, AppResult, FoundOr};
use crate::App;

/// The largest file an agent may upload (API.md "Media and search": 25 MiB).
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// The longest file name kept.
const MAX_FILENAME_CHARS: usize = 200;

/// A file as the browser sent it.
#[derive(Clone, Debug)]
pub struct Upload {
    /// The bytes.
    pub bytes: Bytes,
    /// The content type the browser announced (the bytes decide).
    pub announced: Option<String>,
    /// The name the file had.
    pub filename: Option<String>,
}

/// The name kept for an upload: its last path part, without control characters, cut to length;
/// `None` when nothing is left.
fn clean_filename(raw: Option<&str>) -> Option<String> {
    let last = raw?.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILENAME_CHARS)
        .collect();
    let name = name.trim();
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_owned())
}

impl App {
    /// Keeps a Care user's file for a reply; answers its row (`stored`).
    pub async fn upload_media(&self, actor: UserId, upload: Upload) -> AppResult<Media> {
        let user = self.store().user(actor).await?.or_not_found()?;
        if !user.active || !user.has_care_access() {
            return Err(Refusal::Forbidden("only Care users send files").into());
        }
        if upload.bytes.is_empty() {
            return Err(Refusal::invalid("the file is empty").into());
        }
        if upload.bytes.len() > MAX_UPLOAD_BYTES {
            return Err(Refusal::invalid("a file may be 25 MiB at most").into());
        }
        let Some(media_store) = self.media_store().cloned() else {
            return Err(unavailable("no media store is configured"));
        };
        let mime = media_type(&upload.bytes, upload.announced.as_deref());
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let mut media = tx
            .insert_upload(&NewUpload {
                uploaded_by: user.id,
                kind: AttachmentKind::of_upload(&mime),
                filename: clean_filename(upload.filename.as_deref()),
                created_at: now,
            })
            .await?;
        tx.commit().await?;
        let key = object_key(&media);
        let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
        let kept = media_store.put(&key, upload.bytes, &mime).await;
        media.due_at = None;
        media.mime = Some(mime);
        media.size = Some(size);
        match &kept {
            Ok(()) => {
                media.state = MediaState::Stored;
                media.object_key = Some(key);
            }
            Err(error) => {
                media.state = MediaState::Unavailable;
                media.error = Some(error.to_string());
            }
        }
        let mut tx = self.store().begin().await?;
        tx.save_media(&media).await?;
        tx.commit().await?;
        match kept {
            Ok(()) => Ok(media),
            Err(error) => {
                tracing::warn!(media = media.id.0, %error, "an upload could not be kept");
                Err(unavailable("the media store could not keep the file"))
            }
        }
    }
}

fn unavailable(why: &str) -> AppError {
    AppError::Store(StoreError::Unavailable(why.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_its_last_part_and_nothing_unprintable() {
        let table = [
            (Some("label.png"), Some("label.png")),
            (Some("../../etc/passwd"), Some("passwd")),
            (Some("C:\\Users\\ann\\scan.pdf"), Some("scan.pdf")),
            (Some("a\u{0}b\nc.txt"), Some("abc.txt")),
            (Some("  "), None),
            (Some(".."), None),
            (Some("dir/"), None),
            (None, None),
        ];
        for (raw, kept) in table {
            assert_eq!(clean_filename(raw).as_deref(), kept, "{raw:?}");
        }
    }
}
