//! The writer after a storage fault: a unit of work that failed because the disk was full, or
//! whose transaction SQLite ended under the driver (as a COMMIT failing on a full disk does),
//! leaves nothing behind, and the next unit of work starts and commits without a restart; the
//! readiness probe writes once after such a fault.

use caredesk_store::StoreError;
use caredesk_store_sql::{Pooled, Transaction};
use sqlx::Executor;

use crate::{open_dir, Sqlite};

const APPEND: &str =
    "INSERT INTO events (case_id, actor_id, kind, data, at) VALUES (NULL, NULL, 'admin', $1, 0)";

async fn begin(sqlite: &Sqlite) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    match caredesk_store_sql::Backend::begin(sqlite).await? {
        Transaction::Sqlite(tx) => Ok(tx),
        Transaction::Postgres(_) => unreachable!("a SQLite store"),
    }
}

async fn on_writer(sqlite: &Sqlite, sql: &str) {
    let Pooled::Sqlite(mut writer) = caredesk_store_sql::Backend::writer(sqlite)
        .await
        .expect("the writer")
    else {
        unreachable!("a SQLite store")
    };
    writer.execute(sql).await.expect(sql);
}

async fn events(sqlite: &Sqlite) -> i64 {
    let Pooled::Sqlite(mut reader) = caredesk_store_sql::Backend::reader(sqlite)
        .await
        .expect("a reader")
    else {
        unreachable!("a SQLite store")
    };
    sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&mut *reader)
        .await
        .expect("count")
}

/// One unit of work appending one event of `bytes` bytes.
async fn append(sqlite: &Sqlite, bytes: usize) -> Result<(), StoreError> {
    let mut tx = begin(sqlite).await?;
    sqlx::query(APPEND)
        .bind("x".repeat(bytes))
        .execute(&mut *tx)
        .await
        .map_err(caredesk_store_sql::errors::sqlite)?;
    tx.commit()
        .await
        .map_err(caredesk_store_sql::errors::sqlite)
}

#[tokio::test]
async fn a_transaction_ended_under_the_driver_does_not_wedge_the_writer() {
    let dir = tempfile::tempdir().expect("dir");
    let store = open_dir(dir.path()).await.expect("store");
    let sqlite = store.backend();
    let mut tx = begin(sqlite).await.expect("begin");
    sqlx::query(APPEND)
        .bind("lost")
        .execute(&mut *tx)
        .await
        .expect("append");
    // SQLite rolls the transaction back itself, as after a COMMIT that failed on a full disk;
    // the driver still counts it open and its own ROLLBACK on drop fails.
    tx.execute("ROLLBACK")
        .await
        .expect("rollback under the driver");
    drop(tx);
    for n in 1..=3 {
        append(sqlite, 10)
            .await
            .unwrap_or_else(|e| panic!("unit of work {n} after the fault: {e}"));
    }
    assert_eq!(
        events(sqlite).await,
        3,
        "the rolled back event is not there"
    );
}

#[tokio::test]
async fn a_full_database_refuses_as_a_storage_fault_and_writes_again_once_there_is_room() {
    let dir = tempfile::tempdir().expect("dir");
    let store = open_dir(dir.path()).await.expect("store");
    let sqlite = store.backend();
    append(sqlite, 10).await.expect("a first write");
    // The file may grow by a few pages only.
    on_writer(
        sqlite,
        "SELECT 1; PRAGMA max_page_count = 0; PRAGMA max_page_count = 200",
    )
    .await;
    let before = events(sqlite).await;
    let mut refused = None;
    for _ in 0..200 {
        if let Err(e) = append(sqlite, 64 * 1024).await {
            refused = Some(e);
            break;
        }
    }
    let refused = refused.expect("the database filled up");
    assert!(
        matches!(refused, StoreError::Storage(_)),
        "a full database is a storage fault, not the request's: {refused:?}"
    );
    let kept = events(sqlite).await;
    assert!(kept >= before, "what committed before stays");
    // Room again: the same store writes on, without a restart.
    on_writer(sqlite, "PRAGMA max_page_count = 1073741823").await;
    append(sqlite, 64 * 1024)
        .await
        .expect("a write once there is room");
    assert_eq!(events(sqlite).await, kept + 1);
}

/// One unit of work through the store's port appending an event of about `bytes` bytes.
async fn append_through_the_port(
    store: &crate::SqliteStore,
    bytes: usize,
) -> Result<(), StoreError> {
    use caredesk_domain::{Event, EventKind, Timestamp};
    use caredesk_store::Store;
    let event = Event {
        case_id: None,
        actor: None,
        at: Timestamp(0),
        kind: EventKind::Admin {
            what: "x".repeat(bytes),
            id: "1".into(),
        },
    };
    let mut tx = store.begin().await?;
    tx.insert_events(&[event]).await?;
    tx.commit().await
}

#[tokio::test]
async fn readiness_after_a_storage_fault_writes_once_and_is_ready_when_that_commits() {
    use caredesk_store::Store;
    let dir = tempfile::tempdir().expect("dir");
    let store = open_dir(dir.path()).await.expect("store");
    store.ping().await.expect("ready");
    on_writer(
        store.backend(),
        "PRAGMA max_page_count = 0; PRAGMA max_page_count = 200",
    )
    .await;
    let mut refused = None;
    for _ in 0..200 {
        if let Err(e) = append_through_the_port(&store, 64 * 1024).await {
            refused = Some(e);
            break;
        }
    }
    assert!(
        matches!(refused, Some(StoreError::Storage(_))),
        "the database filled up: {refused:?}"
    );
    // The probe's own unit of work runs on a writer that takes writes again.
    store.ping().await.expect("ready once a write commits");
    append_through_the_port(&store, 10)
        .await
        .expect("writes go on");
}
