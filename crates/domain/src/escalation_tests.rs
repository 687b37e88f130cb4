//! PRODUCT.md §3 "One active case per customer and profile": escalating opens a case, or the
//! message joins the customer's active case on the profile.

use serde_json::json;

use super::*;
use crate::case_field::FieldKind;
use crate::testkit::*;

fn request(note: &str) -> EscalationRequest {
    EscalationRequest {
        note: note.into(),
        ..EscalationRequest::default()
    }
}

/// Escalates message 5 of C1 on P1 at `t(10)`.
fn escalate(
    actor: &User,
    message: &Message,
    request: &EscalationRequest,
    assignee: Option<&User>,
) -> Result<NewCase, Refusal> {
    let fields = [
        field(1, FieldKind::Number, true),
        field(2, FieldKind::Select, false),
    ];
    open_case(
        actor,
        message,
        C1,
        request,
        assignee,
        &fields,
        None,
        Some(t(3)),
        t(10),
    )
}

#[test]
fn escalation_without_an_assignee_creates_a_new_case() {
    let planned = escalate(
        &community_agent(),
        &message(5).build(),
        &request("angry"),
        None,
    )
    .unwrap();
    assert_eq!(
        (planned.status, planned.assignee_id),
        (CaseStatus::New, None)
    );
    assert_eq!((planned.customer_id, planned.profile_id), (C1, P1));
    assert_eq!(
        (planned.escalated_by, planned.escalated_from),
        (community_agent().id, MessageId(5))
    );
    assert_eq!(
        (planned.created_at, planned.last_customer_message_at),
        (t(10), Some(t(3)))
    );
    assert_eq!(
        planned.opening_events(),
        vec![EventKind::Escalated {
            message_id: MessageId(5),
            note: "angry".into()
        }]
    );
}

#[test]
fn escalation_with_an_assignee_given_at_once_creates_an_open_case() {
    let mut req = request("");
    req.assignee_id = Some(agent().id);
    let planned = escalate(
        &community_agent(),
        &message(5).build(),
        &req,
        Some(&agent()),
    )
    .unwrap();
    assert_eq!(
        (planned.status, planned.assignee_id),
        (CaseStatus::Open, Some(agent().id))
    );
    assert_eq!(
        planned.opening_events(),
        vec![
            EventKind::Escalated {
                message_id: MessageId(5),
                note: String::new()
            },
            EventKind::Assigned {
                from: None,
                to: Some(agent().id),
                automatic: false,
            },
        ]
    );
}

#[test]
fn priority_defaults_to_medium_and_a_requested_one_is_kept() {
    let m = message(5).build();
    assert_eq!(
        escalate(&agent(), &m, &request(""), None).unwrap().priority,
        Priority::Medium
    );
    let req = EscalationRequest {
        priority: Some(Priority::Urgent),
        ..request("")
    };
    assert_eq!(
        escalate(&agent(), &m, &req, None).unwrap().priority,
        Priority::Urgent
    );
}

#[test]
fn a_stored_new_case_is_active_at_version_one_and_links_the_previous_case() {
    let m = message(5).build();
    let planned = open_case(
        &agent(),
        &m,
        C1,
        &request("n"),
        None,
        &[],
        Some(CaseId(3)),
        None,
        t(10),
    )
    .unwrap();
    let c = planned.into_case(CaseId(4), 4);
    assert_eq!(
        (c.id, c.number, c.version, c.previous_case_id),
        (CaseId(4), 4, 1, Some(CaseId(3)))
    );
    assert_eq!(
        (c.sentiment, c.grace_until, c.deleted),
        (Sentiment::None, None, false)
    );
    assert_eq!(c.note, "n");
    assert!(c.holds_active_slot && c.is_active_at(t(10)));
}

#[test]
fn only_active_users_connected_to_the_profile_escalate() {
    let m = message(5).build();
    for user in [community_agent(), agent(), supervisor(), admin()] {
        assert!(
            escalate(&user, &m, &request(""), None).is_ok(),
            "user {}",
            user.id
        );
    }
    for user in [
        agent_elsewhere(),
        supervisor_elsewhere(),
        deactivated(community_agent()),
    ] {
        let got = escalate(&user, &m, &request(""), None);
        assert_eq!(got, Err(Refusal::NotFound), "user {}", user.id);
    }
    let elsewhere = message(6).profile(P2).build();
    assert_eq!(
        escalate(&agent(), &elsewhere, &request(""), None),
        Err(Refusal::NotFound)
    );
}

#[test]
fn a_deleted_message_cannot_be_escalated() {
    let gone = message(5).deleted().build();
    let got = escalate(&community_agent(), &gone, &request(""), None);
    assert_eq!(got, Err(Refusal::MessageDeleted));
}

#[test]
fn the_note_may_be_empty_but_not_too_long() {
    let m = message(5).build();
    assert!(escalate(&agent(), &m, &request(""), None).is_ok());
    assert!(escalate(
        &agent(),
        &m,
        &request(&"x".repeat(MAX_ESCALATION_NOTE_CHARS)),
        None
    )
    .is_ok());
    let long = request(&"x".repeat(MAX_ESCALATION_NOTE_CHARS + 1));
    assert_eq!(
        code(escalate(&agent(), &m, &long, None)),
        Err("validation_failed")
    );
}

#[test]
fn the_assignee_given_at_once_must_be_eligible_and_exist() {
    let m = message(5).build();
    for target in [
        community_agent(),
        agent_elsewhere(),
        deactivated(colleague()),
    ] {
        let req = EscalationRequest {
            assignee_id: Some(target.id),
            ..request("")
        };
        let got = escalate(&agent(), &m, &req, Some(&target));
        assert_eq!(code(got), Err("validation_failed"), "user {}", target.id);
    }
    // An id that the store did not find.
    let req = EscalationRequest {
        assignee_id: Some(UserId(404)),
        ..request("")
    };
    assert_eq!(
        code(escalate(&agent(), &m, &req, None)),
        Err("validation_failed")
    );
}

#[test]
fn field_values_are_checked_against_the_enabled_fields() {
    let m = message(5).build();
    let with = |id: i64, value: serde_json::Value| EscalationRequest {
        fields: [(CaseFieldId(id), value)].into(),
        ..request("")
    };
    let planned = escalate(&agent(), &m, &with(1, json!(12)), None).unwrap();
    assert_eq!(
        planned.fields,
        [(CaseFieldId(1), FieldValue::Number(12))].into()
    );
    assert!(escalate(&agent(), &m, &with(1, json!(null)), None)
        .unwrap()
        .fields
        .is_empty());
    for bad in [
        with(1, json!("twelve")),
        with(2, json!("z")),
        with(9, json!(1)),
    ] {
        assert_eq!(
            code(escalate(&agent(), &m, &bad, None)),
            Err("validation_failed"),
            "{bad:?}"
        );
    }
    let mut disabled = field(3, FieldKind::Text, false);
    disabled.enabled = false;
    let req = with(3, json!("x"));
    assert_eq!(
        code(parse_field_values(&[disabled], &req.fields)),
        Err("validation_failed")
    );
}

#[test]
fn escalation_checks_404_then_409_then_422() {
    let gone = message(5).deleted().build();
    let long = request(&"x".repeat(MAX_ESCALATION_NOTE_CHARS + 1));
    let target = community_agent();
    let req = EscalationRequest {
        assignee_id: Some(target.id),
        ..long.clone()
    };
    assert_eq!(
        escalate(&agent_elsewhere(), &gone, &req, Some(&target)),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        escalate(&agent(), &gone, &req, Some(&target)),
        Err(Refusal::MessageDeleted)
    );
    let live = message(5).build();
    assert_eq!(
        code(escalate(&agent(), &live, &req, Some(&target))),
        Err("validation_failed")
    );
}

#[test]
fn escalating_into_an_active_case_appends_and_ignores_priority_and_assignee() {
    let mut c = case()
        .status(CaseStatus::Pending)
        .assignee(&agent())
        .build();
    let before = c.clone();
    let events = c.append_escalation(MessageId(8), t(2), "again", true);
    assert_eq!(
        events,
        vec![
            EventKind::EscalationAppended {
                message_id: MessageId(8),
                note: "again".into()
            },
            EventKind::StatusChanged {
                from: CaseStatus::Pending,
                to: CaseStatus::Open
            },
        ]
    );
    assert_eq!(
        (c.priority, c.assignee_id, &c.note),
        (before.priority, before.assignee_id, &before.note)
    );
    assert_eq!(c.version, before.version + 1);
}

#[test]
fn escalating_into_a_done_case_inside_grace_reopens_it_like_a_customer_message() {
    for (active, to) in [(true, CaseStatus::Open), (false, CaseStatus::New)] {
        let mut c = case().open_for(&agent()).done_until(t(100)).build();
        let events = c.append_escalation(MessageId(8), t(50), "", active);
        assert_eq!(
            events,
            vec![
                EventKind::EscalationAppended {
                    message_id: MessageId(8),
                    note: String::new()
                },
                EventKind::AutoReopened {
                    message_id: MessageId(8),
                    to
                },
            ]
        );
        assert_eq!(
            (c.status, c.grace_until, c.holds_active_slot),
            (to, None, true)
        );
    }
}

#[test]
fn an_older_escalated_message_does_not_move_the_last_customer_message_time_back() {
    let mut c = case().status(CaseStatus::Open).build();
    c.last_customer_message_at = Some(t(50));
    c.append_escalation(MessageId(8), t(20), "", true);
    assert_eq!(c.last_customer_message_at, Some(t(50)));
}

fn code<T>(got: Result<T, Refusal>) -> Result<T, &'static str> {
    got.map_err(|r| r.code())
}
