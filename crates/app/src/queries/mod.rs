//! The reads of caredesk: one use case for each thing a screen or an API route shows.
//!
//! Every read takes the acting user as the session check found them (so no read loads them
//! again) and answers only what the domain lets them see: a case, customer or item they may not
//! see is `NotFound` (404), a list that is not theirs `Forbidden` (403), checked in the order of
//! PRODUCT.md §2 before anything about the request's values (422). Reads run outside units of
//! work; a page of a list runs a fixed number of statements whatever the data size. The shapes
//! they answer are the store's read models, re-exported here so that the HTTP edge depends on
//! the use cases alone.

mod audit;
mod case_screen;
mod cases;
mod community;
mod customers;
mod live;
mod search;
mod setup;
mod system;

pub use caredesk_store::salesforce::SalesforceSyncState;
pub use caredesk_store::views::AssigneeFilter;
pub use caredesk_store::{
    CaseBadge, CaseFilter, CaseMessages, CaseRow, ChangeCursor, ConversationSummary, EventFilter,
    ItemRow, Page, Sort, StoredEvent, UserWithLoad, View, Viewer,
};

pub use audit::AuditLog;
pub use case_screen::{CaseScreen, SalesforceCaseRead, SalesforceTabReads};
pub use cases::{case_viewer, CareRow, CaseDetails, CaseListRequest, CaseRef, ListedCase};
pub use community::{CommunityThread, ItemListRequest};
pub use live::{LiveBatch, LiveNotice};
pub use search::{SearchHit, SearchPage, SearchRequest};
pub use setup::{ProfileAlert, ProfileDirectory, SettingsScreen, SettingsUser, Standing, UserView};

use caredesk_domain::Refusal;
use caredesk_store::StoreError;

use crate::AppError;

/// The rows of a page when the caller names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// The most rows a page holds.
pub const MAX_PAGE_LIMIT: u32 = 200;

/// Which page of a list: how many rows (1 to 200, 50 when absent) and where it starts (the
/// `next_cursor` of the page before).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows asked for.
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<String>,
}

impl PageRequest {
    /// The first page of `limit` rows.
    pub fn first(limit: u32) -> Self {
        PageRequest {
            limit: Some(limit),
            cursor: None,
        }
    }

    /// The rows asked for, or 422 when out of range.
    pub fn limit(&self) -> Result<u32, Refusal> {
        match self.limit.unwrap_or(DEFAULT_PAGE_LIMIT) {
            n @ 1..=MAX_PAGE_LIMIT => Ok(n),
            _ => Err(Refusal::invalid("limit must be 1 to 200")),
        }
    }
}

/// A list read's failure: a forged or foreign cursor is the caller's mistake (422), anything
/// else the store's.
pub(crate) fn list_failed(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => Refusal::invalid("cursor: not a cursor of this list").into(),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_one_to_two_hundred_rows() {
        let page = |limit| PageRequest {
            limit,
            cursor: None,
        };
        assert_eq!(page(None).limit(), Ok(50));
        assert_eq!(page(Some(1)).limit(), Ok(1));
        assert_eq!(page(Some(200)).limit(), Ok(200));
        for bad in [0, 201] {
            assert_eq!(
                page(Some(bad)).limit(),
                Err(Refusal::invalid("limit must be 1 to 200"))
            );
        }
    }

    #[test]
    fn a_foreign_cursor_is_the_callers_mistake() {
        let refused = list_failed(StoreError::Conflict("bad cursor".into()));
        assert_eq!(
            refused.refusal(),
            Some(&Refusal::invalid("cursor: not a cursor of this list"))
        );
        let failed = list_failed(StoreError::Unavailable("down".into()));
        assert!(failed.refusal().is_none());
    }
}
