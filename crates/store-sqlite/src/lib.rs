//! The Store on embedded SQLite, the default backend.
//!
//! One file under the data directory, in WAL mode with `synchronous=FULL` (a committed write
//! survives power loss), foreign keys on and a busy timeout. Writes go through a single writer
//! connection and every unit of work starts with `BEGIN IMMEDIATE`, so units of work are
//! serialised and never fail on a read-to-write lock upgrade; reads use a pool of their own.
//! Migrations are embedded and run when the store opens; the query planner's statistics are
//! refreshed then and every hour (`PRAGMA optimize`). The WAL is copied into the database file
//! by a connection of its own, so commits never wait for it.
//!
//! The statements are `caredesk_store_sql`'s, written once for both backends; this crate holds
//! the connections and what SQLite writes its own way ([`caredesk_store_sql::Backend`]): the
//! change log read in id order, claims made under the write lock, and the batch lookups and
//! writes of ingest with their rows as JSON (`json_each`).

mod backend;
pub mod backup;
mod batch_sql;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use caredesk_store::StoreError;
use caredesk_store_sql::errors::sqlite as map_error;
use caredesk_store_sql::SqlStore;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

/// The embedded migrations of this backend.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Refreshes the statistics the query planner chooses indexes by (the views have several
/// partial indexes to choose from): `PRAGMA optimize` analyzes the tables whose size changed
/// much since they were last analyzed, `first` also those never analyzed, each from a sample.
async fn optimize(writer: &SqlitePool, first: bool) -> Result<(), StoreError> {
    let pragma = if first {
        "PRAGMA optimize = 0x10002"
    } else {
        "PRAGMA optimize"
    };
    for sql in ["PRAGMA analysis_limit = 1000", pragma] {
        sqlx::query(sql).execute(writer).await.map_err(map_error)?;
    }
    Ok(())
}

/// Keeps the planner's statistics fresh while the data grows, until the store closes.
async fn optimize_hourly(writer: SqlitePool) {
    let mut tick = tokio::time::interval(Duration::from_secs(3_600));
    tick.tick().await;
    loop {
        tick.tick().await;
        if writer.is_closed() {
            return;
        }
        if let Err(error) = optimize(&writer, false).await {
            tracing::warn!(%error, "refreshing the query planner's statistics failed");
        }
    }
}

/// Copies what the WAL holds into the database file every quarter second, on a connection of
/// its own, until the store closes: the writer stops to do it only when the WAL passes
/// [`WRITER_CHECKPOINT_PAGES`], and a commit is durable once it is in the WAL whatever this does.
async fn checkpoint_continually(checkpointer: SqlitePool) {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if checkpointer.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&checkpointer)
            .await
        {
            if !checkpointer.is_closed() {
                tracing::warn!(%error, "checkpointing the write-ahead log failed");
            }
        }
    }
}

/// The WAL size, in pages, past which the writer checkpoints it itself after a commit. The
/// background checkpoints normally keep it below; the writer's own checkpoint bounds the WAL
/// under constant load (the file keeps the size it reached, about 200 MB at most in the
/// benchmark). A batch of 2,000 ingested messages writes about 5,000 pages, so at 4,000 the
/// writer stopped to checkpoint after nearly every batch: 7,419 messages/s against 10,198 at
/// this size (docs/PERFORMANCE.md).
const WRITER_CHECKPOINT_PAGES: &str = "32000";

/// The name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "caredesk.db";

/// caredesk's data in one SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

/// Whether the writer may start a unit of work. A COMMIT that fails after SQLite rolled the
/// transaction back itself (a full disk, an I/O error) leaves the driver counting an open
/// transaction that no ROLLBACK can end, and every later `BEGIN` would be refused until a
/// restart. The ping waits for the writer's queued rollback of the last unit of work; a
/// connection still counted in a transaction after it is closed and the pool opens a new one.
async fn writer_usable(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    conn.ping().await?;
    let usable = !conn.is_in_transaction();
    if !usable {
        tracing::warn!("the SQLite writer was left inside a failed transaction; reopening it");
    }
    Ok(usable)
}

/// The connections to one SQLite file: the single writer, the readers and the checkpointer.
pub struct Sqlite {
    writer: SqlitePool,
    readers: SqlitePool,
    checkpointer: SqlitePool,
}

/// Opens (creating if missing) `caredesk.db` in `data_dir` and migrates it. A directory or
/// database file this makes is readable by its owner only (0700, 0600; SQLite gives its log
/// files the database file's mode).
pub async fn open_dir(data_dir: &Path) -> Result<SqliteStore, StoreError> {
    let cannot = |what: &str, e: std::io::Error| {
        StoreError::Unavailable(format!(
            "cannot create {what} in {}: {e}",
            data_dir.display()
        ))
    };
    let mut dir = std::fs::DirBuilder::new();
    dir.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
    dir.create(data_dir)
        .map_err(|e| cannot("the data directory", e))?;
    let file = data_dir.join(DATABASE_FILE);
    let mut create = std::fs::OpenOptions::new();
    create.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    create
        .open(&file)
        .map_err(|e| cannot("the database file", e))?;
    let options = SqliteConnectOptions::new().filename(file);
    open_with(options).await
}

/// Opens a `sqlite://path` URL (created if missing) and migrates it.
pub async fn open_url(url: &str) -> Result<SqliteStore, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(map_error)?;
    open_with(options).await
}

async fn open_with(options: SqliteConnectOptions) -> Result<SqliteStore, StoreError> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-32768");
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .before_acquire(|conn, _| Box::pin(writer_usable(conn)))
        .connect_with(
            options
                .clone()
                .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES),
        )
        .await
        .map_err(map_error)?;
    MIGRATOR
        .run(&writer)
        .await
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    optimize(&writer, true).await?;
    tokio::spawn(optimize_hourly(writer.clone()));
    // Four readers, each with a small cache: the operating system caches the file for all
    // of them, and every reader connection has a thread whose allocator arena keeps what it
    // freed (eight readers with 8 MB caches took the server to 360 MB at a million cases;
    // four with 4 MB, about 200 MB; the view latencies of both are in docs/PERFORMANCE.md).
    let readers = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(
            options
                .clone()
                .read_only(true)
                .pragma("cache_size", "-4096"),
        )
        .await
        .map_err(map_error)?;
    let checkpointer = SqlitePoolOptions::new()
        .max_connections(1)
        // Four statements a second of upkeep are not worth a log line each.
        .connect_with(
            options
                .pragma("cache_size", "-1024")
                .disable_statement_logging(),
        )
        .await
        .map_err(map_error)?;
    tokio::spawn(checkpoint_continually(checkpointer.clone()));
    Ok(SqlStore::new(Sqlite {
        writer,
        readers,
        checkpointer,
    }))
}

#[cfg(test)]
mod storage_fault_tests;
