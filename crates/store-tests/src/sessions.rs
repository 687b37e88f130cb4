//! Stories of sign-in: sessions found by their token's hash, touched and revoked, and failed
//! sign-ins counted per key inside a time window.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::{NewSession, Store, StoreError, StoredSession};

fn new_session(user: UserId, token_hash: &str, at: Timestamp) -> NewSession {
    NewSession {
        user_id: user,
        token_hash: token_hash.into(),
        csrf_token: format!("csrf-of-{token_hash}"),
        at,
    }
}

async fn stored(store: &Arc<dyn Store>, token_hash: &str) -> StoredSession {
    store
        .session(token_hash)
        .await
        .expect("read session")
        .unwrap_or_else(|| panic!("session {token_hash} exists"))
}

pub(crate) async fn sessions_round_trip_and_revocation(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut tx = store.begin().await.expect("begin");
    let first = tx
        .insert_session(&new_session(f.agent.id, "hash-1", T0))
        .await
        .expect("insert");
    let second = tx
        .insert_session(&new_session(f.agent.id, "hash-2", T0.plus_secs(1)))
        .await
        .expect("insert");
    tx.insert_session(&new_session(f.admin.id, "hash-admin", T0))
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    assert_ne!(first, second, "each session has its own id");

    assert_eq!(
        stored(&store, "hash-1").await,
        StoredSession {
            id: first,
            user_id: f.agent.id,
            csrf_token: "csrf-of-hash-1".into(),
            created_at: T0,
            last_seen_at: T0,
            revoked: false,
        },
        "a session reads back as written"
    );
    assert_eq!(
        store.session("no-such-hash").await.expect("read"),
        None,
        "an unknown token finds nothing"
    );

    {
        let mut tx = store.begin().await.expect("begin");
        tx.insert_session(&new_session(f.agent.id, "hash-uncommitted", T0))
            .await
            .expect("insert");
    }
    assert_eq!(
        store.session("hash-uncommitted").await.expect("read"),
        None,
        "an uncommitted session does not stay"
    );

    let mut tx = store.begin().await.expect("begin");
    let err = tx
        .insert_session(&new_session(f.other_agent.id, "hash-1", T0))
        .await
        .expect_err("a token hash is stored once");
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");
    drop(tx);

    let later = T0.plus_secs(120);
    let mut tx = store.begin().await.expect("begin");
    tx.touch_session(first, later).await.expect("touch");
    tx.touch_session(first, T0.plus_secs(60))
        .await
        .expect("a late touch is harmless");
    tx.commit().await.expect("commit");
    let touched = stored(&store, "hash-1").await;
    assert_eq!(touched.last_seen_at, later, "touching moves last_seen_at");
    assert_eq!(touched.created_at, T0, "touching keeps created_at");

    let mut tx = store.begin().await.expect("begin");
    tx.revoke_session("hash-1", later).await.expect("revoke");
    tx.revoke_session("hash-1", later.plus_secs(5))
        .await
        .expect("revoking twice is harmless");
    tx.revoke_session("no-such-hash", later)
        .await
        .expect("revoking an unknown token is harmless");
    tx.commit().await.expect("commit");
    assert!(stored(&store, "hash-1").await.revoked, "logout revokes");
    assert!(!stored(&store, "hash-2").await.revoked, "only that one");

    let mut tx = store.begin().await.expect("begin");
    let revoked = tx
        .revoke_user_sessions(f.agent.id, later)
        .await
        .expect("revoke all");
    tx.commit().await.expect("commit");
    assert_eq!(revoked, 1, "only the live sessions of the user count");
    assert!(stored(&store, "hash-2").await.revoked);
    assert!(
        !stored(&store, "hash-admin").await.revoked,
        "other users keep their sessions"
    );
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        tx.revoke_user_sessions(f.agent.id, later)
            .await
            .expect("revoke all"),
        0,
        "nothing left to revoke"
    );
}

pub(crate) async fn login_failures_count_inside_a_window(store: Arc<dyn Store>) {
    let account = "account:ann@example.com";
    let address = "address:192.0.2.7";
    let mut tx = store.begin().await.expect("begin");
    for secs in [0, 10, 20] {
        tx.record_login_failure(account, T0.plus_secs(secs))
            .await
            .expect("record");
    }
    tx.record_login_failure(address, T0.plus_secs(20))
        .await
        .expect("record");
    tx.commit().await.expect("commit");

    let cases = [
        (account, T0, 3, Some(T0)),
        (account, T0.plus_secs(10), 2, Some(T0.plus_secs(10))),
        (account, T0.plus_secs(11), 1, Some(T0.plus_secs(20))),
        (account, T0.plus_secs(21), 0, None),
        (address, T0, 1, Some(T0.plus_secs(20))),
        ("account:nobody@example.com", T0, 0, None),
    ];
    for (key, since, count, oldest) in cases {
        assert_eq!(
            store.login_failures_since(key, since).await.expect("count"),
            count,
            "failures of {key} since {since:?}"
        );
        assert_eq!(
            store
                .oldest_login_failure_since(key, since)
                .await
                .expect("oldest"),
            oldest,
            "oldest failure of {key} since {since:?}"
        );
    }

    let mut tx = store.begin().await.expect("begin");
    tx.clear_login_failures(account).await.expect("clear");
    tx.commit().await.expect("commit");
    assert_eq!(
        store
            .login_failures_since(account, T0)
            .await
            .expect("count"),
        0,
        "clearing forgets the key's failures"
    );
    assert_eq!(
        store
            .login_failures_since(address, T0)
            .await
            .expect("count"),
        1,
        "clearing one key leaves the others"
    );
}
