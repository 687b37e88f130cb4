//! Service levels: schedules and policies (small tables, read whole), and each case's timers
//! with the times their indexes order by. The sweep claims due rows with `SKIP LOCKED` where the
//! dialect locks rows, so two nodes never record one warning or breach twice.

use caredesk_domain::sla::{CaseSla, CheckedSlaPolicy, Schedule, ScheduleRules, SlaPolicy};
use caredesk_domain::{CaseId, ScheduleId, SlaPolicyId, Timestamp};
use caredesk_store::rows::to_json;
use caredesk_store::sla::{self as decode, DueSla, PolicyRules, DUE_SLA_COLUMNS};

use super::Result;
use crate::multi_row::{insert_rows, rows_per_statement};
use crate::{Conn, Lock, Sql};

const POLICY_COLUMNS: &str = "id, name, position, rules, schedule_id";

pub(crate) async fn schedules(conn: &mut Conn<'_>) -> Result<Vec<Schedule>> {
    Sql::new("SELECT id, name, rules FROM schedules ORDER BY name, id")
        .all(conn, decode::schedule)
        .await
}

pub(crate) async fn schedule(
    conn: &mut Conn<'_>,
    id: ScheduleId,
    lock: Lock,
) -> Result<Option<Schedule>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT id, name, rules FROM schedules WHERE id = $1{lock}"
    ))
    .bind(id.0)
    .optional(conn, decode::schedule)
    .await
}

pub(crate) async fn insert_schedule(
    conn: &mut Conn<'_>,
    name: &str,
    rules: &ScheduleRules,
    now: Timestamp,
) -> Result<Schedule> {
    let id: i64 = Sql::new(
        "INSERT INTO schedules (name, rules, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(rules.to_json())
    .bind(now.0)
    .scalar(conn)
    .await?;
    Ok(Schedule {
        id: ScheduleId(id),
        name: name.to_owned(),
        rules: rules.clone(),
    })
}

pub(crate) async fn update_schedule(conn: &mut Conn<'_>, schedule: &Schedule) -> Result<()> {
    Sql::new("UPDATE schedules SET name = $1, rules = $2 WHERE id = $3")
        .bind(schedule.name.as_str())
        .bind(schedule.rules.to_json())
        .bind(schedule.id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn delete_schedule(conn: &mut Conn<'_>, id: ScheduleId) -> Result<()> {
    Sql::new("DELETE FROM schedules WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn policies(conn: &mut Conn<'_>) -> Result<Vec<SlaPolicy>> {
    Sql::new(format!(
        "SELECT {POLICY_COLUMNS} FROM sla_policies ORDER BY position, id"
    ))
    .all(conn, decode::sla_policy)
    .await
}

pub(crate) async fn policy(
    conn: &mut Conn<'_>,
    id: SlaPolicyId,
    lock: Lock,
) -> Result<Option<SlaPolicy>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT {POLICY_COLUMNS} FROM sla_policies WHERE id = $1{lock}"
    ))
    .bind(id.0)
    .optional(conn, decode::sla_policy)
    .await
}

pub(crate) async fn insert_policy(
    conn: &mut Conn<'_>,
    checked: &CheckedSlaPolicy,
    now: Timestamp,
) -> Result<SlaPolicy> {
    let position: i64 = Sql::new("SELECT COALESCE(MAX(position), 0) + 1 FROM sla_policies")
        .scalar(conn)
        .await?;
    let id: i64 = Sql::new(
        "INSERT INTO sla_policies (name, position, rules, schedule_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(checked.name.as_str())
    .bind(position)
    .bind(rules_json(
        &checked.conditions,
        &checked.targets,
        checked.warn_at,
    )?)
    .bind(checked.schedule_id.map(|s| s.0))
    .bind(now.0)
    .scalar(conn)
    .await?;
    Ok(SlaPolicy::from_checked(
        SlaPolicyId(id),
        position,
        checked.clone(),
    ))
}

pub(crate) async fn update_policy(conn: &mut Conn<'_>, policy: &SlaPolicy) -> Result<()> {
    Sql::new(
        "UPDATE sla_policies SET name = $1, position = $2, rules = $3, schedule_id = $4 \
         WHERE id = $5",
    )
    .bind(policy.name.as_str())
    .bind(policy.position)
    .bind(rules_json(
        &policy.conditions,
        &policy.targets,
        policy.warn_at,
    )?)
    .bind(policy.schedule_id.map(|s| s.0))
    .bind(policy.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_policy(conn: &mut Conn<'_>, id: SlaPolicyId) -> Result<()> {
    Sql::new("DELETE FROM sla_policies WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn case_slas(
    conn: &mut Conn<'_>,
    cases: &[CaseId],
    lock: Lock,
) -> Result<Vec<(CaseId, CaseSla)>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
    let among = conn.dialect().any_of("case_id", 1);
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT case_id, sla FROM case_sla WHERE {among} ORDER BY case_id{lock}"
    ))
    .bind(ids)
    .all(conn, decode::case_sla)
    .await
}

pub(crate) async fn case_sla(conn: &mut Conn<'_>, case: CaseId) -> Result<Option<CaseSla>> {
    let lock = Lock::ForUpdate.clause(conn.dialect());
    Ok(Sql::new(format!(
        "SELECT case_id, sla FROM case_sla WHERE case_id = $1{lock}"
    ))
    .bind(case.0)
    .optional(conn, decode::case_sla)
    .await?
    .map(|(_, sla)| sla))
}

pub(crate) async fn save_case_sla(
    conn: &mut Conn<'_>,
    case: CaseId,
    sla: Option<&CaseSla>,
) -> Result<()> {
    let Some(sla) = sla else {
        Sql::new("DELETE FROM case_sla WHERE case_id = $1")
            .bind(case.0)
            .execute(conn)
            .await?;
        return Ok(());
    };
    Sql::new(format!(
        "INSERT INTO case_sla (case_id, sla, fire_at, due_at, at_risk_from) \
         VALUES ($1, $2, $3, $4, $5){UPSERT_TAIL}",
    ))
    .bind(case.0)
    .bind(to_json(sla)?)
    .bind(sla.fire_at().map(|t| t.0))
    .bind(sla.due_at().map(|t| t.0))
    .bind(sla.at_risk_from().map(|t| t.0))
    .execute(conn)
    .await?;
    Ok(())
}

/// The upsert's tail after its `VALUES` list.
const UPSERT_TAIL: &str = " ON CONFLICT (case_id) DO UPDATE SET sla = excluded.sla, \
     fire_at = excluded.fire_at, due_at = excluded.due_at, at_risk_from = excluded.at_risk_from";

pub(crate) async fn save_case_slas(conn: &mut Conn<'_>, slas: &[(CaseId, CaseSla)]) -> Result<()> {
    const COLUMNS: usize = 5;
    let texts = slas
        .iter()
        .map(|(_, sla)| to_json(sla))
        .collect::<Result<Vec<String>>>()?;
    let rows: Vec<(&(CaseId, CaseSla), String)> = slas.iter().zip(texts).collect();
    let per_statement = rows_per_statement(conn.dialect(), COLUMNS);
    insert_rows(
        conn,
        (
            "INSERT INTO case_sla (case_id, sla, fire_at, due_at, at_risk_from) ",
            UPSERT_TAIL,
        ),
        COLUMNS,
        per_statement,
        &rows,
        |insert, ((case, sla), text)| {
            Ok(insert
                .bind(case.0)
                .bind(text.as_str())
                .bind(sla.fire_at().map(|t| t.0))
                .bind(sla.due_at().map(|t| t.0))
                .bind(sla.at_risk_from().map(|t| t.0)))
        },
    )
    .await
}

pub(crate) async fn due_case_slas(
    conn: &mut Conn<'_>,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<DueSla>> {
    let claim = conn.dialect().skip_locked(Some("s"));
    Sql::new(format!(
        "SELECT {DUE_SLA_COLUMNS} FROM case_sla s JOIN cases c ON c.id = s.case_id \
         WHERE s.fire_at IS NOT NULL AND s.fire_at <= $1 ORDER BY s.fire_at LIMIT $2{claim}"
    ))
    .bind(now.0)
    .bind(i64::from(limit))
    .all(conn, decode::due_sla)
    .await
}

fn rules_json(
    conditions: &caredesk_domain::sla::SlaConditions,
    targets: &caredesk_domain::sla::SlaTargets,
    warn_at: f64,
) -> Result<String> {
    to_json(&PolicyRules {
        conditions: conditions.clone(),
        targets: *targets,
        warn_at,
    })
}
