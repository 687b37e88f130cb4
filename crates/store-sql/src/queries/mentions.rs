//! The mention look-ups: queued with the delivery that announced them, claimed for a lease by
//! the look-up worker (passing over rows another unit of work holds where the dialect locks
//! rows), saved with what the look-up came to.

use caredesk_domain::mention::MentionLookup;
use caredesk_domain::*;
use caredesk_store::rows;

use super::leases::{self, Queue};
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
    let queue = Queue {
        table: "mention_lookups",
        due_at: "due_at",
        claimed_until: "claimed_until",
        attempts: "attempts",
    };
    let decode = rows::mention_lookup;
    leases::claim(conn, &queue, (now, lease_until), limit, decode, |m| m.id).await
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
