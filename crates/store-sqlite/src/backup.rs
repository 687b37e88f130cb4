//! The SQL of `caredesk backup` and `caredesk restore`: a consistent copy of a database in use
//! (`VACUUM INTO` reads one snapshot while the writer goes on), the checks a copy must pass
//! before it is trusted, and folding a database's log into its file before it is set aside.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use caredesk_store::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::map_error;

/// What a checked copy holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyCheck {
    /// Migrations applied to it.
    pub migrations: i64,
    /// Cases in it.
    pub cases: i64,
    /// Messages in it.
    pub messages: i64,
}

async fn connect(file: &Path, read_only: bool) -> Result<SqliteConnection, StoreError> {
    let url = format!("sqlite://{}", file.display());
    SqliteConnectOptions::from_str(&url)
        .map_err(map_error)?
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(30))
        .disable_statement_logging()
        .connect()
        .await
        .map_err(map_error)
}

/// Writes a consistent copy of the database `source` (in use or not) into `target`, which must
/// be an empty file (made by the caller with the mode the copy should have).
pub async fn copy_consistent(source: &Path, target: &Path) -> Result<(), StoreError> {
    let mut conn = connect(source, false).await?;
    sqlx::query("VACUUM INTO ?")
        .bind(target.display().to_string())
        .execute(&mut conn)
        .await
        .map_err(map_error)?;
    conn.close().await.map_err(map_error)?;
    Ok(())
}

/// Checks that `file` is a whole caredesk database: SQLite's integrity check passes, no foreign
/// key dangles, and it has caredesk's migrations; answers what it holds.
pub async fn check_copy(file: &Path) -> Result<CopyCheck, StoreError> {
    let mut conn = connect(file, true).await?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(map_error)?;
    if integrity != ["ok"] {
        return Err(StoreError::Other(format!(
            "{} fails SQLite's integrity check: {}",
            file.display(),
            integrity.join("; ")
        )));
    }
    let dangling = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .map_err(map_error)?
        .len();
    if dangling > 0 {
        return Err(StoreError::Other(format!(
            "{} has {dangling} rows whose foreign keys point nowhere",
            file.display()
        )));
    }
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let not_caredesk = |e: sqlx::Error| {
        StoreError::Other(format!(
            "{} is not a caredesk database ({e})",
            file.display()
        ))
    };
    let migrations = count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(not_caredesk)?;
    let cases = count("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut conn)
        .await
        .map_err(not_caredesk)?;
    let messages = count("SELECT COUNT(*) FROM messages")
        .fetch_one(&mut conn)
        .await
        .map_err(not_caredesk)?;
    conn.close().await.map_err(map_error)?;
    Ok(CopyCheck {
        migrations,
        cases,
        messages,
    })
}

/// Folds the write-ahead log of `file` into it and leaves no log behind, so the file alone is
/// the whole database (nobody else may have it open).
pub async fn fold_log(file: &Path) -> Result<(), StoreError> {
    let url = format!("sqlite://{}", file.display());
    let mut conn = SqliteConnectOptions::from_str(&url)
        .map_err(map_error)?
        .journal_mode(SqliteJournalMode::Delete)
        .disable_statement_logging()
        .connect()
        .await
        .map_err(map_error)?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .map_err(map_error)?;
    conn.close().await.map_err(map_error)?;
    Ok(())
}
