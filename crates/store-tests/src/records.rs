//! Stories of what is recorded over time: the cases whose grace period is due, the audit log's
//! filters and pages, and the change log read in commit order.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::{EventFilter, Store};

pub(crate) async fn grace_due_cases(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut due = Vec::new();
    for (i, offset) in [30, 10, 20, 90].iter().enumerate() {
        let (_, conv) = f
            .customer(&format!("c-{i}"), "Cust", f.profiles[0].id)
            .await;
        let mut case = f.case_from(&conv, &format!("m-{i}"), "x", None, T0).await;
        case.status = CaseStatus::Done;
        case.grace_until = Some(T0.plus_secs(*offset));
        f.save(&case).await;
        due.push(case);
    }
    let mut tx = store.begin().await.expect("begin");
    let found: Vec<CaseId> = tx
        .due_grace_cases(T0.plus_secs(30), 10)
        .await
        .expect("read")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        found,
        vec![due[1].id, due[2].id, due[0].id],
        "due cases, earliest first; the boundary is due"
    );
    let limited = tx.due_grace_cases(T0.plus_secs(30), 2).await.expect("read");
    assert_eq!(limited.len(), 2, "the batch size is respected");
}

pub(crate) async fn audit_log_filters_and_pages(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let case = f.case_from(&c0, "m-1", "help", None, T0).await;
    let mut tx = store.begin().await.expect("begin");
    let mut written = Vec::new();
    for i in 0..7 {
        let (actor, kind) = if i % 2 == 0 {
            (Some(f.agent.id), EventKind::Deleted)
        } else {
            (
                Some(f.admin.id),
                EventKind::Admin {
                    what: "user_updated".into(),
                    id: i.to_string(),
                },
            )
        };
        let case_id = (i % 2 == 0).then_some(case.id);
        written.push(Event {
            case_id,
            actor,
            at: T0.plus_secs(i),
            kind,
        });
    }
    tx.insert_events(&written).await.expect("events");
    tx.commit().await.expect("commit");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .events(&EventFilter::default(), cursor.as_deref(), 3)
            .await
            .expect("page");
        seen.extend(page.items.into_iter().map(|e| e.event));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    written.reverse();
    assert_eq!(seen, written, "every event, newest first, across pages");
    let by_agent = EventFilter {
        actor: Some(f.agent.id),
        ..Default::default()
    };
    assert_eq!(
        store
            .events(&by_agent, None, 50)
            .await
            .expect("read")
            .items
            .len(),
        4
    );
    let by_kind = EventFilter {
        kind: Some("admin".into()),
        case_id: None,
        actor: None,
    };
    assert_eq!(
        store
            .events(&by_kind, None, 50)
            .await
            .expect("read")
            .items
            .len(),
        3
    );
    let by_case = EventFilter {
        case_id: Some(case.id),
        ..Default::default()
    };
    assert!(store
        .events(&by_case, None, 50)
        .await
        .expect("read")
        .items
        .iter()
        .all(|e| e.event.case_id == Some(case.id)));
}

pub(crate) async fn change_log_is_read_in_commit_order(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let case = f.case_from(&c0, "m-1", "help", None, T0).await;
    let start = store.change_log_end().await.expect("end");
    let mut written = Vec::new();
    for batch in 0..2 {
        let mut tx = store.begin().await.expect("begin");
        let events: Vec<Event> = (0..3)
            .map(|i| {
                let kind = EventKind::StatusChanged {
                    from: CaseStatus::New,
                    to: CaseStatus::Open,
                };
                Event::of_case(
                    case.id,
                    Some(f.agent.id),
                    T0.plus_secs(batch * 10 + i),
                    kind,
                )
            })
            .collect();
        tx.insert_events(&events).await.expect("events");
        tx.commit().await.expect("commit");
        written.extend(events);
    }
    let changes = delivered(&store, start, written.len()).await;
    let events: Vec<Event> = changes.iter().map(|c| c.event.event.clone()).collect();
    assert_eq!(
        events, written,
        "every change after the start, in commit order"
    );
    assert!(
        changes.windows(2).all(|w| w[0].cursor < w[1].cursor),
        "cursors grow"
    );
    assert!(changes
        .iter()
        .all(|c| c.case_profile == Some(case.profile_id) && c.case_number == Some(case.number)));
    let resumed = store
        .changes_after(changes[2].cursor, 100)
        .await
        .expect("changes");
    assert_eq!(
        resumed.iter().map(|c| c.event.id).collect::<Vec<_>>(),
        changes[3..].iter().map(|c| c.event.id).collect::<Vec<_>>(),
        "resuming skips nothing"
    );
    let limited = store.changes_after(start, 2).await.expect("changes");
    assert_eq!(limited.len(), 2);
    let end = store.change_log_end().await.expect("end");
    let mut tx = store.begin().await.expect("begin");
    let later = Event::admin(Some(f.admin.id), T0, "later", 1);
    tx.insert_events(std::slice::from_ref(&later))
        .await
        .expect("event");
    tx.commit().await.expect("commit");
    let after_end = delivered(&store, end, 1).await;
    assert_eq!(
        after_end.last().map(|c| &c.event.event),
        Some(&later),
        "a change after the end is delivered"
    );
}

/// Reads changes after `from` until at least `n` arrived (a backend may hold changes back while
/// older transactions are still running) or five seconds passed.
async fn delivered(
    store: &Arc<dyn Store>,
    from: caredesk_store::ChangeCursor,
    n: usize,
) -> Vec<caredesk_store::Change> {
    let mut changes = Vec::new();
    for _ in 0..100 {
        changes = store.changes_after(from, 100).await.expect("changes");
        if changes.len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    changes
}
