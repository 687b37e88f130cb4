//! The batch lookups of ingest: each takes its keys as arrays (`unnest`), so a batch of any size
//! is one statement. Cases are read `FOR UPDATE`, as the single lookups read them.

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::rows::SqlxRow;
use sqlx::postgres::PgRow;

use super::Conn;
use crate::map_error;
use crate::rows::{self, Result};

/// Decodes every row with `decode`.
pub(super) fn decode_all<T>(
    all: &[PgRow],
    decode: fn(&dyn rows::Columns) -> Result<T>,
) -> Result<Vec<T>> {
    all.iter().map(|r| decode(&SqlxRow(r))).collect()
}

pub(crate) async fn customers_by_network_ids(
    conn: &mut Conn,
    keys: &[(Network, String)],
) -> Result<Vec<Customer>> {
    let networks: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    let users: Vec<&str> = keys.iter().map(|(_, u)| u.as_str()).collect();
    let all = sqlx::query(
        "SELECT c.* FROM unnest($1::text[], $2::text[]) AS k(network, user_id) \
         JOIN customers c ON c.network = k.network AND c.network_user_id = k.user_id",
    )
    .bind(networks)
    .bind(users)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::customer)
}

pub(crate) async fn lock_customers(conn: &mut Conn, ids: &[CustomerId]) -> Result<()> {
    let mut ids: Vec<i64> = ids.iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    sqlx::query("SELECT id FROM customers WHERE id = ANY($1) ORDER BY id FOR UPDATE")
        .bind(ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn messages_by_network_ids(
    conn: &mut Conn,
    keys: &[(ProfileId, String)],
) -> Result<Vec<Message>> {
    let profiles: Vec<i64> = keys.iter().map(|(p, _)| p.0).collect();
    let ids: Vec<&str> = keys.iter().map(|(_, id)| id.as_str()).collect();
    let all = sqlx::query(
        "SELECT m.* FROM unnest($1::bigint[], $2::text[]) AS k(profile_id, network_id) \
         JOIN messages m ON m.profile_id = k.profile_id AND m.network_id = k.network_id",
    )
    .bind(profiles)
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::message)
}

pub(crate) async fn conversations_by_keys(
    conn: &mut Conn,
    keys: &[ConversationKey],
) -> Result<Vec<Conversation>> {
    let profiles: Vec<i64> = keys.iter().map(|k| k.profile.0).collect();
    let customers: Vec<i64> = keys.iter().map(|k| k.customer.0).collect();
    let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
    let roots: Vec<&str> = keys.iter().map(|k| k.root_network_id.as_str()).collect();
    let all = sqlx::query(
        "SELECT c.* FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) \
         AS k(profile_id, customer_id, kind, root_network_id) \
         JOIN conversations c ON c.profile_id = k.profile_id AND c.customer_id = k.customer_id \
         AND c.kind = k.kind AND c.root_network_id = k.root_network_id",
    )
    .bind(profiles)
    .bind(customers)
    .bind(kinds)
    .bind(roots)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::conversation)
}

pub(crate) async fn dm_thread_items(
    conn: &mut Conn,
    conversations: &[ConversationId],
) -> Result<Vec<CommunityItem>> {
    let ids: Vec<i64> = conversations.iter().map(|c| c.0).collect();
    let all = sqlx::query(
        "SELECT * FROM community_items WHERE conversation_id = ANY($1) AND kind = 'dm_thread'",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::community_item)
}

pub(crate) async fn active_cases_of(
    conn: &mut Conn,
    customers: &[CustomerId],
) -> Result<Vec<Case>> {
    let ids: Vec<i64> = customers.iter().map(|c| c.0).collect();
    let all = sqlx::query(
        "SELECT * FROM cases WHERE customer_id = ANY($1) AND holds_active_slot ORDER BY id FOR UPDATE",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::case)
}

pub(crate) async fn newest_cases_of(
    conn: &mut Conn,
    keys: &[(CustomerId, ProfileId)],
) -> Result<Vec<Case>> {
    let customers: Vec<i64> = keys.iter().map(|(c, _)| c.0).collect();
    let profiles: Vec<i64> = keys.iter().map(|(_, p)| p.0).collect();
    let all = sqlx::query(
        "SELECT n.* FROM unnest($1::bigint[], $2::bigint[]) AS k(customer_id, profile_id) \
         CROSS JOIN LATERAL (SELECT * FROM cases c WHERE c.customer_id = k.customer_id \
         AND c.profile_id = k.profile_id AND NOT c.deleted \
         ORDER BY c.created_at DESC, c.id DESC LIMIT 1) n",
    )
    .bind(customers)
    .bind(profiles)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::case)
}
