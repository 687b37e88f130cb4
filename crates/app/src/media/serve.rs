//! Serving a kept file (`GET /api/v1/media/{id}`): only to a user who may see the message or
//! upload that holds it, or the customer whose picture it is — to anyone else it does not exist
//! — with how a browser may show it.

use bytes::Bytes;
use caredesk_domain::media::sees_media;
use caredesk_domain::media_type::inline_safe;
use caredesk_domain::{MediaId, MediaState, Refusal, UserId};

use crate::error::{AppResult, FoundOr};
use crate::App;

/// A kept file, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFile {
    /// The bytes.
    pub bytes: Bytes,
    /// Their content type, by their content.
    pub mime: String,
    /// The name an upload came with.
    pub filename: Option<String>,
    /// Shown in the page (pictures, video, sound); everything else is a download.
    pub inline: bool,
}

impl App {
    /// The file `id` for `viewer`; `NotFound` when it does not exist, is not kept (yet), or is
    /// not the viewer's to see.
    pub async fn media_file(&self, viewer: UserId, id: MediaId) -> AppResult<MediaFile> {
        let user = self.store().user(viewer).await?.or_not_found()?;
        let media = self.store().media(id).await?.or_not_found()?;
        let customer_profiles = match media.customer_id {
            Some(customer) => self.store().customer_profiles(customer).await?,
            None => Vec::new(),
        };
        if !sees_media(&user, &media, &customer_profiles) || media.state != MediaState::Stored {
            return Err(Refusal::NotFound.into());
        }
        let (Some(key), Some(store)) = (media.object_key.as_deref(), self.media_store()) else {
            return Err(Refusal::NotFound.into());
        };
        let bytes = store
            .get(key)
            .await
            .map_err(|e| crate::AppError::from(caredesk_store::StoreError::Other(e.to_string())))?
            .or_not_found()?;
        let mime = media
            .mime
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        Ok(MediaFile {
            bytes,
            inline: inline_safe(&mime),
            mime,
            filename: media.filename,
        })
    }
}
