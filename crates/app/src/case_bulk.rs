//! Bulk actions (PRODUCT.md §12): one request changes many cases, each through the same use
//! case as the single route (its own unit of work, its own rules, its own refusal), so a
//! refusal of one case changes nothing of it and nothing of the others. The changes run a few
//! at a time (grouped into shared commits where the backend groups them); the outcomes come
//! back in the order the cases were sent.

use caredesk_domain::bulk::{BulkAction, BulkRequest};
use caredesk_domain::{Case, CaseId, UserId};
use futures::stream::{self, StreamExt};

use crate::case_actions::CaseEditRequest;
use crate::error::AppResult;
use crate::App;

/// Cases changed at once.
const AT_ONCE: usize = 16;

impl App {
    /// Applies `request` to each of its cases as `actor`; answers each case's outcome in the
    /// order sent.
    pub async fn bulk_change(
        &self,
        actor: UserId,
        request: BulkRequest,
    ) -> Vec<(CaseId, AppResult<Case>)> {
        let action = request.action;
        stream::iter(request.case_ids)
            .map(|case| async move { (case, self.change_one(actor, case, action).await) })
            .buffered(AT_ONCE)
            .collect()
            .await
    }

    async fn change_one(&self, actor: UserId, case: CaseId, action: BulkAction) -> AppResult<Case> {
        match action {
            BulkAction::Assign(user) => self.assign(actor, case, Some(user), None).await,
            BulkAction::Unassign => self.assign(actor, case, None, None).await,
            BulkAction::Status(status) => self.set_status(actor, case, status, None).await,
            BulkAction::Priority(priority) => {
                let edit = CaseEditRequest {
                    priority: Some(priority),
                    ..CaseEditRequest::default()
                };
                self.edit_case(actor, case, edit, None).await
            }
        }
    }
}
