//! The batch writes of ingest: each takes its rows as one JSON array (`json_each`), so a batch
//! of any size is one statement; ids are reserved beforehand from the tables' largest ids (the
//! unit of work holds the only writer).

use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, ReservedIds};
use serde_json::{json, Value};

use super::ingest::{by_keys, conversation_key_rows};
use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

/// `json_extract(k.value, '$[0]'), …` for the first `n` elements of each row.
fn elements(n: usize) -> String {
    (0..n)
        .map(|i| format!("json_extract(k.value, '$[{i}]')"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `sql` with the JSON array `rows` as its one parameter.
async fn with_rows(conn: &mut Conn, sql: &str, rows: Vec<Value>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(sql)
        .bind(Value::Array(rows).to_string())
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn create_customers(
    conn: &mut Conn,
    new: &[(Network, String, CustomerDetails)],
) -> Result<Vec<Customer>> {
    let rows = new
        .iter()
        .map(|(network, user, d)| {
            Ok(json!([
                network.as_str(),
                user,
                d.display_name,
                d.handle,
                d.avatar_url,
                d.email,
                d.phone,
                d.address,
                d.notes,
                to_json(&d.attributes)?,
            ]))
        })
        .collect::<Result<Vec<_>>>()?;
    // `WHERE true` tells SQLite the ON CONFLICT belongs to the INSERT, not to a join.
    let sql = format!(
        "INSERT INTO customers (network, network_user_id, display_name, handle, avatar_url, email, \
         phone, address, notes, attributes) SELECT {} FROM json_each(?) k WHERE true \
         ON CONFLICT (network, network_user_id) DO NOTHING RETURNING *",
        elements(10)
    );
    by_keys(conn, &sql, rows, rows::customer).await
}

pub(crate) async fn create_conversations(
    conn: &mut Conn,
    keys: &[ConversationKey],
) -> Result<Vec<Conversation>> {
    let sql = format!(
        "INSERT INTO conversations (profile_id, customer_id, kind, root_network_id) \
         SELECT {} FROM json_each(?) k WHERE true \
         ON CONFLICT (profile_id, customer_id, kind, root_network_id) DO NOTHING RETURNING *",
        elements(4)
    );
    by_keys(conn, &sql, conversation_key_rows(keys), rows::conversation).await
}

/// The `n` ids after `largest`.
fn after<T>(largest: i64, n: usize, id: fn(i64) -> T) -> Vec<T> {
    (1..=n as i64).map(|i| id(largest + i)).collect()
}

pub(crate) async fn reserve_ids(
    conn: &mut Conn,
    messages: usize,
    items: usize,
) -> Result<ReservedIds> {
    let (largest_message, largest_item): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(id), 0) FROM messages), \
         (SELECT coalesce(max(id), 0) FROM community_items)",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(ReservedIds {
        messages: after(largest_message, messages, MessageId),
        items: after(largest_item, items, CommunityItemId),
    })
}

pub(crate) async fn insert_messages(conn: &mut Conn, messages: &[Message]) -> Result<()> {
    let rows = messages
        .iter()
        .map(|m| {
            Ok(json!([
                m.id.0,
                m.profile_id.0,
                m.network_id,
                m.kind.as_str(),
                m.author.as_str(),
                m.customer_id.map(|c| c.0),
                m.sent_by.map(|u| u.0),
                m.conversation_id.map(|c| c.0),
                m.parent_id.map(|p| p.0),
                m.parent_network_id,
                m.text,
                to_json(&m.attachments)?,
                m.created_at.0,
                m.received_at.0,
                m.edited_at.map(|t| t.0),
                m.hidden,
                m.deleted,
                m.visible_only_to_customer,
                m.delivery.map(|d| d.as_str()),
                m.error,
            ]))
        })
        .collect::<Result<Vec<_>>>()?;
    let sql = format!(
        "INSERT INTO messages (id, profile_id, network_id, kind, author, customer_id, sent_by, \
         conversation_id, parent_id, parent_network_id, text, attachments, created_at, received_at, \
         edited_at, hidden, deleted, visible_only_to_customer, delivery, error) \
         SELECT {} FROM json_each(?) k ORDER BY k.key",
        elements(20)
    );
    with_rows(conn, &sql, rows).await
}

pub(crate) async fn insert_community_items(conn: &mut Conn, items: &[CommunityItem]) -> Result<()> {
    let rows = items
        .iter()
        .map(|i| {
            Ok(json!([
                i.id.0,
                i.profile_id.0,
                i.customer_id.0,
                i.kind.as_str(),
                i.message_id.0,
                i.conversation_id.0,
                i.status.as_str(),
                to_json(&i.labels)?,
                i.created_at.0,
                i.updated_at.0,
                i.customer_last_case_spam,
            ]))
        })
        .collect::<Result<Vec<_>>>()?;
    let sql = format!(
        "INSERT INTO community_items (id, profile_id, customer_id, kind, message_id, conversation_id, \
         status, labels, created_at, updated_at, customer_last_case_spam) \
         SELECT {} FROM json_each(?) k ORDER BY k.key",
        elements(11)
    );
    with_rows(conn, &sql, rows).await
}

pub(crate) async fn update_community_items(conn: &mut Conn, items: &[CommunityItem]) -> Result<()> {
    let rows = items
        .iter()
        .map(|i| {
            Ok(json!([
                i.id.0,
                i.message_id.0,
                i.status.as_str(),
                to_json(&i.labels)?,
                i.updated_at.0,
                i.customer_last_case_spam,
            ]))
        })
        .collect::<Result<Vec<_>>>()?;
    let sql = "UPDATE community_items SET message_id = json_extract(k.value, '$[1]'), \
               status = json_extract(k.value, '$[2]'), labels = json_extract(k.value, '$[3]'), \
               updated_at = json_extract(k.value, '$[4]'), \
               customer_last_case_spam = json_extract(k.value, '$[5]') \
               FROM json_each(?) k WHERE community_items.id = json_extract(k.value, '$[0]')";
    with_rows(conn, sql, rows).await
}

/// The columns of a case other than the time of the customer's last message and the version
/// hold the values of the row `k` of `json_each`.
const OTHER_STATE_UNCHANGED: &str = "cases.status = json_extract(k.value, '$[1]') \
     AND cases.assignee_id IS json_extract(k.value, '$[2]') \
     AND cases.priority_rank = json_extract(k.value, '$[3]') \
     AND cases.sentiment = json_extract(k.value, '$[4]') \
     AND cases.grace_until IS json_extract(k.value, '$[6]') \
     AND cases.holds_active_slot = json_extract(k.value, '$[7]') \
     AND cases.deleted = json_extract(k.value, '$[9]')";

/// Saves case states with two statements. SQLite rewrites the entries of every index that
/// holds a column a statement assigns, whether its value changed or not, and most changes move
/// only the time of the customer's last message and the version (a message joining its case):
/// the first statement assigns only those, to the cases whose other columns keep their values;
/// the second assigns everything, to the others.
pub(crate) async fn update_case_states(conn: &mut Conn, cases: &[Case]) -> Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    let rows: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!([
                c.id.0,
                c.status.as_str(),
                c.assignee_id.map(|u| u.0),
                c.priority.rank(),
                c.sentiment.as_str(),
                c.last_customer_message_at.unwrap_or(c.created_at).0,
                c.grace_until.map(|t| t.0),
                c.holds_active_slot,
                c.version,
                c.deleted,
            ])
        })
        .collect();
    let json = Value::Array(rows).to_string();
    let narrow = format!(
        "UPDATE cases SET last_customer_message_at = json_extract(k.value, '$[5]'), \
         version = json_extract(k.value, '$[8]') \
         FROM json_each(?) k WHERE cases.id = json_extract(k.value, '$[0]') \
         AND {OTHER_STATE_UNCHANGED}"
    );
    let whole = format!(
        "UPDATE cases SET status = json_extract(k.value, '$[1]'), \
         assignee_id = json_extract(k.value, '$[2]'), \
         priority_rank = json_extract(k.value, '$[3]'), \
         sentiment = json_extract(k.value, '$[4]'), \
         last_customer_message_at = json_extract(k.value, '$[5]'), \
         grace_until = json_extract(k.value, '$[6]'), \
         holds_active_slot = json_extract(k.value, '$[7]'), \
         version = json_extract(k.value, '$[8]'), deleted = json_extract(k.value, '$[9]') \
         FROM json_each(?) k WHERE cases.id = json_extract(k.value, '$[0]') \
         AND NOT ({OTHER_STATE_UNCHANGED})"
    );
    for sql in [narrow, whole] {
        sqlx::query(&sql)
            .bind(&json)
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(crate) async fn add_case_messages(
    conn: &mut Conn,
    pairs: &[(CaseId, MessageId)],
) -> Result<()> {
    let rows = pairs.iter().map(|(c, m)| json!([c.0, m.0])).collect();
    let sql = "INSERT OR IGNORE INTO case_messages (case_id, message_id, created_at, direct) \
               SELECT json_extract(k.value, '$[0]'), m.id, m.created_at, m.kind = 'direct' \
               FROM json_each(?) k JOIN messages m ON m.id = json_extract(k.value, '$[1]') \
               ORDER BY k.key";
    with_rows(conn, sql, rows).await
}

pub(crate) async fn touch_profiles_webhook(
    conn: &mut Conn,
    profiles: &[ProfileId],
    at: Timestamp,
) -> Result<()> {
    if profiles.is_empty() {
        return Ok(());
    }
    let ids = Value::Array(profiles.iter().map(|p| json!(p.0)).collect());
    // Kept to the minute, as for one profile.
    sqlx::query(
        "UPDATE profiles SET last_webhook_at = ? WHERE id IN (SELECT value FROM json_each(?)) \
         AND (last_webhook_at IS NULL OR last_webhook_at < ?)",
    )
    .bind(at.0)
    .bind(ids.to_string())
    .bind(at.plus_secs(-60).0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}
