//! The one SQL implementation of the store, for SQLite and PostgreSQL alike.
//!
//! Statements are written once, in text both dialects accept (`$1` placeholders, `ON CONFLICT`,
//! `RETURNING`), as [`Sql`] values that bind neutral [`Arg`]s with the driver's own query when
//! they run on a [`Conn`], the enum of the two native connections. The fragments the dialects
//! write differently (lock clauses, lists, numbering) come from [`Dialect`]; the operations
//! whose SQL truly differs, and the connections themselves, come from the backend crate through
//! [`Backend`]. [`SqlStore`] implements [`caredesk_store::Store`] and the bulk loader over a
//! backend; the units of work it opens implement [`caredesk_store::Tx`].

mod assignment;
mod backend;
mod bulk;
pub mod change_log;
mod conn;
mod dialect;
pub mod errors;
mod ingest;
mod lookups;
mod media;
mod mentions;
mod multi_row;
mod notifications;
mod presence;
mod queries;
mod reports;
mod row;
mod salesforce;
mod saved_replies;
mod sealed;
mod search;
pub mod secrets;
mod sla;
mod sql;
mod store;
mod tx;
mod views;
mod write_health;

use std::sync::Arc;

pub use backend::{Backend, BatchSql, Claim, IdCounts, NewCustomer};
pub use conn::{Conn, Pooled, Transaction};
pub use dialect::{Dialect, Lock};
pub use queries::messages::message_columns;
pub use queries::salesforce::LINK as SALESFORCE_LINK_COLUMNS;
pub use row::{Row, Value};
pub use secrets::{SecretKey, Secrets};
pub use sql::{Arg, Sql};
use tx::SqlTx;
use write_health::WriteHealth;

/// The store over a backend: reads on the backend's reader connections, units of work in its
/// transactions.
pub struct SqlStore<B> {
    backend: Arc<B>,
    writes: WriteHealth,
    secrets: Secrets,
}

impl<B: Backend> SqlStore<B> {
    /// The store over `backend`, sealing secrets under a key of this process alone (for a
    /// database that lives no longer than the process; others take [`SqlStore::with_secrets`]).
    pub fn new(backend: B) -> SqlStore<B> {
        SqlStore {
            backend: Arc::new(backend),
            writes: WriteHealth::default(),
            secrets: Secrets::ephemeral(),
        }
    }

    /// The same store, sealing and opening secrets with `secrets`.
    pub fn with_secrets(mut self, secrets: Secrets) -> SqlStore<B> {
        self.secrets = secrets;
        self
    }

    /// The backend, for what only it does.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.backend.close().await;
    }
}

impl<B> Clone for SqlStore<B> {
    fn clone(&self) -> Self {
        SqlStore {
            backend: self.backend.clone(),
            writes: self.writes.clone(),
            secrets: self.secrets.clone(),
        }
    }
}

impl<B> std::fmt::Debug for SqlStore<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore").finish_non_exhaustive()
    }
}
