//! PRODUCT.md §2 and §3: delete, replies from Care, edits and notes, deactivation, load, and
//! what raises the version.

use serde_json::json;

use super::*;
use crate::testkit::*;

#[test]
fn deleting_hides_the_case_from_everyone_and_frees_its_slot() {
    let mut c = case().open_for(&agent()).build();
    assert_eq!(
        c.delete(act(&supervisor(), t(1))),
        Ok(vec![EventKind::Deleted])
    );
    assert!(c.deleted && !c.holds_active_slot && !c.is_active_at(t(1)));
    assert_eq!(c.version, 2);
    for user in [agent(), supervisor(), admin()] {
        assert_eq!(
            crate::policy::require_case_visible(&user, &c),
            Err(Refusal::NotFound)
        );
    }
    assert_eq!(
        c.delete(act(&admin(), t(2))),
        Err(Refusal::NotFound),
        "a deleted case is gone"
    );
}

#[test]
fn only_the_assignee_replies_and_only_while_the_case_is_not_closed() {
    let mut c = case().open_for(&agent()).build();
    assert_eq!(
        c.accept_reply(act(&supervisor(), t(1)), None),
        Err(Refusal::NotAssignee)
    );
    for closed in [case().done_until(t(100)), case().status(CaseStatus::Spam)] {
        let mut c = closed.assignee(&agent()).build();
        let before = c.clone();
        assert_eq!(
            c.accept_reply(act(&agent(), t(1)), None),
            Err(Refusal::CaseClosed)
        );
        assert_eq!(c, before);
    }
    assert_eq!(c.accept_reply(act(&agent(), t(1)), None), Ok(vec![]));
    assert_eq!(c.version, 2, "the reply joins the case");
}

#[test]
fn a_reply_may_set_pending_or_on_hold_in_the_same_action_and_nothing_else() {
    for to in [CaseStatus::Pending, CaseStatus::OnHold] {
        let mut c = case().open_for(&agent()).build();
        let events = c.accept_reply(act(&agent(), t(1)), Some(to)).unwrap();
        assert_eq!(
            events,
            vec![EventKind::StatusChanged {
                from: CaseStatus::Open,
                to
            }]
        );
        assert_eq!((c.status, c.version), (to, 2));
        // Already in that status: the reply goes, no status event.
        assert_eq!(c.accept_reply(act(&agent(), t(2)), Some(to)), Ok(vec![]));
    }
    for to in [
        CaseStatus::New,
        CaseStatus::Open,
        CaseStatus::Done,
        CaseStatus::Spam,
    ] {
        let mut c = case()
            .status(CaseStatus::Pending)
            .assignee(&agent())
            .build();
        let before = c.clone();
        let got = c.accept_reply(act(&agent(), t(1)), Some(to));
        assert_eq!(got.map_err(|r| r.code()), Err("validation_failed"), "{to}");
        assert_eq!(c, before);
    }
}

#[test]
fn any_care_user_who_sees_the_case_edits_priority_sentiment_and_fields() {
    let mut c = case().open_for(&agent()).build();
    let mut edit = CaseEdit {
        priority: Some(Priority::Urgent),
        sentiment: Some(Sentiment::Negative),
        fields: BTreeMap::new(),
    };
    edit.fields
        .insert(CaseFieldId(3), Some(FieldValue::Number(42)));
    let events = c.edit(act(&other_agent(), t(1)), &edit).unwrap();
    assert_eq!(
        events,
        vec![
            EventKind::PriorityChanged {
                from: Priority::Medium,
                to: Priority::Urgent
            },
            EventKind::SentimentChanged {
                from: Sentiment::None,
                to: Sentiment::Negative
            },
            EventKind::FieldChanged {
                field_id: CaseFieldId(3),
                from: json!(null),
                to: json!(42)
            },
        ]
    );
    assert_eq!(c.version, 2);
    // The same values again change nothing.
    assert_eq!(c.edit(act(&supervisor(), t(2)), &edit), Ok(vec![]));
    assert_eq!(c.version, 2);
    // `None` clears a value.
    let clear = CaseEdit {
        fields: [(CaseFieldId(3), None)].into(),
        ..CaseEdit::default()
    };
    let events = c.edit(act(&agent(), t(3)), &clear).unwrap();
    assert_eq!(
        events,
        vec![EventKind::FieldChanged {
            field_id: CaseFieldId(3),
            from: json!(42),
            to: json!(null)
        }]
    );
    assert!(c.fields.is_empty());
    assert_eq!(
        c.edit(act(&community_agent(), t(4)), &edit),
        Err(Refusal::NotFound)
    );
}

#[test]
fn notes_must_not_be_blank_or_too_long() {
    let mut c = case().open_for(&agent()).build();
    for text in ["", "   ", &"x".repeat(MAX_NOTE_CHARS + 1)] {
        let got = c.add_note(act(&supervisor(), t(1)), text);
        assert_eq!(got.map_err(|r| r.code()), Err("validation_failed"));
    }
    assert_eq!(c.version, 1);
    assert_eq!(
        c.add_note(act(&supervisor(), t(1)), &"x".repeat(MAX_NOTE_CHARS)),
        Ok(())
    );
    assert_eq!(c.version, 2);
}

#[test]
fn version_rises_with_each_agent_relevant_change_but_not_on_grace_expiry() {
    type Change = fn(&mut Case);
    let table: [(&str, Change, i64); 14] = [
        (
            "assign",
            |c| {
                drop(
                    c.assign(act(&supervisor(), t(1)), Some(&colleague()))
                        .unwrap(),
                )
            },
            1,
        ),
        (
            "status",
            |c| {
                drop(
                    c.set_status(act(&agent(), t(1)), CaseStatus::OnHold, &[], 60)
                        .unwrap(),
                )
            },
            1,
        ),
        (
            "done",
            |c| {
                drop(
                    c.set_status(act(&agent(), t(1)), CaseStatus::Done, &[], 60)
                        .unwrap(),
                )
            },
            1,
        ),
        (
            "same status",
            |c| {
                drop(
                    c.set_status(act(&agent(), t(1)), CaseStatus::Open, &[], 60)
                        .unwrap(),
                )
            },
            0,
        ),
        (
            "priority",
            |c| {
                let edit = CaseEdit {
                    priority: Some(Priority::Low),
                    ..CaseEdit::default()
                };
                drop(c.edit(act(&agent(), t(1)), &edit).unwrap());
            },
            1,
        ),
        (
            "unchanged edit",
            |c| drop(c.edit(act(&agent(), t(1)), &CaseEdit::default()).unwrap()),
            0,
        ),
        ("note", |c| c.add_note(act(&agent(), t(1)), "n").unwrap(), 1),
        (
            "reply",
            |c| drop(c.accept_reply(act(&agent(), t(1)), None).unwrap()),
            1,
        ),
        (
            "customer message",
            |c| drop(c.receive_customer_message(MessageId(5), t(1), true)),
            1,
        ),
        (
            "escalation appended",
            |c| drop(c.append_escalation(MessageId(5), t(1), "", true)),
            1,
        ),
        ("brand message", |c| c.record_joined_message(), 1),
        (
            "delete",
            |c| drop(c.delete(act(&admin(), t(1))).unwrap()),
            1,
        ),
        (
            "deactivated assignee",
            |c| drop(c.unassign_deactivated()),
            1,
        ),
        (
            "grace expiry",
            |c| {
                c.status = CaseStatus::Done;
                c.grace_until = Some(t(0));
                assert!(c.expire_grace_if_due(t(1)).is_some());
            },
            0,
        ),
    ];
    for (name, change, rise) in table {
        let mut c = case().open_for(&agent()).version(4).build();
        change(&mut c);
        assert_eq!(c.version, 4 + rise, "{name}");
    }
}

#[test]
fn deactivating_the_assignee_unassigns_and_only_load_statuses_become_new() {
    let table = [
        (CaseStatus::Open, CaseStatus::New),
        (CaseStatus::Pending, CaseStatus::New),
        (CaseStatus::OnHold, CaseStatus::New),
        (CaseStatus::Done, CaseStatus::Done),
        (CaseStatus::Spam, CaseStatus::Spam),
    ];
    for (from, to) in table {
        let mut c = case().status(from).assignee(&agent()).build();
        let events = c.unassign_deactivated();
        let mut want = vec![EventKind::Assigned {
            from: Some(agent().id),
            to: None,
            automatic: false,
        }];
        if from != to {
            want.push(EventKind::StatusChanged { from, to });
        }
        assert_eq!(events, want, "{from}");
        assert_eq!((c.status, c.assignee_id), (to, None));
    }
    let mut unassigned = case().build();
    assert_eq!(unassigned.unassign_deactivated(), vec![]);
    assert_eq!(unassigned.version, 1);
}

#[test]
fn load_counts_open_pending_and_on_hold_and_in_progress_adds_new() {
    use CaseStatus::*;
    let table = [
        (New, false, true),
        (Open, true, true),
        (Pending, true, true),
        (OnHold, true, true),
    ];
    for (status, load, in_progress) in table
        .into_iter()
        .chain([(Done, false, false), (Spam, false, false)])
    {
        assert_eq!(status.counts_as_load(), load, "{status}");
        assert_eq!(status.is_in_progress(), in_progress, "{status}");
        assert_eq!(status.is_closed(), !in_progress, "{status}");
    }
}
