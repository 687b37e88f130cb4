//! The Salesforce integration's routes (API.md "Salesforce"): the connection (admins), account
//! and contact search, linking a case's customer, and creating the Salesforce Case of a case.
//! Salesforce's own refusals come back in its words (502 `salesforce_refused`); an outage is 503
//! `salesforce_unavailable`; a missing or expired connection is 409.

use axum::extract::{Path, State};

use axum::http::StatusCode;
use axum::Json;
use caredesk_app::queries::CaseRef;
use caredesk_app::salesforce::{ConnectInput, ConnectionView, FoundPage, SearchObject};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cases::{case_body, case_id};
use super::customers::CustomerBody;
use super::dto::CaseBody;
use crate::caller::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::json::Body;
use crate::query::Query;
use crate::AppState;

/// Salesforce's API usage.
#[derive(Serialize, ToSchema)]
pub struct UsageBody {
    used: u64,
    limit: u64,
}

/// The connection, never its secrets.
#[derive(Serialize, ToSchema)]
pub struct ConnectionBody {
    /// `connected`, `expired`, `error` or `none`.
    state: String,
    login_url: Option<String>,
    client_id: Option<String>,
    /// `refresh_token` or `client_credentials`.
    flow: Option<String>,
    instance_url: Option<String>,
    /// What went wrong last, in words.
    error: Option<String>,
    connected_at: Option<String>,
    api_usage: Option<UsageBody>,
}

impl From<ConnectionView> for ConnectionBody {
    fn from(v: ConnectionView) -> Self {
        ConnectionBody {
            state: v.state.as_str().to_owned(),
            login_url: v.login_url,
            client_id: v.client_id,
            flow: v.flow.map(str::to_owned),
            instance_url: v.instance_url,
            error: v.error,
            connected_at: v.connected_at.map(|t| t.to_rfc3339()),
            api_usage: v.usage.map(|u| UsageBody {
                used: u.used,
                limit: u.limit,
            }),
        }
    }
}

/// `PUT /api/v1/integrations/salesforce`: the secrets are write-only.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectBody {
    login_url: String,
    client_id: String,
    client_secret: String,
    refresh_token: Option<String>,
}

/// The Salesforce connection's state.
#[utoipa::path(get, path = "/api/v1/integrations/salesforce", tag = "salesforce",
    responses((status = 200, body = ConnectionBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_salesforce_connection(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ConnectionBody>> {
    let view = state.app.salesforce_connection(caller.user.id).await?;
    Ok(Json(view.into()))
}

/// Connects Salesforce (admins): stores the credentials and tries them at once.
#[utoipa::path(put, path = "/api/v1/integrations/salesforce", tag = "salesforce", request_body = ConnectBody,
    responses((status = 200, body = ConnectionBody, description = "stored; `state` says whether Salesforce accepted them"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_salesforce_connection(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<ConnectBody>,
) -> ApiResult<Json<ConnectionBody>> {
    let input = ConnectInput {
        login_url: body.login_url,
        client_id: body.client_id,
        client_secret: body.client_secret,
        refresh_token: body.refresh_token,
    };
    let view = state.app.connect_salesforce(caller.user.id, input).await?;
    Ok(Json(view.into()))
}

/// Disconnects Salesforce (admins) and forgets its secrets; links already made stay.
#[utoipa::path(delete, path = "/api/v1/integrations/salesforce", tag = "salesforce",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn delete_salesforce_connection(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<StatusCode> {
    state.app.disconnect_salesforce(caller.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?q=&cursor=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Part of the name.
    q: String,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A Salesforce record.
#[derive(Serialize, ToSchema)]
pub struct FoundBody {
    id: String,
    name: String,
}

/// One page of Salesforce records.
#[derive(Serialize, ToSchema)]
pub struct FoundPageBody {
    items: Vec<FoundBody>,
    next_cursor: Option<String>,
}

impl From<FoundPage> for FoundPageBody {
    fn from(page: FoundPage) -> Self {
        FoundPageBody {
            items: page
                .items
                .into_iter()
                .map(|f| FoundBody {
                    id: f.id,
                    name: f.name,
                })
                .collect(),
            next_cursor: page.next,
        }
    }
}

async fn search(
    state: &AppState,
    caller: &Caller,
    object: SearchObject,
    params: &SearchParams,
) -> ApiResult<Json<FoundPageBody>> {
    let page = state
        .app
        .search_salesforce(caller.user.id, object, &params.q, params.cursor.as_deref())
        .await?;
    Ok(Json(page.into()))
}

/// Salesforce accounts whose name contains `q`.
#[utoipa::path(get, path = "/api/v1/salesforce/accounts", tag = "salesforce", params(SearchParams),
    responses((status = 200, body = FoundPageBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn search_salesforce_accounts(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<FoundPageBody>> {
    search(&state, &caller, SearchObject::Account, &params).await
}

/// Salesforce contacts whose name contains `q`.
#[utoipa::path(get, path = "/api/v1/salesforce/contacts", tag = "salesforce", params(SearchParams),
    responses((status = 200, body = FoundPageBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn search_salesforce_contacts(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<FoundPageBody>> {
    search(&state, &caller, SearchObject::Contact, &params).await
}

/// `POST /api/v1/cases/{id}/salesforce/link`: at least one of the two.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    account_id: Option<String>,
    contact_id: Option<String>,
}

/// Links the case's customer to a Salesforce account and/or contact; answers the customer.
#[utoipa::path(post, path = "/api/v1/cases/{id}/salesforce/link", tag = "salesforce", params(("id" = String, Path)), request_body = LinkBody,
    responses((status = 200, body = CustomerBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn link_salesforce(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<LinkBody>,
) -> ApiResult<Json<CustomerBody>> {
    let customer = state
        .app
        .link_salesforce(
            caller.user.id,
            case_id(&id)?,
            body.account_id,
            body.contact_id,
        )
        .await?;
    Ok(Json(CustomerBody::from(&customer)))
}

/// Creates the Salesforce Case of a case; answers the case with `salesforce` filled.
#[utoipa::path(post, path = "/api/v1/cases/{id}/salesforce/case", tag = "salesforce", params(("id" = String, Path)),
    responses((status = 201, body = CaseBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already linked, or Salesforce not connected"),
        (status = 422, body = ErrorBody, description = "salesforce_window"), (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn create_salesforce_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<CaseBody>)> {
    let id = case_id(&id)?;
    state.app.create_salesforce_case(caller.user.id, id).await?;
    let details = state
        .app
        .case_details(&caller.user, CaseRef::Id(id))
        .await?;
    Ok((StatusCode::CREATED, case_body(&details)))
}
