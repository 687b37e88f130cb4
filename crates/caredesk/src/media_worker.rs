//! Keeping network media in the background: passes of [`App::download_media`] one after another
//! while they find work, else one every few seconds. The rows are the truth: a pass lost with
//! the process is taken again by this node or another once its lease runs out.

use std::sync::Arc;
use std::time::Duration;

use caredesk_app::media::{DownloadConfig, MediaSource};
use caredesk_app::App;

/// How often the worker looks for downloads when the last pass found none.
const MEDIA_POLL: Duration = Duration::from_secs(2);

/// Downloads due media until the process ends.
pub async fn download_media_forever(
    app: App,
    source: Arc<dyn MediaSource>,
    config: DownloadConfig,
) {
    loop {
        match app.download_media(source.as_ref(), config).await {
            Ok(pass) if pass.claimed > 0 => {
                tracing::info!(
                    stored = pass.stored,
                    gave_up = pass.gave_up,
                    retrying = pass.retrying,
                    "media downloads"
                );
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "media downloads failed; retrying shortly"),
        }
        tokio::time::sleep(MEDIA_POLL).await;
    }
}
