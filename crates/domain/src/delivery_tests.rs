//! Tests of what follows a send attempt: the retry schedule, each outcome's next state, and
//! which echoes confirm which replies.

use std::time::Duration;

use proptest::prelude::*;

use crate::delivery::*;
use crate::message::{Author, Delivery, Message};
use crate::testkit::{message, t};
use crate::UserId;

fn reply(delivery: Delivery) -> Message {
    let mut m = message(9).no_network_id().build();
    m.author = Author::Brand;
    m.sent_by = Some(UserId(1));
    m.text = "We have sent a new parcel".into();
    m.delivery = Some(delivery);
    m
}

fn transient(retry_after: Option<Duration>) -> SendOutcome {
    SendOutcome::Transient {
        reason: "(#4) Application request limit reached".into(),
        retry_after,
    }
}

#[test]
fn each_outcome_leads_to_its_state() {
    let now = t(1_000);
    let table: Vec<(SendOutcome, u32, Delivery)> = vec![
        // (outcome, attempts including this one, delivery after)
        (
            SendOutcome::Sent {
                network_id: "m_1".into(),
            },
            1,
            Delivery::Sent,
        ),
        (transient(None), 1, Delivery::Queued),
        (transient(None), MAX_SEND_ATTEMPTS - 1, Delivery::Queued),
        (transient(None), MAX_SEND_ATTEMPTS, Delivery::Failed),
        (
            SendOutcome::Permanent {
                reason: "(#100) Invalid parameter".into(),
            },
            1,
            Delivery::Failed,
        ),
        (
            SendOutcome::TokenRejected {
                reason: "(#190) Session has expired".into(),
            },
            1,
            Delivery::Failed,
        ),
        (
            SendOutcome::InDoubt {
                reason: "connection dropped".into(),
            },
            1,
            Delivery::Sending,
        ),
    ];
    for (outcome, attempts, expected) in table {
        let mut m = reply(Delivery::Sending);
        let after = after_attempt(outcome.clone(), attempts, now, 0.5);
        record_attempt(&mut m, &after);
        assert_eq!(m.delivery, Some(expected), "{outcome:?} after {attempts}");
        match expected {
            Delivery::Sent => {
                assert_eq!(m.network_id.as_deref(), Some("m_1"));
                assert_eq!(m.error, None);
            }
            _ => assert!(m.error.is_some(), "{outcome:?} keeps the network's words"),
        }
    }
}

#[test]
fn a_rejected_token_is_reported_for_the_profile() {
    let after = after_attempt(
        SendOutcome::TokenRejected {
            reason: "expired".into(),
        },
        1,
        t(0),
        0.0,
    );
    assert!(matches!(
        after,
        AfterAttempt::Failed {
            token_rejected: true,
            ..
        }
    ));
    let after = after_attempt(
        SendOutcome::Permanent {
            reason: "no".into(),
        },
        1,
        t(0),
        0.0,
    );
    assert!(matches!(
        after,
        AfterAttempt::Failed {
            token_rejected: false,
            ..
        }
    ));
}

#[test]
fn the_failure_after_the_last_attempt_names_the_count_and_the_reason() {
    let after = after_attempt(transient(None), MAX_SEND_ATTEMPTS, t(0), 0.0);
    let AfterAttempt::Failed { reason, .. } = after else {
        panic!("expected failed, got {after:?}");
    };
    assert!(reason.contains(&MAX_SEND_ATTEMPTS.to_string()));
    assert!(reason.contains("Application request limit reached"));
}

#[test]
fn retries_back_off_exponentially_within_bounds() {
    let table = [
        (1, 0.0, Duration::from_millis(2_500)),
        (1, 1.0, Duration::from_secs(5)),
        (2, 1.0, Duration::from_secs(10)),
        (3, 1.0, Duration::from_secs(20)),
        (30, 1.0, MAX_RETRY_DELAY),
        (30, 0.0, MAX_RETRY_DELAY / 2),
    ];
    for (attempts, jitter, expected) in table {
        assert_eq!(
            retry_delay(attempts, jitter, None),
            expected,
            "{attempts} {jitter}"
        );
    }
}

#[test]
fn the_network_s_retry_after_is_honoured_up_to_the_cap() {
    assert_eq!(
        retry_delay(1, 0.0, Some(Duration::from_secs(60))),
        Duration::from_secs(60)
    );
    assert_eq!(
        retry_delay(1, 0.0, Some(Duration::from_secs(86_400))),
        MAX_RETRY_DELAY
    );
    let after = after_attempt(transient(Some(Duration::from_secs(60))), 1, t(100), 0.0);
    assert_eq!(
        after,
        AfterAttempt::RetryAt {
            at: t(160),
            reason: "(#4) Application request limit reached".into()
        }
    );
}

proptest! {
    #[test]
    fn the_delay_is_always_between_half_a_step_and_the_cap(attempts in 0u32..100, jitter in proptest::num::f64::ANY) {
        let d = retry_delay(attempts, jitter, None);
        prop_assert!(d >= FIRST_RETRY_DELAY / 2);
        prop_assert!(d <= MAX_RETRY_DELAY);
    }
}

#[test]
fn echoes_confirm_only_our_unnamed_replies_with_the_same_text() {
    let ours = reply(Delivery::Sending);
    assert!(echo_confirms(&ours, "We have sent a new parcel"));
    assert!(echo_confirms(&ours, "  We have sent a new parcel\n"));
    assert!(!echo_confirms(&ours, "Something else"));
    for delivery in [
        Delivery::Queued,
        Delivery::Failed,
        Delivery::DeliveryUnknown,
        Delivery::Cancelled,
    ] {
        assert!(
            echo_confirms(&reply(delivery), "We have sent a new parcel"),
            "{delivery:?}"
        );
    }
    assert!(!echo_confirms(
        &reply(Delivery::Sent),
        "We have sent a new parcel"
    ));
    let mut named = reply(Delivery::Sending);
    named.network_id = Some("m_1".into());
    assert!(!echo_confirms(&named, "We have sent a new parcel"));
    let mut customer = reply(Delivery::Sending);
    customer.author = Author::Customer;
    assert!(!echo_confirms(&customer, "We have sent a new parcel"));
}

#[test]
fn a_confirmed_reply_is_sent_with_the_echo_s_id() {
    let mut m = reply(Delivery::DeliveryUnknown);
    confirm_by_echo(&mut m, "m_77");
    assert_eq!(m.delivery, Some(Delivery::Sent));
    assert_eq!(m.network_id.as_deref(), Some("m_77"));
    assert_eq!(m.error, None);
}

#[test]
fn an_unanswered_send_becomes_unknown_with_an_explanation() {
    let mut m = reply(Delivery::Sending);
    mark_unknown(&mut m);
    assert_eq!(m.delivery, Some(Delivery::DeliveryUnknown));
    assert!(m.error.as_deref().is_some_and(|e| e.contains("echo")));
}
