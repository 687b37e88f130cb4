//! From the drivers' errors to [`StoreError`]: uniqueness is a conflict, colliding writers a
//! retry, a lost or overloaded database unavailable, and never "not found" for a failure.

use caredesk_store::StoreError;

use crate::dialect::Dialect;

/// Maps a SQLite error onto the store's error.
pub fn sqlite(error: sqlx::Error) -> StoreError {
    map(Dialect::Sqlite, error)
}

/// Maps a PostgreSQL error onto the store's error.
pub fn postgres(error: sqlx::Error) -> StoreError {
    map(Dialect::Postgres, error)
}

fn map(dialect: Dialect, error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => {
            let message = db.message().to_owned();
            let code = db.code();
            match (dialect, code.as_deref()) {
                // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
                (Dialect::Sqlite, Some("2067" | "1555")) => StoreError::Conflict(message),
                // SQLITE_BUSY and its extended codes, SQLITE_LOCKED
                (Dialect::Sqlite, Some("5" | "517" | "261" | "6")) => StoreError::Retry(message),
                // unique_violation
                (Dialect::Postgres, Some("23505")) => StoreError::Conflict(message),
                // serialization_failure, deadlock_detected, lock_not_available
                (Dialect::Postgres, Some("40001" | "40P01" | "55P03")) => {
                    StoreError::Retry(message)
                }
                // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
                (Dialect::Postgres, Some("57P01" | "57P02" | "57P03" | "53300")) => {
                    StoreError::Unavailable(message)
                }
                _ => StoreError::Other(message),
            }
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::Tls(_) if dialect == Dialect::Postgres => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(error.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}
