//! Stories of the Salesforce integration's storage: the one connection with its secrets, the
//! Salesforce Case linked to a case and the claim on links whose Salesforce status is due to be
//! read again (the status-sync queue has its own stories in `salesforce_sync`).

use std::sync::Arc;

use caredesk_domain::salesforce::{ConnectionState, SalesforceCase};
use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::salesforce::SalesforceConnection;
use caredesk_store::{Store, StoreError};

/// The Salesforce Case of the `i`th linked case.
pub(super) fn link(i: usize) -> SalesforceCase {
    SalesforceCase {
        id: format!("500Aa0000{i:06}"),
        number: None,
        url: format!("https://acme.my.salesforce.com/500Aa0000{i:06}"),
        status: None,
        created_at: T0,
    }
}

/// `n` cases, one per new customer on profile 0, none linked yet.
pub(super) async fn cases(f: &Fixture, n: usize) -> Vec<CaseId> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (_, conv) = f
            .customer(&format!("sf-cust-{i}"), "Cust", f.profiles[0].id)
            .await;
        let case = f
            .case_from(&conv, &format!("sf-m-{i}"), "help", None, T0)
            .await;
        ids.push(case.id);
    }
    ids
}

/// `n` cases, each linked to the Salesforce Case [`link`]`(i)`.
pub(super) async fn linked_cases(f: &Fixture, n: usize) -> Vec<CaseId> {
    let ids = cases(f, n).await;
    let mut tx = f.store.begin().await.expect("begin");
    for (i, id) in ids.iter().enumerate() {
        tx.insert_salesforce_case(*id, &link(i))
            .await
            .expect("link");
    }
    tx.commit().await.expect("commit");
    ids
}

fn connection() -> SalesforceConnection {
    SalesforceConnection {
        login_url: "https://login.salesforce.com".into(),
        client_id: "3MVG9-consumer-key".into(),
        client_secret: "consumer-secret".into(),
        refresh_token: Some("5Aep-refresh".into()),
        access_token: Some("00D-access".into()),
        instance_url: Some("https://acme.my.salesforce.com".into()),
        state: ConnectionState::Connected,
        error: None,
        connected_at: Some(T0),
        updated_at: T0,
    }
}

pub(crate) async fn salesforce_connection_round_trips(store: Arc<dyn Store>) {
    assert!(store.salesforce_connection().await.expect("read").is_none());
    let mut tx = store.begin().await.expect("begin");
    assert!(tx.salesforce_connection().await.expect("read").is_none());
    tx.delete_salesforce_connection()
        .await
        .expect("deleting nothing is a no-op");
    let first = connection();
    tx.save_salesforce_connection(&first).await.expect("save");
    tx.commit().await.expect("commit");
    let stored = store.salesforce_connection().await.expect("read");
    assert_eq!(stored.as_ref(), Some(&first), "secrets are kept");

    let replaced = SalesforceConnection {
        login_url: "https://test.salesforce.com".into(),
        refresh_token: None,
        access_token: None,
        instance_url: None,
        state: ConnectionState::Expired,
        error: Some("invalid_grant: expired access/refresh token".into()),
        connected_at: None,
        updated_at: T0.plus_secs(60),
        ..first
    };
    let mut tx = store.begin().await.expect("begin");
    tx.save_salesforce_connection(&replaced)
        .await
        .expect("replace");
    let seen = tx.salesforce_connection().await.expect("read");
    assert_eq!(seen.as_ref(), Some(&replaced), "the unit of work sees it");
    tx.commit().await.expect("commit");
    let stored = store.salesforce_connection().await.expect("read");
    assert_eq!(stored, Some(replaced), "the one row is replaced");

    let mut tx = store.begin().await.expect("begin");
    tx.delete_salesforce_connection().await.expect("delete");
    tx.commit().await.expect("commit");
    assert!(store.salesforce_connection().await.expect("read").is_none());
}

pub(crate) async fn salesforce_links_round_trip_and_are_unique(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ids = cases(&f, 3).await;
    let (a, b, unlinked) = (ids[0], ids[1], ids[2]);
    let mut tx = store.begin().await.expect("begin");
    tx.insert_salesforce_case(a, &link(0)).await.expect("link");
    let seen = tx.salesforce_case(a).await.expect("read");
    assert_eq!(seen, Some(link(0)), "the unit of work sees it");
    let with_number = SalesforceCase {
        number: Some("00001027".into()),
        status: Some("New".into()),
        ..link(1)
    };
    tx.insert_salesforce_case(b, &with_number)
        .await
        .expect("link");
    tx.commit().await.expect("commit");
    assert_eq!(store.salesforce_case(a).await.expect("read"), Some(link(0)));
    assert!(store
        .salesforce_case(unlinked)
        .await
        .expect("read")
        .is_none());
    let found = store
        .salesforce_cases(&[unlinked, b, a])
        .await
        .expect("read");
    assert_eq!(found, vec![(a, link(0)), (b, with_number.clone())]);
    assert!(store.salesforce_cases(&[]).await.expect("read").is_empty());

    let second = SalesforceCase {
        id: "500Aa0000999999".into(),
        ..link(0)
    };
    for (case, sf, what) in [
        (a, &second, "a second link of a case"),
        (unlinked, &link(0), "a Salesforce Case linked twice"),
    ] {
        let mut tx = store.begin().await.expect("begin");
        let err = tx.insert_salesforce_case(case, sf).await.expect_err(what);
        assert!(
            matches!(err, StoreError::Conflict(_)),
            "{what} answers Conflict, got {err:?}"
        );
    }
    assert_eq!(store.salesforce_case(a).await.expect("read"), Some(link(0)));
    assert!(store
        .salesforce_case(unlinked)
        .await
        .expect("read")
        .is_none());

    let mut tx = store.begin().await.expect("begin");
    tx.set_salesforce_case_state(a, Some("00001026"), "Working", T0.plus_secs(5))
        .await
        .expect("state");
    tx.set_salesforce_case_state(b, None, "Closed", T0.plus_secs(5))
        .await
        .expect("state without a number");
    tx.commit().await.expect("commit");
    let a_now = store.salesforce_case(a).await.expect("read").expect("link");
    assert_eq!(
        (a_now.number.as_deref(), a_now.status.as_deref()),
        (Some("00001026"), Some("Working"))
    );
    let b_now = store.salesforce_case(b).await.expect("read").expect("link");
    assert_eq!(
        (b_now.number.as_deref(), b_now.status.as_deref()),
        (Some("00001027"), Some("Closed")),
        "a missing number keeps the one read before"
    );
}

pub(crate) async fn salesforce_pulls_read_never_read_links_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ids = linked_cases(&f, 4).await;
    let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
    let mut tx = store.begin().await.expect("begin");
    for (case, secs) in [(c, 5), (b, 10), (d, 50)] {
        tx.set_salesforce_case_state(case, None, "Working", T0.plus_secs(secs))
            .await
            .expect("state");
    }
    tx.commit().await.expect("commit");

    let pull = |read_before: i64, now: i64, limit: u32| {
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.expect("begin");
            let got = tx
                .claim_salesforce_pulls(T0.plus_secs(read_before), T0.plus_secs(now), limit)
                .await
                .expect("claim");
            tx.commit().await.expect("commit");
            got.into_iter().map(|(case, _)| case).collect::<Vec<_>>()
        }
    };
    assert_eq!(pull(20, 30, 2).await, vec![a, c], "never read, then oldest");
    assert_eq!(pull(20, 31, 10).await, vec![b], "the rest read before 20");
    assert!(
        pull(20, 32, 10).await.is_empty(),
        "nothing again before then"
    );
    assert_eq!(pull(31, 40, 10).await, vec![a, c], "read at 30, before 31");

    let mut tx = store.begin().await.expect("begin");
    let got = tx
        .claim_salesforce_pulls(T0.plus_secs(1_000), T0.plus_secs(1_000), 10)
        .await
        .expect("claim");
    assert_eq!(got.len(), 4);
    let (case, linked) = &got[3];
    assert_eq!(*case, d, "the latest read comes last");
    assert_eq!(linked.status.as_deref(), Some("Working"));
    assert_eq!(linked.id, link(3).id);
}
