//! Live updates over Server-Sent Events: every committed change the caller may see, read from
//! the change log in commit order, so a client that reconnects with `Last-Event-ID` misses
//! nothing and sees nothing twice — whichever node wrote the change.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use caredesk_domain::{EventKind, User};
use caredesk_store::{Change, ChangeCursor};
use futures::stream::{self, Stream};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
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

/// What a user may learn of a change, as an SSE event, or nothing.
fn shown(user: &User, change: &Change) -> Option<SseEvent> {
    let event = &change.event.event;
    let name = event.kind.name();
    let base = json!({
        "kind": name,
        "case_id": event.case_id.map(|c| c.to_string()),
        "case_number": change.case_number,
        "actor_id": event.actor.map(|u| u.to_string()),
        "at": event.at.to_rfc3339(),
    });
    let (sse_name, data) = match (&event.kind, change.case_profile) {
        (
            EventKind::ItemChanged {
                item_id,
                profile_id,
            },
            _,
        ) if user.connected_to(*profile_id) => (
            "item_changed",
            json!({ "item_id": item_id.to_string(), "profile_id": profile_id.to_string(), "at": event.at.to_rfc3339() }),
        ),
        (EventKind::Admin { what, id }, None) if user.is_admin() => {
            ("admin_changed", json!({ "what": what, "id": id }))
        }
        (EventKind::Deleted, Some(profile))
            if user.has_care_access() && user.connected_to(profile) =>
        {
            ("case_removed", base)
        }
        (
            EventKind::Assigned {
                from: Some(previous),
                to,
            },
            Some(profile),
        ) if *previous == user.id && *to != Some(user.id) && user.connected_to(profile) => {
            ("case_left_view", base)
        }
        (_, Some(profile)) if user.has_care_access() && user.connected_to(profile) => {
            let mut data = base;
            data["event"] = serde_json::to_value(&event.kind).unwrap_or_default();
            ("case_changed", data)
        }
        // Community agents learn only that a badge may have changed.
        (_, Some(profile)) if user.connected_to(profile) => (
            "case_badge_changed",
            json!({ "case_number": change.case_number, "profile_id": profile.to_string() }),
        ),
        _ => return None,
    };
    Some(
        SseEvent::default()
            .id(change.cursor.encode())
            .event(sse_name)
            .data(data.to_string()),
    )
}

struct Reader {
    state: AppState,
    user: User,
    token: String,
    cursor: ChangeCursor,
    ready: VecDeque<SseEvent>,
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
            let changes = match self
                .state
                .app
                .store()
                .changes_after(self.cursor, BATCH)
                .await
            {
                Ok(changes) => changes,
                Err(error) => {
                    tracing::warn!(%error, "live stream: cannot read the change log; closing");
                    return None;
                }
            };
            for change in &changes {
                self.cursor = change.cursor;
                if let Some(event) = shown(&self.user, change) {
                    self.ready.push_back(event);
                }
            }
        }
    }
}

/// Every change the caller may see, as it is committed: `case_changed`, `case_left_view`,
/// `case_removed`, `case_badge_changed` (Community), `item_changed`, `admin_changed`. Each
/// event's id resumes the stream (`Last-Event-ID`).
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
        None => state.app.store().change_log_end().await?,
    };
    let open = state.metrics.live_stream_opened();
    let reader = Reader {
        state,
        user: caller.user,
        token: caller.token,
        cursor,
        ready: VecDeque::new(),
        checked_at: Instant::now(),
        first: true,
        _open: open,
    };
    let events = stream::unfold(reader, |mut reader| async move {
        reader.next().await.map(|event| (Ok(event), reader))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
