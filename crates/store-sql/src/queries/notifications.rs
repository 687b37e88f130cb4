//! Notifications: a user's list (newest first, keyset paged), their unread count, a new row,
//! and marking a user's own rows read. Every read and mark names the user, so no statement
//! here can reach another user's notifications.

use caredesk_domain::{NewNotification, Notification, NotificationId, Timestamp, UserId};
use caredesk_store::notifications::{self as decode, NotificationQuery, ReadMark};
use caredesk_store::views::MAX_LIMIT;
use caredesk_store::{Cursor, Page};

use super::Result;
use crate::multi_row::{rows_per_statement, rows_statement};
use crate::{Conn, Sql};

pub(crate) async fn page(
    conn: &mut Conn<'_>,
    query: &NotificationQuery,
) -> Result<Page<Notification>> {
    let unread = if query.unread_only {
        " AND n.read_at IS NULL"
    } else {
        ""
    };
    // Past the cursor in (created_at, id) descending order; no cursor starts past the end.
    let after = query.cursor.unwrap_or(Cursor {
        value: i64::MAX,
        id: i64::MAX,
    });
    let limit = query.limit.clamp(1, MAX_LIMIT);
    let found = Sql::new(format!(
        "SELECT n.id, n.user_id, n.kind, n.case_id, c.number AS case_number, n.actor_id, \
         n.created_at, n.read_at FROM notifications n JOIN cases c ON c.id = n.case_id \
         WHERE n.user_id = $1{unread} \
         AND (n.created_at < $2 OR (n.created_at = $2 AND n.id < $3)) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $4"
    ))
    .bind(query.user.0)
    .bind(after.value)
    .bind(after.id)
    .bind(i64::from(limit) + 1)
    .all(conn, decode::notification)
    .await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    Ok(Page::from_overfetched(found, limit, |n| Cursor {
        value: n.created_at.0,
        id: n.id.0,
    }))
}

pub(crate) async fn unread_count(conn: &mut Conn<'_>, user: UserId) -> Result<i64> {
    Sql::new("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.0)
        .scalar(conn)
        .await
}

pub(crate) async fn insert(conn: &mut Conn<'_>, new: &NewNotification) -> Result<NotificationId> {
    let id: i64 = Sql::new(
        "INSERT INTO notifications (user_id, kind, case_id, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.recipient.0)
    .bind(new.kind.as_str())
    .bind(new.case_id.0)
    .bind(new.actor.map(|u| u.0))
    .bind(new.at.0)
    .scalar(conn)
    .await?;
    Ok(NotificationId(id))
}

/// Stores notifications with multi-row inserts; answers each with its id (read back from the
/// rows the inserts return, not from their order).
pub(crate) async fn insert_many(
    conn: &mut Conn<'_>,
    new: &[NewNotification],
) -> Result<Vec<(NotificationId, NewNotification)>> {
    const COLUMNS: usize = 5;
    let dialect = conn.dialect();
    let statement = (
        "INSERT INTO notifications (user_id, kind, case_id, actor_id, created_at) ",
        " RETURNING id, user_id, kind, case_id, actor_id, created_at",
    );
    let mut stored = Vec::with_capacity(new.len());
    for chunk in new.chunks(rows_per_statement(dialect, COLUMNS)) {
        let insert = rows_statement(dialect, statement, COLUMNS, chunk, &|insert, n| {
            Ok(insert
                .bind(n.recipient.0)
                .bind(n.kind.as_str())
                .bind(n.case_id.0)
                .bind(n.actor.map(|u| u.0))
                .bind(n.at.0))
        })?;
        stored.extend(insert.all(conn, decode::inserted).await?);
    }
    Ok(stored)
}

pub(crate) async fn mark_read(
    conn: &mut Conn<'_>,
    user: UserId,
    mark: &ReadMark,
    now: Timestamp,
) -> Result<u64> {
    let base = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
    match mark {
        ReadMark::All => Sql::new(base).bind(now.0).bind(user.0).execute(conn).await,
        ReadMark::Ids(ids) if ids.is_empty() => Ok(0),
        ReadMark::Ids(ids) => {
            let among = conn.dialect().any_of("id", 3);
            Sql::new(format!("{base} AND {among}"))
                .bind(now.0)
                .bind(user.0)
                .bind(ids.iter().map(|n| n.0).collect::<Vec<i64>>())
                .execute(conn)
                .await
        }
    }
}
