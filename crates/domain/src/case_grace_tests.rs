//! PRODUCT.md §3: Done and the grace period, customer messages, spam and reopen.

use super::*;
use crate::testkit::*;

const HOUR: i64 = 3_600;

fn done_by_agent(now: Timestamp, grace: i64) -> Case {
    let mut c = case().open_for(&agent()).build();
    c.set_status(act(&agent(), now), CaseStatus::Done, &[], grace)
        .unwrap();
    c
}

#[test]
fn marking_done_starts_the_grace_period_from_the_setting() {
    let c = done_by_agent(t(10), HOUR);
    assert_eq!(c.grace_until, Some(t(10 + HOUR)));
    assert!(c.holds_active_slot);
    assert!(
        c.is_active_at(t(10 + HOUR - 1)),
        "inside the grace period the case is active"
    );
    assert!(
        !c.is_active_at(t(10 + HOUR)),
        "the end of the grace period is outside it"
    );
}

#[test]
fn grace_period_zero_is_final_at_once() {
    let mut c = done_by_agent(t(10), 0);
    assert!(!c.holds_active_slot);
    assert!(!c.is_active_at(t(10)));
    assert_eq!(
        c.expire_grace_if_due(t(10)),
        None,
        "nothing is left to expire"
    );
}

#[test]
fn spam_closes_at_once_without_a_grace_period() {
    let mut c = case().open_for(&agent()).build();
    c.set_status(act(&agent(), t(10)), CaseStatus::Spam, &[], HOUR)
        .unwrap();
    assert_eq!((c.grace_until, c.holds_active_slot), (None, false));
    assert!(!c.is_active_at(t(10)));
}

#[test]
fn a_case_is_active_while_in_progress_or_done_inside_its_grace_period() {
    let until = t(100);
    let table = [
        (case().status(CaseStatus::New).build(), t(50), true),
        (case().status(CaseStatus::Open).build(), t(50), true),
        (case().status(CaseStatus::Pending).build(), t(50), true),
        (case().status(CaseStatus::OnHold).build(), t(50), true),
        (case().done_until(until).build(), t(99), true),
        (case().done_until(until).build(), until, false),
        (case().done_until(until).build(), t(5_000), false),
        (case().status(CaseStatus::Spam).build(), t(50), false),
        (
            case().status(CaseStatus::Open).deleted().build(),
            t(50),
            false,
        ),
    ];
    for (c, at, active) in table {
        assert_eq!(c.is_active_at(at), active, "{} at {at}", c.status);
    }
}

#[test]
fn grace_expiry_is_recorded_once_dated_grace_until_and_leaves_the_version_alone() {
    let mut c = done_by_agent(t(10), HOUR);
    let version = c.version;
    assert_eq!(c.expire_grace_if_due(t(10 + HOUR - 1)), None);
    assert!(c.holds_active_slot);
    // Due exactly at the end of the grace period.
    let mut on_time = c.clone();
    let expired = on_time.expire_grace_if_due(t(10 + HOUR));
    assert_eq!(expired, Some((t(10 + HOUR), EventKind::GraceExpired)));
    // The sweep runs late; the event is still dated at the end of the grace period.
    let swept = c.expire_grace_if_due(t(10 + 3 * HOUR));
    assert_eq!(swept, Some((t(10 + HOUR), EventKind::GraceExpired)));
    assert_eq!(
        (c.holds_active_slot, c.status, c.version),
        (false, CaseStatus::Done, version)
    );
    assert_eq!(
        c.expire_grace_if_due(t(10 + 4 * HOUR)),
        None,
        "expired only once"
    );
}

#[test]
fn only_done_cases_expire() {
    for status in [
        CaseStatus::New,
        CaseStatus::Open,
        CaseStatus::Pending,
        CaseStatus::Spam,
    ] {
        let mut c = case().status(status).build();
        let before = c.clone();
        assert_eq!(c.expire_grace_if_due(t(1_000_000)), None, "{status}");
        assert_eq!(c, before);
    }
}

#[test]
fn customer_message_inside_grace_reopens_to_open_with_active_assignee_else_new() {
    let table = [
        (Some(agent()), true, CaseStatus::Open, Some(agent().id)),
        (Some(agent()), false, CaseStatus::New, None),
        (None, true, CaseStatus::New, None),
    ];
    for (assignee, assignee_active, to, keeps) in table {
        let mut c = case().done_until(t(100)).build();
        c.assignee_id = assignee.as_ref().map(|u| u.id);
        let version = c.version;
        let events = c.receive_customer_message(MessageId(9), t(99), assignee_active);
        let received = EventKind::MessageReceived {
            message_id: MessageId(9),
        };
        let reopened = EventKind::AutoReopened {
            message_id: MessageId(9),
            to,
        };
        // (Dropping a deactivated assignee may be recorded too; that part is not pinned here.)
        assert_eq!(
            events[..2],
            [received, reopened],
            "{assignee:?} active={assignee_active}"
        );
        if c.assignee_id == assignee.as_ref().map(|u| u.id) {
            assert_eq!(events.len(), 2);
        }
        assert_eq!(
            (c.status, c.assignee_id),
            (to, keeps),
            "{assignee:?} active={assignee_active}"
        );
        assert_eq!((c.grace_until, c.holds_active_slot), (None, true));
        assert_eq!(c.version, version + 1);
        assert_eq!(c.last_customer_message_at, Some(t(99)));
    }
}

#[test]
fn customer_message_on_pending_opens_it_and_other_in_progress_statuses_stay() {
    let table = [
        (CaseStatus::Pending, CaseStatus::Open),
        (CaseStatus::New, CaseStatus::New),
        (CaseStatus::Open, CaseStatus::Open),
        (CaseStatus::OnHold, CaseStatus::OnHold),
    ];
    for (from, to) in table {
        let mut c = case().status(from).build();
        let events = c.receive_customer_message(MessageId(9), t(5), true);
        let mut want = vec![EventKind::MessageReceived {
            message_id: MessageId(9),
        }];
        if from != to {
            want.push(EventKind::StatusChanged { from, to });
        }
        assert_eq!(events, want, "{from}");
        assert_eq!(c.status, to);
    }
}

#[test]
fn nothing_reopens_a_spam_case_automatically() {
    let spam = case()
        .number(3)
        .status(CaseStatus::Spam)
        .assignee(&agent())
        .build();
    let mut by_message = spam.clone();
    by_message.receive_customer_message(MessageId(9), t(5), true);
    let mut by_escalation = spam.clone();
    by_escalation.append_escalation(MessageId(9), t(5), "again", true);
    for c in [by_message, by_escalation] {
        assert_eq!(
            (c.status, c.assignee_id),
            (CaseStatus::Spam, spam.assignee_id)
        );
        assert_eq!((c.grace_until, c.holds_active_slot), (None, false));
        assert!(!c.is_active_at(t(5)));
    }
}

#[test]
fn the_last_customer_message_time_only_moves_forward() {
    let mut c = case().status(CaseStatus::Open).build();
    c.receive_customer_message(MessageId(2), t(50), true);
    c.receive_customer_message(MessageId(3), t(20), true);
    assert_eq!(c.last_customer_message_at, Some(t(50)));
}

#[test]
fn done_or_spam_reopens_to_open_clearing_grace_and_taking_the_slot() {
    let closed = [done_by_agent(t(10), HOUR), {
        let mut spam = case().open_for(&agent()).build();
        spam.set_status(act(&agent(), t(10)), CaseStatus::Spam, &[], HOUR)
            .unwrap();
        spam
    }];
    for mut c in closed {
        let from = c.status;
        let version = c.version;
        let events = c.reopen(act(&agent(), t(20 + 2 * HOUR)), None).unwrap();
        assert_eq!(events, vec![EventKind::Reopened { from }]);
        assert_eq!(
            (c.status, c.grace_until, c.holds_active_slot),
            (CaseStatus::Open, None, true)
        );
        assert_eq!(c.version, version + 1);
        assert!(c.is_active_at(t(1_000_000)));
    }
}

#[test]
fn reopen_refused_when_newer_case_exists() {
    let mut c = case().status(CaseStatus::Spam).assignee(&agent()).build();
    let before = c.clone();
    let got = c.reopen(act(&agent(), t(10)), Some(7));
    assert_eq!(got, Err(Refusal::NewerCaseExists { case_number: 7 }));
    assert_eq!(got.unwrap_err().code(), "newer_case_exists");
    assert_eq!(c, before);
}

#[test]
fn reopening_a_case_in_progress_is_a_conflict() {
    for status in [CaseStatus::Open, CaseStatus::Pending, CaseStatus::OnHold] {
        let mut c = case().status(status).assignee(&agent()).build();
        let got = c.reopen(act(&agent(), t(10)), None);
        assert_eq!(got.map_err(|r| r.code()), Err("conflict"), "{status}");
    }
}

#[test]
fn only_the_assignee_may_reopen_and_anyone_who_may_assign_takes_the_case_first() {
    let mut c = case().done_until(t(5)).assignee(&colleague()).build();
    assert_eq!(
        c.reopen(act(&agent(), t(10)), None),
        Err(Refusal::NotAssignee)
    );
    assert_eq!(
        c.reopen(act(&supervisor(), t(10)), None),
        Err(Refusal::NotAssignee)
    );
    c.assign(act(&agent(), t(11)), Some(&agent())).unwrap();
    assert_eq!(c.status, CaseStatus::Done);
    assert!(c.reopen(act(&agent(), t(12)), None).is_ok());
    assert_eq!(
        (c.status, c.assignee_id),
        (CaseStatus::Open, Some(agent().id))
    );
}
