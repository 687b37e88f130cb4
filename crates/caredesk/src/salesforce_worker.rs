//! The Salesforce background work of a node: status syncs sent as soon as they are due (polled
//! every few seconds), and Salesforce's own statuses read at the configured interval. Every node
//! runs it; the store's claims keep two nodes from doing the same row.

use std::time::Duration;

use caredesk_app::App;

/// How often the sync queue is looked at.
const SYNC_POLL: Duration = Duration::from_secs(2);
/// How often the pull looks for links due to be read (each link is read once per interval).
const PULL_POLL: Duration = Duration::from_secs(10);

/// Runs until the process ends.
pub async fn salesforce_forever(app: App) {
    let mut sync_tick = tokio::time::interval(SYNC_POLL);
    let mut pull_tick = tokio::time::interval(PULL_POLL);
    loop {
        tokio::select! {
            _ = sync_tick.tick() => loop {
                match app.sync_salesforce().await {
                    Ok(pass) if pass.claimed > 0 => {
                        tracing::debug!(?pass, "salesforce sync pass");
                        continue;
                    }
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(%error, "salesforce sync pass failed; retrying shortly");
                        break;
                    }
                }
            },
            _ = pull_tick.tick() => match app.pull_salesforce().await {
                Ok(pass) if pass.changed > 0 => {
                    tracing::info!(read = pass.read, changed = pass.changed, "salesforce statuses read");
                }
                Ok(_) => {}
                Err(error) => tracing::debug!(%error, "salesforce status read skipped"),
            },
        }
    }
}
