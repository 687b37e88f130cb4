//! The Store on PostgreSQL, the scale-out backend: several `caredesk serve` nodes share one
//! database.
//!
//! Units of work run at READ COMMITTED with explicit row locks: every unit of work that may open
//! or join a case locks the customer's row first, and case reads inside a unit of work lock the
//! case (`FOR UPDATE`), so locks are always taken customer first, then case. Background work
//! claims rows with `FOR UPDATE SKIP LOCKED`, so two nodes never do the same work twice.
//! Commits are durable (`synchronous_commit=on`). Migrations are embedded; `caredesk migrate`
//! applies them explicitly and every start applies what is missing under sqlx's advisory lock.

mod bulk;
pub mod databases;
mod error;
mod ingest;
mod queries;
mod rows;
mod salesforce;
mod store;
mod tx;
mod views;

use std::str::FromStr;
use std::time::Duration;

use caredesk_store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

pub use error::map_error;

/// The embedded migrations of this backend.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// caredesk's data in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects a pool of `pool_size` connections to `url` without migrating.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, StoreError> {
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
        Ok(PgStore { pool })
    }

    /// Connects and applies the migrations that are missing.
    pub async fn open(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        let store = Self::connect(url, pool_size).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations that are missing (safe to run from several nodes at once).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
