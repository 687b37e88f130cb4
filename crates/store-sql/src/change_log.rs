//! Decoding the change log's rows. Where the log ends and in which order it is read differ by
//! backend (SQLite commits in id order; PostgreSQL in the order its transactions commit), so
//! the statements are the backends' ([`crate::Backend::changes_after`]); the rows are alike.

use caredesk_domain::ProfileId;
use caredesk_store::rows::{self, Columns};
use caredesk_store::{Change, ChangeCursor, StoreError};

/// A change: an event's columns plus `tx` (its commit-order key), `case_profile` and
/// `case_number`.
pub fn change(row: &dyn Columns) -> Result<Change, StoreError> {
    let event = rows::event(row)?;
    Ok(Change {
        cursor: ChangeCursor {
            tx: row.int("tx")?,
            id: event.id.0,
        },
        event,
        case_profile: row.opt_int("case_profile")?.map(ProfileId),
        case_number: row.opt_int("case_number")?,
    })
}
