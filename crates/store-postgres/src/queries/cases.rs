//! Cases, their messages, field tokens and events.

use caredesk_domain::escalation::NewCase;
use caredesk_domain::*;
use caredesk_store::rows::SqlxRow;
use caredesk_store::StoredEvent;

use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

async fn one_case(conn: &mut Conn, sql: &str, binds: &[i64]) -> Result<Option<Case>> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let row = q.fetch_optional(&mut *conn).await.map_err(map_error)?;
    row.as_ref().map(|r| rows::case(&SqlxRow(r))).transpose()
}

async fn many_cases(conn: &mut Conn, sql: &str, binds: &[i64]) -> Result<Vec<Case>> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let all = q.fetch_all(&mut *conn).await.map_err(map_error)?;
    all.iter().map(|r| rows::case(&SqlxRow(r))).collect()
}

pub(crate) async fn case(conn: &mut Conn, id: CaseId) -> Result<Option<Case>> {
    super::one_by_id(conn, "SELECT * FROM cases WHERE id = $1", id.0, rows::case).await
}

/// The case, locked until the unit of work ends.
pub(crate) async fn case_for_update(conn: &mut Conn, id: CaseId) -> Result<Option<Case>> {
    super::one_by_id(
        conn,
        "SELECT * FROM cases WHERE id = $1 FOR UPDATE",
        id.0,
        rows::case,
    )
    .await
}

/// Serialises units of work on one customer: every unit of work that may open or join a case
/// takes this lock first, so locks are always taken customer first, then case.
pub(crate) async fn lock_customer(conn: &mut Conn, id: CustomerId) -> Result<()> {
    sqlx::query("SELECT id FROM customers WHERE id = $1 FOR UPDATE")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn case_by_number(conn: &mut Conn, number: i64) -> Result<Option<Case>> {
    super::one_by_id(
        conn,
        "SELECT * FROM cases WHERE number = $1",
        number,
        rows::case,
    )
    .await
}

pub(crate) async fn active_case(
    conn: &mut Conn,
    customer: CustomerId,
    profile: ProfileId,
) -> Result<Option<Case>> {
    one_case(
        conn,
        "SELECT * FROM cases WHERE customer_id = $1 AND profile_id = $2 AND holds_active_slot FOR UPDATE",
        &[customer.0, profile.0],
    )
    .await
}

pub(crate) async fn newest_case(
    conn: &mut Conn,
    customer: CustomerId,
    profile: ProfileId,
) -> Result<Option<Case>> {
    one_case(
        conn,
        "SELECT * FROM cases WHERE customer_id = $1 AND profile_id = $2 AND NOT deleted \
         ORDER BY created_at DESC, id DESC LIMIT 1",
        &[customer.0, profile.0],
    )
    .await
}

pub(crate) async fn cases_holding(conn: &mut Conn, message: MessageId) -> Result<Vec<Case>> {
    many_cases(
        conn,
        "SELECT c.* FROM case_messages cm JOIN cases c ON c.id = cm.case_id \
         WHERE cm.message_id = $1 AND NOT c.deleted ORDER BY c.id FOR UPDATE OF c",
        &[message.0],
    )
    .await
}

pub(crate) async fn cases_assigned_to(conn: &mut Conn, user: UserId) -> Result<Vec<Case>> {
    many_cases(
        conn,
        "SELECT * FROM cases WHERE assignee_id = $1 AND NOT deleted ORDER BY id FOR UPDATE",
        &[user.0],
    )
    .await
}

pub(crate) async fn due_grace_cases(
    conn: &mut Conn,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<Case>> {
    many_cases(
        conn,
        "SELECT * FROM cases WHERE holds_active_slot AND status = 'done' AND grace_until <= $1 \
         ORDER BY grace_until LIMIT $2 FOR UPDATE SKIP LOCKED",
        &[now.0, i64::from(limit)],
    )
    .await
}

pub(crate) async fn insert_case(conn: &mut Conn, c: &NewCase) -> Result<Case> {
    let number: i64 = sqlx::query_scalar(
        "UPDATE case_number_counter SET last = last + 1 WHERE id = 1 RETURNING last",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    let draft = c.clone().into_case(CaseId(0), number);
    let lcm = draft.last_customer_message_at.unwrap_or(draft.created_at);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (number, customer_id, profile_id, status, assignee_id, priority_rank, sentiment, fields, \
         note, escalated_by, escalated_from, created_at, last_customer_message_at, grace_until, holds_active_slot, \
         previous_case_id, version, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(number)
    .bind(draft.customer_id.0)
    .bind(draft.profile_id.0)
    .bind(draft.status.as_str())
    .bind(draft.assignee_id.map(|u| u.0))
    .bind(draft.priority.rank())
    .bind(draft.sentiment.as_str())
    .bind(to_json(&draft.fields)?)
    .bind(&draft.note)
    .bind(draft.escalated_by.0)
    .bind(draft.escalated_from.0)
    .bind(draft.created_at.0)
    .bind(lcm.0)
    .bind(draft.grace_until.map(|t| t.0))
    .bind(draft.holds_active_slot)
    .bind(draft.previous_case_id.map(|c| c.0))
    .bind(draft.version)
    .bind(draft.deleted)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?;
    let case = Case {
        id: CaseId(id),
        last_customer_message_at: Some(lcm),
        ..draft
    };
    save_field_tokens(conn, &case).await?;
    Ok(case)
}

pub(crate) async fn update_case(conn: &mut Conn, c: &Case) -> Result<()> {
    let lcm = c.last_customer_message_at.unwrap_or(c.created_at);
    sqlx::query(
        "UPDATE cases SET status = $1, assignee_id = $2, priority_rank = $3, sentiment = $4, fields = $5, \
         last_customer_message_at = $6, grace_until = $7, holds_active_slot = $8, version = $9, deleted = $10 WHERE id = $11",
    )
    .bind(c.status.as_str())
    .bind(c.assignee_id.map(|u| u.0))
    .bind(c.priority.rank())
    .bind(c.sentiment.as_str())
    .bind(to_json(&c.fields)?)
    .bind(lcm.0)
    .bind(c.grace_until.map(|t| t.0))
    .bind(c.holds_active_slot)
    .bind(c.version)
    .bind(c.deleted)
    .bind(c.id.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    save_field_tokens(conn, c).await
}

async fn save_field_tokens(conn: &mut Conn, c: &Case) -> Result<()> {
    sqlx::query("DELETE FROM case_field_tokens WHERE case_id = $1")
        .bind(c.id.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    for (field, value) in &c.fields {
        for token in value.filter_tokens() {
            sqlx::query("INSERT INTO case_field_tokens (field_id, token, case_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(field.0)
                .bind(token)
                .bind(c.id.0)
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
        }
    }
    Ok(())
}

pub(crate) async fn add_case_message(
    conn: &mut Conn,
    case: CaseId,
    message: MessageId,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
         SELECT $1, id, created_at, kind = 'direct' FROM messages WHERE id = $2 ON CONFLICT DO NOTHING",
    )
    .bind(case.0)
    .bind(message.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn add_conversation_to_case(
    conn: &mut Conn,
    case: CaseId,
    conversation: ConversationId,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
         SELECT $1, id, created_at, kind = 'direct' FROM messages WHERE conversation_id = $2 \
         ON CONFLICT DO NOTHING",
    )
    .bind(case.0)
    .bind(conversation.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

/// Events per statement: five parameters each, under PostgreSQL's limit of 65,535.
const EVENTS_PER_STATEMENT: usize = 12_000;

/// Appends events with one statement (per 12,000); their ids follow their order.
pub(crate) async fn insert_events(conn: &mut Conn, events: &[Event]) -> Result<()> {
    for chunk in events.chunks(EVENTS_PER_STATEMENT) {
        let data = chunk
            .iter()
            .map(|e| to_json(&e.kind))
            .collect::<Result<Vec<_>>>()?;
        let mut insert =
            sqlx::QueryBuilder::new("INSERT INTO events (case_id, actor_id, kind, data, at) ");
        insert.push_values(chunk.iter().zip(data), |mut row, (e, data)| {
            row.push_bind(e.case_id.map(|c| c.0))
                .push_bind(e.actor.map(|u| u.0))
                .push_bind(e.kind.name())
                .push_bind(data)
                .push_bind(e.at.0);
        });
        insert
            .build()
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(crate) async fn release_active_slots(conn: &mut Conn, ids: &[CaseId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = ids.iter().map(|c| c.0).collect();
    sqlx::query("UPDATE cases SET holds_active_slot = FALSE WHERE id = ANY($1)")
        .bind(ids)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn case_events(conn: &mut Conn, case: CaseId) -> Result<Vec<StoredEvent>> {
    let all = sqlx::query("SELECT * FROM events WHERE case_id = $1 ORDER BY id")
        .bind(case.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    all.iter().map(|r| rows::event(&SqlxRow(r))).collect()
}

/// The audit log: matching events, newest first, `limit + 1` of them (the extra one tells that
/// another page follows).
pub(crate) async fn events(
    conn: &mut Conn,
    filter: &caredesk_store::EventFilter,
    before: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>> {
    let all = sqlx::query(
        "SELECT * FROM events WHERE ($1::BIGINT IS NULL OR case_id = $1) AND ($2::BIGINT IS NULL OR actor_id = $2) \
         AND ($3::TEXT IS NULL OR kind = $3) AND id < $4 ORDER BY id DESC LIMIT $5",
    )
    .bind(filter.case_id.map(|c| c.0))
    .bind(filter.actor.map(|u| u.0))
    .bind(filter.kind.as_deref())
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    all.iter().map(|r| rows::event(&SqlxRow(r))).collect()
}
