//! The Salesforce integration: the installation's one connection, the Salesforce Case linked to
//! a case and the status-sync queue. Reads inside a unit of work lock the row they find where
//! the dialect locks rows, so nodes refreshing the session take turns. The claims differ by
//! dialect and are the backends' own.

use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, Timestamp};
use caredesk_store::rows;
use caredesk_store::salesforce::{
    SalesforceConnection, SalesforceSync, SalesforceSyncState, SyncEnd,
};

use super::Result;
use crate::{sealed, Conn, Lock, Secrets, Sql};

/// The columns of a link, as [`rows::linked_salesforce_case`] reads them.
pub const LINK: &str = "case_id, salesforce_id, number, url, status, created_at";

pub(crate) async fn connection(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    lock: Lock,
) -> Result<Option<SalesforceConnection>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT * FROM salesforce_connection WHERE id = $1{lock}"
    ))
    .bind(1_i64)
    .optional(conn, rows::salesforce_connection)
    .await?
    .map(|c| sealed::open_connection(secrets, c))
    .transpose()
}

pub(crate) async fn save_connection(
    conn: &mut Conn<'_>,
    secrets: &Secrets,
    c: &SalesforceConnection,
) -> Result<()> {
    let c = &sealed::seal_connection(secrets, c)?;
    Sql::new(
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
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_connection(conn: &mut Conn<'_>) -> Result<()> {
    Sql::new("DELETE FROM salesforce_connection")
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn case(
    conn: &mut Conn<'_>,
    case: CaseId,
    lock: Lock,
) -> Result<Option<SalesforceCase>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT {LINK} FROM salesforce_cases WHERE case_id = $1{lock}"
    ))
    .bind(case.0)
    .optional(conn, rows::salesforce_case)
    .await
}

pub(crate) async fn cases(
    conn: &mut Conn<'_>,
    cases: &[CaseId],
) -> Result<Vec<(CaseId, SalesforceCase)>> {
    let ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
    let among = conn.dialect().any_of("case_id", 1);
    Sql::new(format!(
        "SELECT {LINK} FROM salesforce_cases WHERE {among} ORDER BY case_id"
    ))
    .bind(ids)
    .all(conn, rows::linked_salesforce_case)
    .await
}

pub(crate) async fn insert_case(
    conn: &mut Conn<'_>,
    case: CaseId,
    link: &SalesforceCase,
) -> Result<()> {
    Sql::new(
        "INSERT INTO salesforce_cases (case_id, salesforce_id, number, url, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case.0)
    .bind(&link.id)
    .bind(&link.number)
    .bind(&link.url)
    .bind(&link.status)
    .bind(link.created_at.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_case_state(
    conn: &mut Conn<'_>,
    case: CaseId,
    number: Option<&str>,
    status: &str,
    now: Timestamp,
) -> Result<()> {
    Sql::new(
        "UPDATE salesforce_cases SET number = COALESCE($1, number), status = $2, read_at = $3 \
         WHERE case_id = $4",
    )
    .bind(number)
    .bind(status)
    .bind(now.0)
    .bind(case.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn sync_state(
    conn: &mut Conn<'_>,
    case: CaseId,
) -> Result<Option<SalesforceSyncState>> {
    Sql::new("SELECT attempts, next_attempt_at, last_error FROM salesforce_sync WHERE case_id = $1")
        .bind(case.0)
        .optional(conn, rows::salesforce_sync_state)
        .await
}

pub(crate) async fn sync_depth(conn: &mut Conn<'_>) -> Result<i64> {
    Sql::new("SELECT COUNT(*) FROM salesforce_sync WHERE next_attempt_at IS NOT NULL")
        .scalar(conn)
        .await
}

pub(crate) async fn queue_sync(conn: &mut Conn<'_>, case: CaseId, now: Timestamp) -> Result<()> {
    // Only a linked case has a row to sync; a newer change keeps any lease in flight, whose end
    // then sees the generation moved on.
    Sql::new(
        "INSERT INTO salesforce_sync (case_id, generation, attempts, next_attempt_at) \
         SELECT case_id, 1, 0, $1 FROM salesforce_cases WHERE case_id = $2 \
         ON CONFLICT (case_id) DO UPDATE SET generation = salesforce_sync.generation + 1, \
         attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL",
    )
    .bind(now.0)
    .bind(case.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn end_sync(
    conn: &mut Conn<'_>,
    sync: &SalesforceSync,
    end: &SyncEnd,
) -> Result<()> {
    match end {
        SyncEnd::Done => {
            let gone =
                Sql::new("DELETE FROM salesforce_sync WHERE case_id = $1 AND generation = $2")
                    .bind(sync.case_id.0)
                    .bind(sync.generation)
                    .execute(conn)
                    .await?;
            if gone == 0 {
                // A newer change was queued meanwhile: it is due as the queue left it.
                Sql::new("UPDATE salesforce_sync SET leased_until = NULL WHERE case_id = $1")
                    .bind(sync.case_id.0)
                    .execute(conn)
                    .await?;
            }
        }
        SyncEnd::Failed {
            next_attempt_at,
            error,
        } => {
            // Only the change this call was for is rescheduled; a newer one keeps its due time.
            Sql::new(
                "UPDATE salesforce_sync SET leased_until = NULL, \
                 next_attempt_at = CASE WHEN generation = $1 THEN $2 ELSE next_attempt_at END, \
                 last_error = CASE WHEN generation = $1 THEN $3 ELSE last_error END \
                 WHERE case_id = $4",
            )
            .bind(sync.generation)
            .bind(next_attempt_at.map(|t| t.0))
            .bind(error)
            .bind(sync.case_id.0)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}
