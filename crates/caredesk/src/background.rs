//! The background work of a `serve` process, after the commits that cause it: keeping network
//! media, asking the networks who customers are, and looking up mentions announced by ids. Each
//! runs passes one after another while they find work, else one every few seconds. Housekeeping
//! removes ended sessions and spent sign-in failures every few minutes. The rows are
//! the truth: a pass lost with the process is taken again by this node or another once its
//! lease runs out.

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use caredesk_app::lookups::{LookupConfig, LookupPass, PersonSource};
use caredesk_app::media::{DownloadConfig, DownloadPass, MediaSource};
use caredesk_app::mentions::{MentionPass, MentionSource};
use caredesk_app::{App, AppResult, HousekeepingReport};

/// How often a worker looks for work when its last pass found none.
const POLL: Duration = Duration::from_secs(2);

/// How often housekeeping runs.
const HOUSEKEEPING_INTERVAL: Duration = Duration::from_secs(600);

/// What a pass reports: how many rows it claimed or moved on (none: wait before the next one).
trait Pass: Debug {
    fn claimed(&self) -> usize;
}

impl Pass for DownloadPass {
    fn claimed(&self) -> usize {
        self.claimed
    }
}

impl Pass for LookupPass {
    fn claimed(&self) -> usize {
        self.promoted + self.claimed
    }
}

impl Pass for MentionPass {
    fn claimed(&self) -> usize {
        self.claimed
    }
}

/// Runs `pass` until the process ends, logging what each one that found work did.
async fn repeat<P, F, Fut>(work: &'static str, mut pass: F)
where
    P: Pass,
    F: FnMut() -> Fut,
    Fut: Future<Output = AppResult<P>>,
{
    loop {
        match pass().await {
            Ok(done) if done.claimed() > 0 => {
                tracing::info!(pass = ?done, "{work}");
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "{work} failed; retrying shortly"),
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Downloads due media until the process ends.
pub async fn download_media_forever(
    app: App,
    source: Arc<dyn MediaSource>,
    config: DownloadConfig,
) {
    repeat("media downloads", || {
        app.download_media(source.as_ref(), config)
    })
    .await;
}

/// Looks up due customers until the process ends; the pictures their answers point at are kept
/// by the media downloads.
pub async fn look_up_customers_forever(
    app: App,
    source: Arc<dyn PersonSource>,
    config: LookupConfig,
) {
    repeat("customer look-ups", || {
        app.look_up_customers(source.as_ref(), config)
    })
    .await;
}

/// Looks up due mentions until the process ends.
pub async fn look_up_mentions_forever(app: App, source: Arc<dyn MentionSource>) {
    repeat("mention look-ups", || app.look_up_mentions(source.as_ref())).await;
}

/// Removes ended sessions and spent sign-in failures every [`HOUSEKEEPING_INTERVAL`] until the
/// process ends.
pub async fn housekeep_forever(app: App) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_INTERVAL);
    loop {
        tick.tick().await;
        match app.housekeep().await {
            Ok(report) if report != HousekeepingReport::default() => {
                tracing::info!(?report, "housekeeping removed what was over")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "housekeeping failed; retrying at the next tick"),
        }
    }
}
