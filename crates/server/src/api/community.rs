//! Community work on items: status and labels, and escalation to Care. A caller without Care
//! access learns only the case's number and status from an escalation.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};

use axum::http::StatusCode;
use axum::Json;
use caredesk_app::queries::{CaseBadge, ItemListRequest, ItemRow};
use caredesk_app::{CommunityReply, EscalationOutcome, PageRequest};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::{CaseFieldId, CommunityItemId, CommunityStatus, MessageId, Priority, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cases::case_body;
use super::dto::{CaseBody, CustomerRef, MessageBody, MessagePage};
use super::paging::PageParams;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::query::Query;
use crate::AppState;

fn item_id(id: &str) -> ApiResult<CommunityItemId> {
    id.parse().map_err(|_| ApiError::not_found())
}

/// The badge of the case that locks an item.
#[derive(Serialize, ToSchema)]
pub struct CaseBadgeBody {
    id: String,
    number: i64,
    status: String,
}

/// A community item.
#[derive(Serialize, ToSchema)]
pub struct ItemBody {
    id: String,
    /// message or dm_thread.
    kind: String,
    /// The item's message (a DM thread: its latest inbound message).
    message: MessageBody,
    customer: CustomerRef,
    profile_id: String,
    /// none, in_progress, no_action or done.
    status: String,
    labels: Vec<String>,
    /// Held by a case in Care: readable, but not answered from Community.
    locked: bool,
    /// The case badge of a locked item.
    case: Option<CaseBadgeBody>,
    /// The customer's active case on this profile ("customer has case #N").
    customer_case: Option<CaseBadgeBody>,
    /// The customer's last case was marked spam.
    customer_last_case_spam: bool,
}

fn badge(b: &CaseBadge) -> CaseBadgeBody {
    CaseBadgeBody {
        id: b.id.to_string(),
        number: b.number,
        status: b.status.to_string(),
    }
}

impl From<&ItemRow> for ItemBody {
    fn from(row: &ItemRow) -> Self {
        let item = &row.item;
        let d = &row.customer.details;
        ItemBody {
            id: item.id.to_string(),
            kind: item.kind.to_string(),
            message: MessageBody::from(&row.message),
            customer: CustomerRef::new(
                row.customer.id,
                &d.display_name,
                &d.handle,
                row.customer.network,
            ),
            profile_id: item.profile_id.to_string(),
            status: item.status.to_string(),
            labels: item.labels.iter().cloned().collect(),
            locked: row.locking_case.is_some(),
            case: row.locking_case.as_ref().map(badge),
            customer_case: row.customer_case.as_ref().map(badge),
            customer_last_case_spam: item.customer_last_case_spam,
        }
    }
}

/// Filters and paging of the Community inbox.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemListParams {
    /// Statuses, comma-separated (default: none,in_progress; done and no_action are hidden
    /// unless asked for).
    status: Option<String>,
    profile_id: Option<String>,
    /// true: only items held by a case; false: only free ones.
    locked: Option<bool>,
    label: Option<String>,
    /// Customer name or handle, message text.
    q: Option<String>,
    /// oldest (default) or newest.
    sort: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
    cursor: Option<String>,
}

/// One page of community items.
#[derive(Serialize, ToSchema)]
pub struct ItemPage {
    items: Vec<ItemBody>,
    next_cursor: Option<String>,
}

/// The Community inbox of the caller's profiles, oldest unhandled first.
#[utoipa::path(get, path = "/api/v1/community/items", tag = "community", params(ItemListParams),
    responses((status = 200, body = ItemPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_items(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ItemListParams>,
) -> ApiResult<Json<ItemPage>> {
    let statuses = match &p.status {
        Some(list) => list
            .split(',')
            .map(|w| {
                w.trim()
                    .parse::<CommunityStatus>()
                    .map_err(|e| ApiError::validation(e.to_string()))
            })
            .collect::<ApiResult<Vec<_>>>()?,
        None => Vec::new(),
    };
    let newest_first = match p.sort.as_deref() {
        None | Some("oldest") => false,
        Some("newest") => true,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "sort: {other:?} is not oldest or newest"
            )))
        }
    };
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    // The limit is refused before the profile, as it always was.
    page.limit()?;
    let profile_id = p
        .profile_id
        .as_deref()
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::validation("profile_id: not a profile id"))
        })
        .transpose()?;
    let request = ItemListRequest {
        statuses,
        profile_id,
        locked: p.locked,
        label: p.label,
        text: p.q,
        newest_first,
        page,
    };
    let page = state.app.community_items(&caller.user, request).await?;
    Ok(Json(ItemPage {
        items: page.items.iter().map(ItemBody::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The item's conversation, oldest first, with the delivery state of replies.
#[utoipa::path(get, path = "/api/v1/community/items/{id}/messages", tag = "community", params(("id" = String, Path), PageParams),
    responses((status = 200, body = MessagePage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_item_messages(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> ApiResult<Json<MessagePage>> {
    let found = state
        .app
        .item_messages(&caller.user, item_id(&id)?, page.page())
        .await?;
    Ok(Json(MessagePage::of(found)))
}

/// `PATCH /api/v1/community/items/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    /// none, in_progress, no_action or done.
    #[schema(value_type = Option<String>)]
    status: Option<CommunityStatus>,
    labels: Option<BTreeSet<String>>,
}

/// Sets an item's Community status and labels (locked items too).
#[utoipa::path(patch, path = "/api/v1/community/items/{id}", tag = "community", params(("id" = String, Path)), request_body = ItemPatch,
    responses((status = 200, body = ItemBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(patch): Body<ItemPatch>,
) -> ApiResult<Json<ItemBody>> {
    let item = state
        .app
        .update_item(caller.user.id, item_id(&id)?, patch.status, patch.labels)
        .await?;
    let row = state.app.community_item(&caller.user, item.id).await?;
    Ok(Json(ItemBody::from(&row)))
}

/// `POST /api/v1/community/items/{id}/escalate`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EscalateBody {
    #[serde(default)]
    note: String,
    /// urgent, high, medium (default) or low.
    #[schema(value_type = Option<String>)]
    priority: Option<Priority>,
    /// Case-field values by field id.
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: BTreeMap<CaseFieldId, serde_json::Value>,
    #[schema(value_type = Option<String>)]
    assignee_id: Option<UserId>,
}

/// Escalates an item to Care: 201 with a new case, or 200 with the customer's active case (and
/// `"appended": true` when the message joined it).
#[utoipa::path(post, path = "/api/v1/community/items/{id}/escalate", tag = "community", params(("id" = String, Path)), request_body = EscalateBody,
    responses((status = 201, body = EscalationAnswer, description = "the new case"), (status = 200, body = EscalationAnswer, description = "the active case, with appended"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn escalate_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<EscalateBody>,
) -> ApiResult<(StatusCode, Json<EscalationAnswer>)> {
    let request = EscalationRequest {
        note: body.note,
        priority: body.priority,
        fields: body.fields,
        assignee_id: body.assignee_id,
    };
    let escalation = state
        .app
        .escalate(caller.user.id, item_id(&id)?, request)
        .await?;
    let case = &escalation.case;
    // A caller who may not see the case (a Community agent) learns its number and status only.
    let seen = state
        .app
        .visible_details(&caller.user, case.clone())
        .await?;
    let appended = escalation.outcome == EscalationOutcome::Appended;
    let answer = match seen {
        Some(details) => {
            let Json(case) = case_body(&details);
            EscalationAnswer::Case(Box::new(EscalatedCase { case, appended }))
        }
        None => EscalationAnswer::Reference(EscalatedCaseRef {
            id: case.id.to_string(),
            number: case.number,
            status: case.status.as_str().to_owned(),
            appended,
        }),
    };
    let status = match escalation.outcome {
        EscalationOutcome::Created => StatusCode::CREATED,
        EscalationOutcome::Appended | EscalationOutcome::AlreadyEscalated => StatusCode::OK,
    };
    Ok((status, Json(answer)))
}

/// What an escalation answers: the whole case for a caller who may open it, else its id,
/// number and status; either way whether the message joined an active case (`appended`).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum EscalationAnswer {
    /// For a Care user.
    Case(Box<EscalatedCase>),
    /// For a caller without Care access.
    Reference(EscalatedCaseRef),
}

/// The case an escalation made or joined.
#[derive(Serialize, ToSchema)]
pub struct EscalatedCase {
    #[serde(flatten)]
    case: CaseBody,
    /// The message joined the customer's active case.
    appended: bool,
}

/// The case an escalation made or joined, as a caller without Care access learns it.
#[derive(Serialize, ToSchema)]
pub struct EscalatedCaseRef {
    id: String,
    number: i64,
    status: String,
    /// The message joined the customer's active case.
    appended: bool,
}

/// `POST /api/v1/community/items/{id}/replies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemReplyBody {
    text: String,
    /// reply, comment or direct.
    #[schema(value_type = String)]
    kind: ReplyKind,
    /// The message answered (default: the item's message).
    #[schema(value_type = Option<String>)]
    in_reply_to: Option<MessageId>,
}

/// A Community agent answers an item; 409 `case_active` while a case in Care holds it.
#[utoipa::path(post, path = "/api/v1/community/items/{id}/replies", tag = "community", params(("id" = String, Path)), request_body = ItemReplyBody,
    responses((status = 202, body = MessageBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reply_to_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<ItemReplyBody>,
) -> ApiResult<(StatusCode, Json<MessageBody>)> {
    let reply = CommunityReply {
        text: body.text,
        kind: body.kind,
        in_reply_to: body.in_reply_to,
    };
    let message = state
        .app
        .queue_community_reply(caller.user.id, item_id(&id)?, reply)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(MessageBody::from(&message))))
}
