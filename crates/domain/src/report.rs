//! Reports (PRODUCT.md §13): the figures of the cases escalated in a date range, by day, agent,
//! profile or network, and the CSV line of each case. A report is about a cohort: every figure
//! of a line counts the cases escalated in the range that fall in its group (its escalation
//! day, its assignee, its profile, its network), so the lines add up to the whole and a case
//! never moves between reports as it goes on.
//!
//! - `done`: the cases of the cohort that are Done now; `reopened`: those reopened at least
//!   once (by their customer during grace, or by their assignee).
//! - First response: escalation → first delivered reply; resolution: escalation → the last
//!   change to Done, for the cases Done now. Median and 90th percentile by nearest rank.
//! - SLA: a case breached a target if any of its targets breached; it attained its targets if
//!   it had some, every one was met and none breached. Cases still running count in neither.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::macros::word_enum;
use crate::percentile::{percentiles, Percentiles};
use crate::sla::CaseSla;
use crate::{CaseId, CaseStatus, Network, Priority, ProfileId, Refusal, Timestamp, UserId};

/// Days a report may span.
pub const MAX_DAYS: i64 = 400;

word_enum! {
    /// How a report's lines are grouped.
    pub enum GroupBy {
        Day => "day",
        Agent => "agent",
        Profile => "profile",
        Network => "network",
    }
}

/// What a report needs of one case.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportCase {
    /// The case.
    pub id: CaseId,
    /// Its number.
    pub number: i64,
    /// Escalated.
    pub created_at: Timestamp,
    /// Its status now.
    pub status: CaseStatus,
    /// Its priority now.
    pub priority: Priority,
    /// Its assignee now.
    pub assignee_id: Option<UserId>,
    /// Its profile.
    pub profile_id: ProfileId,
    /// Its profile's network.
    pub network: Network,
    /// When its first reply was delivered.
    pub first_reply_at: Option<Timestamp>,
    /// When it last became Done (for a case Done now).
    pub done_at: Option<Timestamp>,
    /// How many times it was reopened.
    pub reopened: i64,
    /// Its service-level targets.
    pub sla: Option<CaseSla>,
    /// Its field values as the API writes them, by field id.
    pub fields: BTreeMap<String, serde_json::Value>,
}

/// A case's service-level outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaOutcome {
    /// No target.
    None,
    /// Some target still open.
    Running,
    /// Every target met, none breached.
    Attained,
    /// Some target breached.
    Breached,
}

impl ReportCase {
    /// Seconds from escalation to the first delivered reply.
    pub fn first_response_secs(&self) -> Option<i64> {
        self.first_reply_at
            .map(|at| at.secs_since(self.created_at).max(0))
    }

    /// Seconds from escalation to Done, for a case Done now.
    pub fn resolution_secs(&self) -> Option<i64> {
        if self.status != CaseStatus::Done {
            return None;
        }
        self.done_at.map(|at| at.secs_since(self.created_at).max(0))
    }

    /// Its service-level outcome.
    pub fn sla_outcome(&self) -> SlaOutcome {
        let Some(sla) = self.sla.as_ref().filter(|s| !s.timers.is_empty()) else {
            return SlaOutcome::None;
        };
        let outcomes: Vec<Option<bool>> = sla.timers.iter().map(|t| t.attained()).collect();
        if outcomes.contains(&Some(false)) {
            SlaOutcome::Breached
        } else if outcomes.contains(&None) {
            SlaOutcome::Running
        } else {
            SlaOutcome::Attained
        }
    }

    /// The key of its group: `YYYY-MM-DD` (UTC), a user id (`""` unassigned), a profile id or a
    /// network word.
    pub fn key(&self, group_by: GroupBy) -> String {
        match group_by {
            GroupBy::Day => day_text(self.created_at),
            GroupBy::Agent => self.assignee_id.map(|u| u.to_string()).unwrap_or_default(),
            GroupBy::Profile => self.profile_id.to_string(),
            GroupBy::Network => self.network.to_string(),
        }
    }
}

/// One line of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    /// The group.
    pub key: String,
    /// Cases escalated.
    pub escalated: i64,
    /// Of those, Done now.
    pub done: i64,
    /// Of those, reopened at least once.
    pub reopened: i64,
    /// Escalation → first delivered reply.
    pub first_response: Percentiles,
    /// Escalation → Done.
    pub resolution: Percentiles,
    /// Cases that attained every target.
    pub sla_attained: i64,
    /// Cases that breached a target.
    pub sla_breached: i64,
}

/// Adds cases up, one line per group; lines come in key order.
#[derive(Clone, Debug, Default)]
pub struct ReportTally {
    groups: BTreeMap<String, Group>,
}

#[derive(Clone, Debug, Default)]
struct Group {
    line: ReportLine,
    first_response: Vec<i64>,
    resolution: Vec<i64>,
}

impl ReportTally {
    /// Counts a case in its group.
    pub fn add(&mut self, case: &ReportCase, group_by: GroupBy) {
        let key = case.key(group_by);
        let group = self.groups.entry(key.clone()).or_default();
        group.line.key = key;
        group.line.escalated += 1;
        group.line.done += i64::from(case.status == CaseStatus::Done);
        group.line.reopened += i64::from(case.reopened > 0);
        group.first_response.extend(case.first_response_secs());
        group.resolution.extend(case.resolution_secs());
        match case.sla_outcome() {
            SlaOutcome::Attained => group.line.sla_attained += 1,
            SlaOutcome::Breached => group.line.sla_breached += 1,
            SlaOutcome::None | SlaOutcome::Running => {}
        }
    }

    /// The lines, in key order.
    pub fn lines(self) -> Vec<ReportLine> {
        self.groups
            .into_values()
            .map(|g| ReportLine {
                first_response: percentiles(g.first_response),
                resolution: percentiles(g.resolution),
                ..g.line
            })
            .collect()
    }
}

/// A report's range of days, both included, as instants: `[from 00:00 UTC, to + 1 day)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportRange {
    /// The first instant.
    pub from: Timestamp,
    /// The first instant after the range.
    pub until: Timestamp,
}

impl ReportRange {
    /// Checks `from` and `to` (`YYYY-MM-DD`, UTC, both included): 422 naming the field for a
    /// date that is not one, a range that ends before it starts or spans over [`MAX_DAYS`].
    pub fn parse(from: &str, to: &str) -> Result<ReportRange, Refusal> {
        let day = |field: &str, text: &str| {
            crate::sla::schedule::parse_date(text.trim()).ok_or_else(|| {
                Refusal::invalid(format!("{field}: {text:?} is not a date (YYYY-MM-DD)"))
            })
        };
        let (first, last) = (day("from", from)?, day("to", to)?);
        let start = |d: jiff::civil::Date| -> Result<Timestamp, Refusal> {
            let at = d
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|_| Refusal::invalid("from: out of range"))?;
            Ok(Timestamp::from_secs(at.timestamp().as_second()))
        };
        let (from_at, to_at) = (start(first)?, start(last)?);
        if to_at < from_at {
            return Err(Refusal::invalid("to: the range ends before it starts"));
        }
        let days = to_at.secs_since(from_at) / 86_400 + 1;
        if days > MAX_DAYS {
            return Err(Refusal::invalid(format!(
                "to: a report spans at most {MAX_DAYS} days"
            )));
        }
        Ok(ReportRange {
            from: from_at,
            until: to_at.plus_secs(86_400),
        })
    }
}

/// The CSV header.
pub fn csv_header(field_names: &[(String, String)]) -> String {
    let mut cells: Vec<String> = [
        "case_number",
        "escalated_at",
        "status",
        "priority",
        "assignee_id",
        "profile_id",
        "network",
        "first_reply_at",
        "first_response_secs",
        "done_at",
        "resolution_secs",
        "reopened",
        "sla",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    cells.extend(field_names.iter().map(|(_, name)| csv_cell(name)));
    cells.join(",") + "\r\n"
}

/// A case's CSV line (RFC 4180: cells with commas, quotes or line breaks quoted, quotes
/// doubled; a cell starting with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet does
/// not run it as a formula). `field_names` are `(field id, name)` in column order.
pub fn csv_line(case: &ReportCase, field_names: &[(String, String)]) -> String {
    let time = |t: Option<Timestamp>| t.map(Timestamp::to_rfc3339).unwrap_or_default();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let outcome = match case.sla_outcome() {
        SlaOutcome::None => "",
        SlaOutcome::Running => "running",
        SlaOutcome::Attained => "attained",
        SlaOutcome::Breached => "breached",
    };
    let mut cells = vec![
        case.number.to_string(),
        case.created_at.to_rfc3339(),
        case.status.to_string(),
        case.priority.to_string(),
        case.assignee_id.map(|u| u.to_string()).unwrap_or_default(),
        case.profile_id.to_string(),
        case.network.to_string(),
        time(case.first_reply_at),
        number(case.first_response_secs()),
        time(case.done_at.filter(|_| case.status == CaseStatus::Done)),
        number(case.resolution_secs()),
        case.reopened.to_string(),
        outcome.to_owned(),
    ];
    for (id, _) in field_names {
        let text = match case.fields.get(id) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("; "),
            Some(other) => other.to_string(),
        };
        cells.push(csv_cell(&text));
    }
    cells.join(",") + "\r\n"
}

/// One CSV cell, quoted where needed and defused against formulas.
pub fn csv_cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn day_text(at: Timestamp) -> String {
    at.to_rfc3339().chars().take(10).collect()
}
