//! What operators and the networks' webhooks read, with no user behind them: whether the
//! database answers, how much work waits in the queues, and the network apps whose secrets
//! sign a platform's deliveries.

use caredesk_domain::{AppNetwork, NetworkApp};

use crate::error::AppResult;
use crate::App;

impl App {
    /// Checks the database answers (readiness).
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Replies waiting in the outbox.
    pub async fn outbox_depth(&self) -> AppResult<i64> {
        Ok(self.store.outbox_depth().await?)
    }

    /// Status syncs waiting to reach Salesforce.
    pub async fn salesforce_sync_depth(&self) -> AppResult<i64> {
        Ok(self.store.salesforce_sync_depth().await?)
    }

    /// The network apps of a platform, whose secrets check its webhooks' signatures.
    pub async fn network_apps_of(&self, network: AppNetwork) -> AppResult<Vec<NetworkApp>> {
        Ok(self
            .store
            .network_apps()
            .await?
            .into_iter()
            .filter(|a| a.network == network)
            .collect())
    }
}
