//! What each reader may see (PRODUCT.md §2, §8, §9): the answers the read use cases and the pages
//! ask before they show a setting, a profile, an agent's load or a case's countdown. Each is a
//! pure question of (user, thing, now); refusing to show something answers the same way as the
//! write rules in [`crate::policy`] (404 for what is not visible, 403 for what is not allowed).

use crate::case::{Case, CaseStatus};
use crate::case_field::CaseField;
use crate::ids::ProfileId;
use crate::message::{Author, Message};
use crate::time::Timestamp;
use crate::user::{CareAccess, User};
use crate::Refusal;

/// The settings (grace period, default capacity) are read by active Care users; supervisors
/// change them ([`crate::policy::require_supervisor`]).
pub fn require_settings_reader(user: &User) -> Result<(), Refusal> {
    if user.active && user.has_care_access() {
        Ok(())
    } else {
        Err(Refusal::Forbidden("settings are for Care users"))
    }
}

/// A case-field definition is seen by everyone signed in while it is enabled (the escalation
/// dialog offers it); supervisors see disabled ones too, to turn them on.
pub fn sees_case_field(user: &User, field: &CaseField) -> bool {
    field.enabled || user.is_supervisor()
}

/// A profile is listed to the users connected to it (admins: every profile).
pub fn sees_profile(user: &User, profile: ProfileId) -> bool {
    user.connected_to(profile)
}

/// The overview's agent loads: active Care users who share a profile with the viewer, and the
/// admins (who work every profile); an admin viewer sees every Care user's load.
pub fn sees_agent_load(viewer: &User, agent: &User) -> bool {
    agent.active
        && agent.has_care_access()
        && (viewer.is_admin()
            || agent.is_admin()
            || agent.profile_ids.iter().any(|p| viewer.connected_to(*p)))
}

/// Whether the overview's status tiles count the viewer's own views (an agent: their own cases
/// and the unassigned New ones) rather than every case of their profiles (supervisors), so that
/// a tile and the view it opens always agree.
pub fn counts_own_views(user: &User) -> bool {
    user.care_access() == CareAccess::Agent
}

/// Whether a user may receive cases at all: active, with Care access. Which profile's cases is
/// [`crate::policy::require_eligible_assignee`]'s question.
pub fn takes_cases(user: &User) -> bool {
    user.active && user.has_care_access()
}

/// The case is in `user`'s hands: they are its assignee and it is not closed, so its replies
/// are theirs to retry or cancel (what [`crate::reply_control::check_retry_or_cancel`] allows).
pub fn holds_case(user: &User, case: &Case) -> bool {
    crate::policy::require_assignee(user, case).is_ok() && !case.status.is_closed()
}

/// The countdown a Done case shows: when its grace period ends, while that is still ahead
/// (until then a customer message reopens it).
pub fn grace_countdown(case: &Case, now: Timestamp) -> Option<Timestamp> {
    match (case.status, case.grace_until) {
        (CaseStatus::Done, Some(until)) if until > now => Some(until),
        _ => None,
    }
}

/// Internal notes belong to Care cases: Community shows a conversation without them.
pub fn shown_in_community(message: &Message) -> bool {
    message.author != Author::Note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case_field::FieldKind;
    use crate::testkit::*;
    use crate::user::Role;

    #[test]
    fn settings_are_read_by_active_care_users() {
        let table = [
            (community_agent(), false),
            (agent(), true),
            (supervisor(), true),
            (admin(), true),
            (deactivated(agent()), false),
        ];
        for (user, reads) in table {
            let got = require_settings_reader(&user);
            assert_eq!(got.is_ok(), reads, "user {}", user.id);
            if let Err(refusal) = got {
                assert_eq!(refusal, Refusal::Forbidden("settings are for Care users"));
            }
        }
    }

    #[test]
    fn disabled_case_fields_are_for_supervisors() {
        let enabled = field(1, FieldKind::Text, false);
        let mut disabled = field(2, FieldKind::Text, false);
        disabled.enabled = false;
        for user in [community_agent(), agent(), supervisor(), admin()] {
            assert!(sees_case_field(&user, &enabled), "user {}", user.id);
            assert_eq!(
                sees_case_field(&user, &disabled),
                user.is_supervisor(),
                "user {}",
                user.id
            );
        }
    }

    #[test]
    fn profiles_are_listed_to_their_users_and_every_one_to_admins() {
        assert!(sees_profile(&agent(), P1));
        assert!(!sees_profile(&agent(), P2));
        assert!(sees_profile(&admin(), P2));
        assert!(sees_profile(&community_agent(), P1));
    }

    #[test]
    fn the_overview_shows_the_loads_of_care_users_sharing_a_profile_and_of_admins() {
        // (viewer, agent, shown)
        let table = [
            (supervisor(), agent(), true),
            (supervisor(), agent_elsewhere(), false),
            (supervisor(), admin(), true),
            (supervisor(), community_agent(), false),
            (supervisor(), deactivated(other_agent()), false),
            (admin(), agent_elsewhere(), true),
            (admin(), community_agent(), false),
            (agent(), supervisor(), true),
            (agent(), supervisor_elsewhere(), false),
            (
                user(20, Role::Member, CareAccess::Agent, &[]),
                admin(),
                true,
            ),
        ];
        for (viewer, agent, shown) in table {
            assert_eq!(
                sees_agent_load(&viewer, &agent),
                shown,
                "{} looking at {}",
                viewer.id,
                agent.id
            );
        }
    }

    #[test]
    fn only_agents_count_their_own_views() {
        assert!(counts_own_views(&agent()));
        assert!(!counts_own_views(&supervisor()));
        assert!(!counts_own_views(&admin()));
        assert!(!counts_own_views(&community_agent()));
    }

    #[test]
    fn cases_go_to_active_care_users() {
        assert!(takes_cases(&agent()));
        assert!(takes_cases(&admin()));
        assert!(!takes_cases(&community_agent()));
        assert!(!takes_cases(&deactivated(supervisor())));
    }

    #[test]
    fn a_case_is_in_the_hands_of_its_assignee_until_it_closes() {
        let open = case().open_for(&agent()).build();
        assert!(holds_case(&agent(), &open));
        assert!(!holds_case(&other_agent(), &open));
        assert!(!holds_case(&supervisor(), &open));
        assert!(!holds_case(&deactivated(agent()), &open));
        let done = case().open_for(&agent()).done_until(t(100)).build();
        assert!(!holds_case(&agent(), &done));
        let spam = case().open_for(&agent()).status(CaseStatus::Spam).build();
        assert!(!holds_case(&agent(), &spam));
        let pending = case()
            .open_for(&agent())
            .status(CaseStatus::Pending)
            .build();
        assert!(holds_case(&agent(), &pending));
    }

    #[test]
    fn a_done_case_counts_down_to_the_end_of_its_grace_period() {
        let done = case().open_for(&agent()).done_until(t(100)).build();
        assert_eq!(grace_countdown(&done, t(99)), Some(t(100)));
        assert_eq!(grace_countdown(&done, t(100)), None);
        assert_eq!(grace_countdown(&done, t(101)), None);
        let open = case().open_for(&agent()).build();
        assert_eq!(grace_countdown(&open, t(0)), None);
        let mut final_done = done.clone();
        final_done.grace_until = None;
        assert_eq!(grace_countdown(&final_done, t(0)), None);
    }

    #[test]
    fn community_never_shows_internal_notes() {
        let customer = message(1).build();
        assert!(shown_in_community(&customer));
        let mut brand = message(2).build();
        brand.author = Author::Brand;
        assert!(shown_in_community(&brand));
        let mut note = message(3).no_network_id().build();
        note.author = Author::Note;
        assert!(!shown_in_community(&note));
    }
}
