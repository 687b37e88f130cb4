//! Sign-in sessions (found by the SHA-256 of their token) and failed sign-ins counted per key;
//! both removed by housekeeping once over.

use caredesk_domain::{Timestamp, UserId};
use caredesk_store::rows;
use caredesk_store::{NewSession, StoredSession};

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn session(
    conn: &mut Conn<'_>,
    token_hash: &str,
) -> Result<Option<StoredSession>> {
    Sql::new(
        "SELECT id, user_id, csrf_token, created_at, last_seen_at, revoked_at \
         FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .optional(conn, rows::session)
    .await
}

pub(crate) async fn insert_session(conn: &mut Conn<'_>, new: &NewSession) -> Result<i64> {
    Sql::new(
        "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.user_id.0)
    .bind(&new.token_hash)
    .bind(&new.csrf_token)
    .bind(new.at.0)
    .bind(new.at.0)
    .scalar(conn)
    .await
}

pub(crate) async fn touch_session(conn: &mut Conn<'_>, id: i64, now: Timestamp) -> Result<()> {
    Sql::new("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $3")
        .bind(now.0)
        .bind(id)
        .bind(now.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn revoke_session(
    conn: &mut Conn<'_>,
    token_hash: &str,
    now: Timestamp,
) -> Result<()> {
    Sql::new("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(now.0)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn revoke_user_sessions(
    conn: &mut Conn<'_>,
    user: UserId,
    now: Timestamp,
) -> Result<u64> {
    Sql::new("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now.0)
        .bind(user.0)
        .execute(conn)
        .await
}

pub(crate) async fn login_failures_since(
    conn: &mut Conn<'_>,
    key: &str,
    since: Timestamp,
) -> Result<i64> {
    Sql::new("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since.0)
        .scalar(conn)
        .await
}

pub(crate) async fn oldest_login_failure_since(
    conn: &mut Conn<'_>,
    key: &str,
    since: Timestamp,
) -> Result<Option<Timestamp>> {
    let oldest: Option<i64> =
        Sql::new("SELECT MIN(at) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(since.0)
            .scalar(conn)
            .await?;
    Ok(oldest.map(Timestamp))
}

pub(crate) async fn record_login_failure(
    conn: &mut Conn<'_>,
    key: &str,
    at: Timestamp,
) -> Result<()> {
    Sql::new("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(at.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn clear_login_failures(conn: &mut Conn<'_>, key: &str) -> Result<()> {
    Sql::new("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_ended_sessions(
    conn: &mut Conn<'_>,
    idle_since: Timestamp,
) -> Result<u64> {
    Sql::new("DELETE FROM sessions WHERE revoked_at IS NOT NULL OR last_seen_at <= $1")
        .bind(idle_since.0)
        .execute(conn)
        .await
}

pub(crate) async fn delete_login_failures_until(
    conn: &mut Conn<'_>,
    until: Timestamp,
) -> Result<u64> {
    Sql::new("DELETE FROM login_failures WHERE at <= $1")
        .bind(until.0)
        .execute(conn)
        .await
}
