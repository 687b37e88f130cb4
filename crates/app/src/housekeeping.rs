//! Housekeeping (PRODUCT.md §14): what is over is removed on a schedule, so the tables that grow
//! with every sign-in stay the size of what is live. A session is over once revoked or idle for
//! longer than sessions may be; a failed sign-in is over once it has left the throttling
//! window, so removing it never changes whether anyone is throttled. Each pass is one unit of
//! work; passes on several nodes at once remove nothing twice and harm nothing.

use crate::error::AppResult;
use crate::App;

/// What a housekeeping pass removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HousekeepingReport {
    /// Ended sessions removed.
    pub sessions: u64,
    /// Failed sign-ins removed.
    pub login_failures: u64,
}

impl App {
    /// Removes ended sessions and failed sign-ins that no longer count.
    pub async fn housekeep(&self) -> AppResult<HousekeepingReport> {
        let now = self.now();
        // As `authenticate` and the throttle judge them: a session last used `idle` ago is
        // over, and so is a failure made `window` ago.
        let idle_since = now.plus_secs(-self.auth.session_idle_secs);
        let spent_until = now.plus_secs(-self.auth.failure_window_secs);
        let mut tx = self.store.begin().await?;
        let sessions = tx.delete_ended_sessions(idle_since).await?;
        let login_failures = tx.delete_login_failures_until(spent_until).await?;
        tx.commit().await?;
        Ok(HousekeepingReport {
            sessions,
            login_failures,
        })
    }
}
