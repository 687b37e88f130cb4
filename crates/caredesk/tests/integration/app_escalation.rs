//! Escalation through the use cases: one active case per customer and profile, appends,
//! already-escalated items, permissions.

use std::sync::Arc;

use caredesk_app::{EscalationOutcome, IngestOutcome};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;

use crate::support::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_escalations_and_ingests_leave_one_active_case() {
    let w = Arc::new(World::new().await);
    let mut items = Vec::new();
    for i in 0..10 {
        let comment = w.comment("ann", &format!("c-{i}"), &format!("post-{i}"), "complaint");
        match w.app.ingest(comment).await.expect("ingest") {
            IngestOutcome::Community { item, .. } => items.push(item),
            other => panic!("{other:?}"),
        }
    }
    let mut tasks = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let w1 = w.clone();
        tasks.push(tokio::spawn(async move {
            w1.app
                .escalate(w1.community.id, item, EscalationRequest::default())
                .await
                .map(|e| e.case.id)
        }));
        let w2 = w.clone();
        tasks.push(tokio::spawn(async move {
            w2.app
                .ingest(w2.dm("ann", &format!("dm-{i}"), "me again"))
                .await
                .map(|_| CaseId(0))
        }));
    }
    let mut case_ids = Vec::new();
    for t in futures::future::join_all(tasks).await {
        let id = t.expect("task").expect("every writer succeeds");
        if id != CaseId(0) {
            case_ids.push(id);
        }
    }
    case_ids.sort();
    case_ids.dedup();
    assert_eq!(case_ids.len(), 1, "every escalation ended in the same case");
    let case = w
        .app
        .store()
        .case(case_ids[0])
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.number, 1, "exactly one case was ever opened");
}

#[tokio::test]
async fn escalating_a_locked_item_changes_nothing_and_a_second_item_appends() {
    let w = World::new().await;
    let first = match w
        .app
        .ingest(w.comment("ann", "c-1", "post-1", "bad"))
        .await
        .expect("ingest")
    {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("{other:?}"),
    };
    let second = match w
        .app
        .ingest(w.comment("ann", "c-2", "post-2", "worse"))
        .await
        .expect("ingest")
    {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("{other:?}"),
    };
    let created = w
        .app
        .escalate(w.community.id, first, EscalationRequest::default())
        .await
        .expect("escalate");
    let again = w
        .app
        .escalate(w.community.id, first, EscalationRequest::default())
        .await
        .expect("escalate again");
    assert_eq!(again.outcome, EscalationOutcome::AlreadyEscalated);
    assert_eq!(again.case, created.case, "nothing changed");

    let request = EscalationRequest {
        note: "same person".into(),
        priority: Some(Priority::Urgent),
        ..Default::default()
    };
    let appended = w
        .app
        .escalate(w.community.id, second, request)
        .await
        .expect("append");
    assert_eq!(appended.outcome, EscalationOutcome::Appended);
    assert_eq!(appended.case.id, created.case.id);
    assert_eq!(
        appended.case.priority,
        Priority::Medium,
        "the requested priority is ignored"
    );
    let shown = w
        .app
        .store()
        .case_messages(created.case.id, None, 50)
        .await
        .expect("messages")
        .page;
    let texts: Vec<&str> = shown.items.iter().map(|m| m.text.as_str()).collect();
    assert!(
        texts.contains(&"worse") && texts.contains(&"same person"),
        "{texts:?}"
    );
}

#[tokio::test]
async fn only_members_of_the_profile_escalate_and_assignees_must_be_eligible() {
    let w = World::new().await;
    let item = match w
        .app
        .ingest(w.dm("ann", "dm-1", "hi"))
        .await
        .expect("ingest")
    {
        IngestOutcome::Community { item, .. } => item,
        other => panic!("{other:?}"),
    };
    let request = EscalationRequest {
        assignee_id: Some(w.community.id),
        ..Default::default()
    };
    let err = w
        .app
        .escalate(w.community.id, item, request)
        .await
        .expect_err("no Care access");
    assert_eq!(err.refusal().map(|r| r.code()), Some("validation_failed"));
    let outsider = w
        .app
        .create_user(
            None,
            caredesk_app::NewUserInput {
                email: "out@example.com".into(),
                name: "Out".into(),
                password: "a long enough password".into(),
                role: Role::Member,
                care_access: CareAccess::Agent,
                capacity: None,
                profile_ids: Default::default(),
            },
        )
        .await
        .expect("user");
    let err = w
        .app
        .escalate(outsider.id, item, EscalationRequest::default())
        .await
        .expect_err("not connected");
    assert_eq!(err.refusal(), Some(&Refusal::NotFound));
    let still = w
        .app
        .store()
        .community_item(item)
        .await
        .expect("read")
        .expect("item");
    assert_eq!(still.locking_case, None, "refusals changed nothing");
}
