//! The installation's settings (one row) and the case-field definitions.

use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn settings(conn: &mut Conn<'_>) -> Result<Settings> {
    let row = Sql::new(
        "SELECT grace_period_secs, default_capacity, presence_idle_secs FROM settings WHERE id = 1",
    )
    .fetch_one(conn)
    .await?;
    let capacity: i64 = row.at(1)?;
    Ok(Settings {
        grace_period_secs: row.at(0)?,
        default_capacity: capacity.try_into().unwrap_or(0),
        presence_idle_secs: row.at(2)?,
    })
}

pub(crate) async fn save_settings(conn: &mut Conn<'_>, s: &Settings) -> Result<()> {
    Sql::new(
        "UPDATE settings SET grace_period_secs = $1, default_capacity = $2, \
         presence_idle_secs = $3 WHERE id = 1",
    )
    .bind(s.grace_period_secs)
    .bind(i64::from(s.default_capacity))
    .bind(s.presence_idle_secs)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn case_fields(conn: &mut Conn<'_>) -> Result<Vec<CaseField>> {
    Sql::new("SELECT * FROM case_fields ORDER BY position, id")
        .all(conn, rows::case_field)
        .await
}

/// Binds a definition's six columns, in the order `name, kind, options, mandatory, enabled,
/// position`.
fn bind_definition<'a>(
    statement: Sql<'a>,
    (name, kind, options): (&'a str, FieldKind, &[String]),
    (mandatory, enabled, position): (bool, bool, i64),
) -> Result<Sql<'a>> {
    Ok(statement
        .bind(name)
        .bind(kind.as_str())
        .bind(to_json(&options)?)
        .bind(mandatory)
        .bind(enabled)
        .bind(position))
}

pub(crate) async fn insert_case_field(conn: &mut Conn<'_>, f: &NewCaseField) -> Result<CaseField> {
    let insert = Sql::new(
        "INSERT INTO case_fields (name, kind, options, mandatory, enabled, position) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    );
    let id: i64 = bind_definition(
        insert,
        (&f.name, f.kind, &f.options),
        (f.mandatory, f.enabled, f.position),
    )?
    .scalar(conn)
    .await?;
    Ok(f.clone().stored_as(CaseFieldId(id)))
}

pub(crate) async fn update_case_field(conn: &mut Conn<'_>, f: &CaseField) -> Result<()> {
    let update = Sql::new(
        "UPDATE case_fields SET name = $1, kind = $2, options = $3, mandatory = $4, \
         enabled = $5, position = $6 WHERE id = $7",
    );
    bind_definition(
        update,
        (&f.name, f.kind, &f.options),
        (f.mandatory, f.enabled, f.position),
    )?
    .bind(f.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_case_field(conn: &mut Conn<'_>, id: CaseFieldId) -> Result<()> {
    Sql::new("DELETE FROM case_fields WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
