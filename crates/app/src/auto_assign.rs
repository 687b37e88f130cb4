//! Auto-assignment (PRODUCT.md §13): a new case of a profile that assigns automatically goes to
//! an agent who is online, connected to the profile and under capacity — the least loaded, then
//! the one who waited longest since their last assignment. A case nobody could take stays New;
//! the pass run by every node ([`App::auto_assign_waiting`]) hands the waiting cases out oldest
//! first as soon as someone can take them. Manual assignment always wins: a case someone else
//! assigned meanwhile is left alone.
//!
//! The pass claims a profile, locks its users, then claims no more of its waiting cases than
//! they have free places (other nodes skip both claims); every assignment locks the profile's
//! users before counting their load, so no two units of work hand one case out twice or push an
//! agent over capacity by racing. Users are locked before any case is written, in every unit of
//! work that assigns (`case_save`).

use caredesk_domain::availability::{free_places, pick_assignee, Candidate};
use caredesk_domain::escalation::NewCase;
use caredesk_domain::{Case, Event, ProfileId, Timestamp};
use caredesk_store::Tx;

use crate::error::AppResult;
use crate::queries::Standing;
use crate::App;

/// Waiting cases handed out per profile and unit of work.
const BATCH: u32 = 200;

/// The users who may take a case of `profile` now, locked for the unit of work.
async fn candidates(
    tx: &mut dyn Tx,
    profile: ProfileId,
    now: Timestamp,
) -> AppResult<Vec<Candidate>> {
    let idle = tx.settings().await?.presence_idle_secs;
    Ok(tx
        .lock_assignees(profile)
        .await?
        .into_iter()
        .map(|u| {
            let standing = Standing::of(&u, idle, now);
            Candidate {
                presence: standing.presence,
                load: standing.load,
                last_assigned_at: u.last_assigned_at,
                user: u.user,
            }
        })
        .collect())
}

/// Hands `case` to the best candidate, if any; answers whether it did. The candidate's load and
/// last assignment move with it, so the next pick in the same unit of work weighs them.
async fn assign(
    tx: &mut dyn Tx,
    candidates: &mut [Candidate],
    case: &Case,
    now: Timestamp,
) -> AppResult<Option<Case>> {
    let Some(to) = pick_assignee(candidates, case.profile_id) else {
        return Ok(None);
    };
    let Some(chosen) = candidates.iter_mut().find(|c| c.user.id == to) else {
        return Ok(None);
    };
    let mut assigned = case.clone();
    let kinds = assigned.assign_automatically(&chosen.user);
    if kinds.is_empty() {
        return Ok(None);
    }
    chosen.load += 1;
    chosen.last_assigned_at = Some(now);
    crate::case_save::save_case(tx, case, &assigned, now).await?;
    let events: Vec<Event> = kinds
        .into_iter()
        .map(|k| Event::of_case(assigned.id, None, now, k))
        .collect();
    crate::salesforce::record_case_events(tx, &events).await?;
    crate::notifications::of_case_events(tx, &assigned, &events).await?;
    Ok(Some(assigned))
}

/// Before a case is opened in this unit of work (lock order: users before cases, see
/// `case_save`): stamps an assignee named at escalation, or, when the profile assigns
/// automatically, locks and answers who may take it.
pub(crate) async fn before_opening(
    tx: &mut dyn Tx,
    new: &NewCase,
    now: Timestamp,
) -> AppResult<Option<Vec<Candidate>>> {
    if let Some(named) = new.assignee_id {
        tx.stamp_assigned(named, now).await?;
        return Ok(None);
    }
    match tx.profile(new.profile_id).await? {
        Some(profile) if profile.auto_assign => {
            Ok(Some(candidates(tx, new.profile_id, now).await?))
        }
        _ => Ok(None),
    }
}

/// A case just opened: handed to the best of `candidates` ([`before_opening`]) if any can take
/// it. Answers the case as it now stands.
pub(crate) async fn opened(
    tx: &mut dyn Tx,
    case: Case,
    candidates: Option<Vec<Candidate>>,
    now: Timestamp,
) -> AppResult<Case> {
    let Some(mut candidates) = candidates else {
        return Ok(case);
    };
    Ok(assign(tx, &mut candidates, &case, now)
        .await?
        .unwrap_or(case))
}

impl App {
    /// Hands the New cases waiting on profiles that assign automatically to whoever can take
    /// them now, oldest first; answers how many were assigned. Profiles and cases another node
    /// holds are passed over (it is handing them out).
    pub async fn auto_assign_waiting(&self) -> AppResult<usize> {
        let mut assigned = 0;
        for profile in self.store.profiles_with_waiting_cases().await? {
            loop {
                let handed = self.auto_assign_batch(profile).await?;
                assigned += handed;
                if handed < BATCH as usize {
                    break;
                }
            }
        }
        Ok(assigned)
    }

    /// One unit of work of [`App::auto_assign_waiting`] on one profile.
    async fn auto_assign_batch(&self, profile: ProfileId) -> AppResult<usize> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !tx.claim_auto_assign(profile).await? {
            return Ok(0);
        }
        // Users are locked before any case, as in every unit of work that assigns; no more
        // waiting cases are claimed than the available users may take.
        let mut candidates = candidates(tx.as_mut(), profile, now).await?;
        let places = free_places(&candidates, profile).min(u64::from(BATCH));
        if places == 0 {
            return Ok(0);
        }
        let limit = u32::try_from(places).unwrap_or(BATCH);
        let waiting = tx.claim_waiting_cases(profile, limit).await?;
        if waiting.is_empty() {
            return Ok(0);
        }
        let mut handed = 0;
        for case in &waiting {
            if assign(tx.as_mut(), &mut candidates, case, now)
                .await?
                .is_none()
            {
                break;
            }
            handed += 1;
        }
        tx.commit().await?;
        Ok(handed)
    }
}
