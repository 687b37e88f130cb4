//! Sign-in sessions (found by the SHA-256 of their token) and failed sign-ins counted per key.

use caredesk_domain::{Timestamp, UserId};
use caredesk_store::rows::SqlxRow;
use caredesk_store::{NewSession, StoredSession};

use super::Conn;
use crate::map_error;
use crate::rows::{self, Result};

pub(crate) async fn session(conn: &mut Conn, token_hash: &str) -> Result<Option<StoredSession>> {
    let row = sqlx::query(
        "SELECT id, user_id, csrf_token, created_at, last_seen_at, revoked_at \
         FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_error)?;
    row.as_ref().map(|r| rows::session(&SqlxRow(r))).transpose()
}

pub(crate) async fn insert_session(conn: &mut Conn, new: &NewSession) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.user_id.0)
    .bind(&new.token_hash)
    .bind(&new.csrf_token)
    .bind(new.at.0)
    .bind(new.at.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)
}

pub(crate) async fn touch_session(conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $3")
        .bind(now.0)
        .bind(id)
        .bind(now.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn revoke_session(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(now.0)
        .bind(token_hash)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn revoke_user_sessions(
    conn: &mut Conn,
    user: UserId,
    now: Timestamp,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now.0)
    .bind(user.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(done.rows_affected())
}

pub(crate) async fn login_failures_since(
    conn: &mut Conn,
    key: &str,
    since: Timestamp,
) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)
}

pub(crate) async fn oldest_login_failure_since(
    conn: &mut Conn,
    key: &str,
    since: Timestamp,
) -> Result<Option<Timestamp>> {
    let oldest: Option<i64> =
        sqlx::query_scalar("SELECT MIN(at) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(since.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_error)?;
    Ok(oldest.map(Timestamp))
}

pub(crate) async fn record_login_failure(conn: &mut Conn, key: &str, at: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(at.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn clear_login_failures(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}
