//! Auto-assignment's reads, claims and locks. On PostgreSQL a pass claims its profile and its
//! waiting cases with `SKIP LOCKED` and locks the users it may hand cases to before it counts
//! their load, so the count sees every assignment committed before it. The locks are `NO KEY
//! UPDATE`: the rows are referred to by rows other units of work insert (a new case refers to
//! its profile), and a plain `FOR UPDATE` would wait for them, or skip a profile whenever a
//! case is being opened on it. On SQLite the unit of work holds the one write lock and the
//! clauses are empty.

use caredesk_domain::{Case, ProfileId, Timestamp, UserId};
use caredesk_store::rows;
use caredesk_store::UserWithLoad;

use super::{directory, Result};
use crate::{Conn, Sql};

pub(crate) async fn profiles_with_waiting_cases(conn: &mut Conn<'_>) -> Result<Vec<ProfileId>> {
    let ids: Vec<i64> = Sql::new(
        "SELECT p.id FROM profiles p WHERE p.auto_assign = TRUE AND EXISTS \
         (SELECT 1 FROM cases c WHERE c.profile_id = p.id AND c.status = 'new' \
         AND c.deleted = FALSE) ORDER BY p.id",
    )
    .scalars(conn)
    .await?;
    Ok(ids.into_iter().map(ProfileId).collect())
}

pub(crate) async fn claim_profile(conn: &mut Conn<'_>, profile: ProfileId) -> Result<bool> {
    let claim = conn.dialect().claim_referenced();
    let row = Sql::new(format!(
        "SELECT id FROM profiles WHERE id = $1 AND auto_assign = TRUE{claim}"
    ))
    .bind(profile.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

pub(crate) async fn claim_waiting_cases(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    limit: u32,
) -> Result<Vec<Case>> {
    let claim = conn.dialect().claim_referenced();
    Sql::new(format!(
        "SELECT * FROM cases WHERE profile_id = $1 AND status = 'new' AND deleted = FALSE \
         ORDER BY created_at, id LIMIT $2{claim}"
    ))
    .bind(profile.0)
    .bind(i64::from(limit))
    .all(conn, rows::case)
    .await
}

pub(crate) async fn lock_assignees(
    conn: &mut Conn<'_>,
    profile: ProfileId,
) -> Result<Vec<UserWithLoad>> {
    let dialect = conn.dialect();
    if dialect.locks_rows() {
        Sql::new(format!(
            "SELECT id FROM users WHERE active = TRUE AND id IN \
             (SELECT user_id FROM user_profiles WHERE profile_id = $1) ORDER BY id{}",
            dialect.lock_referenced()
        ))
        .bind(profile.0)
        .fetch_all(conn)
        .await?;
    }
    directory::active_users_of(conn, profile).await
}

pub(crate) async fn stamp_assigned(conn: &mut Conn<'_>, user: UserId, at: Timestamp) -> Result<()> {
    Sql::new("UPDATE users SET last_assigned_at = $1 WHERE id = $2")
        .bind(at.0)
        .bind(user.0)
        .execute(conn)
        .await?;
    Ok(())
}
