//! Who may read and change saved replies (PRODUCT.md §12). Saved replies are for active Care
//! users; anyone else is refused them all (403). A Care user reads the shared ones and their
//! own; supervisors (and admins) keep the shared ones; each Care user keeps their own. Another
//! user's personal reply is not visible to anyone, supervisors and admins included: it answers
//! 404, never 403, so nobody learns it exists.

use crate::ids::UserId;
use crate::user::User;
use crate::Refusal;

/// Saved replies are for active Care users (403 for anyone else).
pub fn require_saved_replies(user: &User) -> Result<(), Refusal> {
    if user.active && user.has_care_access() {
        Ok(())
    } else {
        Err(Refusal::Forbidden("saved replies are for Care users"))
    }
}

/// May `user` read and use a saved reply of `owner` (`None`: shared)? Shared ones and their
/// own; another's personal one is 404.
pub fn require_readable(user: &User, owner: Option<UserId>) -> Result<(), Refusal> {
    require_saved_replies(user)?;
    match owner {
        Some(owner) if owner != user.id => Err(Refusal::NotFound),
        _ => Ok(()),
    }
}

/// May `user` change or delete a saved reply of `owner`? Their own; shared ones only as a
/// supervisor (403 for an agent); another's personal one is 404.
pub fn require_manageable(user: &User, owner: Option<UserId>) -> Result<(), Refusal> {
    require_readable(user, owner)?;
    require_may_own(user, owner)
}

/// May `user` make a saved reply belong to `owner` (create one, or move one)? Shared ones only
/// as a supervisor; a personal one only as their own.
pub fn require_may_own(user: &User, owner: Option<UserId>) -> Result<(), Refusal> {
    require_saved_replies(user)?;
    match owner {
        None if user.is_supervisor() => Ok(()),
        None => Err(Refusal::Forbidden(
            "only supervisors may change shared saved replies",
        )),
        Some(owner) if owner == user.id => Ok(()),
        Some(_) => Err(Refusal::Forbidden(
            "a personal saved reply belongs to the user who writes it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{admin, agent, community_agent, deactivated, other_agent, supervisor};

    #[derive(Clone, Copy, Debug)]
    enum Whose {
        Shared,
        Own,
        Others,
    }

    fn owner(user: &User, whose: Whose) -> Option<UserId> {
        match whose {
            Whose::Shared => None,
            Whose::Own => Some(user.id),
            Whose::Others => Some(UserId(user.id.0 + 100)),
        }
    }

    fn code(result: Result<(), Refusal>) -> &'static str {
        result.err().map_or("ok", |r| r.code())
    }

    #[test]
    fn who_reads_and_who_keeps_which_saved_replies() {
        use Whose::*;
        // (who, whose, read, manage)
        let table = [
            (agent(), Shared, "ok", "forbidden"),
            (agent(), Own, "ok", "ok"),
            (agent(), Others, "not_found", "not_found"),
            (other_agent(), Own, "ok", "ok"),
            (supervisor(), Shared, "ok", "ok"),
            (supervisor(), Own, "ok", "ok"),
            (supervisor(), Others, "not_found", "not_found"),
            (admin(), Shared, "ok", "ok"),
            (admin(), Own, "ok", "ok"),
            (admin(), Others, "not_found", "not_found"),
            (community_agent(), Shared, "forbidden", "forbidden"),
            (community_agent(), Own, "forbidden", "forbidden"),
            (community_agent(), Others, "forbidden", "forbidden"),
            (deactivated(agent()), Own, "forbidden", "forbidden"),
            (deactivated(supervisor()), Shared, "forbidden", "forbidden"),
        ];
        for (user, whose, read, manage) in table {
            let owner = owner(&user, whose);
            assert_eq!(
                code(require_readable(&user, owner)),
                read,
                "{} reading {whose:?}",
                user.name
            );
            assert_eq!(
                code(require_manageable(&user, owner)),
                manage,
                "{} changing {whose:?}",
                user.name
            );
        }
    }

    #[test]
    fn shared_ones_are_made_by_supervisors_and_personal_ones_by_their_owner() {
        use Whose::*;
        let table = [
            (agent(), Shared, "forbidden"),
            (agent(), Own, "ok"),
            (agent(), Others, "forbidden"),
            (supervisor(), Shared, "ok"),
            (supervisor(), Own, "ok"),
            (supervisor(), Others, "forbidden"),
            (admin(), Shared, "ok"),
            (community_agent(), Own, "forbidden"),
        ];
        for (user, whose, expected) in table {
            assert_eq!(
                code(require_may_own(&user, owner(&user, whose))),
                expected,
                "{} making {whose:?}",
                user.name
            );
        }
    }
}
