//! What the store keeps of service levels (PRODUCT.md §13), and the parts of the ports that read
//! and write them: schedules (their rules as one JSON text), SLA policies (conditions, targets
//! and warning share as one JSON text; name, order and schedule as columns), and one row per
//! case with targets: its timers as JSON plus the three times the sweep, the `sla_due` order
//! and the at-risk view read from indexes. What the rules mean is the domain's
//! (`caredesk_domain::sla`); the store keeps what it is given.

use async_trait::async_trait;
use caredesk_domain::sla::{
    CaseSla, CheckedSlaPolicy, Schedule, ScheduleRules, SlaConditions, SlaPolicy, SlaTargets,
};
use caredesk_domain::{CaseId, ScheduleId, SlaPolicyId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::ports::Result;
use crate::rows::{self, Columns};
use crate::StoreError;

/// Reads outside a unit of work.
#[async_trait]
pub trait SlaReads {
    /// Every schedule, by name.
    async fn schedules(&self) -> Result<Vec<Schedule>>;
    /// Every SLA policy, in order.
    async fn sla_policies(&self) -> Result<Vec<SlaPolicy>>;
    /// The service levels of these cases (those that have any).
    async fn case_slas(&self, cases: &[CaseId]) -> Result<Vec<(CaseId, CaseSla)>>;
}

/// Writes inside a unit of work.
#[async_trait]
pub trait SlaWrites: Send {
    /// A schedule (locked for the unit of work).
    async fn schedule_for_update(&mut self, id: ScheduleId) -> Result<Option<Schedule>>;
    /// A schedule, read in the unit of work without locking it (the clock of a case's targets).
    async fn schedule_in_tx(&mut self, id: ScheduleId) -> Result<Option<Schedule>>;
    /// Stores a new schedule.
    async fn insert_schedule(
        &mut self,
        name: &str,
        rules: &ScheduleRules,
        now: Timestamp,
    ) -> Result<Schedule>;
    /// Saves a schedule's name and rules.
    async fn update_schedule(&mut self, schedule: &Schedule) -> Result<()>;
    /// Removes a schedule no policy names.
    async fn delete_schedule(&mut self, id: ScheduleId) -> Result<()>;
    /// Every SLA policy, in order, read in the unit of work.
    async fn sla_policies_in_tx(&mut self) -> Result<Vec<SlaPolicy>>;
    /// A policy (locked for the unit of work).
    async fn sla_policy_for_update(&mut self, id: SlaPolicyId) -> Result<Option<SlaPolicy>>;
    /// Stores a new policy after the last one.
    async fn insert_sla_policy(
        &mut self,
        policy: &CheckedSlaPolicy,
        now: Timestamp,
    ) -> Result<SlaPolicy>;
    /// Saves a policy whole, its position included.
    async fn update_sla_policy(&mut self, policy: &SlaPolicy) -> Result<()>;
    /// Removes a policy (cases keep the timers it set).
    async fn delete_sla_policy(&mut self, id: SlaPolicyId) -> Result<()>;
    /// The service levels of a case, if it has any.
    async fn case_sla(&mut self, case: CaseId) -> Result<Option<CaseSla>>;
    /// The service levels of these cases (those that have any), locked for the unit of work.
    async fn case_slas_in_tx(&mut self, cases: &[CaseId]) -> Result<Vec<(CaseId, CaseSla)>>;
    /// Saves a case's service levels (`None` removes them).
    async fn save_case_sla(&mut self, case: CaseId, sla: Option<&CaseSla>) -> Result<()>;
    /// Saves the service levels of several cases, one statement per few thousand.
    async fn save_case_slas(&mut self, slas: &[(CaseId, CaseSla)]) -> Result<()>;
    /// Claims up to `limit` cases with a warning or breach due at `now`, soonest first, each
    /// with its targets and what the sweep needs of the case (PostgreSQL: rows another unit of
    /// work holds are skipped; the case is read, not locked).
    async fn due_case_slas(&mut self, now: Timestamp, limit: u32) -> Result<Vec<DueSla>>;
}

/// What a policy's JSON column holds.
#[derive(Serialize, Deserialize)]
pub struct PolicyRules {
    /// Which cases it applies to.
    pub conditions: SlaConditions,
    /// Its targets.
    pub targets: SlaTargets,
    /// Its warning share.
    pub warn_at: f64,
}

/// A schedule from its row (`id, name, rules`).
pub fn schedule(row: &dyn Columns) -> Result<Schedule> {
    let rules = ScheduleRules::from_json(&row.text("rules")?)
        .map_err(|e| StoreError::Corrupt(format!("schedules.rules: {e}")))?;
    Ok(Schedule {
        id: ScheduleId(row.int("id")?),
        name: row.text("name")?,
        rules,
    })
}

/// A policy from its row (`id, name, position, rules, schedule_id`).
pub fn sla_policy(row: &dyn Columns) -> Result<SlaPolicy> {
    let rules: PolicyRules = rows::json(row, "rules")?;
    Ok(SlaPolicy {
        id: SlaPolicyId(row.int("id")?),
        name: row.text("name")?,
        position: row.int("position")?,
        conditions: rules.conditions,
        targets: rules.targets,
        warn_at: rules.warn_at,
        schedule_id: row.opt_int("schedule_id")?.map(ScheduleId),
    })
}

/// A case whose warning or breach came due: its targets and what the sweep needs of the case
/// to record them and tell its assignee.
#[derive(Clone, Debug, PartialEq)]
pub struct DueSla {
    /// The case.
    pub case_id: CaseId,
    /// Its number, for the notification's stream event.
    pub case_number: i64,
    /// Who is told.
    pub assignee_id: Option<UserId>,
    /// A deleted case's timers fire silently.
    pub deleted: bool,
    /// Its targets.
    pub sla: CaseSla,
}

/// The columns a [`DueSla`] is read from, the case's as `c` and the targets' as `s`.
pub const DUE_SLA_COLUMNS: &str = "c.id AS case_id, c.number, c.assignee_id, c.deleted, s.sla";

/// A due case's row ([`DUE_SLA_COLUMNS`]).
pub fn due_sla(row: &dyn Columns) -> Result<DueSla> {
    Ok(DueSla {
        case_id: CaseId(row.int("case_id")?),
        case_number: row.int("number")?,
        assignee_id: row.opt_int("assignee_id")?.map(UserId),
        deleted: row.flag("deleted")?,
        sla: rows::json(row, "sla")?,
    })
}

/// A case's service levels from its row (`case_id, sla`).
pub fn case_sla(row: &dyn Columns) -> Result<(CaseId, CaseSla)> {
    Ok((CaseId(row.int("case_id")?), rows::json(row, "sla")?))
}
