//! Collision (API.md "Cases": presence): a screen that has a case open says so with a heartbeat
//! every few seconds (at once when typing starts or stops, and with `leaving` when it goes
//! away), and asks who else has the case open. Both answer 404 for a case the caller may not
//! open. The changes reach the other viewers' streams as `presence` events
//! ([`super::stream_presence`]).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use caredesk_domain::presence::{Heartbeat, Viewer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::case_id;
use crate::caller::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::json::Body;
use crate::AppState;

/// `POST /api/v1/cases/{id}/presence`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatBody {
    /// Keys were pressed in the composer in the last few seconds.
    typing: bool,
    /// The screen is going away (a page sends it on `pagehide`, e.g. with
    /// `fetch(…, {keepalive: true})`): the caller's presence ends now instead of 30 s after the
    /// last heartbeat.
    #[serde(default)]
    leaving: bool,
}

/// Someone else who has the case open.
#[derive(Serialize, ToSchema)]
pub struct ViewerBody {
    user_id: String,
    name: String,
    /// Typing a reply now.
    typing: bool,
}

impl From<&Viewer> for ViewerBody {
    fn from(v: &Viewer) -> Self {
        ViewerBody {
            user_id: v.user_id.to_string(),
            name: v.name.clone(),
            typing: v.typing,
        }
    }
}

/// Who else has a case open.
#[derive(Serialize, ToSchema)]
pub struct PresenceBody {
    /// By name; never the caller.
    viewers: Vec<ViewerBody>,
}

impl PresenceBody {
    /// The body of a list of viewers (the API's answer and the stream's `presence` event).
    pub fn of(viewers: &[Viewer]) -> Self {
        PresenceBody {
            viewers: viewers.iter().map(ViewerBody::from).collect(),
        }
    }
}

/// A heartbeat: the caller has the case open (typing or not) for the next 30 seconds, or, with
/// `leaving: true`, no longer. Send one every ~10 s while the case is shown and at once when
/// typing starts or stops. Nothing is added to the case's activity log.
#[utoipa::path(post, path = "/api/v1/cases/{id}/presence", tag = "cases", params(("id" = String, Path)), request_body = HeartbeatBody,
    responses((status = 204, description = "recorded"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_presence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(beat): Body<HeartbeatBody>,
) -> ApiResult<StatusCode> {
    let beat = Heartbeat {
        typing: beat.typing,
        leaving: beat.leaving,
    };
    state
        .app
        .record_presence(&caller.user, case_id(&id)?, beat)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who else has the case open now (the caller excluded), and who of them is typing.
#[utoipa::path(get, path = "/api/v1/cases/{id}/presence", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = PresenceBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_presence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PresenceBody>> {
    let viewers = state.app.case_presence(&caller.user, case_id(&id)?).await?;
    Ok(Json(PresenceBody::of(&viewers)))
}
