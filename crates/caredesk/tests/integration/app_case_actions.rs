//! Case actions through the use cases: who may act, what a refusal leaves behind, fields,
//! notes, customer edits, delete, and changes committed together.

use std::collections::BTreeMap;

use caredesk_app::{AppResult, CaseEditRequest, IngestOutcome};
use caredesk_domain::*;
use caredesk_store::{CaseFilter, CaseQuery, View, Viewer};
use serde_json::json;

use crate::support::{code, escalated, World};

#[tokio::test]
async fn only_the_assignee_changes_status_and_others_learn_why() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let table = [
        (w.supervisor.id, "not_assignee"),
        (w.other_agent.id, "not_assignee"),
        (w.community.id, "not_found"),
    ];
    for (user, expected) in table {
        assert_eq!(
            code(
                w.app
                    .set_status(user, case.id, CaseStatus::Pending, None)
                    .await
            ),
            expected
        );
    }
    let before = w
        .app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(before.version, case.version, "refusals changed nothing");
    assert_eq!(
        code(
            w.app
                .set_status(w.agent.id, case.id, CaseStatus::New, None)
                .await
        ),
        "validation_failed"
    );
    let same = w
        .app
        .set_status(w.agent.id, case.id, CaseStatus::Open, None)
        .await
        .expect("same status");
    assert_eq!(
        same.version, case.version,
        "the same status records nothing"
    );
    assert_eq!(
        code(w.app.assign(w.other_agent.id, case.id, None, None).await),
        "forbidden",
        "agents unassign only themselves"
    );
    let taken = w
        .app
        .assign(w.supervisor.id, case.id, Some(w.supervisor.id), None)
        .await
        .expect("supervisor takes it");
    assert_eq!(
        taken.status,
        CaseStatus::Open,
        "reassigning keeps the status"
    );
    w.app
        .set_status(w.supervisor.id, case.id, CaseStatus::OnHold, None)
        .await
        .expect("now the supervisor may");
}

#[tokio::test]
async fn field_values_are_checked_and_mandatory_fields_block_done() {
    let w = World::new().await;
    let field = w
        .app
        .create_case_field(
            None,
            NewCaseField {
                name: "Order".into(),
                kind: FieldKind::Number,
                options: vec![],
                mandatory: true,
                enabled: true,
                position: 1,
            },
        )
        .await
        .expect("field");
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), Some(w.agent.id)).await;
    let bad = CaseEditRequest {
        fields: BTreeMap::from([(field.id, json!("twelve"))]),
        ..Default::default()
    };
    assert_eq!(
        code(w.app.edit_case(w.agent.id, case.id, bad, None).await),
        "validation_failed"
    );
    assert_eq!(
        w.app
            .set_status(w.agent.id, case.id, CaseStatus::Done, None)
            .await
            .err()
            .and_then(|e| e.refusal().cloned()),
        Some(Refusal::MandatoryFieldMissing {
            field: "Order".into()
        })
    );
    let good = CaseEditRequest {
        fields: BTreeMap::from([(field.id, json!(12))]),
        priority: Some(Priority::High),
        ..Default::default()
    };
    let edited = w
        .app
        .edit_case(w.other_agent.id, case.id, good, Some(case.version))
        .await
        .expect("any Care user who sees it edits");
    assert_eq!(edited.version, case.version + 1);
    assert_eq!(edited.fields.get(&field.id), Some(&FieldValue::Number(12)));
    w.app
        .set_status(w.agent.id, case.id, CaseStatus::Done, None)
        .await
        .expect("done once filled");
}

#[tokio::test]
async fn a_deleted_case_disappears_and_unlocks_its_item() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), None).await;
    assert_eq!(
        code(w.app.delete_case(w.agent.id, case.id, None).await),
        "forbidden"
    );
    w.app
        .delete_case(w.supervisor.id, case.id, None)
        .await
        .expect("delete");
    assert_eq!(
        code(
            w.app
                .assign(w.supervisor.id, case.id, Some(w.agent.id), None)
                .await
        ),
        "not_found",
        "404 to everyone"
    );
    let viewer = Viewer::of(&w.admin).expect("viewer");
    for view in View::ALL {
        let query = CaseQuery {
            viewer: viewer.clone(),
            view,
            filter: CaseFilter::default(),
            sort: None,
            cursor: None,
            limit: 50,
        };
        assert!(
            w.app
                .store()
                .list_cases(&query)
                .await
                .expect("list")
                .items
                .is_empty(),
            "{view:?}"
        );
    }
    let IngestOutcome::Community { .. } = w
        .app
        .ingest(w.dm("ann", "dm-2", "hello?"))
        .await
        .expect("ingest")
    else {
        panic!("a deleted case takes no messages")
    };
    let events = w.app.store().case_events(case.id).await.expect("events");
    assert_eq!(
        events.last().map(|e| e.event.kind.name()).as_deref(),
        Some("deleted"),
        "the deletion is in the log"
    );
}

#[tokio::test]
async fn notes_and_customer_edits_belong_to_care_users_who_see_the_case() {
    let w = World::new().await;
    let case = escalated(&w, w.dm("ann", "dm-1", "hi"), None).await;
    assert_eq!(
        code(
            w.app
                .add_note(w.community.id, case.id, "x", &[], None)
                .await
        ),
        "not_found"
    );
    w.app
        .add_note(w.other_agent.id, case.id, "Called her back", &[], None)
        .await
        .expect("note");
    let details = CustomerDetails {
        display_name: "Ann Lee".into(),
        email: "ann@example.com".into(),
        ..Default::default()
    };
    let customer = w
        .app
        .edit_customer(w.agent.id, case.customer_id, details)
        .await
        .expect("edit customer");
    assert_eq!(customer.details.email, "ann@example.com");
    let names: Vec<String> = w
        .app
        .store()
        .case_events(case.id)
        .await
        .expect("events")
        .iter()
        .map(|e| e.event.kind.name())
        .collect();
    assert!(
        names.contains(&"note_added".to_string()) && names.contains(&"customer_edited".to_string()),
        "{names:?}"
    );
}

/// Twelve status changes sent at once are committed in one unit of work: the two refused among
/// them (not the assignee, a stale version) are answered with their refusal and leave their
/// case as it was; the others are answered with their case, and stored.
#[tokio::test]
async fn changes_arriving_together_are_committed_together_and_a_refusal_fails_alone() {
    let w = World::new().await;
    let grouped = w.app.clone().with_grouped_changes();
    let mut cases = Vec::new();
    for i in 0..12 {
        let dm = w.dm(&format!("c-{i}"), &format!("dm-{i}"), "hello");
        cases.push(escalated(&w, dm, Some(w.agent.id)).await);
    }
    let (not_assignee, stale) = (3, 7);
    let changes = cases.iter().enumerate().map(|(i, case)| {
        let (actor, version) = match i {
            i if i == not_assignee => (w.other_agent.id, Some(case.version)),
            i if i == stale => (w.agent.id, Some(case.version - 1)),
            _ => (w.agent.id, Some(case.version)),
        };
        grouped.set_status(actor, case.id, CaseStatus::Pending, version)
    });
    // Sent before the committer runs (one thread), so they wait for it together.
    let answers: Vec<AppResult<Case>> = futures::future::join_all(changes).await;
    let stats = grouped.change_queue().expect("grouped").stats();
    assert_eq!((stats.batches(), stats.changes()), (1, 12));
    for (i, (answer, before)) in answers.into_iter().zip(&cases).enumerate() {
        let stored = w
            .app
            .store()
            .case(before.id)
            .await
            .expect("read")
            .expect("case");
        match i {
            i if i == not_assignee => {
                assert_eq!(code(answer), "not_assignee");
                assert_eq!(stored, *before, "a refused change leaves its case");
            }
            i if i == stale => {
                assert_eq!(code(answer), "stale_case");
                assert_eq!(stored, *before, "a refused change leaves its case");
            }
            _ => {
                let changed = answer.expect("changed");
                assert_eq!(changed.status, CaseStatus::Pending);
                assert_eq!(changed.version, before.version + 1);
                assert_eq!(stored, changed, "what was answered is stored");
            }
        }
    }
    let lone = grouped
        .set_status(w.other_agent.id, cases[0].id, CaseStatus::Open, None)
        .await;
    assert_eq!(code(lone), "not_assignee", "a lone refusal");
    let note = grouped
        .add_note(w.agent.id, cases[0].id, "called the customer", &[], None)
        .await
        .expect("a lone change");
    let noted = w
        .app
        .store()
        .case(cases[0].id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(
        noted.version,
        cases[0].version + 2,
        "set pending, then noted"
    );
    assert!(note.0 > 0);
    assert_eq!((stats.batches(), stats.changes()), (3, 14));
}
