//! Claiming rows of a background queue for a lease, written once for every queue that has a due
//! time, a lease and an attempt counter (media downloads, mention look-ups, customer look-ups):
//! the due rows whose lease is free, oldest due first, passing over rows another unit of work
//! holds where the dialect locks rows; each claimed row is leased and counts the attempt.

use std::collections::HashMap;

use caredesk_domain::Timestamp;
use caredesk_store::rows::Columns;

use super::Result;
use crate::{Conn, Sql};

/// A queue's table and the columns of its due time, lease and attempts.
pub(crate) struct Queue {
    pub table: &'static str,
    pub due_at: &'static str,
    pub claimed_until: &'static str,
    pub attempts: &'static str,
}

/// Claims up to `limit` due rows of `queue` until `lease_until`; answers them oldest due first.
pub(crate) async fn claim<T>(
    conn: &mut Conn<'_>,
    queue: &Queue,
    (now, lease_until): (Timestamp, Timestamp),
    limit: u32,
    decode: fn(&dyn Columns) -> Result<T>,
    id_of: fn(&T) -> i64,
) -> Result<Vec<T>> {
    let Queue {
        table,
        due_at,
        claimed_until,
        attempts,
    } = queue;
    let skip_locked = conn.dialect().skip_locked(None);
    let due: Vec<i64> = Sql::new(format!(
        "SELECT id FROM {table} WHERE {due_at} <= $1 \
         AND ({claimed_until} IS NULL OR {claimed_until} < $1) \
         ORDER BY {due_at}, id LIMIT $2{skip_locked}"
    ))
    .bind(now.0)
    .bind(i64::from(limit))
    .all(conn, |row| row.int("id"))
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let order: HashMap<i64, usize> = due.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let among = conn.dialect().any_of("id", 2);
    let mut claimed = Sql::new(format!(
        "UPDATE {table} SET {claimed_until} = $1, {attempts} = {attempts} + 1 \
         WHERE {among} RETURNING *"
    ))
    .bind(lease_until.0)
    .bind(due)
    .all(conn, decode)
    .await?;
    claimed.sort_by_key(|row| order.get(&id_of(row)).copied().unwrap_or(usize::MAX));
    Ok(claimed)
}
