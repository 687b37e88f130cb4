//! Whole databases on one server: whether one exists, a copy made from a template, dropping
//! one. `caredesk bench` keeps its generated data set as a template database and starts every
//! run from a fresh copy of it.

use sqlx::{Connection, Executor, PgConnection};

use crate::map_error;
use caredesk_store::StoreError;

type Result<T> = std::result::Result<T, StoreError>;

/// `url` with its database replaced by `name` (query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// Database names are made by the caller from letters, digits and `_` only, since they are
/// spliced into statements that take no parameters.
fn checked(name: &str) -> Result<&str> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name)
    } else {
        Err(StoreError::Other(format!(
            "{name:?} is not a plain database name"
        )))
    }
}

async fn connect(server_url: &str) -> Result<PgConnection> {
    PgConnection::connect(server_url).await.map_err(map_error)
}

/// True when the server at `server_url` (any database on it) holds a database `name`.
pub async fn exists(server_url: &str, name: &str) -> Result<bool> {
    let mut conn = connect(server_url).await?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut conn)
        .await
        .map_err(map_error)?;
    Ok(n > 0)
}

/// Creates the empty database `name`.
pub async fn create(server_url: &str, name: &str) -> Result<()> {
    let mut conn = connect(server_url).await?;
    conn.execute(format!("CREATE DATABASE {}", checked(name)?).as_str())
        .await
        .map_err(map_error)?;
    Ok(())
}

/// SQLSTATE of "the database is being accessed by other users".
const IN_USE: &str = "55006";

/// Runs a statement that needs a database nobody is connected to, waiting up to five seconds
/// for the sessions of a pool that was just closed to end.
async fn when_idle(conn: &mut PgConnection, sql: &str) -> Result<()> {
    for _ in 0..100 {
        match conn.execute(sql).await {
            Ok(_) => return Ok(()),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(IN_USE) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => return Err(map_error(e)),
        }
    }
    Err(StoreError::Unavailable(format!(
        "{sql}: the database stayed in use"
    )))
}

/// The first PostgreSQL version whose `CREATE DATABASE` takes a `STRATEGY`.
const STRATEGY_SINCE_VERSION: i64 = 150_000;

/// Creates `name` as a copy of `template` (nobody may be connected to the template). The files
/// are copied between two checkpoints (`STRATEGY FILE_COPY`, the only way before PostgreSQL 15)
/// rather than written through the log, so a run on the copy does not share the machine with
/// the checkpoints of a gigabytes-long log the copy itself caused.
pub async fn copy(server_url: &str, template: &str, name: &str) -> Result<()> {
    let mut conn = connect(server_url).await?;
    let version: String = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(&mut conn)
        .await
        .map_err(map_error)?;
    let strategy = match version.trim().parse::<i64>() {
        Ok(v) if v >= STRATEGY_SINCE_VERSION => " STRATEGY FILE_COPY",
        _ => "",
    };
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {}{strategy}",
        checked(name)?,
        checked(template)?
    );
    when_idle(&mut conn, &sql).await
}

/// Renames the database `from` to `to` (nobody may be connected to it).
pub async fn rename(server_url: &str, from: &str, to: &str) -> Result<()> {
    let mut conn = connect(server_url).await?;
    let sql = format!(
        "ALTER DATABASE {} RENAME TO {}",
        checked(from)?,
        checked(to)?
    );
    when_idle(&mut conn, &sql).await
}

/// Drops `name` if it exists, ending its sessions.
pub async fn drop(server_url: &str, name: &str) -> Result<()> {
    let mut conn = connect(server_url).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", checked(name)?).as_str())
        .await
        .map_err(map_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }

    #[test]
    fn only_plain_names_reach_a_statement() {
        assert!(checked("caredesk_bench_1").is_ok());
        assert!(checked("x; DROP TABLE users").is_err());
        assert!(checked("").is_err());
    }
}
