//! A row either driver answered, read by column name through the shared decoders
//! ([`caredesk_store::rows`]), or by position for single values.

use caredesk_store::rows::Columns;
use caredesk_store::StoreError;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Postgres, Row as _, Sqlite, Type};

type Result<T> = std::result::Result<T, StoreError>;

/// A value both drivers decode (integers, text, booleans and their options).
pub trait Value:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

impl<T> Value for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

/// One row of an answer.
pub enum Row {
    /// From SQLite.
    Sqlite(SqliteRow),
    /// From PostgreSQL.
    Postgres(PgRow),
}

fn corrupt(column: impl std::fmt::Display, error: sqlx::Error) -> StoreError {
    StoreError::Corrupt(format!("{column}: {error}"))
}

impl Row {
    /// The column named `column`; a value that does not decode is `Corrupt`.
    pub fn get<T: Value>(&self, column: &str) -> Result<T> {
        match self {
            Row::Sqlite(row) => row.try_get(column),
            Row::Postgres(row) => row.try_get(column),
        }
        .map_err(|e| corrupt(column, e))
    }

    /// The column at `index` (from 0).
    pub fn at<T: Value>(&self, index: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => row.try_get(index),
            Row::Postgres(row) => row.try_get(index),
        }
        .map_err(|e| corrupt(index, e))
    }

    /// A list of integers at `index`, as [`crate::Arg::Ints`] binds one: a PostgreSQL array, or
    /// JSON text on SQLite.
    pub fn ints_at(&self, index: usize) -> Result<Vec<i64>> {
        match self {
            Row::Sqlite(row) => {
                let text: String = row.try_get(index).map_err(|e| corrupt(index, e))?;
                serde_json::from_str(&text)
                    .map_err(|e| StoreError::Corrupt(format!("{index}: {e}")))
            }
            Row::Postgres(row) => row.try_get(index).map_err(|e| corrupt(index, e)),
        }
    }
}

impl Columns for Row {
    fn int(&self, column: &str) -> Result<i64> {
        self.get(column)
    }

    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        self.get(column)
    }

    fn text(&self, column: &str) -> Result<String> {
        self.get(column)
    }

    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        self.get(column)
    }

    fn flag(&self, column: &str) -> Result<bool> {
        self.get(column)
    }
}
