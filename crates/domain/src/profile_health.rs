//! Whether a profile is healthy: customers are being ignored when the network refuses its token,
//! when its webhooks fall silent, or when replies pile up or wait for a person. The UI warns
//! from this before anyone notices.

use serde::Serialize;

use crate::time::Timestamp;

/// When a profile counts as unhealthy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthThresholds {
    /// No webhook for this long is a warning.
    pub webhook_silence_secs: i64,
    /// A reply waiting this long to be sent is a warning.
    pub backlog_secs: i64,
}

impl Default for HealthThresholds {
    fn default() -> Self {
        HealthThresholds {
            webhook_silence_secs: 6 * 3600,
            backlog_secs: 10 * 60,
        }
    }
}

/// What is known about a profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthSignals {
    /// When the network last refused its token, with its words (cleared by a successful send
    /// or a new token).
    pub token_rejected: Option<(Timestamp, String)>,
    /// When a webhook for it last arrived.
    pub last_webhook_at: Option<Timestamp>,
    /// Replies queued or being sent.
    pub replies_waiting: i64,
    /// When the oldest of them was queued.
    pub oldest_waiting_since: Option<Timestamp>,
    /// Failed replies and replies whose delivery is unknown.
    pub replies_stuck: i64,
}

/// One reason a profile is unhealthy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HealthProblem {
    /// The network refused the access token: nothing can be sent until it is replaced.
    TokenRejected {
        /// Since when.
        since: Timestamp,
        /// The network's words.
        error: String,
    },
    /// No webhook arrived for longer than the threshold (or ever).
    WebhooksSilent {
        /// The last one, if any.
        last_webhook_at: Option<Timestamp>,
    },
    /// Replies have waited to be sent for longer than the threshold.
    RepliesPilingUp {
        /// How many wait.
        waiting: i64,
        /// Since when the oldest waits.
        oldest_waiting_since: Timestamp,
    },
    /// Replies failed or may not have arrived; a person has to retry or cancel them.
    RepliesNeedAttention {
        /// How many.
        count: i64,
    },
}

impl HealthProblem {
    /// A sentence for people.
    pub fn describe(&self) -> String {
        match self {
            HealthProblem::TokenRejected { error, .. } => {
                format!("the network refused the access token: {error}")
            }
            HealthProblem::WebhooksSilent {
                last_webhook_at: Some(at),
            } => format!("no webhook since {at}"),
            HealthProblem::WebhooksSilent {
                last_webhook_at: None,
            } => "no webhook has arrived yet".into(),
            HealthProblem::RepliesPilingUp {
                waiting,
                oldest_waiting_since,
            } => format!(
                "{waiting} replies waiting to be sent, the oldest since {oldest_waiting_since}"
            ),
            HealthProblem::RepliesNeedAttention { count } => {
                format!("{count} replies failed or may not have arrived")
            }
        }
    }
}

/// The problems of a profile at `now`; empty when it is healthy.
pub fn assess(
    signals: &HealthSignals,
    thresholds: HealthThresholds,
    now: Timestamp,
) -> Vec<HealthProblem> {
    let mut problems = Vec::new();
    if let Some((since, error)) = &signals.token_rejected {
        problems.push(HealthProblem::TokenRejected {
            since: *since,
            error: error.clone(),
        });
    }
    let silent = match signals.last_webhook_at {
        Some(at) => now.secs_since(at) > thresholds.webhook_silence_secs,
        None => true,
    };
    if silent {
        problems.push(HealthProblem::WebhooksSilent {
            last_webhook_at: signals.last_webhook_at,
        });
    }
    if let Some(oldest) = signals.oldest_waiting_since {
        if signals.replies_waiting > 0 && now.secs_since(oldest) > thresholds.backlog_secs {
            problems.push(HealthProblem::RepliesPilingUp {
                waiting: signals.replies_waiting,
                oldest_waiting_since: oldest,
            });
        }
    }
    if signals.replies_stuck > 0 {
        problems.push(HealthProblem::RepliesNeedAttention {
            count: signals.replies_stuck,
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::t;

    fn healthy() -> HealthSignals {
        HealthSignals {
            last_webhook_at: Some(t(9_000)),
            ..HealthSignals::default()
        }
    }

    #[test]
    fn each_signal_raises_its_problem() {
        let th = HealthThresholds {
            webhook_silence_secs: 3_600,
            backlog_secs: 600,
        };
        let now = t(10_000);
        let table: Vec<(&str, HealthSignals, Vec<&str>)> = vec![
            ("healthy", healthy(), vec![]),
            (
                "token refused",
                HealthSignals {
                    token_rejected: Some((t(9_500), "(#190) expired".into())),
                    ..healthy()
                },
                vec!["token_rejected"],
            ),
            (
                "never heard from",
                HealthSignals {
                    last_webhook_at: None,
                    ..healthy()
                },
                vec!["webhooks_silent"],
            ),
            (
                "silent just under the threshold",
                HealthSignals {
                    last_webhook_at: Some(t(10_000 - 3_600)),
                    ..healthy()
                },
                vec![],
            ),
            (
                "silent past the threshold",
                HealthSignals {
                    last_webhook_at: Some(t(10_000 - 3_601)),
                    ..healthy()
                },
                vec!["webhooks_silent"],
            ),
            (
                "replies waiting briefly",
                HealthSignals {
                    replies_waiting: 3,
                    oldest_waiting_since: Some(t(9_700)),
                    ..healthy()
                },
                vec![],
            ),
            (
                "replies piling up",
                HealthSignals {
                    replies_waiting: 3,
                    oldest_waiting_since: Some(t(9_000)),
                    ..healthy()
                },
                vec!["replies_piling_up"],
            ),
            (
                "replies stuck",
                HealthSignals {
                    replies_stuck: 2,
                    ..healthy()
                },
                vec!["replies_need_attention"],
            ),
        ];
        for (name, signals, expected) in table {
            let kinds: Vec<String> = assess(&signals, th, now)
                .iter()
                .map(|p| {
                    serde_json::to_value(p).expect("json")["kind"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect();
            assert_eq!(kinds, expected, "{name}");
        }
    }

    #[test]
    fn problems_read_as_sentences() {
        let p = HealthProblem::RepliesNeedAttention { count: 2 };
        assert_eq!(p.describe(), "2 replies failed or may not have arrived");
        let p = HealthProblem::WebhooksSilent {
            last_webhook_at: None,
        };
        assert_eq!(p.describe(), "no webhook has arrived yet");
    }
}
