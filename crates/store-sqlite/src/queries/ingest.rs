//! The batch lookups of ingest: each takes its keys as one JSON array (`json_each`), so a batch
//! of any size is one statement.

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::rows::SqlxRow;
use serde_json::{json, Value};

use super::Conn;
use crate::map_error;
use crate::rows::{self, Result};

/// Runs `sql` with the JSON array `keys` as its one parameter and decodes every row.
pub(super) async fn by_keys<T>(
    conn: &mut Conn,
    sql: &str,
    keys: Vec<Value>,
    decode: fn(&dyn rows::Columns) -> Result<T>,
) -> Result<Vec<T>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let all = sqlx::query(sql)
        .bind(Value::Array(keys).to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    all.iter().map(|r| decode(&SqlxRow(r))).collect()
}

pub(crate) async fn customers_by_network_ids(
    conn: &mut Conn,
    keys: &[(Network, String)],
) -> Result<Vec<Customer>> {
    let keys = keys.iter().map(|(n, u)| json!([n.as_str(), u])).collect();
    let sql = "SELECT c.* FROM json_each(?) k JOIN customers c \
               ON c.network = json_extract(k.value, '$[0]') \
               AND c.network_user_id = json_extract(k.value, '$[1]')";
    by_keys(conn, sql, keys, rows::customer).await
}

pub(crate) async fn messages_by_network_ids(
    conn: &mut Conn,
    keys: &[(ProfileId, String)],
) -> Result<Vec<Message>> {
    let keys = keys.iter().map(|(p, id)| json!([p.0, id])).collect();
    let sql = "SELECT m.* FROM json_each(?) k JOIN messages m \
               ON m.profile_id = json_extract(k.value, '$[0]') \
               AND m.network_id = json_extract(k.value, '$[1]')";
    by_keys(conn, sql, keys, rows::message).await
}

pub(crate) async fn conversations_by_keys(
    conn: &mut Conn,
    keys: &[ConversationKey],
) -> Result<Vec<Conversation>> {
    let sql = "SELECT c.* FROM json_each(?) k JOIN conversations c \
               ON c.profile_id = json_extract(k.value, '$[0]') \
               AND c.customer_id = json_extract(k.value, '$[1]') \
               AND c.kind = json_extract(k.value, '$[2]') \
               AND c.root_network_id = json_extract(k.value, '$[3]')";
    by_keys(conn, sql, conversation_key_rows(keys), rows::conversation).await
}

/// Conversation keys as `json_each` rows: profile, customer, kind, root network id.
pub(crate) fn conversation_key_rows(keys: &[ConversationKey]) -> Vec<Value> {
    keys.iter()
        .map(|k| {
            json!([
                k.profile.0,
                k.customer.0,
                k.kind.as_str(),
                k.root_network_id
            ])
        })
        .collect()
}

pub(crate) async fn dm_thread_items(
    conn: &mut Conn,
    conversations: &[ConversationId],
) -> Result<Vec<CommunityItem>> {
    let keys = conversations.iter().map(|c| json!(c.0)).collect();
    let sql = "SELECT i.* FROM json_each(?) k JOIN community_items i \
               ON i.conversation_id = k.value AND i.kind = 'dm_thread'";
    by_keys(conn, sql, keys, rows::community_item).await
}

pub(crate) async fn active_cases_of(
    conn: &mut Conn,
    customers: &[CustomerId],
) -> Result<Vec<Case>> {
    let keys = customers.iter().map(|c| json!(c.0)).collect();
    let sql = "SELECT c.* FROM json_each(?) k JOIN cases c \
               ON c.customer_id = k.value AND c.holds_active_slot = 1";
    by_keys(conn, sql, keys, rows::case).await
}

pub(crate) async fn newest_cases_of(
    conn: &mut Conn,
    keys: &[(CustomerId, ProfileId)],
) -> Result<Vec<Case>> {
    let keys = keys.iter().map(|(c, p)| json!([c.0, p.0])).collect();
    let sql = "SELECT c.* FROM json_each(?) k JOIN cases c ON c.id = ( \
               SELECT n.id FROM cases n WHERE n.customer_id = json_extract(k.value, '$[0]') \
               AND n.profile_id = json_extract(k.value, '$[1]') AND n.deleted = FALSE \
               ORDER BY n.created_at DESC, n.id DESC LIMIT 1)";
    by_keys(conn, sql, keys, rows::case).await
}
