use super::*;
use crate::case::CaseStatus;
use crate::ids::MessageId;
use crate::testkit::*;

fn event(actor: Option<&User>, kind: EventKind) -> Event {
    Event::of_case(CaseId(1), actor.map(|u| u.id), t(5), kind)
}

fn assigned(from: Option<&User>, to: Option<&User>) -> EventKind {
    EventKind::Assigned {
        from: from.map(|u| u.id),
        to: to.map(|u| u.id),
        automatic: false,
    }
}

fn reopened() -> EventKind {
    EventKind::AutoReopened {
        message_id: MessageId(9),
        to: CaseStatus::Open,
    }
}

/// Who was told, of what, by whom.
type Told = (UserId, NotificationKind, Option<UserId>);

/// (recipient, kind, actor) of each notification.
fn told(list: &[NewNotification]) -> Vec<Told> {
    list.iter()
        .map(|n| (n.recipient, n.kind, n.actor))
        .collect()
}

#[test]
fn case_events_tell_the_new_assignee_and_the_reopened_cases_assignee() {
    let sup = supervisor();
    let (a, b) = (agent(), other_agent());
    let assigned_case = case().open_for(&b).build();
    let unassigned = case().build();
    use NotificationKind::*;
    #[rustfmt::skip]
    let rows: Vec<(&str, &Case, Event, Vec<Told>)> = vec![
        ("assigned by a supervisor",  &assigned_case, event(Some(&sup), assigned(None, Some(&b))),     vec![(b.id, Assigned, Some(sup.id))]),
        ("taken by oneself",          &assigned_case, event(Some(&b), assigned(None, Some(&b))),       vec![]),
        ("given by another agent",    &assigned_case, event(Some(&a), assigned(Some(&a), Some(&b))),   vec![(b.id, Assigned, Some(a.id))]),
        ("unassigned",                &unassigned,    event(Some(&sup), assigned(Some(&b), None)),     vec![]),
        ("reopened by the customer",  &assigned_case, event(None, reopened()),                         vec![(b.id, Reopened, None)]),
        ("reopened, nobody assigned", &unassigned,    event(None, reopened()),                         vec![]),
        ("reopened by an escalation", &assigned_case, event(Some(&a), reopened()),                     vec![(b.id, Reopened, Some(a.id))]),
        ("reopened by its assignee",  &assigned_case, event(Some(&b), reopened()),                     vec![]),
        ("status changed",            &assigned_case, event(Some(&b), EventKind::GraceExpired),         vec![]),
    ];
    for (what, case, event, want) in rows {
        let got = of_case_events(case, std::slice::from_ref(&event));
        assert_eq!(told(&got), want, "{what}");
        assert!(
            got.iter().all(|n| n.case_id == case.id && n.at == t(5)),
            "{what}"
        );
    }
}

#[test]
fn events_of_another_case_tell_no_one() {
    let b = other_agent();
    let case = case().number(2).open_for(&b).build();
    let elsewhere = Event::of_case(CaseId(1), None, t(5), reopened());
    assert!(of_case_events(&case, &[elsewhere]).is_empty());
}

#[test]
fn mentions_tell_each_colleague_once_and_never_the_writer() {
    let (a, b, c) = (agent(), other_agent(), colleague());
    let case = case().open_for(&a).build();
    let got = of_mentions(
        &a,
        &case,
        &[b.clone(), a.clone(), c.clone(), b.clone()],
        t(5),
    )
    .unwrap();
    use NotificationKind::Mentioned;
    assert_eq!(
        told(&got),
        [(b.id, Mentioned, Some(a.id)), (c.id, Mentioned, Some(a.id))]
    );
}

#[test]
fn a_mention_of_someone_who_cannot_open_the_case_is_refused_naming_them() {
    let a = agent();
    let case = case().number(1234).open_for(&a).build();
    let mut elsewhere = agent_elsewhere();
    elsewhere.name = "Zoe Elsewhere".into();
    let mut gone = deactivated(other_agent());
    gone.name = "Gus Gone".into();
    let mut community = community_agent();
    community.name = "Cora Community".into();
    for shut_out in [elsewhere, gone, community] {
        let name = shut_out.name.clone();
        let refusal = of_mentions(&a, &case, &[supervisor(), shut_out], t(5)).unwrap_err();
        let Refusal::Validation(words) = refusal else {
            panic!("{name}: not a validation refusal");
        };
        assert!(words.contains(&name), "{words}");
        assert!(words.contains("#1234"), "{words}");
        assert!(!words.contains(&supervisor().name), "{words}");
    }
    assert!(of_mentions(&a, &case, &[admin(), supervisor()], t(5)).is_ok());
}

#[test]
fn a_failed_reply_tells_its_writer_and_no_other_state_does() {
    let mut reply = message(3).build();
    reply.sent_by = Some(agent().id);
    for delivery in [
        Delivery::Queued,
        Delivery::Sending,
        Delivery::Sent,
        Delivery::DeliveryUnknown,
        Delivery::Cancelled,
    ] {
        reply.delivery = Some(delivery);
        assert_eq!(of_delivery(&reply, CaseId(1), t(5)), None, "{delivery:?}");
    }
    reply.delivery = Some(Delivery::Failed);
    let got = of_delivery(&reply, CaseId(1), t(5)).unwrap();
    assert_eq!(
        (got.recipient, got.kind, got.actor, got.case_id),
        (agent().id, NotificationKind::ReplyFailed, None, CaseId(1))
    );
    reply.sent_by = None;
    assert_eq!(of_delivery(&reply, CaseId(1), t(5)), None);
}

#[test]
fn the_stream_event_names_no_case_so_the_activity_log_never_shows_it() {
    let n = NewNotification::to(
        agent().id,
        NotificationKind::Mentioned,
        CaseId(4),
        Some(other_agent().id),
        t(5),
    )
    .unwrap();
    let e = n.event(NotificationId(8), 1234);
    assert_eq!(e.case_id, None);
    assert_eq!(e.actor, Some(other_agent().id));
    assert_eq!(e.kind.name(), "notified");
}

#[test]
fn kinds_are_the_words_of_the_api() {
    let words: Vec<&str> = NotificationKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        words,
        [
            "assigned",
            "mentioned",
            "reopened",
            "reply_failed",
            "sla_warning",
            "sla_breached"
        ]
    );
}
