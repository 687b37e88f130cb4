//! Files the desk keeps (PRODUCT.md §11 "Media is kept"): a copy of an attachment, a customer's
//! picture (their avatar, from a look-up), later an upload — who it belongs to, where its
//! download stands, who may see it, and the rules of trying again. The bytes live in the media
//! store; this is their row.

use crate::attachment::{AttachmentKind, MediaState};
use crate::backoff::Backoff;
use crate::ids::{CustomerId, MediaId, MessageId, ProfileId, UserId};
use crate::message::Message;
use crate::network::Network;
use crate::time::Timestamp;
use crate::user::User;

/// Downloads tried this many times without success give up (`unavailable`).
pub const MAX_DOWNLOAD_ATTEMPTS: u32 = 6;

/// The pause before each next attempt, by attempts made so far (Meta's URLs stay valid for hours
/// to days, so the last tries are spread over a day).
pub const DOWNLOAD_BACKOFF: Backoff = Backoff {
    pauses_secs: &[60, 300, 1_800, 7_200, 21_600, 43_200],
    max_attempts: MAX_DOWNLOAD_ATTEMPTS,
};

/// A file the desk keeps, or is about to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Media {
    /// Its id (`/api/v1/media/{id}`).
    pub id: MediaId,
    /// The message whose attachment it copies, with the attachment's place in it.
    pub message: Option<(MessageId, u32)>,
    /// The customer whose picture it is.
    pub customer_id: Option<CustomerId>,
    /// The profile whose token fetches it and (but for a picture) whose users may see it.
    pub profile_id: Option<ProfileId>,
    /// Who uploaded it (an upload not sent yet is theirs alone).
    pub uploaded_by: Option<UserId>,
    /// The network it came from.
    pub network: Option<Network>,
    /// What it is.
    pub kind: AttachmentKind,
    /// Where the network serves it.
    pub network_url: Option<String>,
    /// Its content type, by its bytes once kept.
    pub mime: Option<String>,
    /// Its size in bytes, once kept.
    pub size: Option<i64>,
    /// The file name an upload came with.
    pub filename: Option<String>,
    /// Its key in the media store, once kept.
    pub object_key: Option<String>,
    /// Pending, stored or unavailable.
    pub state: MediaState,
    /// Download attempts made.
    pub attempts: u32,
    /// When the next attempt is due (`None`: nothing to do).
    pub due_at: Option<Timestamp>,
    /// What the last attempt met.
    pub error: Option<String>,
    /// When the row was made.
    pub created_at: Timestamp,
}

/// An attachment's copy to make after the delivery's commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaDownload {
    /// The message.
    pub message: MessageId,
    /// The attachment's place in the message.
    pub position: u32,
    /// The message's profile (whose token fetches it, whose users see it).
    pub profile: ProfileId,
    /// What it is.
    pub kind: AttachmentKind,
    /// Where to fetch it.
    pub url: String,
}

/// A file an agent uploads to send with a reply: its row is made first (not yet servable),
/// the bytes written to the media store, then the row saved as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUpload {
    /// Who uploads it (the only one who may see or send it until it is sent).
    pub uploaded_by: UserId,
    /// Picture, GIF, video, sound or file, by its content.
    pub kind: AttachmentKind,
    /// The name it came with.
    pub filename: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// What a download attempt came to, as far as the row is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadResult {
    /// Kept under `object_key`.
    Stored {
        /// Its key in the media store.
        object_key: String,
        /// Its content type by its bytes.
        mime: String,
        /// Its size.
        size: i64,
    },
    /// Never to be kept (too large, refused, gone): the network's link stays.
    GaveUp(String),
    /// May work later.
    Failed(String),
}

impl Media {
    /// Records the attempt's result: kept, given up, or due again after the backoff (given up
    /// after [`MAX_DOWNLOAD_ATTEMPTS`]). `attempts` counts the attempt just made.
    pub fn record_download(&mut self, result: DownloadResult, now: Timestamp) {
        match result {
            DownloadResult::Stored {
                object_key,
                mime,
                size,
            } => {
                self.state = MediaState::Stored;
                self.object_key = Some(object_key);
                self.mime = Some(mime);
                self.size = Some(size);
                self.due_at = None;
                self.error = None;
            }
            DownloadResult::GaveUp(why) => {
                self.state = MediaState::Unavailable;
                self.due_at = None;
                self.error = Some(why);
            }
            DownloadResult::Failed(why) => {
                self.error = Some(why);
                self.due_at = next_attempt(self.attempts, now);
                if self.due_at.is_none() {
                    self.state = MediaState::Unavailable;
                }
            }
        }
    }
}

/// When to try again after `attempts` failed downloads, or `None` once they are used up.
pub fn next_attempt(attempts: u32, now: Timestamp) -> Option<Timestamp> {
    DOWNLOAD_BACKOFF.next_attempt(attempts, now)
}

/// The downloads a newly stored message calls for: one per attachment waiting to be kept.
pub fn downloads_of(message: &Message) -> Vec<MediaDownload> {
    message
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| a.state == MediaState::Pending)
        .filter_map(|(position, a)| {
            Some(MediaDownload {
                message: message.id,
                position: u32::try_from(position).ok()?,
                profile: message.profile_id,
                kind: a.kind,
                url: a.network_url.clone()?,
            })
        })
        .collect()
}

/// Where the desk serves a kept file.
pub fn media_path(id: MediaId) -> String {
    format!("/api/v1/media/{id}")
}

/// Whether `user` may fetch the file: for a customer's picture, an active user connected to a
/// profile the customer wrote to (`customer_profiles`; the Community inbox shows the customer
/// to everyone working those profiles); else an active user connected to its profile, or the
/// user who uploaded it. Everyone else is answered as if it did not exist.
pub fn sees_media(user: &User, media: &Media, customer_profiles: &[ProfileId]) -> bool {
    if !user.active {
        return false;
    }
    if media.customer_id.is_some() {
        return customer_profiles.iter().any(|p| user.connected_to(*p));
    }
    match (media.profile_id, media.uploaded_by) {
        (Some(profile), _) => user.connected_to(profile),
        (None, Some(uploader)) => uploader == user.id,
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Media {
        Media {
            id: MediaId(1),
            message: Some((MessageId(1), 0)),
            customer_id: None,
            profile_id: Some(ProfileId(1)),
            uploaded_by: None,
            network: Some(Network::Facebook),
            kind: AttachmentKind::Image,
            network_url: Some("https://cdn.example/a.jpg".into()),
            mime: None,
            size: None,
            filename: None,
            object_key: None,
            state: MediaState::Pending,
            attempts: 0,
            due_at: Some(Timestamp(0)),
            error: None,
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn failures_back_off_then_give_up() {
        let mut media = pending();
        let now = Timestamp::from_secs(1_000);
        let mut pauses = Vec::new();
        for attempt in 1..=MAX_DOWNLOAD_ATTEMPTS {
            media.attempts = attempt;
            media.record_download(DownloadResult::Failed("503".into()), now);
            pauses.push(media.due_at.map(|due| due.as_secs() - now.as_secs()));
        }
        assert_eq!(
            pauses,
            vec![
                Some(60),
                Some(300),
                Some(1_800),
                Some(7_200),
                Some(21_600),
                None
            ]
        );
        assert_eq!(media.state, MediaState::Unavailable);
        assert_eq!(media.error.as_deref(), Some("503"));
    }

    #[test]
    fn a_kept_file_is_done_and_a_refused_one_is_given_up_at_once() {
        let mut kept = pending();
        kept.attempts = 1;
        kept.record_download(
            DownloadResult::Stored {
                object_key: "01/1".into(),
                mime: "image/jpeg".into(),
                size: 10,
            },
            Timestamp(5),
        );
        assert_eq!(kept.state, MediaState::Stored);
        assert_eq!(kept.due_at, None);
        let mut refused = pending();
        refused.attempts = 1;
        refused.record_download(DownloadResult::GaveUp("too large".into()), Timestamp(5));
        assert_eq!(refused.state, MediaState::Unavailable);
        assert_eq!(refused.due_at, None);
    }

    #[test]
    fn a_picture_is_seen_by_the_users_of_the_customers_profiles_and_a_copy_by_its_profiles() {
        let user = |profiles: &[i64], active: bool| {
            let mut user = crate::testkit::user(
                9,
                crate::user::Role::Member,
                crate::user::CareAccess::None,
                &profiles.iter().map(|p| ProfileId(*p)).collect::<Vec<_>>(),
            );
            user.active = active;
            user
        };
        let mut avatar = pending();
        avatar.message = None;
        avatar.customer_id = Some(CustomerId(4));
        let copy = pending();
        let wrote_to = [ProfileId(2), ProfileId(3)];
        let table = [
            (
                user(&[3], true),
                &avatar,
                true,
                "connected to a profile the customer wrote to",
            ),
            (
                user(&[1], true),
                &avatar,
                false,
                "only the profile that fetched it",
            ),
            (user(&[3], false), &avatar, false, "deactivated"),
            (user(&[1], true), &copy, true, "the message's profile"),
            (user(&[3], true), &copy, false, "another profile"),
        ];
        for (user, media, sees, what) in table {
            assert_eq!(sees_media(&user, media, &wrote_to), sees, "{what}");
        }
        assert_eq!(media_path(MediaId(7)), "/api/v1/media/7");
    }
}
