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

/// Whether an SQLite result code (primary or extended) is `SQLITE_IOERR` (10) or `SQLITE_FULL`
/// (13).
fn storage_fault(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|code| matches!(code & 0xff, 10 | 13))
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
                // SQLITE_FULL, SQLITE_IOERR and their extended codes: the disk, not the
                // request, failed; the writer recovers once it works again.
                (Dialect::Sqlite, Some(code)) if storage_fault(code) => {
                    StoreError::Storage(message)
                }
                // unique_violation
                (Dialect::Postgres, Some("23505")) => StoreError::Conflict(message),
                // disk_full, io_error
                (Dialect::Postgres, Some("53100" | "58030")) => StoreError::Storage(message),
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

#[cfg(test)]
mod storage_fault_codes {
    use super::storage_fault;

    #[test]
    fn full_and_io_errors_with_their_extended_codes_are_storage_faults() {
        let table = [
            ("13", true),    // SQLITE_FULL
            ("10", true),    // SQLITE_IOERR
            ("266", true),   // SQLITE_IOERR_READ
            ("778", true),   // SQLITE_IOERR_WRITE
            ("1034", true),  // SQLITE_IOERR_FSYNC
            ("5", false),    // SQLITE_BUSY
            ("2067", false), // SQLITE_CONSTRAINT_UNIQUE
            ("19", false),   // SQLITE_CONSTRAINT
            ("not a code", false),
        ];
        for (code, fault) in table {
            assert_eq!(storage_fault(code), fault, "{code}");
        }
    }
}
