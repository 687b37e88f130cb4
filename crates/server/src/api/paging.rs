//! What every paged list of the API shares: the page size and the refusal of a cursor that is
//! not one of ours.

use caredesk_store::StoreError;

use crate::error::{ApiError, ApiResult};

/// `?limit=`: 1 to 200, 50 when absent.
pub(crate) fn page_limit(limit: Option<u32>) -> ApiResult<u32> {
    match limit.unwrap_or(50) {
        n @ 1..=200 => Ok(n),
        _ => Err(ApiError::validation("limit must be 1 to 200")),
    }
}

/// A list read's failure: a forged or foreign cursor is 422, anything else the store's error.
pub(crate) fn list_refused(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::validation("cursor: not a cursor of this list"),
        other => other.into(),
    }
}
