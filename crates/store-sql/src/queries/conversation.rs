//! The conversation reads written in plain SQL: a case's messages (with a DM conversation's
//! 500-message window), a conversation's messages and a customer's profiles. Each runs a fixed
//! number of statements whatever the size.

use caredesk_domain::*;
use caredesk_store::rows::{self, Columns};
use caredesk_store::views::MAX_LIMIT;
use caredesk_store::{CaseMessages, Cursor, MessagePage, Page, StoreError};

use super::messages::message_columns;
use super::Result;
use crate::{Conn, Row, Sql};

/// How many customer and brand messages of a DM conversation a case shows.
pub(crate) const DM_WINDOW: i64 = 500;

fn bad_cursor() -> StoreError {
    StoreError::Conflict("invalid cursor".into())
}

/// The (time, id) after which a page starts.
fn after(cursor: Option<&str>) -> Result<(i64, i64)> {
    let after = cursor
        .map(|c| Cursor::decode(c).ok_or_else(bad_cursor))
        .transpose()?;
    Ok(after.map_or((i64::MIN, i64::MIN), |c| (c.value, c.id)))
}

/// Decodes the messages of a query that asked for `limit + 1` into a page.
fn page(found: &[Row], limit: i64) -> Result<MessagePage> {
    let items = found
        .iter()
        .map(|r| rows::message(r as &dyn Columns))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page::from_overfetched(
        items,
        usize::try_from(limit).unwrap_or(0),
        |m: &Message| Cursor {
            value: m.created_at.0,
            id: m.id.0,
        },
    ))
}

pub(crate) async fn case_messages(
    conn: &mut Conn<'_>,
    case: CaseId,
    cursor: Option<&str>,
    limit: u32,
) -> Result<CaseMessages> {
    let (a_at, a_id) = after(cursor)?;
    // The window and the page are read in the order of `case_messages_in_time`, which holds
    // each membership's time and kind: only the page's own messages are read from `messages`.
    let window_start = Sql::new(
        "SELECT created_at, message_id, (SELECT COUNT(*) FROM case_messages d \
         WHERE d.case_id = $1 AND d.direct = TRUE) AS direct_count FROM case_messages \
         WHERE case_id = $1 AND direct = TRUE \
         ORDER BY created_at DESC, message_id DESC LIMIT 1 OFFSET $2",
    )
    .bind(case.0)
    .bind(DM_WINDOW - 1)
    .fetch_optional(conn)
    .await?;
    let (w_at, w_id, older_hidden) = match window_start {
        Some(row) => (row.at(0)?, row.at(1)?, row.at::<i64>(2)? - DM_WINDOW),
        None => (i64::MIN, i64::MIN, 0),
    };
    let limit = i64::from(limit.clamp(1, MAX_LIMIT));
    let found = Sql::new(format!(
        "SELECT {} FROM case_messages cm JOIN messages m ON m.id = cm.message_id \
         WHERE cm.case_id = $1 AND (cm.created_at, cm.message_id) > ($2, $3) \
         AND (cm.direct = FALSE OR (cm.created_at, cm.message_id) >= ($4, $5)) \
         ORDER BY cm.created_at, cm.message_id LIMIT $6",
        message_columns("m.")
    ))
    .bind(case.0)
    .bind(a_at)
    .bind(a_id)
    .bind(w_at)
    .bind(w_id)
    .bind(limit + 1)
    .fetch_all(conn)
    .await?;
    Ok(CaseMessages {
        page: page(&found, limit)?,
        older_hidden,
    })
}

pub(crate) async fn conversation_messages(
    conn: &mut Conn<'_>,
    conversation: ConversationId,
    cursor: Option<&str>,
    limit: u32,
) -> Result<MessagePage> {
    let (a_at, a_id) = after(cursor)?;
    let limit = i64::from(limit.clamp(1, MAX_LIMIT));
    let found = Sql::new(format!(
        "SELECT {} FROM messages WHERE conversation_id = $1 \
         AND (created_at > $2 OR (created_at = $3 AND id > $4)) \
         ORDER BY created_at, id LIMIT $5",
        message_columns("")
    ))
    .bind(conversation.0)
    .bind(a_at)
    .bind(a_at)
    .bind(a_id)
    .bind(limit + 1)
    .fetch_all(conn)
    .await?;
    page(&found, limit)
}

pub(crate) async fn customer_profiles(
    conn: &mut Conn<'_>,
    customer: CustomerId,
) -> Result<Vec<ProfileId>> {
    let ids: Vec<i64> = Sql::new(
        "SELECT DISTINCT profile_id FROM conversations WHERE customer_id = $1 ORDER BY profile_id",
    )
    .bind(customer.0)
    .scalars(conn)
    .await?;
    Ok(ids.into_iter().map(ProfileId).collect())
}
