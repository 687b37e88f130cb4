//! What a user may learn of a change as it happens (the live stream, API.md "Live updates"):
//! which kind of notice, if any, and so which of the change's fields reach them. A user hears of
//! what they could open — a case of their profiles in Care, an item of their profiles in
//! Community, the installation's settings as an admin — and no more: a Community agent learns
//! only that a case badge may have changed, and an agent a case was taken from learns that it
//! left their view, not what happens to it next.

use crate::event::EventKind;
use crate::ids::{CommunityItemId, ProfileId};
use crate::user::User;

/// A notice of a change, each with the fields it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disclosure {
    /// `item_changed`: the item, its profile and when.
    ItemChanged {
        /// The item.
        item_id: CommunityItemId,
        /// Its profile.
        profile_id: ProfileId,
    },
    /// `admin_changed`: what changed (users, apps, profiles, settings, fields) and its id.
    AdminChanged {
        /// What changed, e.g. `user_updated`.
        what: String,
        /// The id of what changed.
        id: String,
    },
    /// `case_removed`: the case's summary (kind, case, number, actor, when).
    CaseRemoved,
    /// `case_left_view`: the case's summary, for the agent it was taken from.
    CaseLeftView,
    /// `case_changed`: the case's summary with the whole event.
    CaseChanged,
    /// `notification`: one of the user's own notifications (only its recipient hears of it).
    Notification,
    /// `case_badge_changed`: only the case's number and profile (Community agents).
    CaseBadgeChanged {
        /// The case's profile.
        profile_id: ProfileId,
    },
}

impl Disclosure {
    /// The notice's name on the stream.
    pub fn name(&self) -> &'static str {
        match self {
            Disclosure::ItemChanged { .. } => "item_changed",
            Disclosure::AdminChanged { .. } => "admin_changed",
            Disclosure::CaseRemoved => "case_removed",
            Disclosure::CaseLeftView => "case_left_view",
            Disclosure::CaseChanged => "case_changed",
            Disclosure::CaseBadgeChanged { .. } => "case_badge_changed",
            Disclosure::Notification => "notification",
        }
    }
}

/// What `user` may learn of a change of `kind`, whose case (if any) is on `case_profile`;
/// `None` when they may learn nothing of it.
pub fn disclose(
    user: &User,
    kind: &EventKind,
    case_profile: Option<ProfileId>,
) -> Option<Disclosure> {
    let care = user.has_care_access();
    match (kind, case_profile) {
        (
            EventKind::ItemChanged {
                item_id,
                profile_id,
            },
            _,
        ) if user.connected_to(*profile_id) => Some(Disclosure::ItemChanged {
            item_id: *item_id,
            profile_id: *profile_id,
        }),
        (EventKind::Notified { recipient, .. }, _) => {
            (*recipient == user.id).then_some(Disclosure::Notification)
        }
        (EventKind::Admin { what, id }, None) if user.is_admin() => {
            Some(Disclosure::AdminChanged {
                what: what.clone(),
                id: id.clone(),
            })
        }
        (EventKind::Deleted, Some(profile)) if care && user.connected_to(profile) => {
            Some(Disclosure::CaseRemoved)
        }
        (
            EventKind::Assigned {
                from: Some(previous),
                to,
                ..
            },
            Some(profile),
        ) if *previous == user.id && *to != Some(user.id) && user.connected_to(profile) => {
            Some(Disclosure::CaseLeftView)
        }
        (_, Some(profile)) if care && user.connected_to(profile) => Some(Disclosure::CaseChanged),
        (_, Some(profile)) if user.connected_to(profile) => Some(Disclosure::CaseBadgeChanged {
            profile_id: profile,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseStatus;
    use crate::ids::UserId;
    use crate::testkit::*;

    fn item_changed(profile: ProfileId) -> EventKind {
        EventKind::ItemChanged {
            item_id: CommunityItemId(1),
            profile_id: profile,
        }
    }

    fn admin_change() -> EventKind {
        EventKind::Admin {
            what: "user_updated".into(),
            id: "7".into(),
        }
    }

    fn status_change() -> EventKind {
        EventKind::StatusChanged {
            from: CaseStatus::Open,
            to: CaseStatus::Pending,
        }
    }

    fn assigned(from: Option<UserId>, to: Option<UserId>) -> EventKind {
        EventKind::Assigned {
            from,
            to,
            automatic: false,
        }
    }

    const ITEM: &str = "item_changed";
    const ADMIN: &str = "admin_changed";
    const REMOVED: &str = "case_removed";
    const LEFT: &str = "case_left_view";
    const CHANGED: &str = "case_changed";
    const BADGE: &str = "case_badge_changed";
    const NONE: &str = "-";

    #[test]
    fn each_user_hears_what_they_could_open() {
        let taken_from_agent = assigned(Some(agent().id), Some(other_agent().id));
        let unassigned_from_agent = assigned(Some(agent().id), None);
        let taken_by_agent = assigned(None, Some(agent().id));
        // Columns: community agent (P1), agent (P1), agent elsewhere (P2), supervisor (P1),
        // admin.
        let users = [
            community_agent(),
            agent(),
            agent_elsewhere(),
            supervisor(),
            admin(),
        ];
        #[rustfmt::skip]
        let rows: [(&str, EventKind, Option<ProfileId>, [&str; 5]); 9] = [
            ("item on P1",           item_changed(P1),      None,     [ITEM, ITEM, NONE, ITEM, ITEM]),
            ("item on P2",           item_changed(P2),      None,     [NONE, NONE, ITEM, NONE, ITEM]),
            ("admin change",         admin_change(),        None,     [NONE, NONE, NONE, NONE, ADMIN]),
            ("case of P1 deleted",   EventKind::Deleted,    Some(P1), [BADGE, REMOVED, NONE, REMOVED, REMOVED]),
            ("status on P1",         status_change(),       Some(P1), [BADGE, CHANGED, NONE, CHANGED, CHANGED]),
            ("status on P2",         status_change(),       Some(P2), [NONE, NONE, CHANGED, NONE, CHANGED]),
            ("taken from agent",     taken_from_agent,      Some(P1), [BADGE, LEFT, NONE, CHANGED, CHANGED]),
            ("agent unassigned",     unassigned_from_agent, Some(P1), [BADGE, LEFT, NONE, CHANGED, CHANGED]),
            ("taken by agent",       taken_by_agent,        Some(P1), [BADGE, CHANGED, NONE, CHANGED, CHANGED]),
        ];
        for (what, kind, profile, expected) in rows {
            for (user, want) in users.iter().zip(expected) {
                let got = disclose(user, &kind, profile).map_or(NONE, |d| d.name());
                assert_eq!(got, want, "{what} heard by user {}", user.id);
            }
        }
    }

    #[test]
    fn a_notice_carries_the_fields_its_reader_may_have() {
        assert_eq!(
            disclose(&agent(), &item_changed(P1), None),
            Some(Disclosure::ItemChanged {
                item_id: CommunityItemId(1),
                profile_id: P1
            })
        );
        assert_eq!(
            disclose(&admin(), &admin_change(), None),
            Some(Disclosure::AdminChanged {
                what: "user_updated".into(),
                id: "7".into()
            })
        );
        assert_eq!(
            disclose(&community_agent(), &status_change(), Some(P1)),
            Some(Disclosure::CaseBadgeChanged { profile_id: P1 })
        );
    }

    #[test]
    fn an_admin_change_tied_to_a_case_is_not_announced_as_one() {
        assert_eq!(
            disclose(&admin(), &admin_change(), Some(P1)),
            Some(Disclosure::CaseChanged)
        );
    }

    #[test]
    fn a_notification_reaches_its_recipient_alone() {
        let notified = EventKind::Notified {
            notification_id: crate::ids::NotificationId(1),
            recipient: agent().id,
            notification: crate::notification::NotificationKind::Mentioned,
            notified_case_id: crate::ids::CaseId(1),
            case_number: 1,
        };
        let users = [
            community_agent(),
            agent(),
            other_agent(),
            agent_elsewhere(),
            supervisor(),
            admin(),
        ];
        for user in users {
            let want = (user.id == agent().id).then_some(Disclosure::Notification);
            assert_eq!(disclose(&user, &notified, None), want, "user {}", user.id);
        }
    }

    #[test]
    fn a_case_reassigned_to_its_own_assignee_stays_in_view() {
        let same = assigned(Some(agent().id), Some(agent().id));
        assert_eq!(
            disclose(&agent(), &same, Some(P1)),
            Some(Disclosure::CaseChanged)
        );
    }
}
