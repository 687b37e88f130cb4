//! Customer look-ups: asked for by requests appended with the messages that call for them, moved
//! onto the customers' rows by the look-up worker, claimed for a lease (passing over rows
//! another unit of work holds where the dialect locks rows), saved with the answer; and the
//! customer's picture as a media row.

use caredesk_domain::media::Media;
use caredesk_domain::*;
use caredesk_store::rows;

use super::leases::{self, Queue};
use super::Result;
use std::collections::{BTreeMap, BTreeSet};

use crate::{Conn, Sql};

pub(crate) async fn queue_lookups(
    conn: &mut Conn<'_>,
    queued: &[(CustomerId, ProfileId)],
    now: Timestamp,
    refresh_before: Timestamp,
) -> Result<()> {
    // Appended as requests, one statement of the same text per profile asking (a flush rarely
    // holds more than a few), so that it is prepared once and reused.
    let mut by_profile: BTreeMap<ProfileId, Vec<i64>> = BTreeMap::new();
    for (customer, profile) in queued {
        by_profile.entry(*profile).or_default().push(customer.0);
    }
    let text = format!(
        "INSERT INTO lookup_requests (customer_id, profile_id, requested_at, refresh_before) \
         SELECT value, $2, $3, $4 FROM {}",
        conn.dialect().each_id(1)
    );
    for (profile, customers) in by_profile {
        Sql::new(text.clone())
            .bind(customers)
            .bind(profile.0)
            .bind(now.0)
            .bind(refresh_before.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// One request for a look-up, as appended.
struct Request {
    id: i64,
    customer: i64,
    profile: i64,
    requested_at: i64,
    refresh_before: i64,
}

pub(crate) async fn promote_lookup_requests(conn: &mut Conn<'_>, limit: u32) -> Result<usize> {
    let skip_locked = conn.dialect().skip_locked(None);
    let requests = Sql::new(format!(
        "SELECT id, customer_id, profile_id, requested_at, refresh_before FROM lookup_requests \
         ORDER BY id LIMIT $1{skip_locked}"
    ))
    .bind(i64::from(limit))
    .all(conn, |row| {
        Ok(Request {
            id: row.int("id")?,
            customer: row.int("customer_id")?,
            profile: row.int("profile_id")?,
            requested_at: row.int("requested_at")?,
            refresh_before: row.int("refresh_before")?,
        })
    })
    .await?;
    if requests.is_empty() {
        return Ok(0);
    }
    // The customers' rows are taken in id order, passing over those a unit of work holds (an
    // ingest locks its customers): their requests wait for the next pass.
    let customers: BTreeSet<i64> = requests.iter().map(|r| r.customer).collect();
    let held: BTreeSet<i64> = Sql::new(format!(
        "SELECT id FROM customers WHERE {} ORDER BY id{skip_locked}",
        conn.dialect().any_of("id", 1)
    ))
    .bind(customers.iter().copied().collect::<Vec<_>>())
    .all(conn, |row| row.int("id"))
    .await?
    .into_iter()
    .collect();
    let mut waiting: BTreeSet<i64> = customers.difference(&held).copied().collect();
    if !waiting.is_empty() {
        // Passed over: held by someone else, or gone (whose requests are done with).
        waiting = Sql::new(format!(
            "SELECT id FROM customers WHERE {}",
            conn.dialect().any_of("id", 1)
        ))
        .bind(waiting.into_iter().collect::<Vec<_>>())
        .all(conn, |row| row.int("id"))
        .await?
        .into_iter()
        .collect();
    }
    let mut done = Vec::with_capacity(requests.len());
    for request in requests.iter().filter(|r| !waiting.contains(&r.customer)) {
        if held.contains(&request.customer) {
            Sql::new(
                "UPDATE customers SET lookup_due_at = $1, lookup_attempts = 0, \
                 lookup_error = NULL, lookup_profile_id = $2 WHERE id = $3 \
                 AND lookup_due_at IS NULL AND (looked_up_at IS NULL OR looked_up_at < $4)",
            )
            .bind(request.requested_at)
            .bind(request.profile)
            .bind(request.customer)
            .bind(request.refresh_before)
            .execute(conn)
            .await?;
        }
        done.push(request.id);
    }
    let promoted = done.len();
    Sql::new(format!(
        "DELETE FROM lookup_requests WHERE {}",
        conn.dialect().any_of("id", 1)
    ))
    .bind(done)
    .execute(conn)
    .await?;
    Ok(promoted)
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
