//! The shared read models ([`caredesk_store::reads`]: Care views and counts, the Community
//! inbox, the History tab, the overview) run on a connection: their sea-query statements are
//! rendered in the connection's dialect.

use caredesk_store::reads::{Reader, Row as ReadRow};
use caredesk_store::views::ScopeTerm;
use caredesk_store::StoreError;
use sea_query::{PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder};
use sea_query_binder::SqlxBinder;

use crate::{errors, Conn, Row};

/// A connection as a [`Reader`] of the shared read models.
pub(crate) struct ViewReader<'a, 'c>(pub(crate) &'a mut Conn<'c>);

#[async_trait::async_trait]
impl Reader for ViewReader<'_, '_> {
    async fn rows(&mut self, statement: SelectStatement) -> Result<Vec<ReadRow>, StoreError> {
        let found: Vec<Row> = match &mut *self.0 {
            Conn::Sqlite(c) => {
                let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(&sql, values)
                    .fetch_all(&mut **c)
                    .await
                    .map_err(errors::sqlite)?
                    .into_iter()
                    .map(Row::Sqlite)
                    .collect()
            }
            Conn::Postgres(c) => {
                let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
                // Planned for the values of each request, never with a generic plan: a view's
                // bound values are skewed (a select field has five words shared by a fifth of
                // the cases each, a text field a word per case), and after five runs of a
                // prepared statement PostgreSQL keeps a generic plan costed for an average
                // value. For a case-field filter that plan started from the field's word
                // (estimated at 3 cases, 10,019 in fact) and looked up each case: 14 ms instead
                // of 0.5 ms from the agent's few cases.
                sqlx::query_with(&sql, values)
                    .persistent(false)
                    .fetch_all(&mut **c)
                    .await
                    .map_err(errors::postgres)?
                    .into_iter()
                    .map(Row::Postgres)
                    .collect()
            }
        };
        Ok(found
            .into_iter()
            .map(|row| Box::new(row) as ReadRow)
            .collect())
    }

    fn scope_term(&self) -> ScopeTerm {
        self.0.dialect().scope_term()
    }
}
