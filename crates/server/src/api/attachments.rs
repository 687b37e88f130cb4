//! The API form of a message's attachments (API.md, the message fields): what it is, where the
//! desk serves its copy (`url`), where the network serves it, and how far keeping it has come.

use caredesk_domain::media::media_path;
use caredesk_domain::{Attachment, MediaState};
use serde::Serialize;
use utoipa::ToSchema;

/// One attachment of a message.
#[derive(Serialize, ToSchema)]
pub struct AttachmentBody {
    /// The desk's media id, once it keeps (or is keeping) a copy.
    id: Option<String>,
    /// `image`, `video`, `audio`, `file`, `sticker`, `gif`, `story_mention`, `story_reply`,
    /// `share`, `location` or `unsupported`.
    kind: String,
    /// The content type, when known.
    mime: Option<String>,
    /// `/api/v1/media/{id}` once stored; for a link, the link itself.
    url: Option<String>,
    /// Where the network serves it (may have expired).
    network_url: Option<String>,
    /// A shared link's or file's title.
    title: Option<String>,
    /// A smaller picture the network offers.
    preview_url: Option<String>,
    /// A location's latitude in degrees.
    latitude: Option<f64>,
    /// A location's longitude in degrees.
    longitude: Option<f64>,
    /// `pending`, `stored`, `unavailable` or `link`.
    state: String,
}

impl From<&Attachment> for AttachmentBody {
    fn from(a: &Attachment) -> Self {
        let url = match (a.state, a.media_id) {
            (MediaState::Stored, Some(id)) => Some(media_path(id)),
            (MediaState::Link, _) => a.network_url.clone(),
            _ => None,
        };
        AttachmentBody {
            id: a.media_id.map(|id| id.to_string()),
            kind: a.kind.to_string(),
            mime: a.mime.clone(),
            url,
            network_url: a.network_url.clone(),
            title: a.title.clone(),
            preview_url: a.preview_url.clone(),
            latitude: a.latitude.map(|d| d.0),
            longitude: a.longitude.map(|d| d.0),
            state: a.state.to_string(),
        }
    }
}
