//! Who may do what (PRODUCT.md §2), checked in the order of the spec: not visible (404) before
//! not allowed (403), so a caller learns nothing about what they may not see.

use crate::case::{Case, CaseStatus};
use crate::ids::{ProfileId, UserId};
use crate::user::{CareAccess, Role, User};
use crate::Refusal;

#[path = "policy_live.rs"]
pub mod live;
#[path = "policy_reads.rs"]
pub mod reads;
#[path = "policy_saved_replies.rs"]
pub mod saved_replies;

/// A case is visible to an active Care user connected to its profile; deleted cases to no one.
///
/// Agents may open any case of their profiles (by number, link or History); the views are
/// narrower and are described by the store's view queries.
pub fn require_case_visible(user: &User, case: &Case) -> Result<(), Refusal> {
    if case.deleted || !opens_cases_of(user, case.profile_id) {
        return Err(Refusal::NotFound);
    }
    Ok(())
}

/// Whether `user` may open the (undeleted) cases of `profile`: active, with Care access, and
/// connected to it.
pub fn opens_cases_of(user: &User, profile: ProfileId) -> bool {
    user.active && user.has_care_access() && user.connected_to(profile)
}

/// A customer is visible to an active Care user connected to a profile the customer wrote to.
pub fn require_customer_visible(
    user: &User,
    customer_profiles: &[ProfileId],
) -> Result<(), Refusal> {
    let reaches = customer_profiles.iter().any(|p| user.connected_to(*p));
    if user.active && user.has_care_access() && reaches {
        Ok(())
    } else {
        Err(Refusal::NotFound)
    }
}

/// Community work (items, replies, escalation) is open to any active user of the profile.
pub fn require_profile_member(user: &User, profile: ProfileId) -> Result<(), Refusal> {
    if user.active && user.connected_to(profile) {
        Ok(())
    } else {
        Err(Refusal::NotFound)
    }
}

/// Status changes, replies and reopening belong to the assignee alone.
pub fn require_assignee(user: &User, case: &Case) -> Result<(), Refusal> {
    require_case_visible(user, case)?;
    if case.assignee_id == Some(user.id) {
        Ok(())
    } else {
        Err(Refusal::NotAssignee)
    }
}

/// Supervisors (and admins) of the case's profile may delete it.
pub fn require_may_delete(user: &User, case: &Case) -> Result<(), Refusal> {
    require_case_visible(user, case)?;
    if user.is_supervisor() {
        Ok(())
    } else {
        Err(Refusal::Forbidden("only supervisors may delete cases"))
    }
}

/// May `actor` change the case's assignee to `target` (`None` = unassign)?
///
/// Supervisors assign and unassign anyone. Agents take any case they can open, give New cases
/// to others, and unassign only themselves.
pub fn check_assign(actor: &User, case: &Case, target: Option<&User>) -> Result<(), Refusal> {
    check_assign_permission(actor, case, target.map(|t| t.id))?;
    if let Some(target) = target {
        require_eligible_assignee(target, case.profile_id)?;
    }
    Ok(())
}

/// The 404 and 403 part of [`check_assign`]: the target's eligibility (422) is left out, so
/// that a caller can check the case's version (409) in between, in the order of PRODUCT.md §2.
pub fn check_assign_permission(
    actor: &User,
    case: &Case,
    target: Option<UserId>,
) -> Result<(), Refusal> {
    require_case_visible(actor, case)?;
    if !actor.is_supervisor() {
        let allowed = match target {
            Some(t) if t == actor.id => true,
            Some(_) => case.status == CaseStatus::New,
            None => case.assignee_id == Some(actor.id),
        };
        if !allowed {
            return Err(Refusal::Forbidden(match target {
                Some(_) => "agents may give only New cases to others",
                None => "agents may unassign only themselves",
            }));
        }
    }
    Ok(())
}

/// An assignee is an active user with Care access, connected to the case's profile.
pub fn require_eligible_assignee(user: &User, profile: ProfileId) -> Result<(), Refusal> {
    if !user.active {
        return Err(Refusal::invalid("the assignee is deactivated"));
    }
    if user.care_access() == CareAccess::None {
        return Err(Refusal::invalid("the assignee has no Care access"));
    }
    if !user.connected_to(profile) {
        return Err(Refusal::invalid(
            "the assignee is not connected to the case's profile",
        ));
    }
    Ok(())
}

/// Supervisors edit settings, case fields and users' capacity.
pub fn require_supervisor(user: &User) -> Result<(), Refusal> {
    if user.active && user.is_supervisor() {
        Ok(())
    } else {
        Err(Refusal::Forbidden("only supervisors may do this"))
    }
}

/// Admins manage users, network apps, profiles and secrets.
pub fn require_admin(user: &User) -> Result<(), Refusal> {
    if user.active && user.is_admin() {
        Ok(())
    } else {
        Err(Refusal::Forbidden("only admins may do this"))
    }
}

/// Admins, and supervisors connected to the profile, turn its auto-assignment on or off.
pub fn require_may_route(user: &User, profile: ProfileId) -> Result<(), Refusal> {
    if user.active && user.is_supervisor() && user.connected_to(profile) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "only admins and the profile's supervisors may change its auto-assignment",
        ))
    }
}

/// Supervisors may grant or revoke connections only to their own profiles, and never on an
/// admin; admins may do anything.
pub fn check_connection_change(
    actor: &User,
    target: &User,
    added_or_removed: &[ProfileId],
) -> Result<(), Refusal> {
    if actor.is_admin() {
        return Ok(());
    }
    require_supervisor(actor)?;
    if target.is_admin() {
        return Err(Refusal::Forbidden("supervisors may not change an admin"));
    }
    if added_or_removed.iter().any(|p| !actor.connected_to(*p)) {
        return Err(Refusal::Forbidden(
            "supervisors may grant only their own profiles",
        ));
    }
    Ok(())
}

/// Who may change a user: admins anything; supervisors only capacity and connections to their
/// own profiles (`admin_fields` is false), never on an admin.
pub fn check_user_change(
    actor: &User,
    target: &User,
    admin_fields: bool,
    changed_profiles: &[ProfileId],
) -> Result<(), Refusal> {
    if admin_fields {
        require_admin(actor)?;
    } else {
        require_supervisor(actor)?;
    }
    check_connection_change(actor, target, changed_profiles)
}

/// The Care access stored for a user: admins are always supervisors, whatever was asked for.
pub fn stored_care_access(role: Role, asked: CareAccess) -> CareAccess {
    match role {
        Role::Admin => CareAccess::Supervisor,
        Role::Member => asked,
    }
}

/// Whether `viewer` sees `user`'s e-mail address, role and connections: admins see everyone's,
/// anyone else only their own (the rest of a user — name, access, capacity, load — is for
/// everyone signed in, since the assignee picker needs it).
pub fn sees_account_details(viewer: &User, user: &User) -> bool {
    viewer.is_admin() || viewer.id == user.id
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
