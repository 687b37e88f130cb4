//! From sqlx errors to [`StoreError`]: uniqueness is a conflict, a busy database a retry, never
//! "not found" for a failure.

use caredesk_store::StoreError;

/// Maps a sqlx error onto the store's error.
pub fn map_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => {
            let message = db.message().to_owned();
            match db.code().as_deref() {
                // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
                Some("2067") | Some("1555") => StoreError::Conflict(message),
                // SQLITE_BUSY and its extended codes, SQLITE_LOCKED
                Some("5") | Some("517") | Some("261") | Some("6") => StoreError::Retry(message),
                _ => StoreError::Other(message),
            }
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(error.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}
