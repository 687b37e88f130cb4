//! Loading a case inside a unit of work: whatever touches a case whose grace period has passed
//! treats it as final, and records the expiry in the same transaction.

use caredesk_domain::{Case, CaseId, CustomerId, Event, MessageId, ProfileId, Timestamp};
use caredesk_store::{Store, Tx};

use crate::error::{AppResult, FoundOr};

/// Finalises `case` if its grace period has passed, writing the change and its event; answers
/// whether it did.
pub(crate) async fn finalise_if_due(
    tx: &mut dyn Tx,
    case: &mut Case,
    now: Timestamp,
) -> AppResult<bool> {
    let as_read = case.clone();
    match case.expire_grace_if_due(now) {
        Some((at, kind)) => {
            tx.save_cases(&[(&as_read, case)]).await?;
            tx.insert_events(&[Event::of_case(case.id, None, at, kind)])
                .await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A case by id, locked for the unit of work and finalised if due; `NotFound` when missing.
///
/// Locks are always taken customer first, then case (the order ingest and escalation use), so
/// units of work on several nodes never deadlock: the case's customer, which never changes, is
/// read outside the transaction and locked before the case.
pub(crate) async fn case(
    store: &dyn Store,
    tx: &mut dyn Tx,
    id: CaseId,
    now: Timestamp,
) -> AppResult<Case> {
    let customer = store.case(id).await?.or_not_found()?.customer_id;
    tx.lock_customer(customer).await?;
    let mut case = tx.case(id).await?.or_not_found()?;
    finalise_if_due(tx, &mut case, now).await?;
    Ok(case)
}

/// The customer's active case on the profile at `now`, after finalising one that is due.
pub(crate) async fn active_case(
    tx: &mut dyn Tx,
    customer: CustomerId,
    profile: ProfileId,
    now: Timestamp,
) -> AppResult<Option<Case>> {
    match tx.active_case(customer, profile).await? {
        Some(mut case) => {
            finalise_if_due(tx, &mut case, now).await?;
            Ok(case.is_active_at(now).then_some(case))
        }
        None => Ok(None),
    }
}

/// Whether the assignee of a case is an active user.
pub(crate) async fn assignee_active(tx: &mut dyn Tx, case: &Case) -> AppResult<bool> {
    Ok(match case.assignee_id {
        Some(id) => tx.user(id).await?.is_some_and(|u| u.active),
        None => false,
    })
}

/// The case in progress (new, open, pending, on hold) that holds a message, if any: the case
/// that locks its community item and that a brand answer to it joins.
pub(crate) async fn case_in_progress_holding(
    tx: &mut dyn Tx,
    message: MessageId,
) -> AppResult<Option<Case>> {
    Ok(tx
        .cases_holding(message)
        .await?
        .into_iter()
        .find(|c| c.status.is_in_progress()))
}
