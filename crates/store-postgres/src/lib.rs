//! The Store on PostgreSQL, the scale-out backend: several `caredesk serve` nodes share one
//! database.
//!
//! Units of work run at READ COMMITTED with explicit row locks: every unit of work that may open
//! or join a case locks the customer's row first, and case reads inside a unit of work lock the
//! case (`FOR UPDATE`), so locks are always taken customer first, then case. Background work
//! claims rows with `FOR UPDATE SKIP LOCKED`, so two nodes never do the same work twice.
//! Commits are durable (`synchronous_commit=on`). Migrations are embedded; `caredesk migrate`
//! applies them explicitly and every start applies what is missing under sqlx's advisory lock.
//!
//! The statements are `caredesk_store_sql`'s, written once for both backends; this crate holds
//! the pool and what PostgreSQL writes its own way ([`caredesk_store_sql::Backend`]): the
//! commit-ordered change log, claims with `SKIP LOCKED` in one statement, the batch lookups and
//! writes of ingest with their rows as arrays (`unnest`), sequences moved after a bulk load.

mod backend;
mod batch_sql;
pub mod databases;

use std::str::FromStr;
use std::time::Duration;

use caredesk_store::StoreError;
use caredesk_store_sql::errors::postgres as map_error;
use caredesk_store_sql::SqlStore;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

/// The embedded migrations of this backend.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// caredesk's data in a PostgreSQL database.
pub type PgStore = SqlStore<Postgres>;

/// The connection pool to one PostgreSQL database.
pub struct Postgres {
    pool: PgPool,
}

/// Connects a pool of `pool_size` connections to `url` without migrating.
pub async fn connect(url: &str, pool_size: u32) -> Result<PgStore, StoreError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(map_error)?
        .options([("synchronous_commit", "on")])
        .application_name("caredesk");
    let pool = PgPoolOptions::new()
        .max_connections(pool_size.max(1))
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(map_error)?;
    Ok(SqlStore::new(Postgres { pool }))
}

/// Connects and applies the migrations that are missing.
pub async fn open(url: &str, pool_size: u32) -> Result<PgStore, StoreError> {
    let store = connect(url, pool_size).await?;
    store.backend().migrate().await?;
    Ok(store)
}

impl Postgres {
    /// Applies the migrations that are missing (safe to run from several nodes at once).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }
}
