//! [`Backend`] on PostgreSQL: reads and units of work share one pool. The change log is read in
//! commit order: each event records its transaction, and a reader takes only events of
//! transactions older than every one still running (`pg_snapshot_xmin`), in (transaction, id)
//! order, so a change that commits late is delivered late, never skipped. Claims lock the rows
//! they take and pass over rows another node holds, in one statement; ids are reserved from
//! the tables' identity sequences, so concurrent units of work never share one.

use async_trait::async_trait;
use caredesk_domain::salesforce::SalesforceCase;
use caredesk_domain::{CaseId, CommunityItemId, MessageId};
use caredesk_store::ingest::ReservedIds;
use caredesk_store::rows::{self, Columns};
use caredesk_store::salesforce::SalesforceSync;
use caredesk_store::{ChangeCursor, StoreError};
use caredesk_store_sql::{Backend, Claim, Conn, IdCounts, Pooled, Row, Sql, Transaction};

use crate::{map_error, Postgres};

type Result<T> = std::result::Result<T, StoreError>;

/// The tables whose identity column takes the loaded ids.
const IDENTITIES: [&str; 5] = [
    "customers",
    "conversations",
    "messages",
    "community_items",
    "cases",
];

#[async_trait]
impl Backend for Postgres {
    async fn reader(&self) -> Result<Pooled> {
        Ok(Pooled::Postgres(
            self.pool.acquire().await.map_err(map_error)?,
        ))
    }

    async fn writer(&self) -> Result<Pooled> {
        self.reader().await
    }

    async fn begin(&self) -> Result<Transaction> {
        Ok(Transaction::Postgres(
            self.pool.begin().await.map_err(map_error)?,
        ))
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    fn writes_in_parallel(&self) -> bool {
        true
    }

    async fn claim_salesforce_syncs(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<SalesforceSync>> {
        let sql = "WITH picked AS ( \
                     SELECT case_id FROM salesforce_sync \
                     WHERE next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < $1) \
                     ORDER BY next_attempt_at, case_id LIMIT $3 FOR UPDATE SKIP LOCKED \
                   ) \
                   UPDATE salesforce_sync s SET leased_until = $2, attempts = s.attempts + 1 \
                   FROM picked, salesforce_cases c \
                   WHERE s.case_id = picked.case_id AND c.case_id = s.case_id \
                   RETURNING s.case_id, c.salesforce_id, s.generation, s.attempts, \
                   s.next_attempt_at";
        // The oldest due first.
        let order = |row: &Row| Ok((row.int("next_attempt_at")?, row.int("case_id")?));
        claimed(conn, sql, claim, order, rows::salesforce_sync).await
    }

    async fn claim_salesforce_pulls(
        &self,
        conn: &mut Conn<'_>,
        claim: Claim,
    ) -> Result<Vec<(CaseId, SalesforceCase)>> {
        let sql = "WITH picked AS ( \
                     SELECT case_id, read_at FROM salesforce_cases \
                     WHERE read_at IS NULL OR read_at < $1 \
                     ORDER BY read_at NULLS FIRST, case_id LIMIT $3 FOR UPDATE SKIP LOCKED \
                   ) \
                   UPDATE salesforce_cases s SET read_at = $2 FROM picked \
                   WHERE s.case_id = picked.case_id \
                   RETURNING s.case_id, s.salesforce_id, s.number, s.url, s.status, \
                   s.created_at, picked.read_at AS was_read_at";
        // Never read first, then the oldest read.
        let order = |row: &Row| Ok((row.opt_int("was_read_at")?, row.int("case_id")?));
        claimed(conn, sql, claim, order, rows::linked_salesforce_case).await
    }

    async fn change_log_end(&self, conn: &mut Conn<'_>) -> Result<ChangeCursor> {
        let xmin = Sql::new("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        Ok(ChangeCursor {
            tx: xmin.scalar(conn).await?,
            id: 0,
        })
    }

    fn changes_after(&self, cursor: ChangeCursor, limit: u32) -> Sql<'static> {
        Sql::new(
            "SELECT e.*, c.profile_id AS case_profile, c.number AS case_number FROM events e \
             LEFT JOIN cases c ON c.id = e.case_id \
             WHERE (e.tx > $1 OR (e.tx = $1 AND e.id > $2)) \
             AND e.tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
             ORDER BY e.tx, e.id LIMIT $3",
        )
        .bind(cursor.tx)
        .bind(cursor.id)
        .bind(i64::from(limit))
    }

    async fn reserve_ids(&self, conn: &mut Conn<'_>, wanted: IdCounts) -> Result<ReservedIds> {
        let reserved = Sql::new(
            "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('messages', 'id')) \
                          FROM generate_series(1, $1)), \
                    ARRAY(SELECT nextval(pg_get_serial_sequence('community_items', 'id')) \
                          FROM generate_series(1, $2))",
        )
        .bind(wanted.messages as i64)
        .bind(wanted.items as i64)
        .fetch_one(conn)
        .await?;
        let mut message_ids = reserved.ints_at(0)?;
        let mut item_ids = reserved.ints_at(1)?;
        message_ids.sort_unstable();
        item_ids.sort_unstable();
        Ok(ReservedIds {
            messages: message_ids.into_iter().map(MessageId).collect(),
            items: item_ids.into_iter().map(CommunityItemId).collect(),
        })
    }

    async fn move_ids_past_loaded(&self) -> Result<()> {
        for table in IDENTITIES {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))
            .execute(&self.pool)
            .await
            .map_err(map_error)?;
        }
        sqlx::query(
            "UPDATE case_number_counter SET last = (SELECT COALESCE(MAX(number), 0) FROM cases)",
        )
        .execute(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(())
    }

    async fn finish_load(&self) -> Result<()> {
        self.move_ids_past_loaded().await?;
        // A table that was just loaded is not yet what a running installation's tables are
        // after autovacuum: no page is marked all-visible, so no index-only scan is possible,
        // and the first reads set each row's hint bits and write the pages back. The tallies
        // moved once per loaded case and hold a hundred times their live size in dead
        // versions, which every count would read: VACUUM FULL gives those pages back. Each
        // VACUUM runs alone (outside a transaction, hence the simple protocol); ANALYZE
        // refreshes the statistics.
        for sql in ["VACUUM (FULL) case_tallies", "VACUUM (ANALYZE)"] {
            sqlx::raw_sql(sql)
                .execute(&self.pool)
                .await
                .map_err(map_error)?;
        }
        Ok(())
    }

    async fn settle(&self) -> Result<()> {
        // What autovacuum and the checkpointer do to freshly written rows in a running
        // installation, done now rather than in the middle of a measurement.
        for sql in ["VACUUM (ANALYZE)", "CHECKPOINT"] {
            sqlx::raw_sql(sql)
                .execute(&self.pool)
                .await
                .map_err(map_error)?;
        }
        Ok(())
    }
}

/// Runs a claim (`$1` due, `$2` mark, `$3` limit) and answers what it took in `order`:
/// `RETURNING` keeps no order of its own.
async fn claimed<K: Ord, T>(
    conn: &mut Conn<'_>,
    sql: &'static str,
    claim: Claim,
    order: impl Fn(&Row) -> Result<K>,
    decode: fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let found = Sql::new(sql)
        .bind(claim.due.0)
        .bind(claim.mark.0)
        .bind(i64::from(claim.limit))
        .fetch_all(conn)
        .await?;
    let mut taken = found
        .iter()
        .map(|row| Ok((order(row)?, decode(row)?)))
        .collect::<Result<Vec<_>>>()?;
    taken.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(taken.into_iter().map(|(_, value)| value).collect())
}
