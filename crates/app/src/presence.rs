//! Collision (PRODUCT.md §12): heartbeats from the screens that have a case open, and who else
//! has it open. Only a user who may open the case may say they are on it or ask who is (404
//! otherwise, as for the case). A heartbeat is one statement committed at once, outside any unit
//! of work: it is not a change of the case, so it is neither in the activity log nor on the
//! change log; the live streams hear of it through [`crate::presence_feed`].

use caredesk_domain::presence::{self, Heartbeat, Viewer};
use caredesk_domain::{CaseId, User};
use caredesk_store::presence::{CasePresence, PresenceBeat};

use crate::error::AppResult;
use crate::queries::CaseRef;
use crate::App;

/// What one user may hear of a case's viewers moving: the case and its viewers but
/// themselves; `None` when they may not open the case.
pub fn presence_notice(user: &User, change: &CasePresence) -> Option<Vec<Viewer>> {
    presence::hears_presence(user, change.profile_id)
        .then(|| presence::others(user.id, &change.viewers))
}

impl App {
    /// Records that `actor` has `case` open (typing or not), or that their screen left it.
    pub async fn record_presence(
        &self,
        actor: &User,
        case: CaseId,
        beat: Heartbeat,
    ) -> AppResult<()> {
        let case = self.case_for(actor, CaseRef::Id(case)).await?;
        let now = self.now();
        let beat = PresenceBeat {
            case_id: case.id,
            user_id: actor.id,
            typing: beat.shows_typing(),
            at: now,
            expires_at: beat.lapses_at(now),
        };
        Ok(self.store.record_presence(&beat).await?)
    }

    /// Who else has `case` open now, by name.
    pub async fn case_presence(&self, actor: &User, case: CaseId) -> AppResult<Vec<Viewer>> {
        let case = self.case_for(actor, CaseRef::Id(case)).await?;
        let viewers = self.store.case_viewers(case.id, self.now()).await?;
        Ok(presence::others(actor.id, &viewers))
    }
}
