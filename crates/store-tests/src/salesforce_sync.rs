//! Stories of the Salesforce status-sync queue: a change queued while a sync is in flight
//! survives that sync, failures reschedule or give up until the next change, and concurrent
//! workers never claim one sync twice.

use std::collections::BTreeSet;
use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::salesforce::{cases, link, linked_cases};
use super::Fixture;
use caredesk_store::salesforce::{SalesforceSync, SyncEnd};
use caredesk_store::Store;

/// Claims in one unit of work, committed.
async fn claim(store: &Arc<dyn Store>, now: Timestamp, limit: u32) -> Vec<SalesforceSync> {
    let mut tx = store.begin().await.expect("begin");
    let claimed = tx
        .claim_salesforce_syncs(now, now.plus_secs(60), limit)
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    claimed
}

async fn end(store: &Arc<dyn Store>, sync: &SalesforceSync, how: SyncEnd) {
    let mut tx = store.begin().await.expect("begin");
    tx.end_salesforce_sync(sync, &how).await.expect("end");
    tx.commit().await.expect("commit");
}

async fn queue(store: &Arc<dyn Store>, case: CaseId, now: Timestamp) {
    let mut tx = store.begin().await.expect("begin");
    tx.queue_salesforce_sync(case, now).await.expect("queue");
    tx.commit().await.expect("commit");
}

pub(crate) async fn salesforce_syncs_follow_the_latest_change(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ids = cases(&f, 2).await;
    let (unlinked, case) = (ids[0], ids[1]);
    let mut tx = store.begin().await.expect("begin");
    tx.insert_salesforce_case(case, &link(0))
        .await
        .expect("link");
    tx.commit().await.expect("commit");
    queue(&store, unlinked, T0).await;
    let state = store.salesforce_sync_state(unlinked).await.expect("read");
    assert!(state.is_none(), "an unlinked case queues nothing");
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 0);

    queue(&store, case, T0).await;
    let state = store.salesforce_sync_state(case).await.expect("read");
    let state = state.expect("queued");
    assert_eq!((state.attempts, state.next_attempt_at), (0, Some(T0)));
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 1);
    let first = claim(&store, T0, 10).await;
    assert_eq!(first.len(), 1);
    let first = first[0].clone();
    assert_eq!(first.case_id, case);
    assert_eq!(
        first.salesforce_id,
        link(0).id,
        "the Salesforce id comes along"
    );
    assert_eq!(first.attempts, 1);
    assert!(
        claim(&store, T0.plus_secs(1), 10).await.is_empty(),
        "leased"
    );

    // A change while the call is in flight: its Done removes nothing, the change is due at once.
    queue(&store, case, T0.plus_secs(2)).await;
    assert!(
        claim(&store, T0.plus_secs(3), 10).await.is_empty(),
        "leased"
    );
    end(&store, &first, SyncEnd::Done).await;
    let second = claim(&store, T0.plus_secs(3), 10).await;
    assert_eq!(second.len(), 1, "the newer change survives");
    let second = second[0].clone();
    assert!(second.generation > first.generation);
    assert_eq!(second.attempts, 1, "counted from the newer change");

    // A failure with a time reschedules it; its lease is free again.
    let failed = |at: Option<Timestamp>, error: &str| SyncEnd::Failed {
        next_attempt_at: at,
        error: error.into(),
    };
    end(
        &store,
        &second,
        failed(Some(T0.plus_secs(100)), "UNABLE_TO_LOCK_ROW"),
    )
    .await;
    let state = store.salesforce_sync_state(case).await.expect("read");
    let state = state.expect("waiting");
    assert_eq!(state.next_attempt_at, Some(T0.plus_secs(100)));
    assert_eq!(state.last_error.as_deref(), Some("UNABLE_TO_LOCK_ROW"));
    assert!(claim(&store, T0.plus_secs(99), 10).await.is_empty());
    let retry = claim(&store, T0.plus_secs(100), 10).await;
    assert_eq!(retry.len(), 1);
    assert_eq!(
        (retry[0].generation, retry[0].attempts),
        (second.generation, 2)
    );

    // A lease that ran out is claimed again.
    let again = claim(&store, T0.plus_secs(161), 10).await;
    assert_eq!(again.len(), 1, "the lease ran out");
    assert_eq!(again[0].attempts, 3);

    // Refused for good: given up (out of the depth) until the next change.
    end(&store, &again[0], failed(None, "INVALID_FIELD")).await;
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 0);
    let state = store.salesforce_sync_state(case).await.expect("read");
    let state = state.expect("kept for the tab");
    assert_eq!(state.next_attempt_at, None);
    assert_eq!(state.last_error.as_deref(), Some("INVALID_FIELD"));
    assert!(claim(&store, T0.plus_secs(10_000), 10).await.is_empty());

    queue(&store, case, T0.plus_secs(300)).await;
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 1);
    let state = store.salesforce_sync_state(case).await.expect("read");
    let state = state.expect("queued again");
    assert_eq!(state.attempts, 0);
    assert_eq!(state.next_attempt_at, Some(T0.plus_secs(300)));
    assert_eq!(state.last_error, None, "a new change starts clean");
    let third = claim(&store, T0.plus_secs(300), 10).await;
    assert_eq!(third.len(), 1);

    // A failure of an older change leaves the newer one as the queue left it.
    queue(&store, case, T0.plus_secs(301)).await;
    end(&store, &third[0], failed(Some(T0.plus_secs(900)), "old")).await;
    let state = store.salesforce_sync_state(case).await.expect("read");
    let state = state.expect("newer change");
    assert_eq!(state.next_attempt_at, Some(T0.plus_secs(301)));
    assert_eq!((state.attempts, state.last_error), (0, None));
    let fourth = claim(&store, T0.plus_secs(301), 10).await;
    assert_eq!(fourth.len(), 1, "due at once");
    end(&store, &fourth[0], SyncEnd::Done).await;
    assert!(store
        .salesforce_sync_state(case)
        .await
        .expect("read")
        .is_none());
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 0);
}

pub(crate) async fn salesforce_syncs_are_claimed_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let all = linked_cases(&f, 24).await;
    let mut tx = store.begin().await.expect("begin");
    for (i, case) in all.iter().enumerate().rev() {
        let secs = i64::try_from(i).unwrap_or(0);
        tx.queue_salesforce_sync(*case, T0.plus_secs(secs))
            .await
            .expect("queue");
    }
    tx.commit().await.expect("commit");
    assert_eq!(store.salesforce_sync_depth().await.expect("depth"), 24);

    // Oldest due first; an uncommitted claim is undone.
    let mut tx = store.begin().await.expect("begin");
    let first = tx
        .claim_salesforce_syncs(T0.plus_secs(100), T0.plus_secs(160), 3)
        .await
        .expect("claim");
    let first: Vec<CaseId> = first.iter().map(|s| s.case_id).collect();
    assert_eq!(first, all[..3].to_vec(), "oldest due first");
    drop(tx);

    let mut workers = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = claim(&store, T0.plus_secs(100), 3).await;
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|s| (s.case_id, s.attempts)));
            }
        }));
    }
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.expect("worker"));
    }
    let unique: BTreeSet<CaseId> = claimed.iter().map(|(c, _)| *c).collect();
    assert_eq!(claimed.len(), unique.len(), "no sync is claimed twice");
    assert_eq!(unique, all.iter().copied().collect(), "every due sync");
    assert!(
        claimed.iter().all(|(_, attempts)| *attempts == 1),
        "the undone claim counted no attempt"
    );
}
