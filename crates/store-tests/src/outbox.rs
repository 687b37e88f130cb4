//! Stories of the outbox: claims that never hand one reply to two senders, calls in flight and
//! in doubt, our replies waiting for their echo, and each profile's health signals.

use std::collections::BTreeSet;
use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::Store;

/// Stores `n` of our replies in the customer's DM conversation, queued and due at `T0`.
async fn queue_replies(f: &Fixture, customer: &str, n: usize) -> Vec<MessageId> {
    let (_, conv) = f.customer(customer, "Cust", f.profiles[0].id).await;
    let mut tx = f.store.begin().await.expect("begin");
    let mut ids = Vec::new();
    for i in 0..n {
        let mut reply = Fixture::message(&conv, "unused", &format!("reply {i}"), T0);
        reply.network_id = None;
        reply.author = Author::Brand;
        reply.sent_by = Some(f.agent.id);
        reply.delivery = Some(Delivery::Queued);
        let stored = tx.insert_message(&reply).await.expect("reply");
        let channel = serde_json::json!({"channel": "x_direct"});
        tx.enqueue_outbox(stored.id, &channel, T0)
            .await
            .expect("enqueue");
        ids.push(stored.id);
    }
    tx.commit().await.expect("commit");
    ids
}

/// Claims up to `batch` due replies and marks them sending, in one unit of work.
async fn claim(store: &Arc<dyn Store>, batch: u32) -> Vec<MessageId> {
    let mut tx = store.begin().await.expect("begin");
    let due = tx.due_replies(T0.plus_secs(1), batch).await.expect("due");
    let mut claimed = Vec::new();
    for entry in due {
        let mut m = tx
            .message(entry.message_id)
            .await
            .expect("read")
            .expect("message");
        m.delivery = Some(Delivery::Sending);
        tx.update_message(&m).await.expect("update");
        tx.start_outbox_send(m.id, T0.plus_secs(1))
            .await
            .expect("start");
        claimed.push(m.id);
    }
    tx.commit().await.expect("commit");
    claimed
}

pub(crate) async fn outbox_claims_each_reply_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let all = queue_replies(&f, "cust-1", 24).await;
    let mut workers = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = claim(&store, 3).await;
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got);
            }
        }));
    }
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.expect("worker"));
    }
    let unique: BTreeSet<MessageId> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), unique.len(), "no reply is claimed twice");
    assert_eq!(
        unique,
        all.iter().copied().collect(),
        "every due reply is claimed"
    );

    let mut tx = store.begin().await.expect("begin");
    let entry = tx.outbox_entry(all[0]).await.expect("read").expect("entry");
    assert_eq!(entry.attempts, 1);
    assert_eq!(entry.sending_since, Some(T0.plus_secs(1)));
    assert_eq!(entry.channel, serde_json::json!({"channel": "x_direct"}));
    let in_doubt = tx
        .replies_in_doubt(T0.plus_secs(1), 100)
        .await
        .expect("in doubt");
    assert_eq!(in_doubt.len(), 24, "every call in flight since then");
    assert!(tx
        .replies_in_doubt(T0, 100)
        .await
        .expect("in doubt")
        .is_empty());

    // A transient error: back in the queue, due later.
    let mut m = tx.message(all[0]).await.expect("read").expect("message");
    m.delivery = Some(Delivery::Queued);
    tx.update_message(&m).await.expect("update");
    tx.end_outbox_send(all[0], Some(T0.plus_secs(60)))
        .await
        .expect("end");
    assert!(tx
        .due_replies(T0.plus_secs(59), 10)
        .await
        .expect("due")
        .is_empty());
    let due = tx.due_replies(T0.plus_secs(60), 10).await.expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].sending_since, None);
    // A person sends it again from the start.
    assert!(tx
        .requeue_outbox(all[0], T0.plus_secs(5))
        .await
        .expect("requeue"));
    let due = tx.due_replies(T0.plus_secs(5), 10).await.expect("due");
    assert_eq!(due[0].attempts, 0);
    tx.remove_outbox(all[1]).await.expect("remove");
    assert!(tx.outbox_entry(all[1]).await.expect("read").is_none());
    assert!(!tx
        .requeue_outbox(all[1], T0)
        .await
        .expect("requeue of a removed row"));
    tx.commit().await.expect("commit");
}

pub(crate) async fn unconfirmed_replies_wait_for_their_echo(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ids = queue_replies(&f, "cust-1", 3).await;
    queue_replies(&f, "cust-2", 1).await;
    let mut tx = store.begin().await.expect("begin");
    let mut named = tx.message(ids[1]).await.expect("read").expect("message");
    named.network_id = Some("m_1".into());
    named.delivery = Some(Delivery::Sent);
    tx.update_message(&named).await.expect("update");
    let customer = named.customer_id.expect("customer");
    let waiting: Vec<MessageId> = tx
        .unconfirmed_replies(f.profiles[0].id, customer)
        .await
        .expect("read")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        waiting,
        vec![ids[0], ids[2]],
        "oldest first, named ones left out"
    );
    assert!(tx
        .unconfirmed_replies(f.profiles[1].id, customer)
        .await
        .expect("read")
        .is_empty());
}

pub(crate) async fn profile_signals_follow_the_outbox(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ids = queue_replies(&f, "cust-1", 3).await;
    let p0 = f.profiles[0].id;
    let mut tx = store.begin().await.expect("begin");
    let mut failed = tx.message(ids[2]).await.expect("read").expect("message");
    failed.delivery = Some(Delivery::Failed);
    tx.update_message(&failed).await.expect("update");
    tx.set_token_rejected(p0, Some((T0.plus_secs(5), "(#190) expired")))
        .await
        .expect("rejected");
    tx.touch_profiles_webhook(&[p0], T0).await.expect("touch");
    tx.touch_profiles_webhook(&[p0], T0.plus_secs(30))
        .await
        .expect("touch within the minute");
    tx.commit().await.expect("commit");

    let signals = store.profile_signals().await.expect("signals");
    assert_eq!(signals.len(), 2);
    let s = &signals[0];
    assert_eq!(s.profile_id, p0);
    assert_eq!(s.token_rejected_at, Some(T0.plus_secs(5)));
    assert_eq!(s.token_error.as_deref(), Some("(#190) expired"));
    assert_eq!(s.last_webhook_at, Some(T0), "kept to the minute");
    assert_eq!(s.replies_waiting, 2);
    assert_eq!(s.oldest_waiting_since, Some(T0));
    assert_eq!(s.replies_stuck, 1);
    let other = &signals[1];
    assert_eq!(
        (
            other.replies_waiting,
            other.replies_stuck,
            other.last_webhook_at
        ),
        (0, 0, None)
    );
    assert_eq!(store.outbox_depth().await.expect("depth"), 2);

    let mut tx = store.begin().await.expect("begin");
    tx.set_token_rejected(p0, None).await.expect("cleared");
    tx.touch_profiles_webhook(&[p0], T0.plus_secs(61))
        .await
        .expect("touch");
    tx.commit().await.expect("commit");
    let s = &store.profile_signals().await.expect("signals")[0];
    assert_eq!(
        (s.token_rejected_at.is_none(), s.token_error.is_none()),
        (true, true)
    );
    assert_eq!(s.last_webhook_at, Some(T0.plus_secs(61)));

    // Many profiles at once, each kept to the minute.
    let p1 = f.profiles[1].id;
    let mut tx = store.begin().await.expect("begin");
    tx.touch_profiles_webhook(&[p0, p1], T0.plus_secs(90))
        .await
        .expect("touch both");
    tx.touch_profiles_webhook(&[], T0.plus_secs(90))
        .await
        .expect("touch none");
    tx.commit().await.expect("commit");
    let touched: Vec<Option<Timestamp>> = store
        .profile_signals()
        .await
        .expect("signals")
        .iter()
        .map(|s| s.last_webhook_at)
        .collect();
    assert_eq!(touched, [Some(T0.plus_secs(61)), Some(T0.plus_secs(90))]);
}
