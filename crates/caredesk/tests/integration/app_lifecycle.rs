//! The whole life of a case through the use cases: escalate, assign, reply with pending,
//! customer answers, done, reopen inside grace, grace passes, a new case linked to the old.

use caredesk_app::{EscalationOutcome, IngestOutcome, ReplyRequest};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_store::{View, Viewer};

use crate::support::World;

fn item_of(outcome: IngestOutcome) -> CommunityItemId {
    match outcome {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("expected a community item, got {other:?}"),
    }
}

async fn event_names(w: &World, case: CaseId) -> Vec<String> {
    w.app
        .store()
        .case_events(case)
        .await
        .expect("events")
        .iter()
        .map(|e| e.event.kind.name())
        .collect()
}

#[tokio::test]
async fn a_case_lives_from_escalation_to_a_linked_successor() {
    let w = World::new().await;
    let item = item_of(
        w.app
            .ingest(w.dm("ann", "dm-1", "My order never came"))
            .await
            .expect("ingest"),
    );

    let request = EscalationRequest {
        note: "Order problem".into(),
        ..Default::default()
    };
    let escalation = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate");
    assert_eq!(escalation.outcome, EscalationOutcome::Created);
    let case = escalation.case;
    assert_eq!(
        (case.number, case.status, case.version),
        (1, CaseStatus::New, 1)
    );
    let locked = w
        .app
        .store()
        .community_item(item)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(
        locked.locking_case.map(|b| b.number),
        Some(1),
        "the item is locked with the case badge"
    );

    let case = w
        .app
        .assign(w.agent.id, case.id, Some(w.agent.id), Some(1))
        .await
        .expect("take it");
    assert_eq!(case.status, CaseStatus::Open);
    let stale = w
        .app
        .set_status(w.agent.id, case.id, CaseStatus::Done, Some(1))
        .await
        .expect_err("stale");
    assert_eq!(stale.refusal().map(|r| r.code()), Some("stale_case"));

    let reply = ReplyRequest {
        text: "Sorry! Checking.".into(),
        kind: ReplyKind::Direct,
        in_reply_to: None,
        set_status: Some(CaseStatus::Pending),
        attachment_ids: Vec::new(),
    };
    let sent = w
        .app
        .queue_reply(w.agent.id, case.id, reply, Some(case.version))
        .await
        .expect("reply");
    assert_eq!(sent.delivery, Some(Delivery::Queued));
    let case = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, CaseStatus::Pending);

    w.clock.advance_secs(3_600);
    let joined = w
        .app
        .ingest(w.dm("ann", "dm-2", "Any news?"))
        .await
        .expect("ingest");
    assert_eq!(
        joined,
        IngestOutcome::JoinedCase {
            message: match joined {
                IngestOutcome::JoinedCase { message, .. } => message,
                _ => unreachable!(),
            },
            case: case.id
        }
    );
    let case = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(
        case.status,
        CaseStatus::Open,
        "a customer message moves pending to open"
    );

    let case = w
        .app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done");
    let grace_until = case.grace_until.expect("grace starts");
    assert_eq!(
        grace_until,
        w.app.now().plus_secs(432_000),
        "five days by default"
    );
    let unlocked = w
        .app
        .store()
        .community_item(item)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(
        unlocked.locking_case, None,
        "done hands the item back to Community"
    );

    w.clock.advance_secs(86_400);
    w.app
        .ingest(w.dm("ann", "dm-3", "Still broken"))
        .await
        .expect("ingest");
    let case = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(
        (case.status, case.grace_until),
        (CaseStatus::Open, None),
        "reopened inside grace"
    );

    let case = w
        .app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done again");
    w.clock.advance_secs(432_000);
    let outcome = w
        .app
        .ingest(w.dm("ann", "dm-4", "New problem"))
        .await
        .expect("ingest");
    let item = item_of(outcome);
    let old = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(old.status, CaseStatus::Done);
    assert!(!old.holds_active_slot, "the touched case was finalised");

    let next = w
        .app
        .escalate(w.community.id, item, EscalationRequest::default())
        .await
        .expect("escalate");
    assert_eq!(next.outcome, EscalationOutcome::Created);
    assert_eq!(next.case.number, 2);
    assert_eq!(
        next.case.previous_case_id,
        Some(case.id),
        "the new case links to the previous one"
    );

    let reopen = w
        .app
        .reopen(w.agent.id, case.id, None)
        .await
        .expect_err("a newer case exists");
    assert_eq!(
        reopen.refusal(),
        Some(&Refusal::NewerCaseExists { case_number: 2 })
    );

    let names = event_names(&w, case.id).await;
    let expected = [
        "escalated",
        "assigned",
        "status_changed",
        "reply_queued",
        "status_changed",
        "message_received",
        "status_changed",
        "status_changed",
        "message_received",
        "auto_reopened",
        "status_changed",
        "grace_expired",
    ];
    assert_eq!(names, expected, "the activity log tells the whole story");
    let expiry = w
        .app
        .store()
        .case_events(case.id)
        .await
        .expect("events")
        .pop()
        .expect("event");
    assert_eq!(
        expiry.event.at,
        old.grace_until.expect("grace"),
        "the expiry is dated at grace_until"
    );
}

#[tokio::test]
async fn the_sweep_finalises_cases_nothing_touched() {
    let w = World::new().await;
    let mut cases = Vec::new();
    for i in 0..3 {
        let item = item_of(
            w.app
                .ingest(w.dm(&format!("c{i}"), &format!("dm-{i}"), "hi"))
                .await
                .expect("ingest"),
        );
        let case = w
            .app
            .escalate(
                w.community.id,
                item,
                EscalationRequest {
                    assignee_id: Some(w.agent.id),
                    ..Default::default()
                },
            )
            .await
            .expect("escalate")
            .case;
        cases.push(
            w.app
                .set_status(w.agent.id, case.id, CaseStatus::Done, None)
                .await
                .expect("done"),
        );
    }
    assert_eq!(
        w.app.sweep_grace().await.expect("sweep").expired,
        0,
        "nothing is due yet"
    );
    w.clock.advance_secs(432_000);
    assert_eq!(w.app.sweep_grace().await.expect("sweep").expired, 3);
    assert_eq!(
        w.app.sweep_grace().await.expect("sweep").expired,
        0,
        "a second sweep finds nothing"
    );
    for case in cases {
        let stored = w
            .app
            .store()
            .case(case.id)
            .await
            .expect("read")
            .expect("case");
        assert!(!stored.holds_active_slot);
        assert_eq!(
            stored.version, case.version,
            "expiry leaves the version alone"
        );
    }
}

#[tokio::test]
async fn deactivating_a_user_unassigns_their_cases() {
    let w = World::new().await;
    let item = item_of(
        w.app
            .ingest(w.dm("ann", "dm-1", "hi"))
            .await
            .expect("ingest"),
    );
    let case = w
        .app
        .escalate(
            w.community.id,
            item,
            EscalationRequest {
                assignee_id: Some(w.agent.id),
                ..Default::default()
            },
        )
        .await
        .expect("escalate")
        .case;
    assert_eq!(case.status, CaseStatus::Open);
    let patch = caredesk_app::UserPatch {
        active: Some(false),
        ..Default::default()
    };
    w.app
        .update_user(w.admin.id, w.agent.id, patch)
        .await
        .expect("deactivate");
    let case = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!((case.status, case.assignee_id), (CaseStatus::New, None));
    let viewer = Viewer::of(&w.supervisor).expect("viewer");
    let counts = w.app.store().case_counts(&viewer).await.expect("counts");
    assert!(counts.contains(&(View::New, 1)), "{counts:?}");
}
