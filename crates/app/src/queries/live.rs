//! The live stream's reads: where the change log ends, and the changes after a point that a
//! user may learn of, each with what they may learn (`policy::live::disclose`). Changes come
//! in commit order, so a reader that resumes from the last change it was given misses nothing.

use caredesk_domain::policy::live::{disclose, Disclosure};
use caredesk_domain::User;
use caredesk_store::{Change, ChangeCursor};

use crate::error::AppResult;
use crate::App;

/// A change as one user may learn of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveNotice {
    /// The change (its cursor resumes the stream after it).
    pub change: Change,
    /// What the user may learn of it.
    pub disclosure: Disclosure,
}

/// What a user may learn of the changes after a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveBatch {
    /// Where the next read starts: after the last change read, shown or not.
    pub cursor: ChangeCursor,
    /// The changes the user may learn of, in commit order.
    pub notices: Vec<LiveNotice>,
}

impl App {
    /// Where the change log ends now: a stream starting here sees only later changes.
    pub async fn change_log_end(&self) -> AppResult<ChangeCursor> {
        Ok(self.store.change_log_end().await?)
    }

    /// Up to `limit` committed changes after `after`, as `user` may learn of them.
    pub async fn changes_for(
        &self,
        user: &User,
        after: ChangeCursor,
        limit: u32,
    ) -> AppResult<LiveBatch> {
        let changes = self.store.changes_after(after, limit).await?;
        let cursor = changes.last().map_or(after, |c| c.cursor);
        let notices = changes
            .into_iter()
            .filter_map(|change| {
                let disclosure = disclose(user, &change.event.event.kind, change.case_profile)?;
                Some(LiveNotice { change, disclosure })
            })
            .collect();
        Ok(LiveBatch { cursor, notices })
    }
}
