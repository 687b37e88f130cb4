//! The node's one watch over who has which case open, for all of its live streams at once.
//!
//! Presence is not on the change log (heartbeats are too frequent, and a viewer lapsing is no
//! write at all), so the streams learn of it from this watch: while at least one stream listens,
//! it reads once a second, in one statement, the cases whose presence moved in the last
//! [`WINDOW_SECS`] (someone arrived, left, lapsed, or started or stopped typing; any node's
//! heartbeats, as all nodes share the database) with their viewers now, and passes on those
//! whose viewers differ from what it passed on before. The window is wider than a tick so a
//! heartbeat committed late, or stamped by a node whose clock is a little behind, is still seen;
//! what it reads twice is passed on once. Each stream picks what its user may hear
//! ([`crate::presence::presence_notice`]): the cost is one statement a second per node, whatever
//! the number of streams or cases. Once in a while it also removes rows lapsed long ago. The
//! watch stops when the last stream closes and starts again with the next one.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use caredesk_domain::presence::Viewer;
use caredesk_domain::CaseId;
use caredesk_store::presence::CasePresence;
use tokio::sync::broadcast;

use crate::App;

/// The cases whose viewers moved, as one read found them.
pub type PresenceUpdate = Arc<Vec<CasePresence>>;

/// How often the watch reads.
const TICK: Duration = Duration::from_secs(1);
/// How far back each read looks for moves.
pub const WINDOW_SECS: i64 = 10;
/// Lapsed rows are removed this long after they lapsed.
const FORGET_AFTER_SECS: i64 = 3_600;
/// Reads between two removals of lapsed rows.
const FORGET_EVERY: u32 = 600;
/// Updates a slow stream may fall behind by before it misses some.
const BACKLOG: usize = 64;

/// The watch's channel to the streams, and whether it runs.
pub struct PresenceFeed {
    sender: broadcast::Sender<PresenceUpdate>,
    running: Mutex<bool>,
}

impl Default for PresenceFeed {
    fn default() -> Self {
        PresenceFeed {
            sender: broadcast::channel(BACKLOG).0,
            running: Mutex::new(false),
        }
    }
}

impl PresenceFeed {
    fn running(&self) -> MutexGuard<'_, bool> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl App {
    /// The moves of presence this node sees from now on, starting the watch if it is not
    /// running (it needs a Tokio runtime; outside one, nothing is heard).
    pub fn presence_updates(&self) -> broadcast::Receiver<PresenceUpdate> {
        let feed = &self.presence;
        let mut running = feed.running();
        let receiver = feed.sender.subscribe();
        if !*running {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                *running = true;
                runtime.spawn(watch(self.clone()));
            }
        }
        receiver
    }
}

/// Reads the moves of presence once a tick while anyone listens.
async fn watch(app: App) {
    let mut passed_on: HashMap<CaseId, Vec<Viewer>> = HashMap::new();
    let mut since = app.now();
    let mut reads: u32 = 0;
    loop {
        tokio::time::sleep(TICK).await;
        {
            let mut running = app.presence.running();
            if app.presence.sender.receiver_count() == 0 {
                *running = false;
                return;
            }
        }
        let now = app.now();
        let changes = match app
            .store
            .presence_changes(since.plus_secs(-WINDOW_SECS), now)
            .await
        {
            Ok(changes) => changes,
            Err(error) => {
                tracing::warn!(%error, "presence: the viewers of cases could not be read");
                continue;
            }
        };
        since = now;
        let read: HashSet<CaseId> = changes.iter().map(|c| c.case_id).collect();
        let moved: Vec<CasePresence> = changes
            .into_iter()
            .filter(|c| passed_on.get(&c.case_id) != Some(&c.viewers))
            .collect();
        for change in &moved {
            passed_on.insert(change.case_id, change.viewers.clone());
        }
        passed_on.retain(|case, viewers| !viewers.is_empty() || read.contains(case));
        if !moved.is_empty() {
            // No receiver left is the next tick's concern.
            let _ = app.presence.sender.send(Arc::new(moved));
        }
        reads = reads.wrapping_add(1);
        if reads.is_multiple_of(FORGET_EVERY) {
            if let Err(error) = app
                .store
                .forget_presence(now.plus_secs(-FORGET_AFTER_SECS))
                .await
            {
                tracing::warn!(%error, "presence: lapsed viewers could not be removed");
            }
        }
    }
}
