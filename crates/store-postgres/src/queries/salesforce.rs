//! The Salesforce integration: the installation's one connection, the Salesforce Case linked to
//! a case, the status-sync queue and the claim on links due to be read again. Claims lock the
//! rows they take and skip rows another node holds (`FOR UPDATE SKIP LOCKED`), so several nodes
//! never claim one twice.

use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, Timestamp};
use caredesk_store::rows::SqlxRow;
use caredesk_store::salesforce::{
    SalesforceConnection, SalesforceSync, SalesforceSyncState, SyncEnd,
};

use super::Conn;
use crate::map_error;
use crate::rows::{self, Result};

const LINK: &str = "case_id, salesforce_id, number, url, status, created_at";

/// Whether a read inside a unit of work locks the row it finds until the unit of work ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// A plain read.
    No,
    /// `FOR UPDATE`.
    ForUpdate,
}

impl Lock {
    fn clause(self) -> &'static str {
        match self {
            Lock::No => "",
            Lock::ForUpdate => " FOR UPDATE",
        }
    }
}

pub(crate) async fn connection(
    conn: &mut Conn,
    lock: Lock,
) -> Result<Option<SalesforceConnection>> {
    let sql = format!(
        "SELECT * FROM salesforce_connection WHERE id = $1{}",
        lock.clause()
    );
    super::one_by_id(conn, &sql, 1, rows::salesforce_connection).await
}

pub(crate) async fn save_connection(conn: &mut Conn, c: &SalesforceConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO salesforce_connection (id, login_url, client_id, client_secret, \
         refresh_token, access_token, instance_url, state, error, connected_at, updated_at) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET login_url = EXCLUDED.login_url, \
         client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret, \
         refresh_token = EXCLUDED.refresh_token, access_token = EXCLUDED.access_token, \
         instance_url = EXCLUDED.instance_url, state = EXCLUDED.state, error = EXCLUDED.error, \
         connected_at = EXCLUDED.connected_at, updated_at = EXCLUDED.updated_at",
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

pub(crate) async fn case(
    conn: &mut Conn,
    case: CaseId,
    lock: Lock,
) -> Result<Option<SalesforceCase>> {
    let sql = format!(
        "SELECT {LINK} FROM salesforce_cases WHERE case_id = $1{}",
        lock.clause()
    );
    super::one_by_id(conn, &sql, case.0, rows::salesforce_case).await
}

pub(crate) async fn cases(
    conn: &mut Conn,
    cases: &[CaseId],
) -> Result<Vec<(CaseId, SalesforceCase)>> {
    let ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
    let sql =
        format!("SELECT {LINK} FROM salesforce_cases WHERE case_id = ANY($1) ORDER BY case_id");
    let all = sqlx::query(&sql)
        .bind(&ids)
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
         VALUES ($1, $2, $3, $4, $5, $6)",
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
        "UPDATE salesforce_cases SET number = COALESCE($1, number), status = $2, read_at = $3 \
         WHERE case_id = $4",
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
        "SELECT attempts, next_attempt_at, last_error FROM salesforce_sync WHERE case_id = $1",
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
         SELECT case_id, 1, 0, $1 FROM salesforce_cases WHERE case_id = $2 \
         ON CONFLICT (case_id) DO UPDATE SET generation = salesforce_sync.generation + 1, \
         attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL",
    )
    .bind(now.0)
    .bind(case.0)
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn claim_syncs(
    conn: &mut Conn,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<SalesforceSync>> {
    let all = sqlx::query(
        "WITH picked AS ( \
           SELECT case_id FROM salesforce_sync \
           WHERE next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < $1) \
           ORDER BY next_attempt_at, case_id LIMIT $3 FOR UPDATE SKIP LOCKED \
         ) \
         UPDATE salesforce_sync s SET leased_until = $2, attempts = s.attempts + 1 \
         FROM picked, salesforce_cases c \
         WHERE s.case_id = picked.case_id AND c.case_id = s.case_id \
         RETURNING s.case_id, c.salesforce_id, s.generation, s.attempts, s.next_attempt_at",
    )
    .bind(now.0)
    .bind(lease_until.0)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    // RETURNING keeps no order: put the oldest due first again.
    let mut claimed = all
        .iter()
        .map(|r| {
            let row = SqlxRow(r);
            let due: i64 = row.get("next_attempt_at")?;
            Ok((due, rows::salesforce_sync(&row)?))
        })
        .collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|(due, sync)| (*due, sync.case_id));
    Ok(claimed.into_iter().map(|(_, sync)| sync).collect())
}

pub(crate) async fn end_sync(conn: &mut Conn, sync: &SalesforceSync, end: &SyncEnd) -> Result<()> {
    match end {
        SyncEnd::Done => {
            let gone =
                sqlx::query("DELETE FROM salesforce_sync WHERE case_id = $1 AND generation = $2")
                    .bind(sync.case_id.0)
                    .bind(sync.generation)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_error)?;
            if gone.rows_affected() == 0 {
                // A newer change was queued meanwhile: it is due as the queue left it.
                sqlx::query("UPDATE salesforce_sync SET leased_until = NULL WHERE case_id = $1")
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
                 next_attempt_at = CASE WHEN generation = $1 THEN $2 ELSE next_attempt_at END, \
                 last_error = CASE WHEN generation = $1 THEN $3 ELSE last_error END \
                 WHERE case_id = $4",
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

pub(crate) async fn claim_pulls(
    conn: &mut Conn,
    read_before: Timestamp,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<(CaseId, SalesforceCase)>> {
    let all = sqlx::query(
        "WITH picked AS ( \
           SELECT case_id, read_at FROM salesforce_cases \
           WHERE read_at IS NULL OR read_at < $1 \
           ORDER BY read_at NULLS FIRST, case_id LIMIT $3 FOR UPDATE SKIP LOCKED \
         ) \
         UPDATE salesforce_cases s SET read_at = $2 FROM picked \
         WHERE s.case_id = picked.case_id \
         RETURNING s.case_id, s.salesforce_id, s.number, s.url, s.status, s.created_at, \
           picked.read_at AS was_read_at",
    )
    .bind(read_before.0)
    .bind(now.0)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .map_err(map_error)?;
    // RETURNING keeps no order: never read first, then the oldest read.
    let mut claimed = all
        .iter()
        .map(|r| {
            let row = SqlxRow(r);
            let was: Option<i64> = row.get("was_read_at")?;
            Ok((was, rows::linked_salesforce_case(&row)?))
        })
        .collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|(was, (case, _))| (*was, *case));
    Ok(claimed.into_iter().map(|(_, link)| link).collect())
}
