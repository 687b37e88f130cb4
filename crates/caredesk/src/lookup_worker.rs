//! Asking the networks who customers are, in the background: passes of
//! [`App::look_up_customers`] one after another while they find work, else one every few seconds.
//! The rows are the truth: a pass lost with the process is taken again by this node or another
//! once its lease runs out. The pictures the answers point at are kept by the media worker.

use std::sync::Arc;
use std::time::Duration;

use caredesk_app::lookups::{LookupConfig, PersonSource};
use caredesk_app::App;

/// How often the worker looks for due look-ups when the last pass found none.
const LOOKUP_POLL: Duration = Duration::from_secs(2);

/// Looks up due customers until the process ends.
pub async fn look_up_customers_forever(
    app: App,
    source: Arc<dyn PersonSource>,
    config: LookupConfig,
) {
    loop {
        match app.look_up_customers(source.as_ref(), config).await {
            Ok(pass) if pass.claimed > 0 => {
                tracing::info!(
                    found = pass.found,
                    gave_up = pass.gave_up,
                    retrying = pass.retrying,
                    "customer look-ups"
                );
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "customer look-ups failed; retrying shortly"),
        }
        tokio::time::sleep(LOOKUP_POLL).await;
    }
}
