//! Customers and the History tab: their details (editable by Care users who reach them) and
//! their earlier cases and conversations, limited to the caller's profiles.

use std::collections::BTreeMap;

use axum::extract::{Path, State};

use axum::Json;
use caredesk_app::queries::ConversationSummary;
use caredesk_domain::{Customer, CustomerDetails, CustomerId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::CasePage;
use super::paging::PageParams;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::query::Query;
use crate::AppState;

/// A customer with their editable details.
#[derive(Serialize, ToSchema)]
pub struct CustomerBody {
    id: String,
    network: String,
    network_user_id: String,
    display_name: String,
    handle: String,
    /// The picture: the desk's copy (`/api/v1/media/{id}`) once a look-up found one, or what an
    /// agent set.
    avatar_url: String,
    email: String,
    phone: String,
    address: String,
    notes: String,
    attributes: BTreeMap<String, String>,
    /// `{account_id, account_name, contact_id, contact_name}` once linked.
    #[schema(value_type = Option<Object>)]
    salesforce: Option<caredesk_domain::SalesforceLink>,
}

impl From<&Customer> for CustomerBody {
    fn from(c: &Customer) -> Self {
        let d = &c.details;
        CustomerBody {
            id: c.id.to_string(),
            network: c.network.to_string(),
            network_user_id: c.network_user_id.clone(),
            display_name: d.display_name.clone(),
            handle: d.handle.clone(),
            avatar_url: d.avatar_url.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            address: d.address.clone(),
            notes: d.notes.clone(),
            attributes: d.attributes.clone(),
            salesforce: c.salesforce.clone(),
        }
    }
}

fn customer_id(id: &str) -> ApiResult<CustomerId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// A customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = String, Path)),
    responses((status = 200, body = CustomerBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerBody>> {
    let customer = state
        .app
        .customer_for(&caller.user, customer_id(&id)?)
        .await?;
    Ok(Json(CustomerBody::from(&customer)))
}

/// `PATCH /api/v1/customers/{id}`: the details to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    display_name: Option<String>,
    handle: Option<String>,
    avatar_url: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    notes: Option<String>,
    attributes: Option<BTreeMap<String, String>>,
}

/// Edits a customer's details.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = String, Path)), request_body = CustomerPatch,
    responses((status = 200, body = CustomerBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<CustomerPatch>,
) -> ApiResult<Json<CustomerBody>> {
    let current = state
        .app
        .customer_for(&caller.user, customer_id(&id)?)
        .await?;
    let d = current.details;
    let details = CustomerDetails {
        display_name: patch.display_name.unwrap_or(d.display_name),
        handle: patch.handle.unwrap_or(d.handle),
        avatar_url: patch.avatar_url.unwrap_or(d.avatar_url),
        email: patch.email.unwrap_or(d.email),
        phone: patch.phone.unwrap_or(d.phone),
        address: patch.address.unwrap_or(d.address),
        notes: patch.notes.unwrap_or(d.notes),
        attributes: patch.attributes.unwrap_or(d.attributes),
    };
    let customer = state
        .app
        .edit_customer(caller.user.id, current.id, details)
        .await?;
    Ok(Json(CustomerBody::from(&customer)))
}

/// The customer's cases (any status but deleted), newest first, on the caller's profiles.
#[utoipa::path(get, path = "/api/v1/customers/{id}/cases", tag = "customers", params(("id" = String, Path), PageParams),
    responses((status = 200, body = CasePage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_customer_cases(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<CasePage>> {
    let found = state
        .app
        .customer_cases(&caller.user, customer_id(&id)?, page.page())
        .await?;
    Ok(Json(CasePage::of(found)))
}

/// A conversation of the History tab.
#[derive(Serialize, ToSchema)]
pub struct ConversationBody {
    id: String,
    profile_id: String,
    /// dm or thread.
    kind: String,
    /// A thread's post.
    root_network_id: String,
    last_message_at: String,
    message_count: i64,
}

impl From<&ConversationSummary> for ConversationBody {
    fn from(s: &ConversationSummary) -> Self {
        let c = &s.conversation;
        ConversationBody {
            id: c.id.to_string(),
            profile_id: c.profile_id.to_string(),
            kind: c.kind.to_string(),
            root_network_id: c.root_network_id.clone(),
            last_message_at: s.last_message_at.to_rfc3339(),
            message_count: s.message_count,
        }
    }
}

/// One page of conversations.
#[derive(Serialize, ToSchema)]
pub struct ConversationPage {
    items: Vec<ConversationBody>,
    next_cursor: Option<String>,
}

/// The customer's conversations, most recently active first, on the caller's profiles.
#[utoipa::path(get, path = "/api/v1/customers/{id}/conversations", tag = "customers", params(("id" = String, Path), PageParams),
    responses((status = 200, body = ConversationPage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_customer_conversations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<ConversationPage>> {
    let found = state
        .app
        .customer_conversations(&caller.user, customer_id(&id)?, page.page())
        .await?;
    Ok(Json(ConversationPage {
        items: found.items.iter().map(ConversationBody::from).collect(),
        next_cursor: found.next_cursor,
    }))
}
