//! What reports read (PRODUCT.md §13): the cases escalated in a range, a page at a time in id
//! order, each with what a report counts of it (its first reply, its last change to Done, how
//! often it was reopened, its targets). Pages are keyset-paged by id, so a CSV of a million
//! cases is read in constant memory. What the figures mean is `caredesk_domain::report`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use caredesk_domain::report::ReportCase;
use caredesk_domain::{CaseFieldId, CaseId, FieldValue, ProfileId, Timestamp, UserId};

use crate::ports::Result;
use crate::rows::{self, Columns};
use crate::ProfileScope;

/// A page of a report's cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportQuery<'a> {
    /// The profiles reported on.
    pub scope: &'a ProfileScope,
    /// Escalated at or after.
    pub from: Timestamp,
    /// Escalated before.
    pub until: Timestamp,
    /// Only cases after this id (the page's cursor).
    pub after: Option<CaseId>,
    /// Cases per page.
    pub limit: u32,
}

/// Reads outside a unit of work.
#[async_trait]
pub trait ReportReads {
    /// A page of the cases escalated in the range (deleted ones left out), by id.
    async fn report_cases(&self, query: &ReportQuery<'_>) -> Result<Vec<ReportCase>>;
}

/// A report's case from its row (the case's columns plus `network`, `done_at`, `reopened` and
/// `sla`).
pub fn report_case(row: &dyn Columns) -> Result<ReportCase> {
    let fields: BTreeMap<CaseFieldId, FieldValue> = rows::json(row, "fields")?;
    let sla = match row.opt_text("sla")? {
        Some(text) => Some(rows::parse_json(&text, "sla")?),
        None => None,
    };
    Ok(ReportCase {
        id: CaseId(row.int("id")?),
        number: row.int("number")?,
        created_at: Timestamp(row.int("created_at")?),
        status: rows::word(row, "status")?,
        priority: rows::priority_from_rank(row.int("priority_rank")?)?,
        assignee_id: row.opt_int("assignee_id")?.map(UserId),
        profile_id: ProfileId(row.int("profile_id")?),
        network: rows::word(row, "network")?,
        first_reply_at: row.opt_int("first_reply_at")?.map(Timestamp),
        done_at: row.opt_int("done_at")?.map(Timestamp),
        reopened: row.int("reopened")?,
        sla,
        fields: fields
            .iter()
            .map(|(id, value)| (id.to_string(), value.to_json()))
            .collect(),
    })
}
