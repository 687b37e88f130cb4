//! Savepoints inside a unit of work, under one fixed name (one level deep). After a failed
//! statement PostgreSQL refuses every statement until the transaction rolls back to a savepoint
//! taken before it; SQLite keeps the transaction open, and rolling back to the savepoint undoes
//! the whole part that failed, not only its last statement. Either way the unit of work is
//! usable again.

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn savepoint(conn: &mut Conn<'_>) -> Result<()> {
    Sql::new("SAVEPOINT unit_part").execute(conn).await?;
    Ok(())
}

pub(crate) async fn release(conn: &mut Conn<'_>) -> Result<()> {
    Sql::new("RELEASE SAVEPOINT unit_part")
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn rollback_to(conn: &mut Conn<'_>) -> Result<()> {
    // ROLLBACK TO keeps the savepoint on the stack; RELEASE ends it.
    Sql::new("ROLLBACK TO SAVEPOINT unit_part")
        .execute(conn)
        .await?;
    release(conn).await
}
