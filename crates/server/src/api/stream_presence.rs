//! The live stream's `presence` events: the node's watch of who has which case open
//! ([`caredesk_app::presence_feed`]) passes on the cases whose viewers moved; each stream sends
//! its user those of the cases they may open, with the viewers but themselves. These events
//! carry no id: they are not in the change log, and a page that reconnects asks for the
//! viewers of its case again (`GET /api/v1/cases/{id}/presence`).

use axum::response::sse::Event as SseEvent;
use caredesk_app::presence::presence_notice;
use caredesk_app::presence_feed::PresenceUpdate;
use caredesk_domain::User;
use serde::Serialize;
use tokio::sync::broadcast::error::TryRecvError;
use tokio::sync::broadcast::Receiver;

use super::presence::ViewerBody;

/// A `presence` event's data.
#[derive(Serialize)]
struct PresenceEvent {
    case_id: String,
    viewers: Vec<ViewerBody>,
}

/// The `presence` events `user` may hear among the updates received since the last call.
pub fn presence_events(user: &User, updates: &mut Receiver<PresenceUpdate>) -> Vec<SseEvent> {
    let mut events = Vec::new();
    loop {
        let update = match updates.try_recv() {
            Ok(update) => update,
            Err(TryRecvError::Lagged(_)) => continue,
            Err(TryRecvError::Empty | TryRecvError::Closed) => return events,
        };
        for change in update.iter() {
            if let Some(viewers) = presence_notice(user, change) {
                let data = PresenceEvent {
                    case_id: change.case_id.to_string(),
                    viewers: viewers.iter().map(ViewerBody::from).collect(),
                };
                let data = serde_json::to_string(&data).unwrap_or_default();
                events.push(SseEvent::default().event("presence").data(data));
            }
        }
    }
}
