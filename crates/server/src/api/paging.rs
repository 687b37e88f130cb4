//! What every paged list of the API shares: `?limit=&cursor=`, handed to the use cases as a
//! [`PageRequest`] (they check the limit after what the caller may see, and answer a cursor
//! that is not one of the list's with 422).

use caredesk_app::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;

/// Paging of a list.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1 to 200 (default 50).
    pub(crate) limit: Option<u32>,
    pub(crate) cursor: Option<String>,
}

impl PageParams {
    /// The page asked for.
    pub(crate) fn page(self) -> PageRequest {
        PageRequest {
            limit: self.limit,
            cursor: self.cursor,
        }
    }
}
