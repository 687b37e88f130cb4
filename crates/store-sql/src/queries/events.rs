//! The events of the log: appended in batches, read per case and for the audit log.

use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};
use caredesk_store::{EventFilter, StoredEvent};

use super::Result;
use crate::multi_row::insert_rows;
use crate::{Conn, Sql};

/// The head of an insert of events, before its values.
pub(crate) const EVENT_INSERT: &str = "INSERT INTO events (case_id, actor_id, kind, data, at) ";

/// Binds the five values of an event after [`EVENT_INSERT`].
pub(crate) fn bind_event<'a>(statement: Sql<'a>, e: &'a Event) -> Result<Sql<'a>> {
    Ok(statement
        .bind(e.case_id.map(|c| c.0))
        .bind(e.actor.map(|u| u.0))
        .bind(e.kind.name())
        .bind(to_json(&e.kind)?)
        .bind(e.at.0))
}

/// Appends events with one statement per [`crate::Dialect::events_per_statement`], in their
/// order (their ids follow it).
pub(crate) async fn insert_events(conn: &mut Conn<'_>, events: &[Event]) -> Result<()> {
    let per_statement = conn.dialect().events_per_statement();
    insert_rows(
        conn,
        (EVENT_INSERT, ""),
        5,
        per_statement,
        events,
        bind_event,
    )
    .await
}

pub(crate) async fn case_events(conn: &mut Conn<'_>, case: CaseId) -> Result<Vec<StoredEvent>> {
    Sql::new("SELECT * FROM events WHERE case_id = $1 ORDER BY id")
        .bind(case.0)
        .all(conn, rows::event)
        .await
}

/// The audit log: matching events, newest first, `limit + 1` of them (the extra one tells that
/// another page follows).
pub(crate) async fn events(
    conn: &mut Conn<'_>,
    filter: &EventFilter,
    before: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>> {
    Sql::new(
        "SELECT * FROM events WHERE (CAST($1 AS BIGINT) IS NULL OR case_id = $1) \
         AND (CAST($2 AS BIGINT) IS NULL OR actor_id = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR kind = $3) AND id < $4 ORDER BY id DESC LIMIT $5",
    )
    .bind(filter.case_id.map(|c| c.0))
    .bind(filter.actor.map(|u| u.0))
    .bind(filter.kind.as_deref())
    .bind(before)
    .bind(limit + 1)
    .all(conn, rows::event)
    .await
}
