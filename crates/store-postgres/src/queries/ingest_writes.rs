//! The batch writes of ingest: each takes its rows as one array per column (`unnest`), so a
//! batch of any size is one statement; ids are reserved beforehand from the tables' identity
//! sequences, so concurrent units of work never share one.

use caredesk_domain::*;
use caredesk_store::ingest::{ConversationKey, ReservedIds};

use super::ingest::decode_all;
use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

fn column<T, C>(rows: &[T], value: impl Fn(&T) -> C) -> Vec<C> {
    rows.iter().map(value).collect()
}

pub(crate) async fn create_customers(
    conn: &mut Conn,
    new: &[(Network, String, CustomerDetails)],
) -> Result<Vec<Customer>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let attributes = new
        .iter()
        .map(|(_, _, d)| to_json(&d.attributes))
        .collect::<Result<Vec<_>>>()?;
    let all = sqlx::query(
        "INSERT INTO customers (network, network_user_id, display_name, handle, avatar_url, email, \
         phone, address, notes, attributes) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) \
         ON CONFLICT (network, network_user_id) DO NOTHING RETURNING *",
    )
    .bind(column(new, |(n, _, _)| n.as_str()))
    .bind(column(new, |(_, u, _)| u.clone()))
    .bind(column(new, |(_, _, d)| d.display_name.clone()))
    .bind(column(new, |(_, _, d)| d.handle.clone()))
    .bind(column(new, |(_, _, d)| d.avatar_url.clone()))
    .bind(column(new, |(_, _, d)| d.email.clone()))
    .bind(column(new, |(_, _, d)| d.phone.clone()))
    .bind(column(new, |(_, _, d)| d.address.clone()))
    .bind(column(new, |(_, _, d)| d.notes.clone()))
    .bind(attributes)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::customer)
}

pub(crate) async fn create_conversations(
    conn: &mut Conn,
    keys: &[ConversationKey],
) -> Result<Vec<Conversation>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let all = sqlx::query(
        "INSERT INTO conversations (profile_id, customer_id, kind, root_network_id) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) \
         ON CONFLICT (profile_id, customer_id, kind, root_network_id) DO NOTHING RETURNING *",
    )
    .bind(column(keys, |k| k.profile.0))
    .bind(column(keys, |k| k.customer.0))
    .bind(column(keys, |k| k.kind.as_str()))
    .bind(column(keys, |k| k.root_network_id.clone()))
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    decode_all(&all, rows::conversation)
}

pub(crate) async fn reserve_ids(
    conn: &mut Conn,
    messages: usize,
    items: usize,
) -> Result<ReservedIds> {
    let (mut message_ids, mut item_ids): (Vec<i64>, Vec<i64>) = sqlx::query_as(
        "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('messages', 'id')) \
                      FROM generate_series(1, $1)), \
                ARRAY(SELECT nextval(pg_get_serial_sequence('community_items', 'id')) \
                      FROM generate_series(1, $2))",
    )
    .bind(messages as i64)
    .bind(items as i64)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    message_ids.sort_unstable();
    item_ids.sort_unstable();
    Ok(ReservedIds {
        messages: message_ids.into_iter().map(MessageId).collect(),
        items: item_ids.into_iter().map(CommunityItemId).collect(),
    })
}

pub(crate) async fn insert_messages(conn: &mut Conn, messages: &[Message]) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let attachments = messages
        .iter()
        .map(|m| to_json(&m.attachments))
        .collect::<Result<Vec<_>>>()?;
    sqlx::query(
        "INSERT INTO messages (id, profile_id, network_id, kind, author, customer_id, sent_by, \
         conversation_id, parent_id, parent_network_id, text, attachments, created_at, received_at, \
         edited_at, hidden, deleted, visible_only_to_customer, delivery, error) \
         OVERRIDING SYSTEM VALUE \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
         $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], \
         $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::boolean[], \
         $17::boolean[], $18::boolean[], $19::text[], $20::text[])",
    )
    .bind(column(messages, |m| m.id.0))
    .bind(column(messages, |m| m.profile_id.0))
    .bind(column(messages, |m| m.network_id.clone()))
    .bind(column(messages, |m| m.kind.as_str()))
    .bind(column(messages, |m| m.author.as_str()))
    .bind(column(messages, |m| m.customer_id.map(|c| c.0)))
    .bind(column(messages, |m| m.sent_by.map(|u| u.0)))
    .bind(column(messages, |m| m.conversation_id.map(|c| c.0)))
    .bind(column(messages, |m| m.parent_id.map(|p| p.0)))
    .bind(column(messages, |m| m.parent_network_id.clone()))
    .bind(column(messages, |m| m.text.clone()))
    .bind(attachments)
    .bind(column(messages, |m| m.created_at.0))
    .bind(column(messages, |m| m.received_at.0))
    .bind(column(messages, |m| m.edited_at.map(|t| t.0)))
    .bind(column(messages, |m| m.hidden))
    .bind(column(messages, |m| m.deleted))
    .bind(column(messages, |m| m.visible_only_to_customer))
    .bind(column(messages, |m| m.delivery.map(|d| d.as_str())))
    .bind(column(messages, |m| m.error.clone()))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn insert_community_items(conn: &mut Conn, items: &[CommunityItem]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let labels = items
        .iter()
        .map(|i| to_json(&i.labels))
        .collect::<Result<Vec<_>>>()?;
    sqlx::query(
        "INSERT INTO community_items (id, profile_id, customer_id, kind, message_id, conversation_id, \
         status, labels, created_at, updated_at, customer_last_case_spam) OVERRIDING SYSTEM VALUE \
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], \
         $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::boolean[])",
    )
    .bind(column(items, |i| i.id.0))
    .bind(column(items, |i| i.profile_id.0))
    .bind(column(items, |i| i.customer_id.0))
    .bind(column(items, |i| i.kind.as_str()))
    .bind(column(items, |i| i.message_id.0))
    .bind(column(items, |i| i.conversation_id.0))
    .bind(column(items, |i| i.status.as_str()))
    .bind(labels)
    .bind(column(items, |i| i.created_at.0))
    .bind(column(items, |i| i.updated_at.0))
    .bind(column(items, |i| i.customer_last_case_spam))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn update_community_items(conn: &mut Conn, items: &[CommunityItem]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let labels = items
        .iter()
        .map(|i| to_json(&i.labels))
        .collect::<Result<Vec<_>>>()?;
    sqlx::query(
        "UPDATE community_items i SET message_id = v.message_id, status = v.status, \
         labels = v.labels, updated_at = v.updated_at, customer_last_case_spam = v.spam \
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], \
         $6::boolean[]) AS v(id, message_id, status, labels, updated_at, spam) WHERE i.id = v.id",
    )
    .bind(column(items, |i| i.id.0))
    .bind(column(items, |i| i.message_id.0))
    .bind(column(items, |i| i.status.as_str()))
    .bind(labels)
    .bind(column(items, |i| i.updated_at.0))
    .bind(column(items, |i| i.customer_last_case_spam))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn update_case_states(conn: &mut Conn, cases: &[Case]) -> Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE cases c SET status = v.status, assignee_id = v.assignee_id, \
         priority_rank = v.priority_rank, sentiment = v.sentiment, \
         last_customer_message_at = v.last_customer_message_at, grace_until = v.grace_until, \
         holds_active_slot = v.holds_active_slot, version = v.version, deleted = v.deleted \
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], \
         $6::bigint[], $7::bigint[], $8::boolean[], $9::bigint[], $10::boolean[]) \
         AS v(id, status, assignee_id, priority_rank, sentiment, last_customer_message_at, \
         grace_until, holds_active_slot, version, deleted) WHERE c.id = v.id",
    )
    .bind(column(cases, |c| c.id.0))
    .bind(column(cases, |c| c.status.as_str()))
    .bind(column(cases, |c| c.assignee_id.map(|u| u.0)))
    .bind(column(cases, |c| c.priority.rank()))
    .bind(column(cases, |c| c.sentiment.as_str()))
    .bind(column(cases, |c| {
        c.last_customer_message_at.unwrap_or(c.created_at).0
    }))
    .bind(column(cases, |c| c.grace_until.map(|t| t.0)))
    .bind(column(cases, |c| c.holds_active_slot))
    .bind(column(cases, |c| c.version))
    .bind(column(cases, |c| c.deleted))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn add_case_messages(
    conn: &mut Conn,
    pairs: &[(CaseId, MessageId)],
) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
         SELECT k.case_id, m.id, m.created_at, m.kind = 'direct' \
         FROM unnest($1::bigint[], $2::bigint[]) AS k(case_id, message_id) \
         JOIN messages m ON m.id = k.message_id ON CONFLICT DO NOTHING",
    )
    .bind(column(pairs, |(c, _)| c.0))
    .bind(column(pairs, |(_, m)| m.0))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn touch_profiles_webhook(
    conn: &mut Conn,
    profiles: &[ProfileId],
    at: Timestamp,
) -> Result<()> {
    if profiles.is_empty() {
        return Ok(());
    }
    // Kept to the minute, as for one profile.
    sqlx::query(
        "UPDATE profiles SET last_webhook_at = $1 WHERE id = ANY($2) \
         AND (last_webhook_at IS NULL OR last_webhook_at < $3)",
    )
    .bind(at.0)
    .bind(column(profiles, |p| p.0))
    .bind(at.plus_secs(-60).0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}
