//! The outbox (replies waiting to be sent, in flight, or waiting for a person) and what the
//! networks last said about each profile. Claims pass over rows another unit of work holds
//! where the dialect locks rows (`FOR UPDATE SKIP LOCKED`), so several nodes share the work
//! without sending twice; on SQLite the unit of work that claims holds the write lock.

use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};
use caredesk_store::{OutboxEntry, ProfileSignals};

use super::Result;
use crate::{Conn, Sql};

const ENTRY: &str = "o.message_id, o.channel, o.attempts, o.next_attempt_at, o.sending_since";

pub(crate) async fn enqueue_outbox(
    conn: &mut Conn<'_>,
    message: MessageId,
    channel: &serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    Sql::new(
        "INSERT INTO outbox (message_id, channel, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(message.0)
    .bind(to_json(channel)?)
    .bind(now.0)
    .bind(now.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn requeue_outbox(
    conn: &mut Conn<'_>,
    message: MessageId,
    now: Timestamp,
) -> Result<bool> {
    let changed = Sql::new(
        "UPDATE outbox SET attempts = 0, next_attempt_at = $1, sending_since = NULL \
         WHERE message_id = $2",
    )
    .bind(now.0)
    .bind(message.0)
    .execute(conn)
    .await?;
    Ok(changed > 0)
}

pub(crate) async fn remove_outbox(conn: &mut Conn<'_>, message: MessageId) -> Result<()> {
    Sql::new("DELETE FROM outbox WHERE message_id = $1")
        .bind(message.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn due_replies(
    conn: &mut Conn<'_>,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxEntry>> {
    let claim = conn.dialect().skip_locked(Some("o"));
    Sql::new(format!(
        "SELECT {ENTRY} FROM outbox o JOIN messages m ON m.id = o.message_id \
         WHERE o.sending_since IS NULL AND o.next_attempt_at <= $1 AND m.delivery = 'queued' \
         ORDER BY o.next_attempt_at, o.id LIMIT $2{claim}"
    ))
    .bind(now.0)
    .bind(i64::from(limit))
    .all(conn, rows::outbox_entry)
    .await
}

pub(crate) async fn replies_in_doubt(
    conn: &mut Conn<'_>,
    sending_before: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxEntry>> {
    let claim = conn.dialect().skip_locked(Some("o"));
    Sql::new(format!(
        "SELECT {ENTRY} FROM outbox o JOIN messages m ON m.id = o.message_id \
         WHERE o.sending_since IS NOT NULL AND o.sending_since <= $1 AND m.delivery = 'sending' \
         ORDER BY o.sending_since, o.id LIMIT $2{claim}"
    ))
    .bind(sending_before.0)
    .bind(i64::from(limit))
    .all(conn, rows::outbox_entry)
    .await
}

pub(crate) async fn outbox_entry(
    conn: &mut Conn<'_>,
    message: MessageId,
) -> Result<Option<OutboxEntry>> {
    let lock = conn.dialect().for_update();
    Sql::new(format!(
        "SELECT {ENTRY} FROM outbox o WHERE o.message_id = $1{lock}"
    ))
    .bind(message.0)
    .optional(conn, rows::outbox_entry)
    .await
}

pub(crate) async fn start_outbox_send(
    conn: &mut Conn<'_>,
    message: MessageId,
    now: Timestamp,
) -> Result<()> {
    Sql::new("UPDATE outbox SET attempts = attempts + 1, sending_since = $1 WHERE message_id = $2")
        .bind(now.0)
        .bind(message.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn end_outbox_send(
    conn: &mut Conn<'_>,
    message: MessageId,
    next_attempt_at: Option<Timestamp>,
) -> Result<()> {
    Sql::new(
        "UPDATE outbox SET sending_since = NULL, next_attempt_at = COALESCE($1, next_attempt_at) \
         WHERE message_id = $2",
    )
    .bind(next_attempt_at.map(|t| t.0))
    .bind(message.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn unconfirmed_replies(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    customer: CustomerId,
) -> Result<Vec<Message>> {
    Sql::new(format!(
        "SELECT {} FROM messages WHERE profile_id = $1 AND customer_id = $2 \
         AND author = 'brand' AND network_id IS NULL AND sent_by IS NOT NULL ORDER BY id LIMIT 500",
        super::messages::message_columns("")
    ))
    .bind(profile.0)
    .bind(customer.0)
    .all(conn, rows::message)
    .await
}

pub(crate) async fn set_token_rejected(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    rejected: Option<(Timestamp, &str)>,
) -> Result<()> {
    let statement = match rejected {
        Some((at, error)) => {
            Sql::new("UPDATE profiles SET token_rejected_at = $1, token_error = $2 WHERE id = $3")
                .bind(at.0)
                .bind(error)
        }
        // Most successful sends find nothing to clear and write nothing.
        None => Sql::new(
            "UPDATE profiles SET token_rejected_at = NULL, token_error = NULL \
             WHERE id = $1 AND token_rejected_at IS NOT NULL",
        ),
    };
    statement.bind(profile.0).execute(conn).await?;
    Ok(())
}

/// Replies waiting in the outbox.
pub(crate) async fn outbox_depth(conn: &mut Conn<'_>) -> Result<i64> {
    Sql::new(
        "SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id \
         WHERE m.delivery IN ('queued', 'sending')",
    )
    .scalar(conn)
    .await
}

pub(crate) async fn profile_signals(conn: &mut Conn<'_>) -> Result<Vec<ProfileSignals>> {
    Sql::new(
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
    )
    .all(conn, rows::profile_signals)
    .await
}
