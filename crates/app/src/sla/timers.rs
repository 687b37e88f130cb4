//! A case's targets, moved inside the unit of work of what moved the case: the first matching
//! policy at escalation and on a priority change, pauses and resumes as the status changes, the
//! response targets met by a delivered reply, a next-response target started by a customer's
//! message. A case without targets costs one indexed read when its status changes; an
//! installation without policies costs one read of the (empty) policy table at escalation.

use caredesk_domain::sla::{first_match, CaseSla, SlaClock, SlaPolicy};
use caredesk_domain::{Case, CaseId, ScheduleId, Timestamp};
use caredesk_store::Tx;

use crate::error::AppResult;

/// Runs `f` with the counted time of `schedule` (calendar time without one, or when it is gone).
async fn with_clock<R>(
    tx: &mut dyn Tx,
    schedule: Option<ScheduleId>,
    f: impl FnOnce(&SlaClock<'_>) -> R,
) -> AppResult<R> {
    let schedule = match schedule {
        Some(id) => tx.schedule_in_tx(id).await?,
        None => None,
    };
    Ok(match &schedule {
        Some(s) => f(&SlaClock::Business(&s.rules)),
        None => f(&SlaClock::Calendar),
    })
}

/// The policy that applies to `case` now, if any.
async fn policy_for(tx: &mut dyn Tx, case: &Case) -> AppResult<Option<SlaPolicy>> {
    let policies = tx.sla_policies_in_tx().await?;
    if policies.is_empty() {
        return Ok(None);
    }
    let Some(profile) = tx.profile(case.profile_id).await? else {
        return Ok(None);
    };
    Ok(first_match(&policies, case.profile_id, profile.network, case.priority).cloned())
}

/// Applies the first matching policy to `case` at `now`, keeping the time its targets already
/// counted; saves the outcome.
async fn apply(
    tx: &mut dyn Tx,
    case: &Case,
    current: Option<&CaseSla>,
    now: Timestamp,
) -> AppResult<()> {
    let policy = policy_for(tx, case).await?;
    let schedule = policy.as_ref().and_then(|p| p.schedule_id);
    let sla = with_clock(tx, schedule, |clock| {
        CaseSla::apply(current, policy.as_ref(), clock, case.status, now)
    })
    .await?;
    if sla.as_ref() != current {
        tx.save_case_sla(case.id, sla.as_ref()).await?;
    }
    Ok(())
}

/// A new case: the first matching policy sets its targets.
pub(crate) async fn escalated(tx: &mut dyn Tx, case: &Case, now: Timestamp) -> AppResult<()> {
    apply(tx, case, None, now).await
}

/// A case saved as `after` (read as `before`): a priority change applies the first matching
/// policy again; a status change pauses, resumes, meets or ends its targets.
pub(crate) async fn case_moved(
    tx: &mut dyn Tx,
    before: &Case,
    after: &Case,
    now: Timestamp,
) -> AppResult<()> {
    let priority_changed = before.priority != after.priority;
    if !priority_changed && before.status == after.status {
        return Ok(());
    }
    let current = tx.case_sla(after.id).await?;
    if priority_changed {
        return apply(tx, after, current.as_ref(), now).await;
    }
    let Some(mut sla) = current else {
        return Ok(());
    };
    let as_read = sla.clone();
    with_clock(tx, sla.schedule_id, |clock| {
        sla.follow_status(after.status, clock, now)
    })
    .await?;
    if sla != as_read {
        tx.save_case_sla(after.id, Some(&sla)).await?;
    }
    Ok(())
}

/// Cases saved by ingest as `(before, after)`: a status change moves their targets, and a new
/// customer message starts a next-response target where one is due.
pub(crate) async fn cases_moved_by_customers(
    tx: &mut dyn Tx,
    saves: &[(&Case, &Case)],
) -> AppResult<()> {
    let moved: Vec<CaseId> = saves
        .iter()
        .filter(|(before, after)| {
            before.status != after.status
                || before.last_customer_message_at != after.last_customer_message_at
        })
        .map(|(_, after)| after.id)
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    for (id, mut sla) in tx.case_slas_in_tx(&moved).await? {
        let Some((before, after)) = saves.iter().find(|(_, after)| after.id == id) else {
            continue;
        };
        let as_read = sla.clone();
        let wrote_at = after
            .last_customer_message_at
            .filter(|at| Some(*at) != before.last_customer_message_at);
        let status = (before.status != after.status).then_some(after.status);
        let now = wrote_at.unwrap_or(after.created_at);
        with_clock(tx, sla.schedule_id, |clock| {
            if let Some(status) = status {
                sla.follow_status(status, clock, now);
            }
            if let Some(at) = wrote_at {
                sla.customer_wrote(clock, at);
            }
        })
        .await?;
        if sla != as_read {
            tx.save_case_sla(id, Some(&sla)).await?;
        }
    }
    Ok(())
}

/// A reply of the desk on `case` was delivered at `now`: its response targets are met.
pub(crate) async fn reply_delivered(
    tx: &mut dyn Tx,
    case: CaseId,
    now: Timestamp,
) -> AppResult<()> {
    let Some(mut sla) = tx.case_sla(case).await? else {
        return Ok(());
    };
    let as_read = sla.clone();
    sla.reply_delivered(now);
    if sla != as_read {
        tx.save_case_sla(case, Some(&sla)).await?;
    }
    Ok(())
}
