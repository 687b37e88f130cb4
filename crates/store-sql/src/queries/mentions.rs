//! The mention look-ups: queued with the delivery that announced them, claimed for a lease by
//! the look-up worker (passing over rows another unit of work holds where the dialect locks
//! rows), saved with what the look-up came to.

use caredesk_domain::mention::MentionLookup;
use caredesk_domain::*;
use caredesk_store::rows;

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn queue(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    post_id: &str,
    comment_id: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    Sql::new(
        "INSERT INTO mention_lookups (profile_id, post_id, comment_id, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING",
    )
    .bind(profile.0)
    .bind(post_id)
    .bind(comment_id.unwrap_or_default())
    .bind(now.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn claim(
    conn: &mut Conn<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<MentionLookup>> {
    let skip_locked = conn.dialect().skip_locked(None);
    let due: Vec<i64> = Sql::new(format!(
        "SELECT id FROM mention_lookups WHERE due_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY due_at, id LIMIT $2{skip_locked}"
    ))
    .bind(now.0)
    .bind(i64::from(limit))
    .all(conn, |row| row.int("id"))
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let among = conn.dialect().any_of("id", 2);
    let mut claimed = Sql::new(format!(
        "UPDATE mention_lookups SET claimed_until = $1, attempts = attempts + 1 \
         WHERE {among} RETURNING *"
    ))
    .bind(lease_until.0)
    .bind(due)
    .all(conn, rows::mention_lookup)
    .await?;
    claimed.sort_by_key(|m| (m.due_at, m.id));
    Ok(claimed)
}

pub(crate) async fn save(conn: &mut Conn<'_>, lookup: &MentionLookup) -> Result<()> {
    Sql::new(
        "UPDATE mention_lookups SET attempts = $1, due_at = $2, error = $3, claimed_until = NULL \
         WHERE id = $4",
    )
    .bind(i64::from(lookup.attempts))
    .bind(lookup.due_at.map(|t| t.0))
    .bind(&lookup.error)
    .bind(lookup.id)
    .execute(conn)
    .await?;
    Ok(())
}
