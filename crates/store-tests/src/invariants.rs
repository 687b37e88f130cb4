//! Stories of the invariants the schema itself keeps, under concurrency too.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::{Store, StoreError};

pub(crate) async fn message_dedupe_per_profile(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tx = store.begin().await.expect("begin");
    let first = tx
        .insert_message(&Fixture::message(&c0, "m-1", "hello", T0))
        .await
        .expect("insert");
    let mut other_profile = Fixture::message(&c0, "m-1", "mention of both", T0);
    other_profile.profile_id = f.profiles[1].id;
    other_profile.conversation_id = None;
    tx.insert_message(&other_profile)
        .await
        .expect("the same network id on another profile is another message");
    let mut unsent = Fixture::message(&c0, "x", "queued reply", T0);
    unsent.network_id = None;
    tx.insert_message(&unsent)
        .await
        .expect("unsent replies have no network id");
    tx.insert_message(&unsent)
        .await
        .expect("and several may wait at once");
    tx.commit().await.expect("commit");

    let mut tx = store.begin().await.expect("begin");
    let err = tx
        .insert_message(&Fixture::message(&c0, "m-1", "again", T0))
        .await
        .expect_err("same network id twice");
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "a redelivery answers Conflict, got {err:?}"
    );
    drop(tx);
    let found = store
        .message(first.id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(found.text, "hello", "the first stays as it was");
    let mut tx = store.begin().await.expect("begin");
    let by_network_id = tx
        .message_by_network_id(f.profiles[0].id, "m-1")
        .await
        .expect("read");
    assert_eq!(by_network_id.map(|m| m.id), Some(first.id));
}

pub(crate) async fn one_active_case_per_customer_profile(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut case = f.case_from(&c0, "m-1", "help", None, T0).await;
    let mut tx = store.begin().await.expect("begin");
    let m2 = tx
        .insert_message(&Fixture::message(&c0, "m-2", "more", T0))
        .await
        .expect("message");
    let err = tx
        .insert_case(&f.new_case(&m2, None, T0))
        .await
        .expect_err("a second active case is refused");
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "the schema answers Conflict, got {err:?}"
    );
    drop(tx);

    case.status = CaseStatus::Spam;
    case.holds_active_slot = false;
    f.save(&case).await;
    let mut tx = store.begin().await.expect("begin");
    let m2 = tx
        .insert_message(&Fixture::message(&c0, "m-2", "more", T0))
        .await
        .expect("message");
    let next = tx
        .insert_case(&f.new_case(&m2, None, T0))
        .await
        .expect("a released slot takes a new case");
    assert_eq!(next.number, case.number + 1, "numbers follow each other");
    let active = tx
        .active_case(c0.customer_id, c0.profile_id)
        .await
        .expect("read");
    assert_eq!(active.map(|c| c.id), Some(next.id));
    tx.commit().await.expect("commit");
}

/// 20 writers escalate or ingest for one (customer, profile) at once, each in its own unit of
/// work: take the active case if there is one, else open a case. Exactly one case results and
/// every message belongs to it.
pub(crate) async fn concurrent_escalations_leave_one_active_case(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let (customer, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (f, store, c0) = (f.clone(), store.clone(), c0.clone());
        tasks.push(tokio::spawn(async move {
            for _attempt in 0..50 {
                match escalate_or_ingest(&f, &store, &c0, i).await {
                    Ok(()) => return,
                    Err(e) if e.is_retryable() || matches!(e, StoreError::Conflict(_)) => {
                        tokio::task::yield_now().await
                    }
                    Err(e) => panic!("writer {i} failed: {e}"),
                }
            }
            panic!("writer {i} never got through");
        }));
    }
    for t in futures::future::join_all(tasks).await {
        t.expect("writer task");
    }
    let mut tx = store.begin().await.expect("begin");
    let active = tx
        .active_case(customer.id, c0.profile_id)
        .await
        .expect("read")
        .expect("one active case");
    let newest = tx
        .newest_case(customer.id, c0.profile_id)
        .await
        .expect("read")
        .expect("a case");
    assert_eq!(active.id, newest.id, "exactly one case was opened");
    assert_eq!(active.number, 1, "no other case was ever numbered");
    for i in 0..20 {
        let m = tx
            .message_by_network_id(c0.profile_id, &format!("m-{i}"))
            .await
            .expect("read")
            .expect("stored");
        let holders = tx.cases_holding(m.id).await.expect("read");
        assert_eq!(
            holders.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![active.id],
            "message {i} is in the case"
        );
    }
}

async fn escalate_or_ingest(
    f: &Fixture,
    store: &Arc<dyn Store>,
    c0: &Conversation,
    i: i32,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    tx.lock_customer(c0.customer_id).await?;
    let m = tx
        .insert_message(&Fixture::message(c0, &format!("m-{i}"), "hello", T0))
        .await?;
    match tx.active_case(c0.customer_id, c0.profile_id).await? {
        Some(mut case) => {
            let as_read = case.clone();
            case.version += 1;
            tx.save_cases(&[(&as_read, &case)]).await?;
            tx.add_case_message(case.id, m.id).await?;
        }
        None => {
            let case = tx.insert_case(&f.new_case(&m, None, T0)).await?;
            tx.add_case_message(case.id, m.id).await?;
        }
    }
    tx.commit().await
}

pub(crate) async fn uncommitted_work_is_rolled_back(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    {
        let mut tx = store.begin().await.expect("begin");
        let m = tx
            .insert_message(&Fixture::message(&c0, "m-1", "hello", T0))
            .await
            .expect("message");
        tx.insert_case(&f.new_case(&m, None, T0))
            .await
            .expect("case");
        tx.insert_events(&[Event::admin(None, T0, "x", 1)])
            .await
            .expect("event");
    }
    let mut tx = store
        .begin()
        .await
        .expect("begin after a dropped unit of work");
    assert_eq!(
        tx.message_by_network_id(c0.profile_id, "m-1")
            .await
            .expect("read"),
        None,
        "nothing of it stays"
    );
    assert_eq!(
        tx.active_case(c0.customer_id, c0.profile_id)
            .await
            .expect("read"),
        None
    );
}

pub(crate) async fn messages_belong_to_several_cases(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut first = f.case_from(&c0, "m-1", "old thread", None, T0).await;
    first.status = CaseStatus::Done;
    first.holds_active_slot = false;
    f.save(&first).await;
    let second = f
        .case_from(&c0, "m-2", "seen again", None, T0.plus_secs(10))
        .await;
    let mut tx = store.begin().await.expect("begin");
    let m1 = tx
        .message_by_network_id(c0.profile_id, "m-1")
        .await
        .expect("read")
        .expect("stored");
    let holders: Vec<CaseId> = tx
        .cases_holding(m1.id)
        .await
        .expect("read")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        holders,
        vec![first.id, second.id],
        "the old message is in both cases"
    );
    tx.add_case_message(second.id, m1.id)
        .await
        .expect("adding twice is a no-op");
}

pub(crate) async fn case_round_trip_and_events(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut case = f.case_from(&c0, "m-1", "help", Some(f.agent.id), T0).await;
    case.priority = Priority::Urgent;
    case.sentiment = Sentiment::Negative;
    case.fields.insert(
        CaseFieldId(3),
        FieldValue::Labels(vec!["a".into(), "b".into()]),
    );
    case.status = CaseStatus::Done;
    case.grace_until = Some(T0.plus_secs(60));
    case.version = 7;
    f.save(&case).await;
    assert_eq!(
        store.case(case.id).await.expect("read"),
        Some(case.clone()),
        "a case reads back as written"
    );
    assert_eq!(
        store
            .case_by_number(case.number)
            .await
            .expect("read")
            .map(|c| c.id),
        Some(case.id)
    );
    let events = vec![
        Event::of_case(
            case.id,
            Some(f.agent.id),
            T0,
            EventKind::StatusChanged {
                from: CaseStatus::Open,
                to: CaseStatus::Done,
            },
        ),
        Event::of_case(case.id, None, T0.plus_secs(60), EventKind::GraceExpired),
    ];
    let mut tx = store.begin().await.expect("begin");
    tx.insert_events(&events).await.expect("events");
    tx.commit().await.expect("commit");
    let back: Vec<Event> = store
        .case_events(case.id)
        .await
        .expect("read")
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(back, events, "events come back in order, as written");
}
