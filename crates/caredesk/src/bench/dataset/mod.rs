//! The benchmark's data set: sizes, and the plan every row follows, deterministic from the
//! sizes alone so that a run on a kept snapshot knows, without reading it, which case is the
//! long DM thread, which cases are in progress and who owns them, and which network ids the
//! existing customers have.
//!
//! Shape: customer `k` writes to profile `k % profiles`; case `j` belongs to customer
//! `j % customers`, so each customer has a few cases in time order and only the newest may hold
//! the active slot. Older cases are final (Done past grace, or spam). The newest case is in
//! progress for odd customers and Done with its grace period over (due for the sweep) for even
//! ones, so the sweep finds `customers / 2` due cases. Customer 0's newest case is an open DM
//! case of [`LONG_THREAD`] messages assigned to the first agent. Times run over the year before
//! [`ANCHOR_SECS`]. Rows are made by [`rows`].

pub mod rows;
mod text;

use caredesk_domain::{CaseFieldId, CaseId, CaseStatus, Network, ProfileId, UserId};

/// How big the data set is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sizes {
    /// Cases.
    pub cases: u64,
    /// Messages (customers', brand replies, the long thread, Community-only comments).
    pub messages: u64,
    /// Customers.
    pub customers: u64,
    /// Care agents.
    pub agents: u32,
    /// Profiles (Facebook, Instagram and X in turn).
    pub profiles: u32,
}

impl Sizes {
    /// The default run: fits in minutes.
    pub const DEFAULT: Sizes = Sizes {
        cases: 100_000,
        messages: 1_000_000,
        customers: 20_000,
        agents: 50,
        profiles: 20,
    };

    /// `--scale full`.
    pub const FULL: Sizes = Sizes {
        cases: 1_000_000,
        messages: 10_000_000,
        customers: 200_000,
        agents: 50,
        profiles: 20,
    };

    /// A short name of these sizes, for snapshot names.
    pub fn key(&self) -> String {
        format!(
            "c{}_m{}_u{}_a{}_p{}",
            self.cases, self.messages, self.customers, self.agents, self.profiles
        )
    }
}

/// Messages of the long DM thread.
pub const LONG_THREAD: u64 = 5_000;
/// The end of the data set's timeline (2026-06-01T00:00:00Z).
pub const ANCHOR_SECS: i64 = 1_780_272_000;
/// The timeline's length.
pub const SPAN_SECS: i64 = 365 * 86_400;
/// The installation's grace period (the product's default).
pub const GRACE_SECS: i64 = 432_000;

/// The users, profiles and fields made through the use cases, that rows refer to.
#[derive(Clone, Debug)]
pub struct Cast {
    /// Profiles in order: id, network, external id.
    pub profiles: Vec<(ProfileId, Network, String)>,
    /// Care agents in order.
    pub agents: Vec<UserId>,
    /// The supervisor who escalates.
    pub supervisor: UserId,
    /// The select field "Topic" and its options.
    pub topic: (CaseFieldId, Vec<String>),
    /// The text field "Order number".
    pub order: CaseFieldId,
}

/// What the newest case of a customer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Newest {
    /// In progress with this status and assignee (an index into the agents).
    InProgress(CaseStatus, Option<usize>),
    /// Done, its grace period over: due for the sweep.
    Due,
}

/// The plan of a data set of some sizes.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// The sizes.
    pub sizes: Sizes,
}

/// What a customer writes; `n` varies it.
pub fn customer_text(n: u64) -> String {
    text::ask(n)
}

/// A cheap, well-spread hash of an index (splitmix64), for choices that must be known without
/// generating the rows.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Plan {
    /// The plan of `sizes`.
    pub fn new(sizes: Sizes) -> Plan {
        Plan { sizes }
    }

    fn customers(&self) -> u64 {
        self.sizes.customers.max(1)
    }

    /// The customer of case `j`.
    pub fn customer_of(&self, j: u64) -> u64 {
        j % self.customers()
    }

    /// The cases of customer `k`, oldest first.
    pub fn cases_of(&self, k: u64) -> impl Iterator<Item = u64> {
        (k..self.sizes.cases).step_by(usize::try_from(self.customers()).unwrap_or(usize::MAX))
    }

    /// The newest case of customer `k`.
    pub fn newest_case_of(&self, k: u64) -> Option<u64> {
        if k >= self.sizes.cases {
            return None;
        }
        let u = self.customers();
        Some(k + (self.sizes.cases - 1 - k) / u * u)
    }

    /// The id of case `j` (the data set is loaded into an installation without cases).
    pub fn case_id(j: u64) -> CaseId {
        CaseId(i64::try_from(j).unwrap_or(i64::MAX).saturating_add(1))
    }

    /// What the newest case of customer `k` is.
    pub fn newest(&self, k: u64) -> Newest {
        if k == 0 {
            return Newest::InProgress(CaseStatus::Open, Some(0));
        }
        if k.is_multiple_of(2) {
            return Newest::Due;
        }
        let h = mix(k);
        let agent = usize::try_from((h >> 8) % u64::from(self.sizes.agents.max(1))).ok();
        match h % 20 {
            0..=4 => Newest::InProgress(CaseStatus::New, None),
            5..=12 => Newest::InProgress(CaseStatus::Open, agent),
            13..=16 => Newest::InProgress(CaseStatus::Pending, agent),
            _ => Newest::InProgress(CaseStatus::OnHold, agent),
        }
    }

    /// The profile (index) customer `k` writes to.
    pub fn profile_of(&self, k: u64) -> usize {
        usize::try_from(k % u64::from(self.sizes.profiles.max(1))).unwrap_or(0)
    }

    /// The network of profile `index` (Facebook, Instagram, X in turn).
    pub fn network_of_profile(index: usize) -> Network {
        match index % 3 {
            0 => Network::Facebook,
            1 => Network::Instagram,
            _ => Network::X,
        }
    }

    /// The external id of profile `index`.
    pub fn profile_external_id(index: usize) -> String {
        match Plan::network_of_profile(index) {
            Network::Facebook => format!("1100000000{index:05}"),
            Network::Instagram => format!("1784140000{index:05}"),
            Network::X => format!("1500000000{index:05}"),
        }
    }

    /// Customer `k`'s id on their network.
    pub fn network_user_id(k: u64) -> String {
        format!("7{k:012}")
    }

    /// Customer `k`'s display name.
    pub fn customer_name(k: u64) -> String {
        text::name(k)
    }

    /// The creation time of case `j`, in seconds.
    pub fn case_created_secs(&self, j: u64) -> i64 {
        let cases = i64::try_from(self.sizes.cases.max(1)).unwrap_or(i64::MAX);
        let j = i64::try_from(j).unwrap_or(i64::MAX);
        ANCHOR_SECS - SPAN_SECS + SPAN_SECS.saturating_mul(j) / cases
    }

    /// Messages of customer `k` outside the long thread (their cases' and Community-only).
    pub fn message_quota(&self, k: u64) -> u64 {
        let rest = u128::from(self.sizes.messages.saturating_sub(LONG_THREAD));
        let u = u128::from(self.customers());
        let share = |k: u64| rest * u128::from(k) / u;
        u64::try_from(share(k + 1) - share(k)).unwrap_or(0)
    }

    /// The in-progress cases with an assignee: `(case, status, agent index)`, by case.
    pub fn assigned_in_progress(&self) -> Vec<(CaseId, CaseStatus, usize)> {
        (0..self.customers().min(self.sizes.cases))
            .filter_map(|k| match (self.newest(k), self.newest_case_of(k)) {
                (Newest::InProgress(status, Some(agent)), Some(j)) if k != 0 => {
                    Some((Plan::case_id(j), status, agent))
                }
                _ => None,
            })
            .collect()
    }

    /// The open DM case of [`LONG_THREAD`] messages.
    pub fn long_thread_case(&self) -> Option<CaseId> {
        self.newest_case_of(0).map(Plan::case_id)
    }

    /// How many cases the sweep finds due.
    pub fn due_cases(&self) -> u64 {
        (0..self.customers().min(self.sizes.cases))
            .filter(|k| self.newest(*k) == Newest::Due)
            .count() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Plan {
        Plan::new(Sizes {
            cases: 1_000,
            messages: 20_000,
            customers: 300,
            agents: 5,
            profiles: 6,
        })
    }

    #[test]
    fn every_case_belongs_to_one_customer_and_the_newest_is_last() {
        let plan = small();
        let mut seen = 0;
        for k in 0..300 {
            let cases: Vec<u64> = plan.cases_of(k).collect();
            assert!(cases.iter().all(|j| plan.customer_of(*j) == k));
            assert_eq!(cases.last().copied(), plan.newest_case_of(k));
            seen += cases.len();
        }
        assert_eq!(seen, 1_000);
    }

    #[test]
    fn message_quotas_add_up_to_the_messages_outside_the_long_thread() {
        let plan = small();
        let total: u64 = (0..300).map(|k| plan.message_quota(k)).sum();
        assert_eq!(total, 20_000 - LONG_THREAD);
    }

    #[test]
    fn half_of_the_newest_cases_are_due_and_the_long_thread_is_open() {
        let plan = small();
        assert_eq!(plan.due_cases(), 149);
        assert_eq!(
            plan.newest(0),
            Newest::InProgress(CaseStatus::Open, Some(0))
        );
        assert!(plan
            .assigned_in_progress()
            .iter()
            .all(|(_, s, a)| *s != CaseStatus::New && *a < 5));
    }

    #[test]
    fn case_times_grow_with_the_case() {
        let plan = small();
        assert!(plan.case_created_secs(0) < plan.case_created_secs(999));
        assert!(plan.case_created_secs(999) < ANCHOR_SECS);
    }
}
