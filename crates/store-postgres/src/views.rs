//! The list reads: Care views and counts (rendered from the shared description), a case's
//! conversation, community items. Each runs a fixed number of statements whatever the size.

use caredesk_store::rows::SqlxRow;

use caredesk_domain::*;
use caredesk_store::rows::Columns;
use caredesk_store::views::overview::{self, Overview};
use caredesk_store::views::{community, counts_statement, history, list_statement, sort_value};
use caredesk_store::{
    CaseBadge, CaseQuery, CaseRow, Change, ChangeCursor, ConversationSummary, Cursor, ItemRow,
    MessagePage, Page, ProfileScope, StoreError, View, Viewer,
};
use sea_query::PostgresQueryBuilder;
use sea_query_binder::SqlxBinder;

use crate::map_error;
use crate::queries::Conn;
use crate::rows::{self, Result};

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

pub(crate) async fn list_cases(conn: &mut Conn, query: &CaseQuery) -> Result<Page<CaseRow>> {
    let (stmt, sort) = list_statement(query)?;
    let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
    let found = sqlx::query_with(&sql, values)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    let decode = |row: &dyn rows::Columns| {
        Ok(CaseRow {
            case: rows::case(row)?,
            customer_name: row.text("customer_name")?,
            customer_handle: row.text("customer_handle")?,
            network: rows::word(row, "customer_network")?,
        })
    };
    let limit = i64::from(query.limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    page(&found, limit, decode, |r: &CaseRow| Cursor {
        value: sort_value(&r.case, sort.key),
        id: r.case.id.0,
    })
}

pub(crate) async fn case_counts(conn: &mut Conn, viewer: &Viewer) -> Result<Vec<(View, i64)>> {
    let (sql, values) = counts_statement(viewer).build_sqlx(PostgresQueryBuilder);
    let found = sqlx::query_with(&sql, values)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    found
        .iter()
        .map(|row| {
            let word: String = SqlxRow(row).get("view")?;
            let view =
                View::parse(&word).ok_or_else(|| StoreError::Corrupt(format!("view {word}")))?;
            Ok((view, SqlxRow(row).get("n")?))
        })
        .collect()
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
    let window_start: Option<(i64, i64)> = sqlx::query_as(
        "SELECT m.created_at, m.id FROM case_messages cm JOIN messages m ON m.id = cm.message_id \
         WHERE cm.case_id = $1 AND m.kind = 'direct' ORDER BY m.created_at DESC, m.id DESC LIMIT 1 OFFSET $2",
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
         WHERE cm.case_id = $1 \
         AND (m.kind <> 'direct' OR m.created_at > $2 OR (m.created_at = $3 AND m.id >= $4)) \
         AND (m.created_at > $5 OR (m.created_at = $6 AND m.id > $7)) \
         ORDER BY m.created_at, m.id LIMIT $8",
    )
    .bind(case.0)
    .bind(w_at)
    .bind(w_at)
    .bind(w_id)
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

async fn fetch(
    conn: &mut Conn,
    stmt: sea_query::SelectStatement,
) -> Result<Vec<sqlx::postgres::PgRow>> {
    let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
    sqlx::query_with(&sql, values)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)
}

fn badge(row: &dyn rows::Columns) -> Result<CaseBadge> {
    Ok(CaseBadge {
        id: CaseId(row.int("id")?),
        number: row.int("number")?,
        status: rows::word(row, "status")?,
    })
}

/// Adds to each item its message, its customer, the case locking it and the customer's active
/// case: four statements whatever the page size.
async fn enrich(conn: &mut Conn, items: Vec<CommunityItem>) -> Result<Vec<ItemRow>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let message_ids: Vec<i64> = items.iter().map(|i| i.message_id.0).collect();
    let customer_ids: Vec<i64> = items.iter().map(|i| i.customer_id.0).collect();
    let messages = fetch(conn, community::by_ids_statement("messages", &message_ids)).await?;
    let messages = messages
        .iter()
        .map(|r| rows::message(&SqlxRow(r)))
        .collect::<Result<Vec<_>>>()?;
    let customers = fetch(
        conn,
        community::by_ids_statement("customers", &customer_ids),
    )
    .await?;
    let customers = customers
        .iter()
        .map(|r| rows::customer(&SqlxRow(r)))
        .collect::<Result<Vec<_>>>()?;
    let mut locks = Vec::new();
    for row in fetch(conn, community::locking_cases_statement(&message_ids)).await? {
        locks.push((
            MessageId(SqlxRow(&row).get("message_id")?),
            badge(&SqlxRow(&row))?,
        ));
    }
    let mut active = Vec::new();
    for row in fetch(conn, community::active_cases_statement(&customer_ids)).await? {
        let key = (
            CustomerId(SqlxRow(&row).get("customer_id")?),
            ProfileId(SqlxRow(&row).get("profile_id")?),
        );
        active.push((key, badge(&SqlxRow(&row))?));
    }
    items
        .into_iter()
        .map(|item| {
            let missing = || {
                StoreError::Corrupt(format!(
                    "community item {} lost its message or customer",
                    item.id
                ))
            };
            let message = messages
                .iter()
                .find(|m| m.id == item.message_id)
                .cloned()
                .ok_or_else(missing)?;
            let customer = customers
                .iter()
                .find(|c| c.id == item.customer_id)
                .cloned()
                .ok_or_else(missing)?;
            let locking_case = locks
                .iter()
                .find(|(m, _)| *m == item.message_id)
                .map(|(_, b)| *b);
            let customer_case = active
                .iter()
                .find(|(k, _)| *k == (item.customer_id, item.profile_id))
                .map(|(_, b)| *b);
            Ok(ItemRow {
                item,
                message,
                customer,
                locking_case,
                customer_case,
            })
        })
        .collect()
}

pub(crate) async fn community_item(
    conn: &mut Conn,
    id: CommunityItemId,
) -> Result<Option<ItemRow>> {
    let Some(item) = crate::queries::messages::community_item(conn, id).await? else {
        return Ok(None);
    };
    Ok(enrich(conn, vec![item]).await?.pop())
}

pub(crate) async fn community_items(
    conn: &mut Conn,
    query: &community::ItemQuery,
) -> Result<Page<ItemRow>> {
    let found = fetch(conn, community::items_statement(query)?).await?;
    let limit = i64::from(query.limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    let items = page(&found, limit, rows::community_item, |i: &CommunityItem| {
        Cursor {
            value: i.updated_at.0,
            id: i.id.0,
        }
    })?;
    Ok(Page {
        items: enrich(conn, items.items).await?,
        next_cursor: items.next_cursor,
    })
}

fn case_row(row: &dyn rows::Columns) -> Result<CaseRow> {
    Ok(CaseRow {
        case: rows::case(row)?,
        customer_name: row.text("customer_name")?,
        customer_handle: row.text("customer_handle")?,
        network: rows::word(row, "customer_network")?,
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

pub(crate) async fn customer_cases(
    conn: &mut Conn,
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<CaseRow>> {
    let (sql, values) = history::customer_cases_statement(customer, scope, cursor, limit)?
        .build_sqlx(PostgresQueryBuilder);
    let found = sqlx::query_with(&sql, values)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    let limit = i64::from(limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    page(&found, limit, case_row, |r: &CaseRow| Cursor {
        value: r.case.created_at.0,
        id: r.case.id.0,
    })
}

pub(crate) async fn customer_conversations(
    conn: &mut Conn,
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<ConversationSummary>> {
    let (sql, values) = history::customer_conversations_statement(customer, scope, cursor, limit)?
        .build_sqlx(PostgresQueryBuilder);
    let found = sqlx::query_with(&sql, values)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    let limit = i64::from(limit.clamp(1, caredesk_store::views::MAX_LIMIT));
    let decode = |row: &dyn rows::Columns| {
        Ok(ConversationSummary {
            conversation: rows::conversation(row)?,
            last_message_at: Timestamp(row.int("last_message_at")?),
            message_count: row.int("message_count")?,
        })
    };
    page(&found, limit, decode, |c: &ConversationSummary| Cursor {
        value: c.last_message_at.0,
        id: c.conversation.id.0,
    })
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

pub(crate) async fn overview(
    conn: &mut Conn,
    scope: &ProfileScope,
    now: Timestamp,
    since: Timestamp,
    grace_horizon: Timestamp,
) -> Result<Overview> {
    let mut figures = Overview::default();
    for row in fetch(conn, overview::status_counts(scope)).await? {
        let row = SqlxRow(&row);
        figures
            .by_status
            .push((rows::word(&row, "status")?, row.int("n")?));
    }
    if let Some(row) = fetch(conn, overview::unassigned_new(scope)).await?.first() {
        let row = SqlxRow(row);
        figures.unassigned_new = row.int("n")?;
        figures.oldest_unassigned_new_at = row.opt_int("oldest")?.map(Timestamp);
    }
    for row in fetch(conn, overview::escalations_per_day(scope, since)).await? {
        let row = SqlxRow(&row);
        figures
            .escalations_per_day
            .push((row.int("day")?, row.int("n")?));
    }
    for row in fetch(conn, overview::status_changes(scope, since)).await? {
        let row = SqlxRow(&row);
        if overview::is_change_to_done(&row.text("data")?) {
            figures
                .done_changes
                .push((Timestamp(row.int("at")?), Timestamp(row.int("created_at")?)));
        }
    }
    for row in fetch(conn, overview::grace_ending(scope, now, grace_horizon)).await? {
        let row = SqlxRow(&row);
        figures.grace_ending.push((
            CaseId(row.int("id")?),
            row.int("number")?,
            Timestamp(row.int("grace_until")?),
        ));
    }
    Ok(figures)
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
