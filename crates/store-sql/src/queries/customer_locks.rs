//! Serialising units of work on customers where the dialect locks rows: every unit of work that
//! may open or join a case locks the customer first, so locks are always taken customer first,
//! then case. On SQLite the writer connection and `BEGIN IMMEDIATE` already serialise every
//! unit of work, so nothing runs.

use caredesk_domain::CustomerId;

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn lock_customer(conn: &mut Conn<'_>, id: CustomerId) -> Result<()> {
    if conn.dialect().locks_rows() {
        Sql::new("SELECT id FROM customers WHERE id = $1 FOR UPDATE")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    }
    Ok(())
}

/// Locks each customer, in the order of their ids (every batch takes them in one order).
pub(crate) async fn lock_customers(conn: &mut Conn<'_>, ids: &[CustomerId]) -> Result<()> {
    let dialect = conn.dialect();
    if ids.is_empty() || !dialect.locks_rows() {
        return Ok(());
    }
    let mut ids: Vec<i64> = ids.iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    Sql::new(format!(
        "SELECT id FROM customers WHERE {} ORDER BY id FOR UPDATE",
        dialect.any_of("id", 1)
    ))
    .bind(ids)
    .fetch_all(conn)
    .await?;
    Ok(())
}
