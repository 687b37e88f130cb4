//! Schedules and SLA policies, kept by supervisors. Every change is checked by the domain
//! whole (a `PATCH` merges into the stored draft first), refused with 422 naming the field and
//! nothing written, and recorded in the audit log.

use std::collections::BTreeMap;

use caredesk_domain::sla::{
    check_condition_profiles, Schedule, ScheduleDraft, SlaConditions, SlaPolicy, SlaPolicyDraft,
    SlaTargets,
};
use caredesk_domain::*;
use caredesk_store::Tx;

use crate::directory::actor_of;
use crate::error::{AppResult, FoundOr};
use crate::App;

/// The parts of a schedule to change; `None` keeps a part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScheduleChange {
    /// A new name.
    pub name: Option<String>,
    /// A new IANA zone.
    pub time_zone: Option<String>,
    /// New weekly hours (every day; a missing day is closed).
    pub hours: Option<BTreeMap<String, Vec<[String; 2]>>>,
    /// New holidays.
    pub holidays: Option<Vec<String>>,
}

/// The parts of a policy to change; `None` keeps a part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SlaPolicyChange {
    /// A new name.
    pub name: Option<String>,
    /// A new place in the order (1 is tried first).
    pub position: Option<i64>,
    /// New conditions.
    pub conditions: Option<SlaConditions>,
    /// New targets.
    pub targets: Option<SlaTargets>,
    /// A new warning share.
    pub warn_at: Option<f64>,
    /// A new schedule (`Some(None)`: calendar time).
    pub schedule_id: Option<Option<ScheduleId>>,
}

async fn supervisor(tx: &mut dyn Tx, actor: UserId) -> AppResult<User> {
    let user = actor_of(tx, Some(actor)).await?.or_not_found()?;
    policy::require_supervisor(&user)?;
    Ok(user)
}

async fn require_schedule(tx: &mut dyn Tx, id: Option<ScheduleId>) -> AppResult<()> {
    if let Some(id) = id {
        if tx.schedule_in_tx(id).await?.is_none() {
            return Err(Refusal::invalid(format!("schedule_id: there is no schedule {id}")).into());
        }
    }
    Ok(())
}

impl App {
    /// Every schedule (supervisors).
    pub async fn schedules(&self, user: &User) -> AppResult<Vec<Schedule>> {
        policy::require_supervisor(user)?;
        Ok(self.store.schedules().await?)
    }

    /// Adds a schedule.
    pub async fn create_schedule(
        &self,
        actor: UserId,
        draft: ScheduleDraft,
    ) -> AppResult<Schedule> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        let rules = draft.check()?;
        let schedule = tx
            .insert_schedule(draft.trimmed_name(), &rules, self.now())
            .await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "schedule_created",
            schedule.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(schedule)
    }

    /// Changes some parts of a schedule. Running timers keep their due times until the case
    /// next moves.
    pub async fn change_schedule(
        &self,
        actor: UserId,
        id: ScheduleId,
        change: ScheduleChange,
    ) -> AppResult<Schedule> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        let before = tx.schedule_for_update(id).await?.or_not_found()?;
        let mut draft = before.to_draft();
        if let Some(name) = change.name {
            draft.name = name;
        }
        if let Some(zone) = change.time_zone {
            draft.time_zone = zone;
        }
        if let Some(hours) = change.hours {
            draft.hours = hours;
        }
        if let Some(holidays) = change.holidays {
            draft.holidays = holidays;
        }
        let schedule = Schedule {
            id,
            rules: draft.check()?,
            name: draft.trimmed_name().to_owned(),
        };
        tx.update_schedule(&schedule).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "schedule_changed",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(schedule)
    }

    /// Removes a schedule no policy counts in (409 naming the policy otherwise).
    pub async fn delete_schedule(&self, actor: UserId, id: ScheduleId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        tx.schedule_for_update(id).await?.or_not_found()?;
        let policies = tx.sla_policies_in_tx().await?;
        if let Some(policy) = policies.iter().find(|p| p.schedule_id == Some(id)) {
            return Err(Refusal::Conflict(format!(
                "the SLA policy {:?} counts in this schedule; change it first",
                policy.name
            ))
            .into());
        }
        tx.delete_schedule(id).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "schedule_deleted",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every SLA policy in order (supervisors).
    pub async fn sla_policies(&self, user: &User) -> AppResult<Vec<SlaPolicy>> {
        policy::require_supervisor(user)?;
        Ok(self.store.sla_policies().await?)
    }

    /// Adds a policy after the others.
    pub async fn create_sla_policy(
        &self,
        actor: UserId,
        draft: SlaPolicyDraft,
    ) -> AppResult<SlaPolicy> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        let checked = draft.check()?;
        check_condition_profiles(&actor, &checked.conditions)?;
        require_schedule(tx.as_mut(), checked.schedule_id).await?;
        let created = tx.insert_sla_policy(&checked, self.now()).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "sla_policy_created",
            created.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes some parts of a policy. Cases keep the targets they have until their priority
    /// next changes.
    pub async fn change_sla_policy(
        &self,
        actor: UserId,
        id: SlaPolicyId,
        change: SlaPolicyChange,
    ) -> AppResult<SlaPolicy> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        let before = tx.sla_policy_for_update(id).await?.or_not_found()?;
        let mut draft = before.to_draft();
        if let Some(name) = change.name {
            draft.name = name;
        }
        if let Some(conditions) = change.conditions {
            draft.conditions = conditions;
        }
        if let Some(targets) = change.targets {
            draft.targets = targets;
        }
        if let Some(warn_at) = change.warn_at {
            draft.warn_at = Some(warn_at);
        }
        if let Some(schedule) = change.schedule_id {
            draft.schedule_id = schedule;
        }
        let position = match change.position {
            Some(p) if p < 1 => {
                return Err(Refusal::invalid("position: must be 1 or more").into());
            }
            Some(p) => p,
            None => before.position,
        };
        let checked = draft.check()?;
        check_condition_profiles(&actor, &checked.conditions)?;
        require_schedule(tx.as_mut(), checked.schedule_id).await?;
        let policy = SlaPolicy::from_checked(id, position, checked);
        tx.update_sla_policy(&policy).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "sla_policy_changed",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Removes a policy; cases keep the targets it set.
    pub async fn delete_sla_policy(&self, actor: UserId, id: SlaPolicyId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = supervisor(tx.as_mut(), actor).await?;
        tx.sla_policy_for_update(id).await?.or_not_found()?;
        tx.delete_sla_policy(id).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "sla_policy_deleted",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
