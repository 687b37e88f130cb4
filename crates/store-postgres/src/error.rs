//! From sqlx errors to [`StoreError`]: uniqueness is a conflict, serialization failures and
//! deadlocks are retries, never "not found" for a failure.

use caredesk_store::StoreError;

/// Maps a sqlx error onto the store's error.
pub fn map_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => {
            let message = db.message().to_owned();
            match db.code().as_deref() {
                Some("23505") => StoreError::Conflict(message),
                // serialization_failure, deadlock_detected, lock_not_available
                Some("40001") | Some("40P01") | Some("55P03") => StoreError::Retry(message),
                // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
                Some("57P01") | Some("57P02") | Some("57P03") | Some("53300") => {
                    StoreError::Unavailable(message)
                }
                _ => StoreError::Other(message),
            }
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => StoreError::Unavailable(error.to_string()),
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(error.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}
