//! Keeping the network's media (PRODUCT.md §11 "Media is kept"): after the commit of a delivery,
//! a worker claims the due downloads, fetches each through the guarded [`MediaSource`], writes
//! the bytes to the [`MediaStore`] first and then, in one unit of work, the row's outcome and the
//! message's attachment (or the customer's picture), with an event that wakes the pages showing
//! it. A crash between claim and save only delays a download: the lease runs out and it is
//! claimed again.

use caredesk_domain::media::{DownloadResult, Media};
use caredesk_domain::{
    AppNetwork, CaseId, Event, EventKind, MediaState, NetworkApp, Profile, Timestamp,
};

use super::{FetchRequest, Fetched, MediaSource, MediaStore};
use crate::error::AppResult;
use crate::App;

/// How downloads run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadConfig {
    /// The largest file kept (`media_max_bytes`, 25 MiB by default); larger ones stay links.
    pub max_bytes: u64,
    /// Downloads claimed at a time.
    pub batch: u32,
    /// How long a claimed download is held before another worker may take it.
    pub lease_secs: i64,
}

impl Default for DownloadConfig {
    fn default() -> Self {
        DownloadConfig {
            max_bytes: 25 * 1024 * 1024,
            batch: 8,
            lease_secs: 300,
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DownloadPass {
    /// Downloads claimed.
    pub claimed: usize,
    /// Kept in the media store.
    pub stored: usize,
    /// Given up (too large, refused, gone, attempts used up).
    pub gave_up: usize,
    /// To be tried again later.
    pub retrying: usize,
}

/// Where a media row's bytes live in the media store.
pub fn object_key(media: &Media) -> String {
    format!("media/{:02x}/{}", media.id.0.rem_euclid(256), media.id.0)
}

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

impl App {
    /// One pass of the media downloads: claims what is due and handles each, keeping the bytes
    /// in the installation's media store (nothing is claimed without one).
    pub async fn download_media(
        &self,
        source: &dyn MediaSource,
        config: DownloadConfig,
    ) -> AppResult<DownloadPass> {
        let Some(media_store) = self.media_store().cloned() else {
            return Ok(DownloadPass::default());
        };
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let claimed = tx
            .claim_downloads(now, now.plus_secs(config.lease_secs), config.batch)
            .await?;
        tx.commit().await?;
        let mut pass = DownloadPass {
            claimed: claimed.len(),
            ..DownloadPass::default()
        };
        if claimed.is_empty() {
            return Ok(pass);
        }
        let profiles = self.store().profiles().await?;
        let apps = self.store().network_apps().await?;
        for media in claimed {
            let profile = profiles.iter().find(|p| Some(p.id) == media.profile_id);
            let app = profile.and_then(|p| apps.iter().find(|a| a.id == p.app_id));
            let credentials = Credentials { profile, app };
            let result = fetch_one(&media, credentials, source, media_store.as_ref(), config).await;
            let saved = self.save_download(media, result).await?;
            match saved {
                MediaState::Stored => pass.stored += 1,
                MediaState::Unavailable => pass.gave_up += 1,
                MediaState::Pending | MediaState::Link => pass.retrying += 1,
            }
        }
        Ok(pass)
    }
}

/// The profile a download belongs to, and the network app that profile is connected through.
#[derive(Clone, Copy)]
struct Credentials<'a> {
    profile: Option<&'a Profile>,
    app: Option<&'a NetworkApp>,
}

/// Fetches one download and keeps its bytes; answers what it came to.
async fn fetch_one(
    media: &Media,
    credentials: Credentials<'_>,
    source: &dyn MediaSource,
    media_store: &dyn MediaStore,
    config: DownloadConfig,
) -> DownloadResult {
    let Some(url) = media.network_url.as_deref() else {
        return DownloadResult::GaveUp("no address to fetch".into());
    };
    let Some(profile) = credentials.profile else {
        return DownloadResult::GaveUp("its profile is gone".into());
    };
    // Only an X app's consumer key and secret sign media requests (X's direct-message media);
    // a Meta app's secret never leaves for a download.
    let (consumer_key, consumer_secret) = match credentials.app {
        Some(app) if app.network == AppNetwork::X => (&*app.consumer_key, &*app.app_secret),
        _ => ("", ""),
    };
    let request = FetchRequest {
        network: profile.network,
        url,
        access_token: &profile.access_token,
        token_secret: &profile.token_secret,
        consumer_key,
        consumer_secret,
        max_bytes: config.max_bytes,
    };
    match source.fetch(request).await {
        Fetched::Bytes {
            bytes,
            content_type,
        } => {
            let key = object_key(media);
            let mime = content_type.unwrap_or_else(|| "application/octet-stream".into());
            let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
            match media_store.put(&key, bytes, &mime).await {
                Ok(()) => DownloadResult::Stored {
                    object_key: key,
                    mime,
                    size,
                },
                Err(error) => {
                    tracing::warn!(media = media.id.0, %error, "a download could not be kept");
                    DownloadResult::Failed(error.to_string())
                }
            }
        }
        Fetched::TooLarge { size } => DownloadResult::GaveUp(match size {
            Some(size) => format!(
                "{} MiB is larger than the {} MiB kept",
                mib(size),
                mib(config.max_bytes)
            ),
            None => format!("larger than the {} MiB kept", mib(config.max_bytes)),
        }),
        Fetched::Refused(why) | Fetched::Gone(why) => DownloadResult::GaveUp(why),
        Fetched::Temporary(why) => DownloadResult::Failed(why),
    }
}

impl App {
    /// Saves what a download came to, and the message's attachment when it is settled.
    async fn save_download(
        &self,
        mut media: Media,
        result: DownloadResult,
    ) -> AppResult<MediaState> {
        let now: Timestamp = self.now();
        media.record_download(result, now);
        let mut tx = self.store().begin().await?;
        tx.save_media(&media).await?;
        if media.state != MediaState::Pending {
            if let Some((message_id, position)) = media.message {
                if let Some(mut message) = tx.message(message_id).await? {
                    let index = usize::try_from(position).unwrap_or(usize::MAX);
                    if let Some(attachment) = message.attachments.get_mut(index) {
                        attachment.state = media.state;
                        attachment.media_id = Some(media.id);
                        if media.mime.is_some() {
                            attachment.mime.clone_from(&media.mime);
                        }
                        tx.set_message_attachments(message.id, &message.attachments)
                            .await?;
                    }
                    let kind = EventKind::AttachmentKept {
                        message_id,
                        kept: media.state == MediaState::Stored,
                    };
                    let holders: Vec<CaseId> = tx
                        .cases_holding(message_id)
                        .await?
                        .iter()
                        .map(|c| c.id)
                        .collect();
                    tx.insert_events(&Event::on_cases_or_log(&holders, now, kind))
                        .await?;
                }
            }
            crate::lookups::avatar_kept(tx.as_mut(), &media, now).await?;
        }
        tx.commit().await?;
        Ok(media.state)
    }
}
