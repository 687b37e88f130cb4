//! Stories of customer look-ups: a look-up is asked for by a request and queued once when the
//! request is promoted (never over one waiting, never before its refresh), claimed oldest due
//! first by one worker at a time (an uncommitted claim is undone, a lease that ran out frees the
//! row), and saved with the answer; a customer's picture is a media row of theirs; the details
//! an agent set by hand round-trip.

use std::collections::BTreeSet;
use std::sync::Arc;

use caredesk_domain::lookup::LookupResult;
use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::Store;

async fn customers(store: &Arc<dyn Store>, n: usize) -> Vec<CustomerId> {
    let mut tx = store.begin().await.expect("begin");
    let mut ids = Vec::new();
    for i in 0..n {
        let customer = tx
            .insert_customer(
                Network::Facebook,
                &format!("psid-{i}"),
                &CustomerDetails::default(),
            )
            .await
            .expect("customer");
        ids.push(customer.id);
    }
    tx.commit().await.expect("commit");
    ids
}

async fn claim(store: &Arc<dyn Store>, now: Timestamp, limit: u32) -> Vec<Customer> {
    let mut tx = store.begin().await.expect("begin");
    let claimed = tx
        .claim_lookups(now, now.plus_secs(60), limit)
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    claimed
}

async fn promote(tx: &mut Box<dyn caredesk_store::Tx>) -> usize {
    tx.promote_lookup_requests(1_000).await.expect("promote")
}

async fn customer(store: &Arc<dyn Store>, id: CustomerId) -> Customer {
    store
        .customer(id)
        .await
        .expect("read")
        .expect("the customer")
}

pub(crate) async fn customer_lookups_are_claimed_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let profile = f.profiles[0].id;
    let all = customers(&store, 24).await;
    let mut tx = store.begin().await.expect("begin");
    for (i, id) in all.iter().enumerate().rev() {
        let at = T0.plus_secs(i64::try_from(i).unwrap_or(0));
        tx.queue_lookups(&[(*id, profile)], at, at.plus_secs(-86_400))
            .await
            .expect("queue");
    }
    // Queued again later: a look-up waiting already keeps its due time.
    let again: Vec<(CustomerId, ProfileId)> = all.iter().map(|c| (*c, f.profiles[1].id)).collect();
    tx.queue_lookups(&again, T0.plus_secs(50), T0)
        .await
        .expect("queue again");
    assert_eq!(
        promote(&mut tx).await,
        all.len() * 2,
        "every request is done with"
    );
    assert_eq!(promote(&mut tx).await, 0);
    tx.commit().await.expect("commit");

    // Oldest due first; an uncommitted claim is undone.
    let mut tx = store.begin().await.expect("begin");
    let first = tx
        .claim_lookups(T0.plus_secs(100), T0.plus_secs(160), 3)
        .await
        .expect("claim");
    let first: Vec<CustomerId> = first.iter().map(|c| c.id).collect();
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
                mine.extend(got.into_iter().map(|c| (c.id, c.lookup)));
            }
        }));
    }
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.expect("worker"));
    }
    let unique: BTreeSet<CustomerId> = claimed.iter().map(|(c, _)| *c).collect();
    assert_eq!(claimed.len(), unique.len(), "no look-up is claimed twice");
    assert_eq!(unique, all.iter().copied().collect(), "every due look-up");
    assert!(
        claimed
            .iter()
            .all(|(_, l)| l.attempts == 1 && l.profile_id == Some(profile)),
        "the undone claim counted no attempt, and each asks with its profile's token"
    );

    // Held while leased; free again once the lease ran out.
    assert!(claim(&store, T0.plus_secs(150), 100).await.is_empty());
    let again = claim(&store, T0.plus_secs(161), 100).await;
    assert_eq!(again.len(), all.len(), "a crash only delays a look-up");
    assert!(again.iter().all(|c| c.lookup.attempts == 2));
}

pub(crate) async fn customer_lookups_of_several_profiles_are_queued_at_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (p0, p1) = (f.profiles[0].id, f.profiles[1].id);
    let ids = customers(&store, 3).await;
    let mut tx = store.begin().await.expect("begin");
    let queued = [(ids[0], p0), (ids[1], p1), (ids[2], p0)];
    let gone = (CustomerId(ids[2].0 + 1_000), p1);
    tx.queue_lookups(&queued, T0, T0.plus_secs(-86_400))
        .await
        .expect("queue");
    tx.queue_lookups(&[gone], T0, T0.plus_secs(-86_400))
        .await
        .expect("queue");
    tx.commit().await.expect("commit");
    assert_eq!(
        customer(&store, ids[0]).await.lookup.due_at,
        None,
        "asked for only"
    );
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        promote(&mut tx).await,
        4,
        "a gone customer's request is done with"
    );
    assert_eq!(promote(&mut tx).await, 0);
    tx.commit().await.expect("commit");
    for (id, profile) in queued {
        let stored = customer(&store, id).await;
        assert_eq!(stored.lookup.due_at, Some(T0), "{id}");
        assert_eq!(
            stored.lookup.profile_id,
            Some(profile),
            "{id} asks with its profile"
        );
    }
}

pub(crate) async fn customer_lookups_round_trip(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let profile = f.profiles[1].id;
    let ids = customers(&store, 2).await;
    let (ann, bo) = (ids[0], ids[1]);
    let mut tx = store.begin().await.expect("begin");
    tx.queue_lookups(&[(ann, profile)], T0, T0.plus_secs(-86_400))
        .await
        .expect("queue");
    promote(&mut tx).await;
    tx.commit().await.expect("commit");
    let mut claimed = claim(&store, T0, 10).await;
    assert_eq!(claimed.len(), 1);
    let mut answered = claimed.remove(0);
    answered.details.display_name = "Ann Lee".into();
    answered.details.handle = "ann.lee".into();
    answered
        .lookup
        .record(LookupResult::Answered, T0.plus_secs(5));
    let mut tx = store.begin().await.expect("begin");
    tx.save_lookup(&answered).await.expect("save");
    let picture = tx
        .queue_avatar(ann, profile, "https://cdn.example/ann.jpg", T0)
        .await
        .expect("avatar");
    tx.commit().await.expect("commit");
    let stored = customer(&store, ann).await;
    assert_eq!(stored.details.display_name, "Ann Lee");
    assert_eq!(stored.details.handle, "ann.lee");
    assert_eq!(stored.lookup, answered.lookup, "the look-up's state");
    assert_eq!(stored.lookup.looked_up_at, Some(T0.plus_secs(5)));
    assert!(claim(&store, T0.plus_secs(1_000), 10).await.is_empty());

    // Not before the refresh; after it, queued again.
    let mut tx = store.begin().await.expect("begin");
    tx.queue_lookups(&[(ann, profile)], T0.plus_secs(60), T0)
        .await
        .expect("queue");
    promote(&mut tx).await;
    tx.commit().await.expect("commit");
    assert_eq!(customer(&store, ann).await.lookup.due_at, None);
    let day_later = T0.plus_secs(86_406);
    let mut tx = store.begin().await.expect("begin");
    let other = f.profiles[0].id;
    tx.queue_lookups(
        &[(ann, profile), (bo, other)],
        day_later,
        day_later.plus_secs(-86_400),
    )
    .await
    .expect("queue");
    promote(&mut tx).await;
    tx.commit().await.expect("commit");
    for (id, asks) in [(ann, profile), (bo, other)] {
        let lookup = customer(&store, id).await.lookup;
        assert_eq!(lookup.due_at, Some(day_later), "{id}");
        assert_eq!(lookup.attempts, 0, "{id}");
        assert_eq!(lookup.profile_id, Some(asks), "each with its own profile");
    }

    // The picture is a media row of the customer's.
    let media = store.media(picture).await.expect("read").expect("the row");
    assert_eq!(media.customer_id, Some(ann));
    assert_eq!(media.profile_id, Some(profile));
    assert_eq!(media.message, None);
    assert_eq!(media.kind, AttachmentKind::Image);
    assert_eq!(media.state, MediaState::Pending);
    assert_eq!(media.due_at, Some(T0));
    let mut tx = store.begin().await.expect("begin");
    let newer = tx
        .queue_avatar(ann, profile, "https://cdn.example/ann-2.jpg", T0)
        .await
        .expect("avatar");
    let newest = tx.newest_avatar(ann).await.expect("read").expect("one");
    assert_eq!(newest.id, newer);
    assert_eq!(tx.newest_avatar(bo).await.expect("read"), None);

    // What an agent set by hand round-trips.
    let mut edited = tx.customer(bo).await.expect("read").expect("bo");
    edited.edit_by_agent(CustomerDetails {
        display_name: "Bo (VIP)".into(),
        ..edited.details.clone()
    });
    tx.update_customer(&edited).await.expect("update");
    tx.commit().await.expect("commit");
    let stored = customer(&store, bo).await;
    assert_eq!(stored.details.display_name, "Bo (VIP)");
    assert_eq!(
        stored.agent_edited,
        ["display_name".to_owned()].into_iter().collect()
    );
}
