//! Live updates over Server-Sent Events: every committed change the caller may see, read from
//! the change log in commit order, so a client that reconnects with `Last-Event-ID` misses
//! nothing and sees nothing twice — whichever node wrote the change.
//!
//! Notifications ride the same log: each is written with a `notified` event that names no case
//! (so no case's activity log shows it) and that only its recipient is disclosed. A poll
//! therefore stays one read of the log per connection, as before; what notifications add is
//! one log row each, read and dropped by every other connection in memory.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::State;

use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use caredesk_app::presence_feed::PresenceUpdate;
use caredesk_app::queries::{ChangeCursor, LiveNotice};
use caredesk_domain::policy::live::Disclosure;
use caredesk_domain::{EventKind, User};
use futures::stream::{self, Stream};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast;
use utoipa::IntoParams;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::query::Query;
use crate::AppState;

/// How often the change log is read.
const POLL: Duration = Duration::from_millis(250);
/// How often the caller's session is checked again (a deactivated user's stream ends).
const RECHECK: Duration = Duration::from_secs(30);
/// Changes read at once.
const BATCH: u32 = 200;

/// Where to resume when the `Last-Event-ID` header cannot be sent.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamParams {
    /// The id of the last event received.
    last_event_id: Option<String>,
}

/// A change as the SSE event of what the user may learn of it (`policy::live`): its name, and
/// the fields that name carries.
fn sse_event(notice: &LiveNotice) -> SseEvent {
    let change = &notice.change;
    let event = &change.event.event;
    let summary = || {
        json!({
            "kind": event.kind.name(),
            "case_id": event.case_id.map(|c| c.to_string()),
            "case_number": change.case_number,
            "actor_id": event.actor.map(|u| u.to_string()),
            "at": event.at.to_rfc3339(),
        })
    };
    let data = match &notice.disclosure {
        Disclosure::ItemChanged {
            item_id,
            profile_id,
        } => {
            json!({ "item_id": item_id.to_string(), "profile_id": profile_id.to_string(), "at": event.at.to_rfc3339() })
        }
        Disclosure::AdminChanged { what, id } => json!({ "what": what, "id": id }),
        Disclosure::CaseRemoved | Disclosure::CaseLeftView => summary(),
        Disclosure::CaseChanged => {
            let mut data = summary();
            data["event"] = serde_json::to_value(&event.kind).unwrap_or_default();
            data
        }
        Disclosure::CaseBadgeChanged { profile_id } => {
            json!({ "case_number": change.case_number, "profile_id": profile_id.to_string() })
        }
        Disclosure::Notification => notification(event),
    };
    SseEvent::default()
        .id(change.cursor.encode())
        .event(notice.disclosure.name())
        .data(data.to_string())
}

/// A `notification` event's data: the notification as `GET /api/v1/notifications` lists it.
fn notification(event: &caredesk_domain::Event) -> serde_json::Value {
    let EventKind::Notified {
        notification_id,
        notification,
        notified_case_id,
        case_number,
        ..
    } = &event.kind
    else {
        return json!({});
    };
    json!({
        "id": notification_id.to_string(),
        "kind": notification.as_str(),
        "case": { "id": notified_case_id.to_string(), "number": case_number },
        "actor_id": event.actor.map(|u| u.to_string()),
        "created_at": event.at.to_rfc3339(),
        "read_at": null,
    })
}

struct Reader {
    state: AppState,
    user: User,
    token: String,
    cursor: ChangeCursor,
    ready: VecDeque<SseEvent>,
    presence: broadcast::Receiver<PresenceUpdate>,
    checked_at: Instant,
    first: bool,
    _open: crate::metrics::LiveStreamGuard,
}

impl Reader {
    /// The next event to send; `None` ends the stream (session over, or the database failed).
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            if !self.first {
                tokio::time::sleep(POLL).await;
            }
            self.first = false;
            if self.checked_at.elapsed() >= RECHECK {
                self.user = self.state.app.authenticate(&self.token).await.ok()?.user;
                self.checked_at = Instant::now();
            }
            let batch = match self
                .state
                .app
                .changes_for(&self.user, self.cursor, BATCH)
                .await
            {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::warn!(%error, "live stream: cannot read the change log; closing");
                    return None;
                }
            };
            self.cursor = batch.cursor;
            self.ready.extend(batch.notices.iter().map(sse_event));
            let presence = super::stream_presence::presence_events(&self.user, &mut self.presence);
            self.ready.extend(presence);
        }
    }
}

/// Every change the caller may see, as it is committed: `case_changed`, `case_left_view`,
/// `case_removed`, `case_badge_changed` (Community), `item_changed`, `admin_changed`, and
/// `notification` (the caller's own, as `GET /api/v1/notifications` lists them). Each event's
/// id resumes the stream (`Last-Event-ID`). Besides, `presence` events `{case_id,
/// viewers: [{user_id, name, typing}]}` (without the receiver) say who has a case the caller may
/// open in view now, within about a second of a change on any node; they carry no id.
#[utoipa::path(get, path = "/api/v1/stream", tag = "live", params(StreamParams),
    responses((status = 200, content_type = "text/event-stream", description = "the live stream"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_stream(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(params.last_event_id);
    let cursor = match resume {
        Some(text) => ChangeCursor::decode(&text).ok_or_else(|| {
            ApiError::validation("Last-Event-ID is not an event id of this stream")
        })?,
        None => state.app.change_log_end().await?,
    };
    let open = state.metrics.live_stream_opened();
    let presence = state.app.presence_updates();
    let reader = Reader {
        state,
        user: caller.user,
        token: caller.token,
        cursor,
        ready: VecDeque::new(),
        presence,
        checked_at: Instant::now(),
        first: true,
        _open: open,
    };
    let events = stream::unfold(reader, |mut reader| async move {
        reader.next().await.map(|event| (Ok(event), reader))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
