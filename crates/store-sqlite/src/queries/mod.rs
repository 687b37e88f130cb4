//! The SQL of this backend, as functions over one connection, shared by reads outside
//! transactions and by units of work.

use caredesk_store::rows::SqlxRow;

pub(crate) mod cases;
pub(crate) mod directory;
pub(crate) mod ingest;
pub(crate) mod ingest_writes;
pub(crate) mod messages;
pub(crate) mod outbox;
pub(crate) mod salesforce;
pub(crate) mod savepoints;
pub(crate) mod sessions;

pub(crate) use sqlx::SqliteConnection as Conn;

use crate::map_error;
use crate::rows::{self, Result};

/// Runs a query with one integer parameter and decodes the row it finds, if any.
pub(crate) async fn one_by_id<T>(
    conn: &mut Conn,
    sql: &str,
    id: i64,
    decode: fn(&dyn rows::Columns) -> Result<T>,
) -> Result<Option<T>> {
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    row.as_ref().map(|r| decode(&SqlxRow(r))).transpose()
}

/// Runs a query without parameters and decodes every row.
pub(crate) async fn all<T>(
    conn: &mut Conn,
    sql: &str,
    decode: fn(&dyn rows::Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let rows = sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    rows.iter().map(|r| decode(&SqlxRow(r))).collect()
}
