//! Users, network apps, profiles, settings and case fields: the installation's directory.
//!
//! `actor` is `None` only for the command line (the operator bootstrapping the first admin).

use std::collections::BTreeSet;

use caredesk_domain::user::{validate_password, validate_user_fields};
use caredesk_domain::*;
use caredesk_store::NewUser;

use crate::error::{AppResult, FoundOr};
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

/// A network app to create or replace.
#[derive(Clone)]
pub struct NetworkAppInput {
    pub network: AppNetwork,
    pub name: String,
    pub app_secret: String,
    pub verify_token: String,
    pub consumer_key: String,
}

/// A profile to create.
#[derive(Clone)]
pub struct ProfileInput {
    pub network: Network,
    pub external_id: String,
    pub name: String,
    pub app_id: NetworkAppId,
    pub access_token: String,
    pub token_secret: String,
}

async fn actor_of(
    tx: &mut dyn caredesk_store::Tx,
    actor: Option<UserId>,
) -> AppResult<Option<User>> {
    match actor {
        Some(id) => Ok(Some(
            tx.user(id)
                .await?
                .filter(|u| u.active)
                .ok_or(Refusal::NotFound)?,
        )),
        None => Ok(None),
    }
}

fn check_profiles_exist(known: &[ProfileId], wanted: &BTreeSet<ProfileId>) -> Result<(), Refusal> {
    match wanted.iter().find(|p| !known.contains(p)) {
        Some(p) => Err(Refusal::invalid(format!("unknown profile {p}"))),
        None => Ok(()),
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
        let care_access = if input.role == Role::Admin {
            CareAccess::Supervisor
        } else {
            input.care_access
        };
        let new = NewUser {
            user: User {
                id: UserId(0),
                email: input.email.trim().to_owned(),
                name: input.name.trim().to_owned(),
                role: input.role,
                care_access,
                capacity,
                active: true,
                profile_ids: input.profile_ids,
            },
            password_hash: hash_password(&input.password)?,
        };
        let user = tx.insert_user(&new).await.map_err(|e| match e {
            caredesk_store::StoreError::Conflict(_) => {
                Refusal::Conflict("a user with this e-mail exists".into()).into()
            }
            other => crate::AppError::from(other),
        })?;
        tx.insert_events(&[Event::admin(actor, self.now(), "user_created", user.id)])
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes a user. Admins change everything; supervisors change capacity and connections to
    /// their own profiles, never an admin's. Deactivating unassigns the user's cases.
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
        let admin_only = patch.email.is_some()
            || patch.name.is_some()
            || patch.role.is_some()
            || patch.care_access.is_some()
            || patch.active.is_some()
            || patch.password.is_some();
        if admin_only {
            policy::require_admin(&actor)?;
        } else {
            policy::require_supervisor(&actor)?;
        }
        let mut user = before.clone();
        if let Some(profiles) = &patch.profile_ids {
            let changed: Vec<ProfileId> = profiles
                .symmetric_difference(&before.profile_ids)
                .copied()
                .collect();
            policy::check_connection_change(&actor, &before, &changed)?;
            let known: Vec<ProfileId> = self.store.profiles().await?.iter().map(|p| p.id).collect();
            check_profiles_exist(&known, profiles)?;
            user.profile_ids = profiles.clone();
        }
        if before.is_admin() && !actor.is_admin() {
            return Err(Refusal::Forbidden("supervisors may not change an admin").into());
        }
        user.email = patch.email.map_or(user.email, |e| e.trim().to_owned());
        user.name = patch.name.map_or(user.name, |n| n.trim().to_owned());
        user.role = patch.role.unwrap_or(user.role);
        user.care_access = patch.care_access.unwrap_or(user.care_access);
        user.capacity = patch.capacity.unwrap_or(user.capacity);
        user.active = patch.active.unwrap_or(user.active);
        if user.role == Role::Admin {
            user.care_access = CareAccess::Supervisor;
        }
        validate_user_fields(&user.email, &user.name, user.capacity)?;
        if let Some(password) = &patch.password {
            validate_password(password)?;
            tx.set_password_hash(id, &hash_password(password)?).await?;
        }
        tx.update_user(&user).await.map_err(|e| match e {
            caredesk_store::StoreError::Conflict(_) => {
                Refusal::Conflict("a user with this e-mail exists".into()).into()
            }
            other => crate::AppError::from(other),
        })?;
        let mut events = vec![Event::admin(Some(actor.id), now, "user_updated", id)];
        if before.active && !user.active {
            for mut case in tx.cases_assigned_to(id).await? {
                let kinds = case.unassign_deactivated();
                tx.update_case(&case).await?;
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

    /// Creates a network app (admins).
    pub async fn create_network_app(
        &self,
        actor: Option<UserId>,
        input: NetworkAppInput,
    ) -> AppResult<NetworkApp> {
        let mut tx = self.store.begin().await?;
        if let Some(actor) = actor_of(tx.as_mut(), actor).await? {
            policy::require_admin(&actor)?;
        }
        if input.name.trim().is_empty() || input.app_secret.is_empty() {
            return Err(Refusal::invalid("a network app needs a name and a secret").into());
        }
        let app = NetworkApp {
            id: NetworkAppId(0),
            network: input.network,
            name: input.name.trim().to_owned(),
            app_secret: input.app_secret,
            verify_token: input.verify_token,
            consumer_key: input.consumer_key,
        };
        let app = tx.insert_network_app(&app).await?;
        tx.insert_events(&[Event::admin(
            actor,
            self.now(),
            "network_app_created",
            app.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(app)
    }

    /// Connects a profile (admins).
    pub async fn create_profile(
        &self,
        actor: Option<UserId>,
        input: ProfileInput,
    ) -> AppResult<Profile> {
        let mut tx = self.store.begin().await?;
        if let Some(actor) = actor_of(tx.as_mut(), actor).await? {
            policy::require_admin(&actor)?;
        }
        let app = tx
            .network_app(input.app_id)
            .await?
            .ok_or_else(|| Refusal::invalid("unknown network app"))?;
        network::check_app_serves(input.network, app.network)?;
        if input.external_id.trim().is_empty() || input.name.trim().is_empty() {
            return Err(Refusal::invalid("a profile needs an external id and a name").into());
        }
        let profile = Profile {
            id: ProfileId(0),
            network: input.network,
            external_id: input.external_id.trim().to_owned(),
            name: input.name.trim().to_owned(),
            app_id: app.id,
            access_token: input.access_token,
            token_secret: input.token_secret,
        };
        let profile = tx.insert_profile(&profile).await.map_err(|e| match e {
            caredesk_store::StoreError::Conflict(_) => {
                Refusal::Conflict("this profile is connected already".into()).into()
            }
            other => crate::AppError::from(other),
        })?;
        tx.insert_events(&[Event::admin(
            actor,
            self.now(),
            "profile_created",
            profile.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Renames a network app or replaces its secrets (admins); empty secrets keep the old ones,
    /// since secrets are write-only and clients never see them to send back.
    pub async fn update_network_app(
        &self,
        actor: UserId,
        id: NetworkAppId,
        input: NetworkAppInput,
    ) -> AppResult<NetworkApp> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let mut app = tx.network_app(id).await?.or_not_found()?;
        if input.network != app.network {
            return Err(Refusal::Conflict("a network app's network cannot change".into()).into());
        }
        if input.name.trim().is_empty() {
            return Err(Refusal::invalid("a network app needs a name").into());
        }
        app.name = input.name.trim().to_owned();
        let keep = |new: String, old: String| if new.is_empty() { old } else { new };
        app.app_secret = keep(input.app_secret, app.app_secret);
        app.verify_token = keep(input.verify_token, app.verify_token);
        app.consumer_key = keep(input.consumer_key, app.consumer_key);
        tx.update_network_app(&app).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "network_app_updated",
            app.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(app)
    }

    /// Renames a profile, moves it to another app of its platform or replaces its credentials
    /// (admins); empty credentials keep the old ones.
    pub async fn update_profile(
        &self,
        actor: UserId,
        id: ProfileId,
        input: ProfileInput,
    ) -> AppResult<Profile> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let mut profile = tx.profile(id).await?.or_not_found()?;
        if input.network != profile.network || input.external_id.trim() != profile.external_id {
            return Err(Refusal::Conflict(
                "a profile's network and external id cannot change".into(),
            )
            .into());
        }
        let app = tx
            .network_app(input.app_id)
            .await?
            .ok_or_else(|| Refusal::invalid("unknown network app"))?;
        network::check_app_serves(profile.network, app.network)?;
        if input.name.trim().is_empty() {
            return Err(Refusal::invalid("a profile needs a name").into());
        }
        profile.name = input.name.trim().to_owned();
        profile.app_id = app.id;
        if !input.access_token.is_empty() {
            profile.access_token = input.access_token;
        }
        if !input.token_secret.is_empty() {
            profile.token_secret = input.token_secret;
        }
        tx.update_profile(&profile).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "profile_updated",
            profile.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Changes the settings (supervisors).
    pub async fn update_settings(&self, actor: UserId, settings: Settings) -> AppResult<Settings> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_supervisor(&actor)?;
        settings.validate()?;
        tx.save_settings(&settings).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "settings_updated",
            "settings",
        )])
        .await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Adds a case field (supervisors); new fields start disabled unless asked otherwise.
    pub async fn create_case_field(
        &self,
        actor: Option<UserId>,
        field: CaseField,
    ) -> AppResult<CaseField> {
        let mut tx = self.store.begin().await?;
        if let Some(actor) = actor_of(tx.as_mut(), actor).await? {
            policy::require_supervisor(&actor)?;
        }
        field.validate()?;
        let field = tx.insert_case_field(&field).await?;
        tx.insert_events(&[Event::admin(
            actor,
            self.now(),
            "case_field_created",
            field.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(field)
    }

    /// Replaces a case field's definition (supervisors).
    pub async fn update_case_field(&self, actor: UserId, field: CaseField) -> AppResult<CaseField> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_supervisor(&actor)?;
        let existing = tx.case_fields().await?;
        let before = existing.iter().find(|f| f.id == field.id).or_not_found()?;
        if before.kind != field.kind {
            return Err(Refusal::Conflict("a field's type cannot change".into()).into());
        }
        field.validate()?;
        tx.update_case_field(&field).await?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "case_field_updated",
            field.id,
        )])
        .await?;
        tx.commit().await?;
        Ok(field)
    }
}
