//! This backend's part of the list reads: it runs the shared read models' statements
//! ([`ConnReader`]) and owns the reads written in its own SQL (a case's conversation, a
//! conversation's messages, a customer's profiles, the change log). Each runs a fixed number of
//! statements whatever the size.

use caredesk_store::reads::{Reader, Row as ReadRow};
use caredesk_store::rows::{OwnedRow, SqlxRow};

use caredesk_domain::*;
use caredesk_store::rows::Columns;
use caredesk_store::{Change, ChangeCursor, Cursor, MessagePage, Page, StoreError};
use sea_query::PostgresQueryBuilder;
use sea_query_binder::SqlxBinder;

use crate::map_error;
use crate::queries::Conn;
use crate::rows::{self, Result};

/// This backend's connection as a [`Reader`] of the shared read models.
pub(crate) struct ConnReader<'c>(pub(crate) &'c mut Conn);

#[async_trait::async_trait]
impl Reader for ConnReader<'_> {
    async fn rows(&mut self, statement: sea_query::SelectStatement) -> Result<Vec<ReadRow>> {
        let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
        // Planned for the values of each request, never with a generic plan: a view's bound
        // values are skewed (a select field has five words shared by a fifth of the cases each,
        // a text field a word per case), and after five runs of a prepared statement
        // PostgreSQL keeps a generic plan costed for an average value. For a case-field filter
        // that plan started from the field's word (estimated at 3 cases, 10,019 in fact) and
        // looked up each case: 14 ms instead of 0.5 ms from the agent's few cases.
        let found = sqlx::query_with(&sql, values)
            .persistent(false)
            .fetch_all(&mut *self.0)
            .await
            .map_err(map_error)?;
        Ok(found
            .into_iter()
            .map(|r| Box::new(OwnedRow(r)) as ReadRow)
            .collect())
    }
}

/// How many customer and brand messages of a DM conversation a case shows.
pub(crate) const DM_WINDOW: i64 = 500;

fn bad_cursor() -> StoreError {
    StoreError::Conflict("invalid cursor".into())
}

/// Decodes the rows of a query that asked for `limit + 1` into a page.
fn page<T>(
    found: &[sqlx::postgres::PgRow],
    limit: i64,
    decode: impl Fn(&dyn rows::Columns) -> Result<T>,
    cursor_of: impl Fn(&T) -> Cursor,
) -> Result<Page<T>> {
    let items = found
        .iter()
        .map(|r| decode(&SqlxRow(r)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page::from_overfetched(
        items,
        usize::try_from(limit).unwrap_or(0),
        cursor_of,
    ))
}

pub(crate) async fn case_messages(
    conn: &mut Conn,
    case: CaseId,
    cursor: Option<&str>,
    limit: u32,
) -> Result<MessagePage> {
    let after = cursor
        .map(|c| Cursor::decode(c).ok_or_else(bad_cursor))
        .transpose()?;
    // The window and the page are read in the order of `case_messages_in_time`, which holds
    // each membership's time and kind: only the page's own messages are read from `messages`.
    let window_start: Option<(i64, i64)> = sqlx::query_as(
        "SELECT created_at, message_id FROM case_messages WHERE case_id = $1 AND direct = TRUE \
         ORDER BY created_at DESC, message_id DESC LIMIT 1 OFFSET $2",
    )
    .bind(case.0)
    .bind(DM_WINDOW - 1)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_error)?;
    let (w_at, w_id) = window_start.unwrap_or((i64::MIN, i64::MIN));
    let (a_at, a_id) = after.map_or((i64::MIN, i64::MIN), |c| (c.value, c.id));
    let limit = i64::from(limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    let found = sqlx::query(
        "SELECT m.* FROM case_messages cm JOIN messages m ON m.id = cm.message_id \
         WHERE cm.case_id = $1 AND (cm.created_at, cm.message_id) > ($2, $3) \
         AND (cm.direct = FALSE OR (cm.created_at, cm.message_id) >= ($4, $5)) \
         ORDER BY cm.created_at, cm.message_id LIMIT $6",
    )
    .bind(case.0)
    .bind(a_at)
    .bind(a_id)
    .bind(w_at)
    .bind(w_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    page(&found, limit, rows::message, |m: &Message| Cursor {
        value: m.created_at.0,
        id: m.id.0,
    })
}

pub(crate) async fn customer_profiles(
    conn: &mut Conn,
    customer: CustomerId,
) -> Result<Vec<ProfileId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT profile_id FROM conversations WHERE customer_id = $1 ORDER BY profile_id",
    )
    .bind(customer.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(ids.into_iter().map(ProfileId).collect())
}

pub(crate) async fn conversation_messages(
    conn: &mut Conn,
    conversation: ConversationId,
    cursor: Option<&str>,
    limit: u32,
) -> Result<MessagePage> {
    let after = cursor
        .map(|c| Cursor::decode(c).ok_or_else(bad_cursor))
        .transpose()?;
    let (a_at, a_id) = after.map_or((i64::MIN, i64::MIN), |c| (c.value, c.id));
    let limit = i64::from(limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    let found = sqlx::query(
        "SELECT * FROM messages WHERE conversation_id = $1 AND (created_at > $2 OR (created_at = $3 AND id > $4)) \
         ORDER BY created_at, id LIMIT $5",
    )
    .bind(conversation.0)
    .bind(a_at)
    .bind(a_at)
    .bind(a_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    page(&found, limit, rows::message, |m: &Message| Cursor {
        value: m.created_at.0,
        id: m.id.0,
    })
}

const SQL_END: &str = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
/// Events are read in (writing transaction, id) order, and only those of transactions older than
/// every transaction still running, so nothing committed later can land before the cursor.
const SQL_CHANGES: &str = "SELECT e.*, c.profile_id AS case_profile, c.number AS case_number FROM events e \
     LEFT JOIN cases c ON c.id = e.case_id \
     WHERE (e.tx > $1 OR (e.tx = $1 AND e.id > $2)) AND e.tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
     ORDER BY e.tx, e.id LIMIT $3";

pub(crate) async fn change_log_end(conn: &mut Conn) -> Result<ChangeCursor> {
    let xmin: i64 = sqlx::query_scalar(SQL_END)
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(ChangeCursor { tx: xmin, id: 0 })
}

pub(crate) async fn changes_after(
    conn: &mut Conn,
    cursor: ChangeCursor,
    limit: u32,
) -> Result<Vec<Change>> {
    let found = sqlx::query(SQL_CHANGES)
        .bind(cursor.tx)
        .bind(cursor.id)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    found
        .iter()
        .map(|row| {
            let columns = SqlxRow(row);
            let event = rows::event(&columns)?;
            Ok(Change {
                cursor: ChangeCursor {
                    tx: columns.int("tx")?,
                    id: event.id.0,
                },
                event,
                case_profile: columns.opt_int("case_profile")?.map(ProfileId),
                case_number: columns.opt_int("case_number")?,
            })
        })
        .collect()
}
