//! Looking up mentions in the background: passes of [`App::look_up_mentions`] one after another
//! while they find work, else one every few seconds. The rows are the truth: a pass lost with
//! the process is taken again by this node or another once its lease runs out.

use std::sync::Arc;
use std::time::Duration;

use caredesk_app::mentions::MentionSource;
use caredesk_app::App;

/// How often the worker looks for mentions when the last pass found none.
const MENTION_POLL: Duration = Duration::from_secs(3);

/// Looks up due mentions until the process ends.
pub async fn look_up_mentions_forever(app: App, source: Arc<dyn MentionSource>) {
    loop {
        match app.look_up_mentions(source.as_ref()).await {
            Ok(pass) if pass.claimed > 0 => {
                tracing::info!(
                    filed = pass.filed,
                    dropped = pass.dropped,
                    retrying = pass.retrying,
                    "mention look-ups"
                );
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "mention look-ups failed; retrying shortly"),
        }
        tokio::time::sleep(MENTION_POLL).await;
    }
}
