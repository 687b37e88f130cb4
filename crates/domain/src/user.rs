//! Users, their account role, Care access and profile connections (PRODUCT.md §2).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{ProfileId, UserId};
use crate::macros::word_enum;
use crate::time_zone::TimeZoneName;
use crate::Refusal;

word_enum! {
    /// The account role.
    pub enum Role {
        Admin => "admin",
        Member => "member",
    }
}

word_enum! {
    /// What a user may do in Care.
    pub enum CareAccess {
        /// A community agent: works the Community inbox only.
        None => "none",
        /// A care agent.
        Agent => "agent",
        /// A care supervisor.
        Supervisor => "supervisor",
    }
}

/// The most a capacity may be set to.
pub const MAX_CAPACITY: u32 = 1_000;

/// A user of the desk, as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Sign-in e-mail, unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Admin or member.
    pub role: Role,
    /// Care access as stored; see [`User::care_access`] for the effective one.
    pub care_access: CareAccess,
    /// How many active cases they should carry.
    pub capacity: u32,
    /// False once deactivated.
    pub active: bool,
    /// The profiles they are connected to (admins are connected to all).
    pub profile_ids: BTreeSet<ProfileId>,
    /// The zone their times are shown in; `None` is the browser's.
    pub time_zone: Option<TimeZoneName>,
}

impl User {
    /// Admins always have supervisor access.
    pub fn care_access(&self) -> CareAccess {
        if self.is_admin() {
            CareAccess::Supervisor
        } else {
            self.care_access
        }
    }

    /// True for the admin role.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// True for Care supervisors (and so admins).
    pub fn is_supervisor(&self) -> bool {
        self.care_access() == CareAccess::Supervisor
    }

    /// True for anyone with Care access.
    pub fn has_care_access(&self) -> bool {
        self.care_access() != CareAccess::None
    }

    /// Admins are connected to every profile; others to the ones granted.
    pub fn connected_to(&self, profile: ProfileId) -> bool {
        self.is_admin() || self.profile_ids.contains(&profile)
    }
}

/// Checks the parts of a user that every writer must respect.
pub fn validate_user_fields(email: &str, name: &str, capacity: u32) -> Result<(), Refusal> {
    let email = email.trim();
    let at = email.find('@');
    let valid_email = matches!(at, Some(i) if i > 0 && i + 1 < email.len())
        && !email.contains(char::is_whitespace)
        && email.len() <= 254;
    if !valid_email {
        return Err(Refusal::invalid("email must be an e-mail address"));
    }
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(Refusal::invalid("name must be 1 to 200 characters"));
    }
    if capacity > MAX_CAPACITY {
        return Err(Refusal::invalid(format!(
            "capacity must be 0 to {MAX_CAPACITY}"
        )));
    }
    Ok(())
}

/// Passwords of fewer characters are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password's length (it is hashed by the caller, never stored as given).
pub fn validate_password(password: &str) -> Result<(), Refusal> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=1_024).contains(&chars) {
        return Err(Refusal::invalid(format!(
            "password must be {MIN_PASSWORD_CHARS} to 1024 characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn user(id: i64, role: Role, care: CareAccess, profiles: &[i64]) -> User {
        User {
            id: UserId(id),
            email: format!("u{id}@example.com"),
            name: format!("User {id}"),
            role,
            care_access: care,
            capacity: 5,
            active: true,
            profile_ids: profiles.iter().map(|p| ProfileId(*p)).collect(),
            time_zone: None,
        }
    }

    #[test]
    fn admins_always_have_supervisor_access_and_every_profile() {
        let admin = user(1, Role::Admin, CareAccess::None, &[]);
        assert_eq!(admin.care_access(), CareAccess::Supervisor);
        assert!(admin.connected_to(ProfileId(42)));
    }

    #[test]
    fn members_are_connected_only_to_granted_profiles() {
        let agent = user(2, Role::Member, CareAccess::Agent, &[1]);
        assert!(agent.connected_to(ProfileId(1)));
        assert!(!agent.connected_to(ProfileId(2)));
    }

    #[test]
    fn user_fields_are_validated() {
        let table = [
            ("a@b.c", "Ann", 5, true),
            ("not-an-email", "Ann", 5, false),
            ("@b.c", "Ann", 5, false),
            ("a@b.c", "  ", 5, false),
            ("a@b.c", "Ann", MAX_CAPACITY + 1, false),
        ];
        for (email, name, capacity, ok) in table {
            assert_eq!(
                validate_user_fields(email, name, capacity).is_ok(),
                ok,
                "{email} {name}"
            );
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough pass").is_ok());
    }
}
