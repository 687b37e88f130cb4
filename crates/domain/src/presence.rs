//! Collision (PRODUCT.md §12): who else has a case open, and who is typing a reply in it. A
//! screen that shows a case sends a heartbeat now and then (at once when typing starts or
//! stops); its user is a viewer of the case until [`LAPSE_SECS`] after the last one, or at once
//! when the screen says it is leaving. Viewers are told to those who may open the case
//! ([`hears_presence`]), never to themselves ([`others`]). Presence is not a change of the case:
//! it is neither in its activity log nor a case change event.

use std::cmp::Ordering;

use crate::ids::{ProfileId, UserId};
use crate::time::Timestamp;
use crate::user::User;

/// A viewer is gone this long after their last heartbeat.
pub const LAPSE_SECS: i64 = 30;

/// What a screen says of its user on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    /// Keys were pressed in the composer in the last few seconds.
    pub typing: bool,
    /// The screen is going away: presence ends now.
    pub leaving: bool,
}

impl Heartbeat {
    /// Until when the user is a viewer after this heartbeat at `now`.
    pub fn lapses_at(self, now: Timestamp) -> Timestamp {
        if self.leaving {
            now
        } else {
            now.plus_secs(LAPSE_SECS)
        }
    }

    /// Whether the user shows as typing: nobody types on a screen that is leaving.
    pub fn shows_typing(self) -> bool {
        self.typing && !self.leaving
    }
}

/// Someone who has a case open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// Who.
    pub user_id: UserId,
    /// Their name, as colleagues see it.
    pub name: String,
    /// Typing a reply now.
    pub typing: bool,
}

/// The order viewers are shown in, whichever database answered: by name, then by id.
pub fn by_name(a: &Viewer, b: &Viewer) -> Ordering {
    a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id))
}

/// The viewers of a case as `user` sees them: everyone but themselves, in the order given.
pub fn others(user: UserId, viewers: &[Viewer]) -> Vec<Viewer> {
    viewers
        .iter()
        .filter(|v| v.user_id != user)
        .cloned()
        .collect()
}

/// Whether `user` hears who is on a case of `case_profile`: whoever may open it
/// ([`crate::policy::require_case_visible`]).
pub fn hears_presence(user: &User, case_profile: ProfileId) -> bool {
    crate::policy::opens_cases_of(user, case_profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    fn viewer(id: i64, typing: bool) -> Viewer {
        Viewer {
            user_id: UserId(id),
            name: format!("user {id}"),
            typing,
        }
    }

    #[test]
    fn a_heartbeat_lasts_thirty_seconds_and_a_leaving_one_ends_presence_now() {
        let table = [
            (false, false, t(30), false),
            (true, false, t(30), true),
            (false, true, t(0), false),
            (true, true, t(0), false),
        ];
        for (typing, leaving, until, shows_typing) in table {
            let beat = Heartbeat { typing, leaving };
            assert_eq!(beat.lapses_at(t(0)), until, "{beat:?}");
            assert_eq!(beat.shows_typing(), shows_typing, "{beat:?}");
        }
    }

    #[test]
    fn the_caller_is_never_among_the_viewers_they_are_shown() {
        let viewers = [viewer(2, true), viewer(3, false), viewer(5, false)];
        assert_eq!(
            others(UserId(3), &viewers),
            vec![viewer(2, true), viewer(5, false)]
        );
        assert_eq!(others(UserId(9), &viewers), viewers.to_vec());
        assert!(others(UserId(2), &[viewer(2, false)]).is_empty());
    }

    #[test]
    fn presence_is_heard_by_whoever_may_open_the_case() {
        let table = [
            (agent(), true),
            (other_agent(), true),
            (supervisor(), true),
            (admin(), true),
            (community_agent(), false),
            (agent_elsewhere(), false),
            (deactivated(agent()), false),
        ];
        for (user, hears) in table {
            assert_eq!(hears_presence(&user, P1), hears, "user {}", user.id);
        }
    }
}
