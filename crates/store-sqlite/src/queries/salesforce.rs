//! The Salesforce integration: the installation's one connection, the Salesforce Case linked to
//! a case, the status-sync queue and the claim on links due to be read again. SQLite serialises
//! writers, so a claim needs no row lock: the unit of work that claims rows holds the write lock
//! between reading them and marking them.

use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, Timestamp};
use caredesk_store::rows::SqlxRow;
use caredesk_store::salesforce::{
    SalesforceConnection, SalesforceSync, SalesforceSyncState, SyncEnd,
};

use super::Conn;
use crate::map_error;
use crate::rows::{self, to_json, Result};

const LINK: &str = "case_id, salesforce_id, number, url, status, created_at";

pub(crate) async fn connection(conn: &mut Conn) -> Result<Option<SalesforceConnection>> {
    super::one_by_id(
        conn,
        "SELECT * FROM salesforce_connection WHERE id = ?",
        1,
        rows::salesforce_connection,
    )
    .await
}

pub(crate) async fn save_connection(conn: &mut Conn, c: &SalesforceConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO salesforce_connection (id, login_url, client_id, client_secret, \
         refresh_token, access_token, instance_url, state, error, connected_at, updated_at) \
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET login_url = excluded.login_url, \
         client_id = excluded.client_id, client_secret = excluded.client_secret, \
         refresh_token = excluded.refresh_token, access_token = excluded.access_token, \
         instance_url = excluded.instance_url, state = excluded.state, error = excluded.error, \
         connected_at = excluded.connected_at, updated_at = excluded.updated_at",
    )
    .bind(&c.login_url)
    .bind(&c.client_id)
    .bind(&c.client_secret)
    .bind(&c.refresh_token)
    .bind(&c.access_token)
    .bind(&c.instance_url)
    .bind(c.state.as_str())
    .bind(&c.error)
    .bind(c.connected_at.map(|t| t.0))
    .bind(c.updated_at.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn delete_connection(conn: &mut Conn) -> Result<()> {
    sqlx::query("DELETE FROM salesforce_connection")
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn case(conn: &mut Conn, case: CaseId) -> Result<Option<SalesforceCase>> {
    let sql = format!("SELECT {LINK} FROM salesforce_cases WHERE case_id = ?");
    super::one_by_id(conn, &sql, case.0, rows::salesforce_case).await
}

pub(crate) async fn cases(
    conn: &mut Conn,
    cases: &[CaseId],
) -> Result<Vec<(CaseId, SalesforceCase)>> {
    let ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
    let sql = format!(
        "SELECT {LINK} FROM salesforce_cases \
         WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id"
    );
    let all = sqlx::query(&sql)
        .bind(to_json(&ids)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    all.iter()
        .map(|r| rows::linked_salesforce_case(&SqlxRow(r)))
        .collect()
}

pub(crate) async fn insert_case(
    conn: &mut Conn,
    case: CaseId,
    link: &SalesforceCase,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO salesforce_cases (case_id, salesforce_id, number, url, status, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(case.0)
    .bind(&link.id)
    .bind(&link.number)
    .bind(&link.url)
    .bind(&link.status)
    .bind(link.created_at.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn set_case_state(
    conn: &mut Conn,
    case: CaseId,
    number: Option<&str>,
    status: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE salesforce_cases SET number = COALESCE(?, number), status = ?, read_at = ? \
         WHERE case_id = ?",
    )
    .bind(number)
    .bind(status)
    .bind(now.0)
    .bind(case.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn sync_state(
    conn: &mut Conn,
    case: CaseId,
) -> Result<Option<SalesforceSyncState>> {
    super::one_by_id(
        conn,
        "SELECT attempts, next_attempt_at, last_error FROM salesforce_sync WHERE case_id = ?",
        case.0,
        rows::salesforce_sync_state,
    )
    .await
}

pub(crate) async fn sync_depth(conn: &mut Conn) -> Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM salesforce_sync WHERE next_attempt_at IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)
}

pub(crate) async fn queue_sync(conn: &mut Conn, case: CaseId, now: Timestamp) -> Result<()> {
    // Only a linked case has a row to sync; a newer change keeps any lease in flight, whose end
    // then sees the generation moved on.
    sqlx::query(
        "INSERT INTO salesforce_sync (case_id, generation, attempts, next_attempt_at) \
         SELECT case_id, 1, 0, ? FROM salesforce_cases WHERE case_id = ? \
         ON CONFLICT (case_id) DO UPDATE SET generation = generation + 1, attempts = 0, \
         next_attempt_at = excluded.next_attempt_at, last_error = NULL",
    )
    .bind(now.0)
    .bind(case.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

/// Syncs due at `now` whose lease is free, oldest due first.
const DUE_SYNCS: &str = "SELECT case_id FROM salesforce_sync \
     WHERE next_attempt_at <= ?1 AND (leased_until IS NULL OR leased_until < ?1) \
     ORDER BY next_attempt_at, case_id LIMIT ?2";

pub(crate) async fn claim_syncs(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<SalesforceSync>> {
    let sql = format!(
        "SELECT s.case_id, c.salesforce_id, s.generation, s.attempts + 1 AS attempts \
         FROM salesforce_sync s JOIN salesforce_cases c ON c.case_id = s.case_id \
         WHERE s.case_id IN ({DUE_SYNCS}) ORDER BY s.next_attempt_at, s.case_id"
    );
    let all = sqlx::query(&sql)
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    let claimed = all
        .iter()
        .map(|r| rows::salesforce_sync(&SqlxRow(r)))
        .collect::<Result<Vec<_>>>()?;
    if claimed.is_empty() {
        return Ok(claimed);
    }
    // The same rows: nothing else writes between the two statements.
    let sql = format!(
        "UPDATE salesforce_sync SET leased_until = ?3, attempts = attempts + 1 \
         WHERE case_id IN ({DUE_SYNCS})"
    );
    sqlx::query(&sql)
        .bind(now.0)
        .bind(i64::from(limit))
        .bind(lease_until.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(claimed)
}

pub(crate) async fn end_sync(conn: &mut Conn, sync: &SalesforceSync, end: &SyncEnd) -> Result<()> {
    match end {
        SyncEnd::Done => {
            let gone =
                sqlx::query("DELETE FROM salesforce_sync WHERE case_id = ? AND generation = ?")
                    .bind(sync.case_id.0)
                    .bind(sync.generation)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
            if gone.rows_affected() == 0 {
                // A newer change was queued meanwhile: it is due as the queue left it.
                sqlx::query("UPDATE salesforce_sync SET leased_until = NULL WHERE case_id = ?")
                    .bind(sync.case_id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
            }
        }
        SyncEnd::Failed {
            next_attempt_at,
            error,
        } => {
            // Only the change this call was for is rescheduled; a newer one keeps its due time.
            sqlx::query(
                "UPDATE salesforce_sync SET leased_until = NULL, \
                 next_attempt_at = CASE WHEN generation = ?1 THEN ?2 ELSE next_attempt_at END, \
                 last_error = CASE WHEN generation = ?1 THEN ?3 ELSE last_error END \
                 WHERE case_id = ?4",
            )
            .bind(sync.generation)
            .bind(next_attempt_at.map(|t| t.0))
            .bind(error)
            .bind(sync.case_id.0)
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
        }
    }
    Ok(())
}

/// Links last read before `read_before` (never read first), oldest first.
const DUE_PULLS: &str = "SELECT case_id FROM salesforce_cases \
     WHERE read_at IS NULL OR read_at < ?1 ORDER BY read_at, case_id LIMIT ?2";

pub(crate) async fn claim_pulls(
    conn: &mut Conn,
    read_before: Timestamp,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<(CaseId, SalesforceCase)>> {
    // SQLite sorts NULL first, so never-read links lead.
    let sql = format!(
        "SELECT {LINK} FROM salesforce_cases WHERE case_id IN ({DUE_PULLS}) \
         ORDER BY read_at, case_id"
    );
    let all = sqlx::query(&sql)
        .bind(read_before.0)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_error)?;
    let claimed = all
        .iter()
        .map(|r| rows::linked_salesforce_case(&SqlxRow(r)))
        .collect::<Result<Vec<_>>>()?;
    if claimed.is_empty() {
        return Ok(claimed);
    }
    let sql = format!("UPDATE salesforce_cases SET read_at = ?3 WHERE case_id IN ({DUE_PULLS})");
    sqlx::query(&sql)
        .bind(read_before.0)
        .bind(i64::from(limit))
        .bind(now.0)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(claimed)
}
