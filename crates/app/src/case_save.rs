//! Saving one case changed by a person or by auto-assignment, with what follows every such save
//! in the same unit of work: a new assignee's last assignment is stamped (auto-assignment's
//! tie-break, PRODUCT.md §13), and the case's service-level targets follow its status and
//! priority.
//!
//! Lock order: the assignee's user row is stamped before the case is written, as
//! auto-assignment locks the users it counts before it writes any case (`auto_assign`), so the
//! two never wait on each other in a circle on PostgreSQL.

use caredesk_domain::{Case, Timestamp};
use caredesk_store::Tx;

use crate::error::AppResult;

/// Saves `after` over `before` at `now`.
pub(crate) async fn save_case(
    tx: &mut dyn Tx,
    before: &Case,
    after: &Case,
    now: Timestamp,
) -> AppResult<()> {
    if let Some(to) = after
        .assignee_id
        .filter(|to| Some(*to) != before.assignee_id)
    {
        tx.stamp_assigned(to, now).await?;
    }
    tx.save_cases(&[(before, after)]).await?;
    crate::sla::timers::case_moved(tx, before, after, now).await
}
