//! What a message carries beside its text (PRODUCT.md §11): photos, video, audio, files,
//! stickers, GIFs, stories, shared links, locations and what the product cannot show, with
//! where the desk keeps its own copy of the bytes.

use serde::{Deserialize, Deserializer, Serialize};

use crate::ids::MediaId;
use crate::macros::word_enum;

word_enum! {
    /// What an attachment is.
    pub enum AttachmentKind {
        Image => "image",
        Video => "video",
        Audio => "audio",
        File => "file",
        Sticker => "sticker",
        Gif => "gif",
        /// The customer mentioned the brand in their story.
        StoryMention => "story_mention",
        /// The customer answered the brand's story.
        StoryReply => "story_reply",
        /// A shared link, post or reel.
        Share => "share",
        Location => "location",
        /// Something the product cannot show: the network's own link is offered.
        Unsupported => "unsupported",
    }
}

impl AttachmentKind {
    /// Kinds whose bytes the desk downloads into its media store; the others are only a link
    /// (a shared page, a location, something unsupported).
    pub fn is_kept(self) -> bool {
        !matches!(
            self,
            AttachmentKind::Share | AttachmentKind::Location | AttachmentKind::Unsupported
        )
    }

    /// Kinds shown as a picture.
    pub fn is_visual(self) -> bool {
        matches!(
            self,
            AttachmentKind::Image | AttachmentKind::Sticker | AttachmentKind::Gif
        )
    }

    /// The kind of a file an agent uploads, by its content type: a picture (a GIF apart), a
    /// video, a sound, or any other file.
    pub fn of_upload(mime: &str) -> AttachmentKind {
        let essence = crate::media_type::essence(mime).unwrap_or_default();
        match essence.split_once('/') {
            Some(("image", "gif")) => AttachmentKind::Gif,
            Some(("image", _)) if crate::media_type::inline_safe(&essence) => AttachmentKind::Image,
            Some(("video", _)) if crate::media_type::inline_safe(&essence) => AttachmentKind::Video,
            Some(("audio", _)) if crate::media_type::inline_safe(&essence) => AttachmentKind::Audio,
            _ => AttachmentKind::File,
        }
    }

    /// The kind a stored word names, `Unsupported` for a word this version does not know (rows
    /// written by an older or newer version stay readable).
    pub fn from_stored(word: &str) -> AttachmentKind {
        match word {
            "photo" | "animated_gif" => AttachmentKind::Image,
            "fallback" => AttachmentKind::Share,
            "ig_reel" | "reel" => AttachmentKind::Share,
            other => other.parse().unwrap_or(AttachmentKind::Unsupported),
        }
    }
}

word_enum! {
    /// Where the desk's copy of an attachment is.
    pub enum MediaState {
        /// To be downloaded after the delivery's commit.
        Pending => "pending",
        /// In the media store.
        Stored => "stored",
        /// Could not be kept (expired, refused, too large after retries): only the network's
        /// URL remains.
        Unavailable => "unavailable",
        /// Only ever a link (shares, locations, unsupported content).
        Link => "link",
    }
}

/// A latitude or longitude in degrees. Compared by its bits, so a message stays `Eq`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Degrees(pub f64);

impl PartialEq for Degrees {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Degrees {}

/// One attachment of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// What it is.
    #[serde(alias = "type", deserialize_with = "stored_kind")]
    pub kind: AttachmentKind,
    /// Its content type, when the network or the download said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Where the network serves it (expires for Meta's media), or the shared link itself.
    #[serde(default, alias = "url", skip_serializing_if = "Option::is_none")]
    pub network_url: Option<String>,
    /// A shared link's or file's title, a sticker's or story's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A smaller picture the network offers (a video's thumbnail, a share's image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// A location's latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Degrees>,
    /// A location's longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Degrees>,
    /// Where the desk's copy is.
    #[serde(default = "pending")]
    pub state: MediaState,
    /// The desk's copy, once there is a media row for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<MediaId>,
}

fn pending() -> MediaState {
    MediaState::Pending
}

fn stored_kind<'de, D: Deserializer<'de>>(d: D) -> Result<AttachmentKind, D::Error> {
    let word = String::deserialize(d)?;
    Ok(AttachmentKind::from_stored(&word))
}

impl Attachment {
    /// An attachment of `kind` the network serves at `url`: pending download when the desk
    /// keeps such content and there is a URL to fetch, otherwise a link.
    pub fn at(kind: AttachmentKind, url: Option<String>) -> Attachment {
        let url = url.filter(|u| !u.trim().is_empty());
        let state = if kind.is_kept() && url.is_some() {
            MediaState::Pending
        } else {
            MediaState::Link
        };
        Attachment {
            kind,
            mime: None,
            network_url: url,
            title: None,
            preview_url: None,
            latitude: None,
            longitude: None,
            state,
            media_id: None,
        }
    }

    /// What the network sent that the product cannot show.
    pub fn unsupported(url: Option<String>) -> Attachment {
        Attachment::at(AttachmentKind::Unsupported, url)
    }

    /// A location at the given coordinates.
    pub fn location(latitude: f64, longitude: f64, title: Option<String>) -> Attachment {
        Attachment {
            latitude: Some(Degrees(latitude)),
            longitude: Some(Degrees(longitude)),
            title,
            ..Attachment::at(AttachmentKind::Location, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_a_picture_video_sound_or_file_by_its_type() {
        let table = [
            ("image/png", AttachmentKind::Image),
            ("image/jpeg", AttachmentKind::Image),
            ("image/gif", AttachmentKind::Gif),
            ("image/svg+xml", AttachmentKind::File),
            ("video/mp4", AttachmentKind::Video),
            ("audio/mpeg", AttachmentKind::Audio),
            ("application/pdf", AttachmentKind::File),
            ("text/html", AttachmentKind::File),
            ("nonsense", AttachmentKind::File),
        ];
        for (mime, kind) in table {
            assert_eq!(AttachmentKind::of_upload(mime), kind, "{mime}");
        }
    }

    #[test]
    fn rows_of_the_first_shape_stay_readable() {
        let old: Attachment =
            serde_json::from_str(r#"{"type":"image","url":"https://cdn.example/a.png"}"#)
                .expect("old row");
        assert_eq!(old.kind, AttachmentKind::Image);
        assert_eq!(
            old.network_url.as_deref(),
            Some("https://cdn.example/a.png")
        );
        let unknown: Attachment =
            serde_json::from_str(r#"{"type":"template","url":""}"#).expect("unknown kind");
        assert_eq!(unknown.kind, AttachmentKind::Unsupported);
    }

    #[test]
    fn kept_kinds_with_a_url_wait_for_download_and_the_rest_are_links() {
        let table = [
            (
                AttachmentKind::Image,
                Some("https://x/a.png"),
                MediaState::Pending,
            ),
            (AttachmentKind::Image, None, MediaState::Link),
            (AttachmentKind::Image, Some(" "), MediaState::Link),
            (
                AttachmentKind::StoryMention,
                Some("https://x/s"),
                MediaState::Pending,
            ),
            (AttachmentKind::Share, Some("https://x/p"), MediaState::Link),
            (
                AttachmentKind::Unsupported,
                Some("https://x/u"),
                MediaState::Link,
            ),
            (AttachmentKind::Location, None, MediaState::Link),
        ];
        for (kind, url, state) in table {
            let a = Attachment::at(kind, url.map(str::to_owned));
            assert_eq!(a.state, state, "{kind:?} {url:?}");
        }
    }

    #[test]
    fn an_attachment_round_trips_through_its_stored_form() {
        let a = Attachment {
            title: Some("Cafe".into()),
            ..Attachment::location(52.52, 13.405, None)
        };
        let json = serde_json::to_string(&a).expect("json");
        let back: Attachment = serde_json::from_str(&json).expect("back");
        assert_eq!(a, back);
    }
}
