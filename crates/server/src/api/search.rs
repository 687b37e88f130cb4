//! `GET /api/v1/search`: one search box over cases, customers, messages and Community items of
//! the caller's profiles (PRODUCT.md §12), newest first, each hit with a snippet and the
//! matching words' character offsets in it (never HTML).

use axum::extract::State;

use axum::Json;
use caredesk_app::queries::{SearchHit, SearchPage, SearchRequest};
use caredesk_app::PageRequest;
use caredesk_domain::search::SearchKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::query::Query;
use crate::AppState;

/// What to search.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words (2 to 200 characters): any order, case and accents ignored, the last word as
    /// a prefix; digits (with or without `#`) also find the case of that number.
    q: Option<String>,
    /// `cases` (the default for Care users), `customers`, `messages` or `community_items` (the
    /// only one for Community users).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
    cursor: Option<String>,
}

/// A case as a hit names it.
#[derive(Serialize, ToSchema)]
pub struct SearchCase {
    id: String,
    number: i64,
    status: String,
}

/// A customer as a hit names them.
#[derive(Serialize, ToSchema)]
pub struct SearchCustomer {
    id: String,
    name: String,
    handle: String,
    network: String,
}

/// One thing found.
#[derive(Serialize, ToSchema)]
pub struct SearchItem {
    /// `cases`, `customers`, `messages` or `community_items`.
    #[serde(rename = "type")]
    kind: String,
    /// The id of the case, customer, message or Community item.
    id: String,
    case: Option<SearchCase>,
    customer: Option<SearchCustomer>,
    /// The message that matched, when one did.
    message_id: Option<String>,
    /// What is shown of it: plain text, `…` where it is cut.
    snippet: String,
    /// `[start, end)` character offsets of the matching words in `snippet`.
    highlights: Vec<[usize; 2]>,
    /// The message's time, when a message matched.
    at: Option<String>,
}

/// A page of hits.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    items: Vec<SearchItem>,
    next_cursor: Option<String>,
}

impl From<SearchHit> for SearchItem {
    fn from(hit: SearchHit) -> Self {
        SearchItem {
            kind: hit.kind.to_string(),
            id: hit.id.to_string(),
            case: hit.case.map(|c| SearchCase {
                id: c.id.to_string(),
                number: c.number,
                status: c.status.to_string(),
            }),
            customer: hit.customer.map(|c| SearchCustomer {
                id: c.id.to_string(),
                name: c.shown_name(),
                handle: c.details.handle.clone(),
                network: c.network.to_string(),
            }),
            message_id: hit.message_id.map(|m| m.to_string()),
            snippet: hit.snippet.text,
            highlights: hit.snippet.highlights,
            at: hit.at.map(|t| t.to_rfc3339()),
        }
    }
}

/// Searches everything the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some(word) => Some(word.parse::<SearchKind>().map_err(|_| {
            ApiError::validation(format!(
                "type: {word:?} is not cases, customers, messages or community_items"
            ))
        })?),
    };
    let request = SearchRequest {
        q: params.q.unwrap_or_default(),
        kind,
        page: PageRequest {
            limit: params.limit,
            cursor: params.cursor,
        },
    };
    let SearchPage { items, next_cursor } = state.app.search(&caller.user, request).await?;
    Ok(Json(SearchResults {
        items: items.into_iter().map(SearchItem::from).collect(),
        next_cursor,
    }))
}
