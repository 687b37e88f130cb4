//! [`Backend`] on SQLite: reads on the reader pool; units of work, bulk loads and upkeep on the
//! single writer, every unit of work starting with `BEGIN IMMEDIATE`. What that one writer
//! makes simple is written here: background work is claimed by reading the due rows and then
//! marking them (no other writer comes between, so no row locks), ids are reserved from the
//! largest in use, and the change log is read in id order, the order in which it commits.

use async_trait::async_trait;
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, CommunityItemId, MessageId};
use caredesk_store::ingest::ReservedIds;
use caredesk_store::rows;
use caredesk_store::salesforce::SalesforceSync;
use caredesk_store::{ChangeCursor, StoreError};
use caredesk_store_sql::{
    Backend, Claim, Conn, IdCounts, Pooled, Sql, Transaction, SALESFORCE_LINK_COLUMNS,
};

use crate::{map_error, Sqlite};

type Result<T> = std::result::Result<T, StoreError>;

/// Syncs due at `$1` whose lease is free, oldest due first, at most `$2`.
const DUE_SYNCS: &str = "SELECT case_id FROM salesforce_sync \
     WHERE next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < $1) \
     ORDER BY next_attempt_at, case_id LIMIT $2";

/// Links last read before `$1` (never read first: SQLite sorts NULL first), oldest first, at
/// most `$2`.
const DUE_PULLS: &str = "SELECT case_id FROM salesforce_cases \
     WHERE read_at IS NULL OR read_at < $1 ORDER BY read_at, case_id LIMIT $2";

/// The `n` ids after `largest`.
fn after<T>(largest: i64, n: usize, id: fn(i64) -> T) -> Vec<T> {
    (1..=n as i64).map(|i| id(largest + i)).collect()
}

#[async_trait]
impl Backend for Sqlite {
    async fn reader(&self) -> Result<Pooled> {
        let reader = self.readers.acquire().await.map_err(map_error)?;
        Ok(Pooled::Sqlite(reader))
    }

    async fn writer(&self) -> Result<Pooled> {
        let writer = self.writer.acquire().await.map_err(map_error)?;
        Ok(Pooled::Sqlite(writer))
    }

    async fn begin(&self) -> Result<Transaction> {
        let tx = self.writer.begin_with("BEGIN IMMEDIATE");
        Ok(Transaction::Sqlite(tx.await.map_err(map_error)?))
    }

    /// Closes every connection (the WAL is checkpointed by the last one).
    async fn close(&self) {
        self.checkpointer.close().await;
        self.readers.close().await;
        self.writer.close().await;
    }

    fn writes_in_parallel(&self) -> bool {
        false
    }

    async fn claim_salesforce_syncs(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<SalesforceSync>> {
        let claimed = Sql::new(format!(
            "SELECT s.case_id, c.salesforce_id, s.generation, s.attempts + 1 AS attempts \
             FROM salesforce_sync s JOIN salesforce_cases c ON c.case_id = s.case_id \
             WHERE s.case_id IN ({DUE_SYNCS}) ORDER BY s.next_attempt_at, s.case_id"
        ))
        .bind(claim.due.0)
        .bind(i64::from(claim.limit))
        .all(conn, rows::salesforce_sync)
        .await?;
        if !claimed.is_empty() {
            // The same rows: nothing else writes between the two statements.
            let lease = "UPDATE salesforce_sync SET leased_until = $3, attempts = attempts + 1 \
                         WHERE case_id IN";
            mark(conn, format!("{lease} ({DUE_SYNCS})"), claim).await?;
        }
        Ok(claimed)
    }

    async fn claim_salesforce_pulls(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<(CaseId, SalesforceCase)>> {
        let claimed = Sql::new(format!(
            "SELECT {SALESFORCE_LINK_COLUMNS} FROM salesforce_cases \
             WHERE case_id IN ({DUE_PULLS}) ORDER BY read_at, case_id"
        ))
        .bind(claim.due.0)
        .bind(i64::from(claim.limit))
        .all(conn, rows::linked_salesforce_case)
        .await?;
        if !claimed.is_empty() {
            let read = "UPDATE salesforce_cases SET read_at = $3 WHERE case_id IN";
            mark(conn, format!("{read} ({DUE_PULLS})"), claim).await?;
        }
        Ok(claimed)
    }

    async fn change_log_end(&self, conn: &mut Conn<'_>) -> Result<ChangeCursor> {
        let last = Sql::new("SELECT COALESCE(MAX(id), 0) FROM events");
        Ok(ChangeCursor {
            tx: 0,
            id: last.scalar(conn).await?,
        })
    }

    fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Sql<'static> {
        Sql::new(
            "SELECT e.*, 0 AS tx, c.profile_id AS case_profile, c.number AS case_number \
             FROM events e LEFT JOIN cases c ON c.id = e.case_id WHERE e.id > $1 \
             ORDER BY e.id LIMIT $2",
        )
        .bind(cursor.id)
        .bind(i64::from(limit))
    }

    async fn reserve_ids(&self, conn: &mut Conn<'_>, wanted: IdCounts) -> Result<ReservedIds> {
        let largest = Sql::new(
            "SELECT (SELECT coalesce(max(id), 0) FROM messages), \
             (SELECT coalesce(max(id), 0) FROM community_items)",
        )
        .fetch_one(conn)
        .await?;
        Ok(ReservedIds {
            messages: after(largest.at(0)?, wanted.messages, MessageId),
            items: after(largest.at(1)?, wanted.items, CommunityItemId),
        })
    }

    async fn move_ids_past_loaded(&self) -> Result<()> {
        // `INTEGER PRIMARY KEY` ids and case numbers (`MAX + 1`) continue from the loaded rows.
        Ok(())
    }

    async fn finish_load(&self) -> Result<()> {
        // Fold the log into the file so a copy of the file alone is the whole database.
        self.settle().await
    }

    async fn settle(&self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await
            .map_err(map_error)?;
        Ok(())
    }
}

/// Marks the rows a claim read: `sql` selects them again with the claim's `$1` and `$2` and
/// writes `$3`, the claim's mark.
async fn mark(conn: &mut Conn<'_>, sql: String, claim: Claim) -> Result<()> {
    Sql::new(sql)
        .bind(claim.due.0)
        .bind(i64::from(claim.limit))
        .bind(claim.mark.0)
        .execute(conn)
        .await?;
    Ok(())
}
