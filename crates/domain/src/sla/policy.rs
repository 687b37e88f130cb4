//! SLA policies (PRODUCT.md §13): which cases a policy covers (profiles, networks, priorities),
//! its targets in counted seconds, when to warn, and which schedule it counts in. The first
//! matching policy in order applies at escalation and again when the priority changes.

use serde::{Deserialize, Serialize};

use crate::case_status::Priority;
use crate::ids::{ProfileId, ScheduleId, SlaPolicyId};
use crate::macros::word_enum;
use crate::network::Network;
use crate::user::User;
use crate::Refusal;

/// The longest policy name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest target: 365 days, in seconds.
pub const MAX_TARGET_SECS: i64 = 365 * 86_400;
/// The share of a target after which a warning is recorded, when none is given.
pub const DEFAULT_WARN_AT: f64 = 0.8;

word_enum! {
    /// What a target measures.
    pub enum SlaTargetKind {
        /// Escalation → first delivered reply.
        FirstResponse => "first_response",
        /// A customer message while the case waits on us → our next delivered reply.
        NextResponse => "next_response",
        /// Escalation → Done; pending and on hold do not count.
        Resolution => "resolution",
    }
}

/// Which cases a policy covers; an empty list means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaConditions {
    /// The cases' profiles.
    pub profile_ids: Vec<ProfileId>,
    /// The cases' networks.
    pub networks: Vec<Network>,
    /// The cases' priorities.
    pub priorities: Vec<Priority>,
}

impl SlaConditions {
    /// True when a case of this profile, network and priority is covered.
    pub fn matches(&self, profile: ProfileId, network: Network, priority: Priority) -> bool {
        fn allows<T: PartialEq>(list: &[T], value: &T) -> bool {
            list.is_empty() || list.contains(value)
        }
        allows(&self.profile_ids, &profile)
            && allows(&self.networks, &network)
            && allows(&self.priorities, &priority)
    }

    /// The same conditions, each list sorted and without repeats.
    fn deduplicated(&self) -> SlaConditions {
        fn unique<T: Ord + Clone>(list: &[T]) -> Vec<T> {
            let mut list = list.to_vec();
            list.sort();
            list.dedup();
            list
        }
        SlaConditions {
            profile_ids: unique(&self.profile_ids),
            networks: unique(&self.networks),
            priorities: unique(&self.priorities),
        }
    }
}

/// A policy's targets in counted seconds; a missing one is not measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaTargets {
    /// Escalation → first delivered reply.
    pub first_response_secs: Option<i64>,
    /// Customer message → our next delivered reply.
    pub next_response_secs: Option<i64>,
    /// Escalation → Done.
    pub resolution_secs: Option<i64>,
}

impl SlaTargets {
    /// The target of one kind, if the policy sets it.
    pub fn secs(&self, kind: SlaTargetKind) -> Option<i64> {
        match kind {
            SlaTargetKind::FirstResponse => self.first_response_secs,
            SlaTargetKind::NextResponse => self.next_response_secs,
            SlaTargetKind::Resolution => self.resolution_secs,
        }
    }

    fn check(&self) -> Result<(), Refusal> {
        for kind in SlaTargetKind::ALL {
            if let Some(secs) = self.secs(*kind) {
                if !(1..=MAX_TARGET_SECS).contains(&secs) {
                    return Err(Refusal::invalid(format!(
                        "targets.{kind}_secs: must be 1 to {MAX_TARGET_SECS} seconds (365 days)"
                    )));
                }
            }
        }
        if SlaTargetKind::ALL
            .iter()
            .all(|kind| self.secs(*kind).is_none())
        {
            return Err(Refusal::invalid("targets: set at least one target"));
        }
        Ok(())
    }
}

/// A policy as the API receives it (`POST /api/v1/sla-policies`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SlaPolicyDraft {
    /// A name for supervisors.
    pub name: String,
    /// Which cases it covers.
    #[serde(default)]
    pub conditions: SlaConditions,
    /// Its targets.
    #[serde(default)]
    pub targets: SlaTargets,
    /// The share of a target (0 < w < 1) after which a warning is recorded; 0.8 when absent.
    #[serde(default)]
    pub warn_at: Option<f64>,
    /// The schedule it counts in; `None` counts calendar time.
    #[serde(default)]
    pub schedule_id: Option<ScheduleId>,
}

/// A policy whose fields have been checked, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedSlaPolicy {
    /// The name, trimmed.
    pub name: String,
    /// The conditions, each list sorted and without repeats.
    pub conditions: SlaConditions,
    /// The targets, each 1 second to 365 days.
    pub targets: SlaTargets,
    /// The warning share, 0 < w < 1.
    pub warn_at: f64,
    /// The schedule (the caller checks that it exists).
    pub schedule_id: Option<ScheduleId>,
}

impl SlaPolicyDraft {
    /// Checks every field, naming the first bad one.
    pub fn check(&self) -> Result<CheckedSlaPolicy, Refusal> {
        let name = self.name.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_NAME_CHARS {
            return Err(Refusal::invalid(format!(
                "name: must be 1 to {MAX_NAME_CHARS} characters"
            )));
        }
        self.targets.check()?;
        let warn_at = self.warn_at.unwrap_or(DEFAULT_WARN_AT);
        if !(warn_at.is_finite() && warn_at > 0.0 && warn_at < 1.0) {
            return Err(Refusal::invalid(
                "warn_at: must be a number between 0 and 1 (exclusive)",
            ));
        }
        Ok(CheckedSlaPolicy {
            name: name.to_owned(),
            conditions: self.conditions.deduplicated(),
            targets: self.targets,
            warn_at,
            schedule_id: self.schedule_id,
        })
    }
}

/// A stored policy, as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// Its id.
    pub id: SlaPolicyId,
    /// Its name.
    pub name: String,
    /// Its place in the order in which policies are tried (lowest first).
    pub position: i64,
    /// Which cases it covers.
    pub conditions: SlaConditions,
    /// Its targets.
    pub targets: SlaTargets,
    /// The warning share.
    pub warn_at: f64,
    /// The schedule it counts in; `None` counts calendar time.
    pub schedule_id: Option<ScheduleId>,
}

impl SlaPolicy {
    /// A stored policy from checked fields.
    pub fn from_checked(id: SlaPolicyId, position: i64, checked: CheckedSlaPolicy) -> Self {
        SlaPolicy {
            id,
            name: checked.name,
            position,
            conditions: checked.conditions,
            targets: checked.targets,
            warn_at: checked.warn_at,
            schedule_id: checked.schedule_id,
        }
    }

    /// The policy as a draft, for applying a partial change and checking the result.
    pub fn to_draft(&self) -> SlaPolicyDraft {
        SlaPolicyDraft {
            name: self.name.clone(),
            conditions: self.conditions.clone(),
            targets: self.targets,
            warn_at: Some(self.warn_at),
            schedule_id: self.schedule_id,
        }
    }
}

/// The policy that applies to a case: the first, by position then id, whose conditions match.
pub fn first_match(
    policies: &[SlaPolicy],
    profile: ProfileId,
    network: Network,
    priority: Priority,
) -> Option<&SlaPolicy> {
    policies
        .iter()
        .filter(|policy| policy.conditions.matches(profile, network, priority))
        .min_by_key(|policy| (policy.position, policy.id))
}

/// A supervisor may name only profiles they are connected to; admins any profile.
pub fn check_condition_profiles(user: &User, conditions: &SlaConditions) -> Result<(), Refusal> {
    match conditions
        .profile_ids
        .iter()
        .find(|profile| !user.connected_to(**profile))
    {
        Some(profile) => Err(Refusal::invalid(format!(
            "conditions.profile_ids: profile {profile} is not one of yours"
        ))),
        None => Ok(()),
    }
}
