//! What follows one attempt to send a reply (PRODUCT.md §5): the outcomes a network call can
//! have, the retry schedule (exponential backoff with jitter), and how each outcome moves the
//! reply's delivery state. Sending is at most once: a reply whose call may have reached the
//! network is never sent again by the machine; only its echo or a person decides.

use std::time::Duration;

use crate::message::{Author, Delivery, Message};
use crate::time::Timestamp;

/// What came of one network call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// The network accepted it and named it.
    Sent {
        /// The network's id of the posted message.
        network_id: String,
    },
    /// The network certainly did not post it and asks us to come back (5xx, rate limits, a
    /// connection that never opened).
    Transient {
        /// The network's words.
        reason: String,
        /// When the network says to come back, if it does.
        retry_after: Option<Duration>,
    },
    /// The network refused it for good (permissions, invalid target, window closed, …).
    Permanent {
        /// The network's words.
        reason: String,
    },
    /// The network refused the profile's token: the reply failed and the profile needs a new
    /// token.
    TokenRejected {
        /// The network's words.
        reason: String,
    },
    /// The request may have reached the network but no answer came: only its echo can tell.
    InDoubt {
        /// What happened.
        reason: String,
    },
}

/// Attempts before a reply that keeps meeting transient errors is marked failed.
pub const MAX_SEND_ATTEMPTS: u32 = 8;
/// The wait after the first transient error; it doubles with each attempt.
pub const FIRST_RETRY_DELAY: Duration = Duration::from_secs(5);
/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(15 * 60);

/// The wait after `attempts` attempts (1 = the first failed): exponential, capped, and spread
/// over [50 %, 100 %] of the step by `jitter` (a random number in [0, 1)) so that replies failing
/// together do not come back together; never shorter than what the network asked.
pub fn retry_delay(attempts: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    let step = FIRST_RETRY_DELAY
        .saturating_mul(1u32 << doublings)
        .min(MAX_RETRY_DELAY);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let spread = step.mul_f64(0.5 + jitter / 2.0);
    spread.max(retry_after.unwrap_or_default().min(MAX_RETRY_DELAY))
}

/// Where a reply goes after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterAttempt {
    /// Posted: remember the network's id; the outbox row goes.
    Sent {
        /// The network's id.
        network_id: String,
    },
    /// Back in the queue until `at`.
    RetryAt {
        /// When to try again.
        at: Timestamp,
        /// Why the last attempt did not go through.
        reason: String,
    },
    /// Failed for good (a person may retry or cancel).
    Failed {
        /// The network's words.
        reason: String,
        /// The profile's token was refused.
        token_rejected: bool,
    },
    /// Still `sending`: the echo may confirm it; past the in-doubt window it becomes
    /// `delivery_unknown`.
    AwaitEcho {
        /// What happened.
        reason: String,
    },
}

/// Decides what follows an attempt; `attempts` counts this one.
pub fn after_attempt(
    outcome: SendOutcome,
    attempts: u32,
    now: Timestamp,
    jitter: f64,
) -> AfterAttempt {
    match outcome {
        SendOutcome::Sent { network_id } => AfterAttempt::Sent { network_id },
        SendOutcome::Transient {
            reason,
            retry_after,
        } => {
            if attempts >= MAX_SEND_ATTEMPTS {
                AfterAttempt::Failed {
                    reason: format!("gave up after {attempts} attempts: {reason}"),
                    token_rejected: false,
                }
            } else {
                let wait = retry_delay(attempts, jitter, retry_after);
                let micros = i64::try_from(wait.as_micros()).unwrap_or(i64::MAX);
                AfterAttempt::RetryAt {
                    at: Timestamp(now.0.saturating_add(micros)),
                    reason,
                }
            }
        }
        SendOutcome::Permanent { reason } => AfterAttempt::Failed {
            reason,
            token_rejected: false,
        },
        SendOutcome::TokenRejected { reason } => AfterAttempt::Failed {
            reason,
            token_rejected: true,
        },
        SendOutcome::InDoubt { reason } => AfterAttempt::AwaitEcho { reason },
    }
}

/// Applies the decision to the reply.
pub fn record_attempt(reply: &mut Message, after: &AfterAttempt) {
    match after {
        AfterAttempt::Sent { network_id } => {
            if reply.network_id.is_none() {
                reply.network_id = Some(network_id.clone());
            }
            reply.delivery = Some(Delivery::Sent);
            reply.error = None;
        }
        AfterAttempt::RetryAt { reason, .. } => {
            reply.delivery = Some(Delivery::Queued);
            reply.error = Some(format!("will retry: {reason}"));
        }
        AfterAttempt::Failed { reason, .. } => {
            reply.delivery = Some(Delivery::Failed);
            reply.error = Some(reason.clone());
        }
        AfterAttempt::AwaitEcho { reason } => {
            reply.error = Some(reason.clone());
        }
    }
}

/// A send is about to start: the reply is `sending`, committed before the call.
pub fn start_sending(reply: &mut Message) {
    reply.delivery = Some(Delivery::Sending);
}

/// No answer and no echo within the in-doubt window: a person decides.
pub fn mark_unknown(reply: &mut Message) {
    reply.delivery = Some(Delivery::DeliveryUnknown);
    reply.error = Some(
        "the network did not answer and no echo arrived; check the network before sending again"
            .into(),
    );
}

/// The network accepted the reply, but its id already names another stored message (an echo
/// stored before the answer came): the reply is sent and keeps no network id.
pub fn mark_sent_under_another_id(reply: &mut Message) {
    reply.delivery = Some(Delivery::Sent);
    reply.error = None;
}

/// True when a brand echo with this text may confirm `reply`: a brand reply of ours that the
/// network has not named yet, with the same text.
pub fn echo_confirms(reply: &Message, echo_text: &str) -> bool {
    reply.author == Author::Brand
        && reply.sent_by.is_some()
        && reply.network_id.is_none()
        && reply.delivery.is_some_and(|d| d != Delivery::Sent)
        && reply.text.trim() == echo_text.trim()
}

/// The network's echo names the reply: it is sent.
pub fn confirm_by_echo(reply: &mut Message, network_id: &str) {
    reply.network_id = Some(network_id.to_owned());
    reply.delivery = Some(Delivery::Sent);
    reply.error = None;
}
