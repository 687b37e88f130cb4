//! The outbox (replies waiting to be sent, in flight, or waiting for a person) and what the
//! networks last said about each profile. SQLite serialises writers, so claiming a row needs no
//! row lock: the unit of work that claims it holds the write lock.

use caredesk_domain::*;
use caredesk_store::rows::SqlxRow;
use caredesk_store::{OutboxEntry, ProfileSignals};

use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

const ENTRY: &str = "o.message_id, o.channel, o.attempts, o.next_attempt_at, o.sending_since";

async fn entries(
    conn: &mut Conn,
    sql: &str,
    at: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxEntry>> {
    let all = sqlx::query(sql)
        .bind(at.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    all.iter()
        .map(|r| rows::outbox_entry(&SqlxRow(r)))
        .collect()
}

pub(crate) async fn enqueue_outbox(
    conn: &mut Conn,
    message: MessageId,
    channel: &serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (message_id, channel, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(message.0)
    .bind(to_json(channel)?)
    .bind(now.0)
    .bind(now.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn requeue_outbox(
    conn: &mut Conn,
    message: MessageId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET attempts = 0, next_attempt_at = ?, sending_since = NULL \
         WHERE message_id = ?",
    )
    .bind(now.0)
    .bind(message.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn remove_outbox(conn: &mut Conn, message: MessageId) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE message_id = ?")
        .bind(message.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn due_replies(
    conn: &mut Conn,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxEntry>> {
    let sql = format!(
        "SELECT {ENTRY} FROM outbox o JOIN messages m ON m.id = o.message_id \
         WHERE o.sending_since IS NULL AND o.next_attempt_at <= ? AND m.delivery = 'queued' \
         ORDER BY o.next_attempt_at, o.id LIMIT ?"
    );
    entries(conn, &sql, now, limit).await
}

pub(crate) async fn replies_in_doubt(
    conn: &mut Conn,
    sending_before: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxEntry>> {
    let sql = format!(
        "SELECT {ENTRY} FROM outbox o JOIN messages m ON m.id = o.message_id \
         WHERE o.sending_since IS NOT NULL AND o.sending_since <= ? AND m.delivery = 'sending' \
         ORDER BY o.sending_since, o.id LIMIT ?"
    );
    entries(conn, &sql, sending_before, limit).await
}

pub(crate) async fn outbox_entry(
    conn: &mut Conn,
    message: MessageId,
) -> Result<Option<OutboxEntry>> {
    let sql = format!("SELECT {ENTRY} FROM outbox o WHERE o.message_id = ?");
    super::one_by_id(conn, &sql, message.0, rows::outbox_entry).await
}

pub(crate) async fn start_outbox_send(
    conn: &mut Conn,
    message: MessageId,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, sending_since = ? WHERE message_id = ?",
    )
    .bind(now.0)
    .bind(message.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn end_outbox_send(
    conn: &mut Conn,
    message: MessageId,
    next_attempt_at: Option<Timestamp>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET sending_since = NULL, next_attempt_at = COALESCE(?, next_attempt_at) \
         WHERE message_id = ?",
    )
    .bind(next_attempt_at.map(|t| t.0))
    .bind(message.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn unconfirmed_replies(
    conn: &mut Conn,
    profile: ProfileId,
    customer: CustomerId,
) -> Result<Vec<Message>> {
    let all = sqlx::query(
        "SELECT * FROM messages WHERE profile_id = ? AND customer_id = ? AND author = 'brand' \
         AND network_id IS NULL AND sent_by IS NOT NULL ORDER BY id LIMIT 500",
    )
    .bind(profile.0)
    .bind(customer.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    all.iter().map(|r| rows::message(&SqlxRow(r))).collect()
}

pub(crate) async fn set_token_rejected(
    conn: &mut Conn,
    profile: ProfileId,
    rejected: Option<(Timestamp, &str)>,
) -> Result<()> {
    let query = match rejected {
        Some((at, error)) => {
            sqlx::query("UPDATE profiles SET token_rejected_at = ?, token_error = ? WHERE id = ?")
                .bind(at.0)
                .bind(error)
        }
        // Most successful sends find nothing to clear and write nothing.
        None => sqlx::query(
            "UPDATE profiles SET token_rejected_at = NULL, token_error = NULL \
             WHERE id = ? AND token_rejected_at IS NOT NULL",
        ),
    };
    query
        .bind(profile.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn profile_signals(conn: &mut Conn) -> Result<Vec<ProfileSignals>> {
    super::all(
        conn,
        "SELECT p.id, p.token_rejected_at, p.token_error, p.last_webhook_at, \
         COALESCE(w.waiting, 0) AS replies_waiting, w.oldest AS oldest_waiting_since, \
         COALESCE(w.stuck, 0) AS replies_stuck \
         FROM profiles p LEFT JOIN ( \
           SELECT m.profile_id, \
             SUM(CASE WHEN m.delivery IN ('queued', 'sending') THEN 1 ELSE 0 END) AS waiting, \
             MIN(CASE WHEN m.delivery IN ('queued', 'sending') THEN o.created_at END) AS oldest, \
             SUM(CASE WHEN m.delivery IN ('failed', 'delivery_unknown') THEN 1 ELSE 0 END) AS stuck \
           FROM outbox o JOIN messages m ON m.id = o.message_id GROUP BY m.profile_id \
         ) w ON w.profile_id = p.id ORDER BY p.id",
        rows::profile_signals,
    )
    .await
}
