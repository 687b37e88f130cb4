//! Users: creating them, and changing their role, access, capacity, connections, password and
//! active flag; and each user's own name and time zone (`PATCH /api/v1/me`). Deactivating a user unassigns their cases and revokes their sessions in the same
//! unit of work; an admin setting a user's password revokes that user's sessions too.

use std::collections::BTreeSet;

use caredesk_domain::user::{validate_password, validate_user_fields};
use caredesk_domain::*;
use caredesk_store::{NewUser, StoreError};

use crate::directory::{actor_of, check_profiles_exist};
use crate::error::{AppError, AppResult, FoundOr};
use crate::password::hash_password;
use crate::App;

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUserInput {
    /// Sign-in e-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password (hashed before storing).
    pub password: String,
    /// Admin or member.
    pub role: Role,
    /// Care access (admins always get supervisor).
    pub care_access: CareAccess,
    /// Capacity (default: the setting).
    pub capacity: Option<u32>,
    /// Connected profiles.
    pub profile_ids: BTreeSet<ProfileId>,
}

/// Changes to a user; `None` leaves a part alone.
#[derive(Clone, Debug, Default)]
pub struct UserPatch {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub care_access: Option<CareAccess>,
    pub capacity: Option<u32>,
    pub active: Option<bool>,
    pub password: Option<String>,
    pub profile_ids: Option<BTreeSet<ProfileId>>,
}

impl UserPatch {
    /// True when the patch changes more than capacity and connections (admins only).
    pub fn touches_admin_fields(&self) -> bool {
        self.email.is_some()
            || self.name.is_some()
            || self.role.is_some()
            || self.care_access.is_some()
            || self.active.is_some()
            || self.password.is_some()
    }
}

/// Changes a user makes to themselves; `None` leaves a part alone, `Some(None)` clears the zone
/// (times then show in the browser's zone).
#[derive(Clone, Debug, Default)]
pub struct MePatch {
    pub name: Option<String>,
    pub time_zone: Option<Option<String>>,
}

fn email_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => {
            Refusal::Conflict("a user with this e-mail exists".into()).into()
        }
        other => other.into(),
    }
}

impl App {
    /// Creates a user (admins; or the command line when `actor` is `None`).
    pub async fn create_user(&self, actor: Option<UserId>, input: NewUserInput) -> AppResult<User> {
        let mut tx = self.store.begin().await?;
        if let Some(actor) = actor_of(tx.as_mut(), actor).await? {
            policy::require_admin(&actor)?;
        }
        let settings = tx.settings().await?;
        let capacity = input.capacity.unwrap_or(settings.default_capacity);
        validate_user_fields(&input.email, &input.name, capacity)?;
        validate_password(&input.password)?;
        let known: Vec<ProfileId> = self.store.profiles().await?.iter().map(|p| p.id).collect();
        check_profiles_exist(&known, &input.profile_ids)?;
        let care_access = policy::stored_care_access(input.role, input.care_access);
        let new = NewUser {
            email: input.email.trim().to_owned(),
            name: input.name.trim().to_owned(),
            role: input.role,
            care_access,
            capacity,
            profile_ids: input.profile_ids,
            password_hash: hash_password(&input.password)?,
        };
        let user = tx.insert_user(&new).await.map_err(email_taken)?;
        tx.insert_events(&[Event::admin(actor, self.now(), "user_created", user.id)])
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes a user. Admins change everything; supervisors change capacity and connections to
    /// their own profiles, never an admin's. Deactivating unassigns the user's cases; it and a
    /// new password revoke the user's sessions.
    pub async fn update_user(
        &self,
        actor: UserId,
        id: UserId,
        patch: UserPatch,
    ) -> AppResult<User> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        let before = tx.user(id).await?.or_not_found()?;
        let changed: Vec<ProfileId> = match &patch.profile_ids {
            Some(profiles) => profiles
                .symmetric_difference(&before.profile_ids)
                .copied()
                .collect(),
            None => Vec::new(),
        };
        policy::check_user_change(&actor, &before, patch.touches_admin_fields(), &changed)?;
        let mut user = before.clone();
        if let Some(profiles) = &patch.profile_ids {
            let known: Vec<ProfileId> = self.store.profiles().await?.iter().map(|p| p.id).collect();
            check_profiles_exist(&known, profiles)?;
            user.profile_ids = profiles.clone();
        }
        user.email = patch.email.map_or(user.email, |e| e.trim().to_owned());
        user.name = patch.name.map_or(user.name, |n| n.trim().to_owned());
        user.role = patch.role.unwrap_or(user.role);
        user.care_access =
            policy::stored_care_access(user.role, patch.care_access.unwrap_or(user.care_access));
        user.capacity = patch.capacity.unwrap_or(user.capacity);
        user.active = patch.active.unwrap_or(user.active);
        validate_user_fields(&user.email, &user.name, user.capacity)?;
        if let Some(password) = &patch.password {
            validate_password(password)?;
            tx.set_password_hash(id, &hash_password(password)?).await?;
        }
        tx.update_user(&user).await.map_err(email_taken)?;
        let mut events = vec![Event::admin(Some(actor.id), now, "user_updated", id)];
        let deactivated = before.active && !user.active;
        if deactivated || patch.password.is_some() {
            let revoked = tx.revoke_user_sessions(id, now).await?;
            if revoked > 0 {
                events.push(Event::admin(Some(actor.id), now, "sessions_revoked", id));
            }
        }
        if deactivated {
            for mut case in tx.cases_assigned_to(id).await? {
                let as_read = case.clone();
                let kinds = case.unassign_deactivated();
                crate::case_save::save_case(tx.as_mut(), &as_read, &case, now).await?;
                events.extend(
                    kinds
                        .into_iter()
                        .map(|k| Event::of_case(case.id, Some(actor.id), now, k)),
                );
            }
        }
        tx.insert_events(&events).await?;
        tx.commit().await?;
        Ok(user)
    }
}

impl App {
    /// A user changes their own name or time zone. An unknown zone or a blank name is refused
    /// and nothing changes.
    pub async fn update_me(&self, actor: UserId, patch: MePatch) -> AppResult<User> {
        let mut tx = self.store.begin().await?;
        let mut user = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        if let Some(zone) = &patch.time_zone {
            user.time_zone = zone.as_deref().map(TimeZoneName::parse).transpose()?;
        }
        if let Some(name) = patch.name {
            user.name = name.trim().to_owned();
        }
        validate_user_fields(&user.email, &user.name, user.capacity)?;
        tx.update_user(&user).await?;
        tx.insert_events(&[Event::admin(Some(actor), self.now(), "user_updated", actor)])
            .await?;
        tx.commit().await?;
        Ok(user)
    }
}
