//! A statement written once: its text (with `$1` placeholders, which both dialects read) and
//! its values in neutral form ([`Arg`]), bound with the driver's own query when it runs on a
//! [`Conn`]. Each run is one statement on the connection.

use std::borrow::Cow;

use caredesk_store::rows::{to_json, Columns};
use caredesk_store::StoreError;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Postgres, Sqlite};

use crate::conn::Conn;
use crate::errors;
use crate::row::{Row, Value};

type Result<T> = std::result::Result<T, StoreError>;

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    /// An integer.
    Int(i64),
    /// An integer or NULL.
    OptInt(Option<i64>),
    /// Text.
    Text(Cow<'a, str>),
    /// Text or NULL.
    OptText(Option<Cow<'a, str>>),
    /// A boolean.
    Bool(bool),
    /// A list of integers: an array on PostgreSQL, JSON text on SQLite (read with `json_each`).
    Ints(Vec<i64>),
    /// A list of integers or NULLs, bound as [`Arg::Ints`] is.
    OptInts(Vec<Option<i64>>),
    /// A list of texts, bound as [`Arg::Ints`] is.
    Texts(Vec<Cow<'a, str>>),
    /// A list of texts or NULLs, bound as [`Arg::Ints`] is.
    OptTexts(Vec<Option<Cow<'a, str>>>),
    /// A list of booleans, bound as [`Arg::Ints`] is.
    Bools(Vec<bool>),
}

/// One statement and its values.
#[derive(Clone, Debug)]
pub struct Sql<'a> {
    text: Cow<'a, str>,
    args: Vec<Arg<'a>>,
}

impl<'a> Sql<'a> {
    /// A statement without values yet.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Sql<'a> {
        Sql {
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg<'a>>) -> Sql<'a> {
        self.args.push(value.into());
        self
    }

    /// Its values, in placeholder order (a multi-row statement regroups them).
    pub(crate) fn into_args(self) -> Vec<Arg<'a>> {
        self.args
    }

    /// Runs it; answers how many rows it changed.
    pub async fn execute(self, conn: &mut Conn<'_>) -> Result<u64> {
        let Sql { text, args } = self;
        match conn {
            Conn::Sqlite(c) => Ok(sqlite_query(&text, args)?
                .execute(&mut **c)
                .await
                .map_err(errors::sqlite)?
                .rows_affected()),
            Conn::Postgres(c) => Ok(postgres_query(&text, args)
                .execute(&mut **c)
                .await
                .map_err(errors::postgres)?
                .rows_affected()),
        }
    }

    /// Every row it answers.
    pub async fn fetch_all(self, conn: &mut Conn<'_>) -> Result<Vec<Row>> {
        let Sql { text, args } = self;
        match conn {
            Conn::Sqlite(c) => Ok(sqlite_query(&text, args)?
                .fetch_all(&mut **c)
                .await
                .map_err(errors::sqlite)?
                .into_iter()
                .map(Row::Sqlite)
                .collect()),
            Conn::Postgres(c) => Ok(postgres_query(&text, args)
                .fetch_all(&mut **c)
                .await
                .map_err(errors::postgres)?
                .into_iter()
                .map(Row::Postgres)
                .collect()),
        }
    }

    /// The first row it answers, if any.
    pub async fn fetch_optional(self, conn: &mut Conn<'_>) -> Result<Option<Row>> {
        let Sql { text, args } = self;
        match conn {
            Conn::Sqlite(c) => Ok(sqlite_query(&text, args)?
                .fetch_optional(&mut **c)
                .await
                .map_err(errors::sqlite)?
                .map(Row::Sqlite)),
            Conn::Postgres(c) => Ok(postgres_query(&text, args)
                .fetch_optional(&mut **c)
                .await
                .map_err(errors::postgres)?
                .map(Row::Postgres)),
        }
    }

    /// The first row it answers; `NotFound` when there is none.
    pub async fn fetch_one(self, conn: &mut Conn<'_>) -> Result<Row> {
        self.fetch_optional(conn).await?.ok_or(StoreError::NotFound)
    }

    /// Every row, decoded.
    pub async fn all<T>(
        self,
        conn: &mut Conn<'_>,
        decode: fn(&dyn Columns) -> Result<T>,
    ) -> Result<Vec<T>> {
        let rows = self.fetch_all(conn).await?;
        rows.iter().map(|row| decode(row)).collect()
    }

    /// The first row, decoded, if any.
    pub async fn optional<T>(
        self,
        conn: &mut Conn<'_>,
        decode: fn(&dyn Columns) -> Result<T>,
    ) -> Result<Option<T>> {
        let row = self.fetch_optional(conn).await?;
        row.as_ref().map(|row| decode(row)).transpose()
    }

    /// The first row, decoded; `NotFound` when there is none.
    pub async fn one<T>(
        self,
        conn: &mut Conn<'_>,
        decode: fn(&dyn Columns) -> Result<T>,
    ) -> Result<T> {
        decode(&self.fetch_one(conn).await?)
    }

    /// The first column of the first row; `NotFound` when there is no row.
    pub async fn scalar<T: Value>(self, conn: &mut Conn<'_>) -> Result<T> {
        self.fetch_one(conn).await?.at(0)
    }

    /// The first column of every row.
    pub async fn scalars<T: Value>(self, conn: &mut Conn<'_>) -> Result<Vec<T>> {
        let rows = self.fetch_all(conn).await?;
        rows.iter().map(|row| row.at(0)).collect()
    }
}

fn sqlite_query<'q>(
    text: &'q str,
    args: Vec<Arg<'q>>,
) -> Result<Query<'q, Sqlite, SqliteArguments<'q>>> {
    let mut query = sqlx::query(text);
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::OptInt(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::OptText(v) => query.bind(v),
            Arg::Bool(v) => query.bind(v),
            Arg::Ints(v) => query.bind(to_json(&v)?),
            Arg::OptInts(v) => query.bind(to_json(&v)?),
            Arg::Texts(v) => query.bind(to_json(&v)?),
            Arg::OptTexts(v) => query.bind(to_json(&v)?),
            Arg::Bools(v) => query.bind(to_json(&v)?),
        };
    }
    Ok(query)
}

fn postgres_query<'q>(text: &'q str, args: Vec<Arg<'q>>) -> Query<'q, Postgres, PgArguments> {
    let mut query = sqlx::query(text);
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(v),
            Arg::OptInt(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::OptText(v) => query.bind(v),
            Arg::Bool(v) => query.bind(v),
            Arg::Ints(v) => query.bind(v),
            Arg::OptInts(v) => query.bind(v),
            Arg::Texts(v) => query.bind(v),
            Arg::OptTexts(v) => query.bind(v),
            Arg::Bools(v) => query.bind(v),
        };
    }
    query
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Cow::Owned(v))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::OptText(v.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::OptText(v.as_deref().map(Cow::Borrowed))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(v: Option<String>) -> Self {
        Arg::OptText(v.map(Cow::Owned))
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

impl From<Vec<i64>> for Arg<'_> {
    fn from(v: Vec<i64>) -> Self {
        Arg::Ints(v)
    }
}

impl From<Vec<Option<i64>>> for Arg<'_> {
    fn from(v: Vec<Option<i64>>) -> Self {
        Arg::OptInts(v)
    }
}

impl<'a> From<Vec<&'a str>> for Arg<'a> {
    fn from(v: Vec<&'a str>) -> Self {
        Arg::Texts(v.into_iter().map(Cow::Borrowed).collect())
    }
}

impl From<Vec<String>> for Arg<'_> {
    fn from(v: Vec<String>) -> Self {
        Arg::Texts(v.into_iter().map(Cow::Owned).collect())
    }
}

impl<'a> From<Vec<Option<&'a str>>> for Arg<'a> {
    fn from(v: Vec<Option<&'a str>>) -> Self {
        Arg::OptTexts(v.into_iter().map(|t| t.map(Cow::Borrowed)).collect())
    }
}

impl From<Vec<bool>> for Arg<'_> {
    fn from(v: Vec<bool>) -> Self {
        Arg::Bools(v)
    }
}
