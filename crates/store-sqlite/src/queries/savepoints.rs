//! Savepoints inside a unit of work, under one fixed name (one level deep). SQLite keeps the
//! transaction open after a failed statement, so rolling back to the savepoint undoes the whole
//! part that failed, not only its last statement.

use super::Conn;
use crate::map_error;
use crate::rows::Result;

async fn run(conn: &mut Conn, sql: &'static str) -> Result<()> {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn savepoint(conn: &mut Conn) -> Result<()> {
    run(conn, "SAVEPOINT unit_part").await
}

pub(crate) async fn release(conn: &mut Conn) -> Result<()> {
    run(conn, "RELEASE SAVEPOINT unit_part").await
}

pub(crate) async fn rollback_to(conn: &mut Conn) -> Result<()> {
    // ROLLBACK TO keeps the savepoint on the stack; RELEASE ends it.
    run(conn, "ROLLBACK TO SAVEPOINT unit_part").await?;
    run(conn, "RELEASE SAVEPOINT unit_part").await
}
