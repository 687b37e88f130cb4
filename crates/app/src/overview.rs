//! The home page's figures (PRODUCT.md §9), scoped to the viewer's profiles: cases per status,
//! escalations and Done per UTC day for 14 days, unassigned New cases and the oldest wait, each
//! agent's load, median and 90th-percentile times over 7 days, and grace periods ending within 24 hours.

use std::collections::BTreeMap;

use caredesk_domain::percentile::percentiles;
use caredesk_domain::*;
use caredesk_store::views::overview::DAY_MICROS;
use caredesk_store::{View, Viewer};
use serde::Serialize;

use crate::error::{AppResult, FoundOr};
use crate::App;

/// Days the chart covers.
pub const CHART_DAYS: i64 = 14;
/// Days the medians cover.
pub const MEDIAN_DAYS: i64 = 7;

/// One day of the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayFigures {
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
    /// Cases created that day.
    pub escalations: i64,
    /// Changes to Done that day.
    pub done: i64,
}

/// An agent's load against their capacity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgentLoad {
    /// The user.
    pub user_id: UserId,
    /// Their name.
    pub name: String,
    /// Open, pending and on-hold cases assigned to them.
    pub load: i64,
    /// Their capacity.
    pub capacity: u32,
    /// Load above capacity (shown in red).
    pub over_capacity: bool,
    /// Online, away or offline.
    pub presence: caredesk_domain::availability::Presence,
}

/// A case whose grace period ends soon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraceEnding {
    /// The case.
    pub case_id: CaseId,
    /// Its number.
    pub number: i64,
    /// When it becomes final.
    pub grace_until: Timestamp,
}

/// The home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverviewReport {
    /// Cases per status now (every status, zeros included).
    pub cases_by_status: BTreeMap<String, i64>,
    /// The last 14 UTC days, oldest first.
    pub days: Vec<DayFigures>,
    /// Unassigned New cases.
    pub unassigned_new: i64,
    /// How long the oldest of them has waited, in seconds.
    pub oldest_new_waiting_secs: Option<i64>,
    /// Care users of the viewer's profiles.
    pub loads: Vec<AgentLoad>,
    /// Median seconds from escalation to the first delivered reply, over the cases whose first
    /// reply was delivered in the last 7 days (null when there is none).
    pub median_first_reply_secs: Option<i64>,
    /// The 90th percentile of the same.
    pub p90_first_reply_secs: Option<i64>,
    /// Median seconds from escalation to Done, over the changes to Done of the last 7 days.
    pub median_done_secs: Option<i64>,
    /// The 90th percentile of the same.
    pub p90_done_secs: Option<i64>,
    /// Done cases whose grace period ends within 24 hours, soonest first.
    pub grace_ending: Vec<GraceEnding>,
}

fn date_of(day: i64) -> String {
    Timestamp(day.saturating_mul(DAY_MICROS))
        .to_rfc3339()
        .chars()
        .take(10)
        .collect()
}

/// Home: the overview, with an agent's own view counts for the status tiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    /// The overview of the user's profiles.
    pub report: OverviewReport,
    /// For an agent, the count of each of their views (`policy::reads::counts_own_views`), so
    /// that a tile counts the rows the view it opens shows; `None` for supervisors, whose tiles
    /// count the statuses of the report.
    pub view_counts: Option<Vec<(View, i64)>>,
}

impl App {
    /// Home for a Care user.
    pub async fn home(&self, user: &User) -> AppResult<Home> {
        let report = self.overview(user.id).await?;
        let view_counts = if policy::reads::counts_own_views(user) {
            Some(self.case_counts(user).await?)
        } else {
            None
        };
        Ok(Home {
            report,
            view_counts,
        })
    }

    /// The overview for a Care user.
    pub async fn overview(&self, actor: UserId) -> AppResult<OverviewReport> {
        let now = self.now();
        let actor = self.store.user(actor).await?.or_not_found()?;
        let viewer =
            Viewer::of(&actor).ok_or(Refusal::Forbidden("the overview is for Care users"))?;
        let today = now.day_number();
        let since = Timestamp((today - (CHART_DAYS - 1)) * DAY_MICROS);
        let week_ago = now.plus_secs(-MEDIAN_DAYS * 86_400);
        let figures = self
            .store
            .overview(
                &viewer.profiles,
                now,
                since,
                week_ago,
                now.plus_secs(86_400),
            )
            .await?;

        let mut cases_by_status: BTreeMap<String, i64> =
            CaseStatus::ALL.iter().map(|s| (s.to_string(), 0)).collect();
        for (status, n) in &figures.by_status {
            cases_by_status.insert(status.to_string(), *n);
        }
        let days = (today - (CHART_DAYS - 1)..=today)
            .map(|day| DayFigures {
                date: date_of(day),
                escalations: figures
                    .escalations_per_day
                    .iter()
                    .find(|(d, _)| *d == day)
                    .map_or(0, |(_, n)| *n),
                done: figures
                    .done_changes
                    .iter()
                    .filter(|(at, _)| at.day_number() == day)
                    .count() as i64,
            })
            .collect();
        let to_done = percentiles(
            figures
                .done_changes
                .iter()
                .filter(|(at, _)| *at >= week_ago)
                .map(|(at, created)| at.secs_since(*created))
                .collect(),
        );
        let to_first_reply = percentiles(
            figures
                .first_replies
                .iter()
                .map(|(at, created)| at.secs_since(*created))
                .collect(),
        );
        let idle = self.store.settings().await?.presence_idle_secs;
        let loads = self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| policy::reads::sees_agent_load(&actor, &u.user))
            .map(|u| AgentLoad {
                presence: crate::queries::Standing::of(&u, idle, now).presence,
                user_id: u.user.id,
                name: u.user.name.clone(),
                load: u.load,
                capacity: u.user.capacity,
                over_capacity: u.load > i64::from(u.user.capacity),
            })
            .collect();
        Ok(OverviewReport {
            cases_by_status,
            days,
            unassigned_new: figures.unassigned_new,
            oldest_new_waiting_secs: figures.oldest_unassigned_new_at.map(|t| now.secs_since(t)),
            loads,
            median_first_reply_secs: to_first_reply.median,
            p90_first_reply_secs: to_first_reply.p90,
            median_done_secs: to_done.median,
            p90_done_secs: to_done.p90,
            grace_ending: figures
                .grace_ending
                .iter()
                .map(|(case_id, number, grace_until)| GraceEnding {
                    case_id: *case_id,
                    number: *number,
                    grace_until: *grace_until,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(20_000), "2024-10-04");
    }
}
