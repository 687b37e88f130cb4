//! Who can take work (PRODUCT.md §13): a user's presence — online, away (set by the user, or
//! after [`DEFAULT_IDLE_SECS`] without activity) or offline (no live session, or an hour without
//! activity) — and which agent auto-assignment hands a new case to: one who is online, connected
//! to the case's profile and under capacity; the least loaded, then the one who has waited
//! longest since their last assignment.

use crate::macros::word_enum;
use crate::{ProfileId, Timestamp, User, UserId};

/// Seconds without activity after which an online user shows as away, by default.
pub const DEFAULT_IDLE_SECS: i64 = 300;
/// Seconds without activity after which a user shows as offline.
pub const OFFLINE_AFTER_SECS: i64 = 3_600;

word_enum! {
    /// What a user's presence is.
    pub enum Presence {
        Online => "online",
        Away => "away",
        Offline => "offline",
    }
}

word_enum! {
    /// What a user says of themself (`PUT /api/v1/me/presence`).
    pub enum PresenceChoice {
        Online => "online",
        Away => "away",
    }
}

/// A user's presence at `now`: offline without a live session (`last_activity` is `None`) or
/// after [`OFFLINE_AFTER_SECS`] without activity; away when they said so or after `idle_secs`
/// without activity; online otherwise.
pub fn presence_of(
    choice: PresenceChoice,
    last_activity: Option<Timestamp>,
    idle_secs: i64,
    now: Timestamp,
) -> Presence {
    let Some(last) = last_activity else {
        return Presence::Offline;
    };
    let idle = now.secs_since(last);
    if idle >= OFFLINE_AFTER_SECS {
        Presence::Offline
    } else if choice == PresenceChoice::Away || idle >= idle_secs {
        Presence::Away
    } else {
        Presence::Online
    }
}

/// A possible assignee, as auto-assignment weighs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The user.
    pub user: User,
    /// Their presence now.
    pub presence: Presence,
    /// Their cases in progress.
    pub load: i64,
    /// When a case was last assigned to them (by anyone).
    pub last_assigned_at: Option<Timestamp>,
}

impl Candidate {
    /// Whether they may take a new case of `profile` now.
    pub fn available_for(&self, profile: ProfileId) -> bool {
        let user = &self.user;
        user.active
            && user.has_care_access()
            && user.profile_ids.contains(&profile)
            && self.presence == Presence::Online
            && self.load < i64::from(user.capacity)
    }
}

/// How many more cases of `profile` the available candidates may take between them now.
pub fn free_places(candidates: &[Candidate], profile: ProfileId) -> u64 {
    candidates
        .iter()
        .filter(|c| c.available_for(profile))
        .map(|c| u64::try_from(i64::from(c.user.capacity) - c.load).unwrap_or(0))
        .sum()
}

/// The agent a new case of `profile` goes to, if anyone is available: the least loaded, then
/// the one who has waited longest since their last assignment (never assigned first), then the
/// lowest id, so the choice is the same on every node.
pub fn pick_assignee(candidates: &[Candidate], profile: ProfileId) -> Option<UserId> {
    candidates
        .iter()
        .filter(|c| c.available_for(profile))
        .min_by_key(|c| {
            (
                c.load,
                c.last_assigned_at.map_or(i64::MIN, |t| t.0),
                c.user.id,
            )
        })
        .map(|c| c.user.id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::{CareAccess, Role};

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_secs(1_790_000_000 + secs)
    }

    #[test]
    fn presence_follows_the_choice_and_the_last_activity() {
        use PresenceChoice as C;
        let table = [
            (C::Online, None, Presence::Offline),
            (C::Online, Some(0), Presence::Online),
            (C::Online, Some(299), Presence::Online),
            (C::Online, Some(300), Presence::Away),
            (C::Away, Some(0), Presence::Away),
            (C::Away, Some(3_600), Presence::Offline),
            (C::Online, Some(3_599), Presence::Away),
            (C::Online, Some(3_600), Presence::Offline),
        ];
        for (choice, idle, expected) in table {
            let last = idle.map(|secs| at(-secs));
            assert_eq!(
                presence_of(choice, last, DEFAULT_IDLE_SECS, at(0)),
                expected,
                "{choice} idle {idle:?}"
            );
        }
    }

    fn candidate(id: i64, load: i64, last: Option<i64>) -> Candidate {
        Candidate {
            user: User {
                id: UserId(id),
                email: format!("u{id}@example.com"),
                name: format!("U{id}"),
                role: Role::Member,
                care_access: CareAccess::Agent,
                capacity: 3,
                active: true,
                profile_ids: BTreeSet::from([ProfileId(1)]),
                time_zone: None,
            },
            presence: Presence::Online,
            load,
            last_assigned_at: last.map(at),
        }
    }

    #[test]
    fn the_least_loaded_then_the_longest_waiting_agent_is_picked() {
        let p = ProfileId(1);
        let table: Vec<(Vec<Candidate>, Option<i64>, &str)> = vec![
            (vec![], None, "nobody"),
            (
                vec![candidate(1, 2, Some(0)), candidate(2, 1, Some(50))],
                Some(2),
                "least loaded",
            ),
            (
                vec![candidate(1, 1, Some(50)), candidate(2, 1, Some(10))],
                Some(2),
                "waited longest",
            ),
            (
                vec![candidate(1, 1, Some(10)), candidate(2, 1, None)],
                Some(2),
                "never assigned first",
            ),
            (
                vec![candidate(2, 0, None), candidate(1, 0, None)],
                Some(1),
                "lowest id on a tie",
            ),
            (vec![candidate(1, 3, None)], None, "at capacity"),
        ];
        for (candidates, expected, what) in table {
            assert_eq!(
                pick_assignee(&candidates, p),
                expected.map(UserId),
                "{what}"
            );
        }
    }

    #[test]
    fn only_an_online_active_care_user_of_the_profile_is_available() {
        let p = ProfileId(1);
        let ok = candidate(1, 0, None);
        assert!(ok.available_for(p));
        assert!(!ok.available_for(ProfileId(2)), "not connected");
        let mut away = ok.clone();
        away.presence = Presence::Away;
        let mut inactive = ok.clone();
        inactive.user.active = false;
        let mut community = ok.clone();
        community.user.care_access = CareAccess::None;
        for c in [away, inactive, community] {
            assert!(!c.available_for(p), "{c:?}");
        }
    }

    #[test]
    fn free_places_count_what_the_available_may_still_take() {
        let p = ProfileId(1);
        let mut away = candidate(3, 0, None);
        away.presence = Presence::Away;
        let over = candidate(4, 5, None);
        let table: Vec<(Vec<Candidate>, u64, &str)> = vec![
            (vec![], 0, "nobody"),
            (
                vec![candidate(1, 0, None)],
                3,
                "one free agent of capacity 3",
            ),
            (
                vec![candidate(1, 1, None), candidate(2, 3, None)],
                2,
                "one at capacity adds nothing",
            ),
            (vec![away, over], 0, "away, or over capacity, adds nothing"),
        ];
        for (candidates, expected, what) in table {
            assert_eq!(free_places(&candidates, p), expected, "{what}");
        }
    }
}
