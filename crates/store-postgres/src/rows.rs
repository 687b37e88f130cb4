//! PostgreSQL rows read through the shared decoders of `caredesk_store::rows`.

use std::str::FromStr;

use caredesk_domain::*;
use caredesk_store::rows::{self as shared, Columns};
use caredesk_store::{StoreError, StoredEvent};
use sqlx::postgres::PgRow;
use sqlx::Row;

use crate::map_error;

pub(crate) use caredesk_store::rows::to_json;

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

/// A column of a PostgreSQL row.
pub(crate) fn get<'r, T>(row: &'r PgRow, column: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(map_error)
}

/// A PostgreSQL row as [`Columns`].
struct PgColumns<'a>(&'a PgRow);

impl Columns for PgColumns<'_> {
    fn int(&self, column: &str) -> Result<i64> {
        get(self.0, column)
    }

    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        get(self.0, column)
    }

    fn text(&self, column: &str) -> Result<String> {
        get(self.0, column)
    }

    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        get(self.0, column)
    }

    fn flag(&self, column: &str) -> Result<bool> {
        get(self.0, column)
    }
}

macro_rules! decoders {
    ($($name:ident -> $ty:ty),* $(,)?) => {$(
        pub(crate) fn $name(row: &PgRow) -> Result<$ty> {
            shared::$name(&PgColumns(row))
        }
    )*};
}

decoders!(
    network_app -> NetworkApp,
    profile -> Profile,
    customer -> Customer,
    conversation -> Conversation,
    message -> Message,
    community_item -> CommunityItem,
    case -> Case,
    case_field -> CaseField,
    event -> StoredEvent,
);

pub(crate) fn user(row: &PgRow, profile_ids: Vec<ProfileId>) -> Result<User> {
    shared::user(&PgColumns(row), profile_ids)
}

pub(crate) fn word<T: FromStr>(row: &PgRow, column: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    shared::word(&PgColumns(row), column)
}
