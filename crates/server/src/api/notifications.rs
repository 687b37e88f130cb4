//! The caller's notifications (API.md "Saved replies, notifications, presence"): their list,
//! newest first and paged like every list, the unread count, and marking read. Every route
//! reads or marks the caller's own alone; ids of others' notifications change nothing. New
//! ones arrive live on the stream as `notification` events (`stream`).

use axum::extract::State;

use axum::Json;
use caredesk_app::PageRequest;
use caredesk_domain::{Notification, NotificationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::json::Body;
use crate::query::Query;
use crate::AppState;

/// The case a notification is about.
#[derive(Serialize, ToSchema)]
pub struct NotifiedCase {
    id: String,
    number: i64,
}

/// A notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationBody {
    id: String,
    /// assigned, mentioned, reopened, reply_failed, sla_warning or sla_breached.
    kind: String,
    case: NotifiedCase,
    /// Who did it; null for customers, networks and timers.
    actor_id: Option<String>,
    created_at: String,
    /// When the caller read it; null while unread.
    read_at: Option<String>,
}

impl From<&Notification> for NotificationBody {
    fn from(n: &Notification) -> Self {
        NotificationBody {
            id: n.id.to_string(),
            kind: n.kind.as_str().to_owned(),
            case: NotifiedCase {
                id: n.case_id.to_string(),
                number: n.case_number,
            },
            actor_id: n.actor.map(|u| u.to_string()),
            created_at: n.created_at.to_rfc3339(),
            read_at: n.read_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// A page of the caller's notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    items: Vec<NotificationBody>,
    next_cursor: Option<String>,
}

/// `?unread=` and paging of `GET /api/v1/notifications`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// `true`: only the unread ones.
    unread: Option<bool>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
    cursor: Option<String>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(NotificationParams),
    responses((status = 200, body = NotificationPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<NotificationParams>,
) -> ApiResult<Json<NotificationPage>> {
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let found = state
        .app
        .notifications(&caller.user, p.unread.unwrap_or(false), &page)
        .await?;
    Ok(Json(NotificationPage {
        items: found.items.iter().map(NotificationBody::from).collect(),
        next_cursor: found.next_cursor,
    }))
}

/// The number of the caller's unread notifications.
#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    count: i64,
}

/// How many of the caller's notifications are unread.
#[utoipa::path(get, path = "/api/v1/notifications/unread-count", tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)))]
pub async fn get_unread_count(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<UnreadCount>> {
    let count = state.app.unread_notifications(&caller.user).await?;
    Ok(Json(UnreadCount { count }))
}

/// `POST /api/v1/notifications/read`: `{ids}` or `{all: true}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// The notifications to mark read (the caller's own; others' change nothing).
    #[schema(value_type = Option<Vec<String>>)]
    ids: Option<Vec<NotificationId>>,
    /// `true`: every unread notification of the caller.
    all: Option<bool>,
}

/// How many notifications a mark changed.
#[derive(Serialize, ToSchema)]
pub struct ReadAnswer {
    marked: u64,
}

/// Marks some or all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = ReadBody,
    responses((status = 200, body = ReadAnswer), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_notifications_read(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<ReadBody>,
) -> ApiResult<Json<ReadAnswer>> {
    let ids = match (body.ids, body.all) {
        (Some(ids), None | Some(false)) => Some(ids),
        (None, Some(true)) => None,
        _ => return Err(ApiError::validation("send either ids or all: true")),
    };
    let marked = state.app.mark_notifications_read(&caller.user, ids).await?;
    Ok(Json(ReadAnswer { marked }))
}
