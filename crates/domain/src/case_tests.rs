//! PRODUCT.md §3: assignment, status changes and the mandatory fields that block Done.

use super::*;
use crate::case_field::FieldKind;
use crate::testkit::*;

const GRACE: i64 = 5 * 86_400;

fn changed(from: CaseStatus, to: CaseStatus) -> EventKind {
    EventKind::StatusChanged { from, to }
}

fn assigned(from: Option<&User>, to: Option<&User>) -> EventKind {
    EventKind::Assigned {
        from: from.map(|u| u.id),
        to: to.map(|u| u.id),
        automatic: false,
    }
}

#[test]
fn assigning_a_new_case_opens_it() {
    let mut c = case().build();
    let events = c.assign(act(&agent(), t(1)), Some(&agent())).unwrap();
    assert_eq!(
        events,
        vec![
            assigned(None, Some(&agent())),
            changed(CaseStatus::New, CaseStatus::Open)
        ]
    );
    assert_eq!(
        (c.status, c.assignee_id, c.version),
        (CaseStatus::Open, Some(agent().id), 2)
    );
}

#[test]
fn auto_assignment_opens_a_new_case_without_an_actor_and_leaves_any_other_alone() {
    let mut c = case().build();
    let events = c.assign_automatically(&agent());
    assert_eq!(
        events,
        vec![
            EventKind::Assigned {
                from: None,
                to: Some(agent().id),
                automatic: true,
            },
            changed(CaseStatus::New, CaseStatus::Open)
        ]
    );
    assert_eq!(
        (c.status, c.assignee_id, c.version),
        (CaseStatus::Open, Some(agent().id), 2)
    );
    let mut deleted = case().build();
    deleted.deleted = true;
    let untouched = [
        case()
            .status(CaseStatus::Open)
            .assignee(&colleague())
            .build(),
        case().open_for(&colleague()).done_until(t(100)).build(),
        case().status(CaseStatus::Spam).build(),
        deleted,
    ];
    for before in untouched {
        let mut c = before.clone();
        assert_eq!(c.assign_automatically(&agent()), vec![], "{before:?}");
        assert_eq!(c, before);
    }
}

#[test]
fn an_automatic_assignment_is_told_apart_on_the_wire() {
    let manual = serde_json::to_value(assigned(None, Some(&agent()))).unwrap();
    assert_eq!(manual.get("automatic"), None);
    let auto = EventKind::Assigned {
        from: None,
        to: Some(agent().id),
        automatic: true,
    };
    let json = serde_json::to_value(&auto).unwrap();
    assert_eq!(json["automatic"], serde_json::json!(true));
    let old: EventKind = serde_json::from_value(serde_json::json!(
        {"kind": "assigned", "from": null, "to": agent().id.0}
    ))
    .unwrap();
    assert_eq!(old, assigned(None, Some(&agent())));
}

#[test]
fn unassigning_an_open_pending_or_on_hold_case_makes_it_new() {
    for status in [CaseStatus::Open, CaseStatus::Pending, CaseStatus::OnHold] {
        let mut c = case().status(status).assignee(&agent()).build();
        let events = c.assign(act(&supervisor(), t(1)), None).unwrap();
        assert_eq!(
            events,
            vec![
                assigned(Some(&agent()), None),
                changed(status, CaseStatus::New)
            ]
        );
        assert_eq!(
            (c.status, c.assignee_id),
            (CaseStatus::New, None),
            "{status}"
        );
    }
}

#[test]
fn reassigning_and_assigning_or_unassigning_a_closed_case_keep_the_status() {
    let done = || case().open_for(&agent()).done_until(t(100)).build();
    let spam = || case().status(CaseStatus::Spam).assignee(&agent()).build();
    let cases = [
        case().status(CaseStatus::Open).assignee(&agent()).build(),
        case()
            .status(CaseStatus::Pending)
            .assignee(&agent())
            .build(),
        case().status(CaseStatus::OnHold).assignee(&agent()).build(),
        done(),
        spam(),
    ];
    for before in cases {
        let mut c = before.clone();
        let events = c
            .assign(act(&supervisor(), t(1)), Some(&colleague()))
            .unwrap();
        assert_eq!(
            events,
            vec![assigned(Some(&agent()), Some(&colleague()))],
            "{}",
            before.status
        );
        assert_eq!(c.status, before.status);
        assert_eq!(
            c.grace_until, before.grace_until,
            "reassigning leaves the grace period alone"
        );
    }
    for before in [done(), spam()] {
        let mut c = before.clone();
        assert_eq!(c.assign(act(&supervisor(), t(1)), None).unwrap().len(), 1);
        assert_eq!((c.status, c.assignee_id), (before.status, None));
        let mut unassigned = c.clone();
        unassigned
            .assign(act(&agent(), t(2)), Some(&agent()))
            .unwrap();
        assert_eq!(
            unassigned.status, before.status,
            "assigning a closed case keeps it closed"
        );
    }
}

#[test]
fn assigning_the_current_assignee_is_a_no_op_that_records_nothing() {
    let mut c = case().open_for(&agent()).build();
    let before = c.clone();
    assert_eq!(
        c.assign(act(&agent(), t(1)), Some(&agent())).unwrap(),
        vec![]
    );
    assert_eq!(c, before);
    let mut unassigned = case().build();
    let before = unassigned.clone();
    assert_eq!(
        unassigned.assign(act(&supervisor(), t(1)), None).unwrap(),
        vec![]
    );
    assert_eq!(unassigned, before);
}

#[test]
fn only_the_assignee_may_change_the_status() {
    for actor in [other_agent(), supervisor(), admin()] {
        let mut c = case().open_for(&agent()).build();
        let before = c.clone();
        let got = c.set_status(act(&actor, t(1)), CaseStatus::Done, &[], GRACE);
        assert_eq!(got, Err(Refusal::NotAssignee), "user {}", actor.id);
        assert_eq!(c, before);
    }
    // Nobody is the assignee of an unassigned case, not even a supervisor.
    let mut c = case().build();
    let got = c.set_status(act(&supervisor(), t(1)), CaseStatus::Spam, &[], GRACE);
    assert_eq!(got, Err(Refusal::NotAssignee));
}

#[test]
fn a_supervisor_who_wants_to_act_assigns_the_case_to_themselves_first() {
    let mut c = case().open_for(&agent()).build();
    c.assign(act(&supervisor(), t(1)), Some(&supervisor()))
        .unwrap();
    let events = c
        .set_status(act(&supervisor(), t(2)), CaseStatus::Spam, &[], GRACE)
        .unwrap();
    assert_eq!(events, vec![changed(CaseStatus::Open, CaseStatus::Spam)]);
}

/// What the assignee gets for each (from, to).
#[derive(Debug, PartialEq)]
enum Outcome {
    Changed,
    NoOp,
    Refused(&'static str),
}

#[test]
fn status_transitions_of_the_assignee() {
    use CaseStatus::*;
    use Outcome::*;
    let from_states = [Open, Pending, OnHold, Done, Spam];
    let expect = |from: CaseStatus, to: CaseStatus| match (from, to) {
        _ if from == to => NoOp,
        (Done, Spam) => Changed,
        (Done | Spam, _) => Refused("conflict"),
        (_, New) => Refused("validation_failed"),
        _ => Changed,
    };
    for from in from_states {
        for to in CaseStatus::ALL.iter().copied() {
            let mut c = case().open_for(&agent()).build();
            if from == Done {
                c = case().open_for(&agent()).done_until(t(500)).build();
            } else {
                c.status = from;
                c.holds_active_slot = from != Spam;
            }
            let before = c.clone();
            let got = c.set_status(act(&agent(), t(10)), to, &[], GRACE);
            let outcome = match &got {
                Ok(events) if events.is_empty() => NoOp,
                Ok(_) => Changed,
                Err(refusal) => Refused(refusal.code()),
            };
            assert_eq!(outcome, expect(from, to), "{from} -> {to}");
            match outcome {
                Changed => {
                    assert_eq!(got.unwrap(), vec![changed(from, to)], "{from} -> {to}");
                    assert_eq!((c.status, c.version), (to, before.version + 1));
                }
                NoOp | Refused(_) => assert_eq!(c, before, "{from} -> {to} changed the case"),
            }
        }
    }
}

#[test]
fn same_status_is_a_no_op_that_records_nothing() {
    let mut done = case().open_for(&agent()).done_until(t(100)).build();
    let before = done.clone();
    assert_eq!(
        done.set_status(act(&agent(), t(50)), CaseStatus::Done, &[], GRACE),
        Ok(vec![])
    );
    assert_eq!(
        done, before,
        "marking a done case done again does not restart its grace period"
    );
}

#[test]
fn new_cannot_be_set_directly() {
    let mut c = case()
        .status(CaseStatus::Pending)
        .assignee(&agent())
        .build();
    let got = c.set_status(act(&agent(), t(1)), CaseStatus::New, &[], GRACE);
    assert_eq!(got.map_err(|r| r.code()), Err("validation_failed"));
    assert_eq!(c.status, CaseStatus::Pending);
}

#[test]
fn done_and_spam_are_left_only_by_reopen() {
    for to in [CaseStatus::Open, CaseStatus::Pending, CaseStatus::OnHold] {
        let mut done = case().open_for(&agent()).done_until(t(100)).build();
        let got = done.set_status(act(&agent(), t(1)), to, &[], GRACE);
        assert_eq!(got.map_err(|r| r.code()), Err("conflict"), "done -> {to}");
        let mut spam = case().status(CaseStatus::Spam).assignee(&agent()).build();
        let got = spam.set_status(act(&agent(), t(1)), to, &[], GRACE);
        assert_eq!(got.map_err(|r| r.code()), Err("conflict"), "spam -> {to}");
        assert_eq!(
            spam.reopen(act(&agent(), t(2)), None),
            Ok(vec![EventKind::Reopened {
                from: CaseStatus::Spam
            }])
        );
    }
}

#[test]
fn done_to_spam_ends_the_grace_period() {
    let mut c = case().open_for(&agent()).done_until(t(1_000)).build();
    assert!(c.is_active_at(t(10)));
    let events = c
        .set_status(act(&agent(), t(10)), CaseStatus::Spam, &[], GRACE)
        .unwrap();
    assert_eq!(events, vec![changed(CaseStatus::Done, CaseStatus::Spam)]);
    assert_eq!((c.grace_until, c.holds_active_slot), (None, false));
    assert!(!c.is_active_at(t(11)));
}

#[test]
fn spam_to_done_is_refused() {
    let mut c = case().status(CaseStatus::Spam).assignee(&agent()).build();
    let before = c.clone();
    let got = c.set_status(act(&agent(), t(1)), CaseStatus::Done, &[], GRACE);
    assert_eq!(got.map_err(|r| r.code()), Err("conflict"));
    assert_eq!(c, before);
}

#[test]
fn an_empty_enabled_mandatory_field_blocks_done_naming_the_field() {
    let fields = [
        field(1, FieldKind::Text, false),
        field(2, FieldKind::Select, true),
    ];
    let mut c = case().open_for(&agent()).build();
    let before = c.clone();
    let got = c.set_status(act(&agent(), t(1)), CaseStatus::Done, &fields, GRACE);
    assert_eq!(
        got,
        Err(Refusal::MandatoryFieldMissing {
            field: "Field 2".into()
        })
    );
    assert_eq!(got.unwrap_err().code(), "mandatory_field_missing");
    assert_eq!(c, before);
    // It blocks Done only.
    for to in [CaseStatus::Pending, CaseStatus::OnHold, CaseStatus::Spam] {
        let mut other = before.clone();
        assert!(
            other
                .set_status(act(&agent(), t(1)), to, &fields, GRACE)
                .is_ok(),
            "{to}"
        );
    }
    c.fields
        .insert(CaseFieldId(2), FieldValue::Text("a".into()));
    assert!(c
        .set_status(act(&agent(), t(1)), CaseStatus::Done, &fields, GRACE)
        .is_ok());
}

#[test]
fn a_mandatory_checkbox_must_be_checked_and_disabled_fields_never_block() {
    let mut disabled = field(2, FieldKind::Text, true);
    disabled.enabled = false;
    let fields = [field(1, FieldKind::Checkbox, true), disabled];
    let mut c = case().open_for(&agent()).build();
    c.fields.insert(CaseFieldId(1), FieldValue::Checkbox(false));
    let got = c.set_status(act(&agent(), t(1)), CaseStatus::Done, &fields, GRACE);
    assert_eq!(got.map_err(|r| r.code()), Err("mandatory_field_missing"));
    c.fields.insert(CaseFieldId(1), FieldValue::Checkbox(true));
    assert!(c
        .set_status(act(&agent(), t(1)), CaseStatus::Done, &fields, GRACE)
        .is_ok());
}
