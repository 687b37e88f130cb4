//! Customer look-ups: queued on the customer's row with the messages that call for them, claimed
//! for a lease by the look-up worker (passing over rows another unit of work holds where the
//! dialect locks rows), saved with the answer; and the customer's picture as a media row.

use caredesk_domain::media::Media;
use caredesk_domain::*;
use caredesk_store::rows;

use super::Result;
use crate::{Conn, Dialect, Sql};

pub(crate) async fn queue_lookups(
    conn: &mut Conn<'_>,
    queued: &[(CustomerId, ProfileId)],
    now: Timestamp,
    refresh_before: Timestamp,
) -> Result<()> {
    let dialect = conn.dialect();
    for chunk in queued.chunks(QUEUED_PER_STATEMENT) {
        let mut update = Sql::new(queue_text(dialect, chunk.len())).bind(now.0);
        for (customer, profile) in chunk {
            update = update.bind(customer.0).bind(profile.0);
        }
        update
            .bind(chunk.iter().map(|(c, _)| c.0).collect::<Vec<i64>>())
            .bind(refresh_before.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Look-ups queued per statement: their placeholders are numbered (`$n`) in both dialects, and
/// SQLite looks each numbered one up among those before it.
const QUEUED_PER_STATEMENT: usize = 500;

/// The statement that queues `n` look-ups at once, each with its own profile: the due time,
/// a `WHEN customer THEN profile` pair per look-up, the customers as a list, and the refresh
/// limit.
fn queue_text(dialect: Dialect, n: usize) -> String {
    let mut text = String::from(
        "UPDATE customers SET lookup_due_at = $1, lookup_attempts = 0, lookup_error = NULL, \
         lookup_profile_id = CASE id",
    );
    for i in 0..n {
        text.push_str(&format!(" WHEN ${} THEN ${}", 2 + 2 * i, 3 + 2 * i));
    }
    let list = 2 + 2 * n;
    text.push_str(&format!(
        " END WHERE {} AND lookup_due_at IS NULL \
         AND (looked_up_at IS NULL OR looked_up_at < ${})",
        dialect.any_of("id", list),
        list + 1
    ));
    text
}

pub(crate) async fn claim_lookups(
    conn: &mut Conn<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<Customer>> {
    let skip_locked = conn.dialect().skip_locked(None);
    let due: Vec<i64> = Sql::new(format!(
        "SELECT id FROM customers WHERE lookup_due_at <= $1 \
         AND (lookup_claimed_until IS NULL OR lookup_claimed_until < $1) \
         ORDER BY lookup_due_at, id LIMIT $2{skip_locked}"
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
        "UPDATE customers SET lookup_claimed_until = $1, lookup_attempts = lookup_attempts + 1 \
         WHERE {among} RETURNING *"
    ))
    .bind(lease_until.0)
    .bind(due)
    .all(conn, rows::customer)
    .await?;
    claimed.sort_by_key(|c| (c.lookup.due_at, c.id));
    Ok(claimed)
}

pub(crate) async fn save_lookup(conn: &mut Conn<'_>, c: &Customer) -> Result<()> {
    let l = &c.lookup;
    Sql::new(
        "UPDATE customers SET display_name = $1, handle = $2, looked_up_at = $3, \
         lookup_due_at = $4, lookup_attempts = $5, lookup_error = $6, lookup_profile_id = $7, \
         lookup_claimed_until = NULL WHERE id = $8",
    )
    .bind(&c.details.display_name)
    .bind(&c.details.handle)
    .bind(l.looked_up_at.map(|t| t.0))
    .bind(l.due_at.map(|t| t.0))
    .bind(i64::from(l.attempts))
    .bind(&l.error)
    .bind(l.profile_id.map(|p| p.0))
    .bind(c.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn queue_avatar(
    conn: &mut Conn<'_>,
    customer: CustomerId,
    profile: ProfileId,
    url: &str,
    now: Timestamp,
) -> Result<MediaId> {
    let id: i64 = Sql::new(
        "INSERT INTO media (customer_id, profile_id, kind, network_url, state, due_at, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(customer.0)
    .bind(profile.0)
    .bind(AttachmentKind::Image.as_str())
    .bind(url)
    .bind(MediaState::Pending.as_str())
    .bind(now.0)
    .bind(now.0)
    .scalar(conn)
    .await?;
    Ok(MediaId(id))
}

pub(crate) async fn newest_avatar(
    conn: &mut Conn<'_>,
    customer: CustomerId,
) -> Result<Option<Media>> {
    Sql::new("SELECT * FROM media WHERE customer_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(customer.0)
        .optional(conn, rows::media)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_look_up_carries_its_profile_in_one_statement() {
        assert_eq!(
            queue_text(Dialect::Postgres, 2),
            "UPDATE customers SET lookup_due_at = $1, lookup_attempts = 0, lookup_error = NULL, \
             lookup_profile_id = CASE id WHEN $2 THEN $3 WHEN $4 THEN $5 END WHERE id = ANY($6) \
             AND lookup_due_at IS NULL AND (looked_up_at IS NULL OR looked_up_at < $7)"
        );
        assert!(queue_text(Dialect::Sqlite, 1).contains(
            "CASE id WHEN $2 THEN $3 END WHERE id IN (SELECT value FROM json_each($4)) \
             AND lookup_due_at IS NULL AND (looked_up_at IS NULL OR looked_up_at < $5)"
        ));
    }
}
