//! Customer look-ups: queued on the customer's row with the messages that call for them, claimed
//! for a lease by the look-up worker (passing over rows another unit of work holds where the
//! dialect locks rows), saved with the answer; and the customer's picture as a media row.

use caredesk_domain::media::Media;
use caredesk_domain::*;
use caredesk_store::rows;

use super::leases::{self, Queue};
use super::Result;
use std::collections::BTreeMap;

use crate::{Conn, Sql};

pub(crate) async fn queue_lookups(
    conn: &mut Conn<'_>,
    queued: &[(CustomerId, ProfileId)],
    now: Timestamp,
    refresh_before: Timestamp,
) -> Result<()> {
    // One statement of the same text per profile asking (a flush rarely holds more than a
    // few), so that it is prepared once and reused.
    let mut by_profile: BTreeMap<ProfileId, Vec<i64>> = BTreeMap::new();
    for (customer, profile) in queued {
        by_profile.entry(*profile).or_default().push(customer.0);
    }
    let text = format!(
        "UPDATE customers SET lookup_due_at = $1, lookup_attempts = 0, lookup_error = NULL, \
         lookup_profile_id = $2 WHERE {} AND lookup_due_at IS NULL \
         AND (looked_up_at IS NULL OR looked_up_at < $4)",
        conn.dialect().any_of("id", 3)
    );
    for (profile, customers) in by_profile {
        Sql::new(text.clone())
            .bind(now.0)
            .bind(profile.0)
            .bind(customers)
            .bind(refresh_before.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub(crate) async fn claim_lookups(
    conn: &mut Conn<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<Customer>> {
    let queue = Queue {
        table: "customers",
        due_at: "lookup_due_at",
        claimed_until: "lookup_claimed_until",
        attempts: "lookup_attempts",
    };
    leases::claim(
        conn,
        &queue,
        (now, lease_until),
        limit,
        rows::customer,
        |c| c.id.0,
    )
    .await
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
