//! Bulk actions on cases (PRODUCT.md §12): assign, unassign, set priority or set status on up
//! to [`MAX_BULK_CASES`] cases at once, each case judged on its own rules exactly as if acted
//! on alone, the outcome reported per case. This module owns what a bulk request may hold; the
//! rules of each change stay those of the single change.

use std::collections::BTreeSet;

use crate::case::{CaseStatus, Priority};
use crate::ids::{CaseId, UserId};
use crate::refusal::Refusal;

/// The most cases one bulk request may name.
pub const MAX_BULK_CASES: usize = 500;

/// What to do to every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Assign to this user.
    Assign(UserId),
    /// Leave without an assignee.
    Unassign,
    /// Set the priority.
    Priority(Priority),
    /// Set the status (the assignee's change).
    Status(CaseStatus),
}

/// A bulk request as checked: its cases in the order sent, and the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkRequest {
    /// The cases, in the order sent, each once.
    pub case_ids: Vec<CaseId>,
    /// What to do to each.
    pub action: BulkAction,
}

impl BulkRequest {
    /// Checks a request: 1 to [`MAX_BULK_CASES`] cases, none named twice (422 otherwise,
    /// before any case is touched).
    pub fn new(case_ids: Vec<CaseId>, action: BulkAction) -> Result<BulkRequest, Refusal> {
        if case_ids.is_empty() || case_ids.len() > MAX_BULK_CASES {
            return Err(Refusal::invalid(format!(
                "case_ids: 1 to {MAX_BULK_CASES} cases"
            )));
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = case_ids.iter().find(|id| !seen.insert(**id)) {
            return Err(Refusal::invalid(format!(
                "case_ids: case {twice} is named twice"
            )));
        }
        Ok(BulkRequest { case_ids, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_request_names_one_to_five_hundred_cases_each_once() {
        let ids = |n: i64| (1..=n).map(CaseId).collect::<Vec<_>>();
        let table = [
            (ids(0), false),
            (ids(1), true),
            (ids(500), true),
            (ids(501), false),
            (vec![CaseId(3), CaseId(4), CaseId(3)], false),
        ];
        for (case_ids, ok) in table {
            let n = case_ids.len();
            let got = BulkRequest::new(case_ids, BulkAction::Unassign);
            assert_eq!(got.is_ok(), ok, "{n} cases");
            if let Err(refusal) = got {
                assert_eq!(refusal.code(), "validation_failed");
            }
        }
    }
}
