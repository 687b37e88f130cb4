//! Stories of savepoints: a part of a unit of work that fails is undone alone, and the unit of
//! work goes on and commits the other parts.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::{EventFilter, Store, StoreError};

pub(crate) async fn a_failed_part_is_undone_alone(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tx = store.begin().await.expect("begin");

    tx.savepoint().await.expect("savepoint");
    tx.insert_message(&Fixture::message(&c0, "m-1", "first", T0))
        .await
        .expect("first part");
    tx.release_savepoint().await.expect("release");

    tx.savepoint().await.expect("savepoint");
    tx.insert_message(&Fixture::message(&c0, "m-2", "second", T0))
        .await
        .expect("the failing part writes before it fails");
    tx.insert_events(&[Event::admin(None, T0, "part-two", 2)])
        .await
        .expect("event");
    let err = tx
        .insert_message(&Fixture::message(&c0, "m-1", "duplicate", T0))
        .await
        .expect_err("a duplicate network id");
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "the schema answers Conflict, got {err:?}"
    );
    tx.rollback_to_savepoint()
        .await
        .expect("rolling back to the savepoint succeeds after the error");

    tx.savepoint().await.expect("a savepoint after a rollback");
    tx.insert_message(&Fixture::message(&c0, "m-3", "third", T0))
        .await
        .expect("the unit of work is usable again");
    tx.insert_events(&[Event::admin(None, T0, "part-three", 3)])
        .await
        .expect("event");
    tx.release_savepoint().await.expect("release");
    tx.commit().await.expect("commit");

    let mut tx = store.begin().await.expect("begin");
    for (network_id, text) in [
        ("m-1", Some("first")),
        ("m-2", None),
        ("m-3", Some("third")),
    ] {
        let found = tx
            .message_by_network_id(c0.profile_id, network_id)
            .await
            .expect("read");
        assert_eq!(
            found.as_ref().map(|m| m.text.as_str()),
            text,
            "{network_id}: the failed part is undone, the others committed"
        );
    }
    drop(tx);
    let events = store
        .events(&EventFilter::default(), None, 100)
        .await
        .expect("events");
    let kinds: Vec<String> = events
        .items
        .iter()
        .map(|e| format!("{:?}", e.event.kind))
        .collect();
    assert!(
        kinds.iter().any(|k| k.contains("part-three")),
        "the event of the third part is kept: {kinds:?}"
    );
    assert!(
        !kinds.iter().any(|k| k.contains("part-two")),
        "the event of the failed part is undone: {kinds:?}"
    );
}

/// Without a savepoint, uncommitted work of a dropped unit disappears; with one rolled back to,
/// only the work after it does.
pub(crate) async fn rollback_to_savepoint_keeps_earlier_work(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (_, c0) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_message(&Fixture::message(&c0, "before", "kept", T0))
        .await
        .expect("before the savepoint");
    tx.savepoint().await.expect("savepoint");
    tx.insert_message(&Fixture::message(&c0, "after", "undone", T0))
        .await
        .expect("after the savepoint");
    tx.rollback_to_savepoint().await.expect("rollback");
    let seen = tx
        .message_by_network_id(c0.profile_id, "after")
        .await
        .expect("read");
    assert_eq!(
        seen, None,
        "the unit of work no longer sees what was undone"
    );
    tx.commit().await.expect("commit");
    let mut tx = store.begin().await.expect("begin");
    assert!(tx
        .message_by_network_id(c0.profile_id, "before")
        .await
        .expect("read")
        .is_some());
    assert!(tx
        .message_by_network_id(c0.profile_id, "after")
        .await
        .expect("read")
        .is_none());
}
