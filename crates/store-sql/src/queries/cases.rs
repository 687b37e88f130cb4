//! Cases, their messages and field tokens. Reads inside a unit of work lock the cases they find
//! where the dialect locks rows, so a case is changed by one unit of work at a time.

use caredesk_domain::escalation::NewCase;
use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};

use super::Result;
use crate::{Backend, Conn, Lock, Sql};

pub(crate) async fn case(conn: &mut Conn<'_>, id: CaseId, lock: Lock) -> Result<Option<Case>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!("SELECT * FROM cases WHERE id = $1{lock}"))
        .bind(id.0)
        .optional(conn, rows::case)
        .await
}

pub(crate) async fn case_by_number(conn: &mut Conn<'_>, number: i64) -> Result<Option<Case>> {
    Sql::new("SELECT * FROM cases WHERE number = $1")
        .bind(number)
        .optional(conn, rows::case)
        .await
}

pub(crate) async fn active_case(
    conn: &mut Conn<'_>,
    customer: CustomerId,
    profile: ProfileId,
) -> Result<Option<Case>> {
    let d = conn.dialect();
    Sql::new(format!(
        "SELECT * FROM cases WHERE customer_id = $1 AND profile_id = $2 AND {}{}",
        d.holds_active_slot(),
        d.for_update()
    ))
    .bind(customer.0)
    .bind(profile.0)
    .optional(conn, rows::case)
    .await
}

pub(crate) async fn newest_case(
    conn: &mut Conn<'_>,
    customer: CustomerId,
    profile: ProfileId,
) -> Result<Option<Case>> {
    Sql::new(
        "SELECT * FROM cases WHERE customer_id = $1 AND profile_id = $2 AND deleted = FALSE \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(customer.0)
    .bind(profile.0)
    .optional(conn, rows::case)
    .await
}

pub(crate) async fn cases_holding(conn: &mut Conn<'_>, message: MessageId) -> Result<Vec<Case>> {
    let lock = conn.dialect().for_update_of("c");
    Sql::new(format!(
        "SELECT c.* FROM case_messages cm JOIN cases c ON c.id = cm.case_id \
         WHERE cm.message_id = $1 AND c.deleted = FALSE ORDER BY c.id{lock}"
    ))
    .bind(message.0)
    .all(conn, rows::case)
    .await
}

pub(crate) async fn cases_assigned_to(conn: &mut Conn<'_>, user: UserId) -> Result<Vec<Case>> {
    let lock = conn.dialect().for_update();
    Sql::new(format!(
        "SELECT * FROM cases WHERE assignee_id = $1 AND deleted = FALSE ORDER BY id{lock}"
    ))
    .bind(user.0)
    .all(conn, rows::case)
    .await
}

pub(crate) async fn due_grace_cases(
    conn: &mut Conn<'_>,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<Case>> {
    let d = conn.dialect();
    Sql::new(format!(
        "SELECT * FROM cases WHERE {} AND status = 'done' AND grace_until <= $1 \
         ORDER BY grace_until LIMIT $2{}",
        d.holds_active_slot(),
        d.skip_locked(None)
    ))
    .bind(now.0)
    .bind(i64::from(limit))
    .all(conn, rows::case)
    .await
}

pub(crate) async fn release_active_slots(conn: &mut Conn<'_>, ids: &[CaseId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = ids.iter().map(|c| c.0).collect();
    let among = conn.dialect().any_of("id", 1);
    Sql::new(format!(
        "UPDATE cases SET holds_active_slot = FALSE WHERE {among}"
    ))
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the first delivered reply's time on a case that has none yet.
pub(crate) async fn mark_first_reply(
    conn: &mut Conn<'_>,
    case: CaseId,
    at: Timestamp,
) -> Result<()> {
    Sql::new("UPDATE cases SET first_reply_at = $1 WHERE id = $2 AND first_reply_at IS NULL")
        .bind(at.0)
        .bind(case.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts a new case under the next number. Besides what [`NewCase`] holds, a case starts as
/// [`NewCase::into_case`] makes it: no sentiment, no grace period, holding its customer's
/// active slot, at version 1, not deleted.
pub(crate) async fn insert_case(conn: &mut Conn<'_>, c: &NewCase) -> Result<Case> {
    let number: i64 = Sql::new(conn.dialect().next_case_number())
        .scalar(conn)
        .await?;
    let lcm = c.last_customer_message_at.unwrap_or(c.created_at);
    let id: i64 = Sql::new(
        "INSERT INTO cases (number, customer_id, profile_id, status, assignee_id, priority_rank, \
         sentiment, fields, note, escalated_by, escalated_from, created_at, \
         last_customer_message_at, grace_until, holds_active_slot, previous_case_id, version, \
         deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18) RETURNING id",
    )
    .bind(number)
    .bind(c.customer_id.0)
    .bind(c.profile_id.0)
    .bind(c.status.as_str())
    .bind(c.assignee_id.map(|u| u.0))
    .bind(c.priority.rank())
    .bind(Sentiment::None.as_str())
    .bind(to_json(&c.fields)?)
    .bind(&c.note)
    .bind(c.escalated_by.0)
    .bind(c.escalated_from.0)
    .bind(c.created_at.0)
    .bind(lcm.0)
    .bind(None::<i64>)
    .bind(true)
    .bind(c.previous_case_id.map(|p| p.0))
    .bind(1_i64)
    .bind(false)
    .scalar(conn)
    .await?;
    let case = Case {
        last_customer_message_at: Some(lcm),
        ..c.clone().into_case(CaseId(id), number)
    };
    save_field_tokens(conn, &case).await?;
    Ok(case)
}

/// Saves cases given as read and as now: the state of those whose fields are unchanged by the
/// backend's batch statements, the others whole with their filter tokens.
pub(crate) async fn save_cases<B: Backend>(
    backend: &B,
    conn: &mut Conn<'_>,
    saves: &[(&Case, &Case)],
) -> Result<()> {
    let (same_fields, new_fields): (Vec<_>, Vec<_>) = saves
        .iter()
        .partition(|(before, after)| before.fields == after.fields);
    let states: Vec<&Case> = same_fields.iter().map(|(_, after)| *after).collect();
    for statement in backend.update_case_states(&states)? {
        statement.execute(conn).await?;
    }
    for (_, case) in new_fields {
        update_case(conn, case).await?;
    }
    Ok(())
}

async fn update_case(conn: &mut Conn<'_>, c: &Case) -> Result<()> {
    let lcm = c.last_customer_message_at.unwrap_or(c.created_at);
    Sql::new(
        "UPDATE cases SET status = $1, assignee_id = $2, priority_rank = $3, sentiment = $4, \
         fields = $5, last_customer_message_at = $6, grace_until = $7, holds_active_slot = $8, \
         version = $9, deleted = $10 WHERE id = $11",
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
    .execute(conn)
    .await?;
    save_field_tokens(conn, c).await
}

async fn save_field_tokens(conn: &mut Conn<'_>, c: &Case) -> Result<()> {
    Sql::new("DELETE FROM case_field_tokens WHERE case_id = $1")
        .bind(c.id.0)
        .execute(conn)
        .await?;
    for (field, value) in &c.fields {
        for token in value.filter_tokens() {
            Sql::new(
                "INSERT INTO case_field_tokens (field_id, token, case_id) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(field.0)
            .bind(token)
            .bind(c.id.0)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

pub(crate) async fn add_case_message(
    conn: &mut Conn<'_>,
    case: CaseId,
    message: MessageId,
) -> Result<()> {
    Sql::new(
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
         SELECT $1, id, created_at, kind = 'direct' FROM messages WHERE id = $2 \
         ON CONFLICT DO NOTHING",
    )
    .bind(case.0)
    .bind(message.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn add_conversation_to_case(
    conn: &mut Conn<'_>,
    case: CaseId,
    conversation: ConversationId,
) -> Result<()> {
    Sql::new(
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
         SELECT $1, id, created_at, kind = 'direct' FROM messages WHERE conversation_id = $2 \
         ON CONFLICT DO NOTHING",
    )
    .bind(case.0)
    .bind(conversation.0)
    .execute(conn)
    .await?;
    Ok(())
}
