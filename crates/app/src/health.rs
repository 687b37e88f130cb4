//! Profile health for the profiles API and the UI's banner: the store's signals judged by the
//! domain's thresholds (`profile_health`).

use caredesk_domain::profile_health::{assess, HealthProblem, HealthSignals, HealthThresholds};
use caredesk_domain::ProfileId;

use crate::error::AppResult;
use crate::App;

/// A profile's health at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileHealth {
    /// The profile.
    pub profile_id: ProfileId,
    /// What is known.
    pub signals: HealthSignals,
    /// What is wrong; empty when healthy.
    pub problems: Vec<HealthProblem>,
}

impl App {
    /// The same use cases with these health thresholds.
    pub fn with_health_thresholds(mut self, thresholds: HealthThresholds) -> Self {
        self.health = thresholds;
        self
    }

    /// The health of every profile, by profile id.
    pub async fn profile_health(&self) -> AppResult<Vec<ProfileHealth>> {
        let now = self.now();
        let all = self.store.profile_signals().await?;
        Ok(all
            .into_iter()
            .map(|s| {
                let signals = HealthSignals {
                    token_rejected: s
                        .token_rejected_at
                        .map(|at| (at, s.token_error.unwrap_or_default())),
                    last_webhook_at: s.last_webhook_at,
                    replies_waiting: s.replies_waiting,
                    oldest_waiting_since: s.oldest_waiting_since,
                    replies_stuck: s.replies_stuck,
                };
                ProfileHealth {
                    profile_id: s.profile_id,
                    problems: assess(&signals, self.health, now),
                    signals,
                }
            })
            .collect())
    }
}
