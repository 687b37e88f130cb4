//! Network apps and profiles: the installation's directory.
//!
//! `actor` is `None` only for the command line (the operator bootstrapping the first admin).

use std::collections::BTreeSet;

use caredesk_domain::*;

use crate::error::{AppResult, FoundOr};
use crate::App;

/// A network app to create or replace.
#[derive(Clone)]
pub struct NetworkAppInput {
    pub network: AppNetwork,
    pub name: String,
    pub app_secret: String,
    pub verify_token: String,
    pub consumer_key: String,
}

/// The parts of a network app to change (`PATCH`): what is `None` stays. The network may be sent
/// but not changed; an empty secret keeps the old one (clients never see secrets to send back).
#[derive(Clone, Default)]
pub struct NetworkAppPatch {
    pub network: Option<AppNetwork>,
    pub name: Option<String>,
    /// The Meta app secret, or the X consumer secret.
    pub app_secret: Option<String>,
    pub verify_token: Option<String>,
    pub consumer_key: Option<String>,
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

/// The parts of a profile to change (`PATCH`): what is `None` stays. The network and external
/// id may be sent but not changed; empty credentials keep the old ones.
#[derive(Clone, Default)]
pub struct ProfilePatch {
    pub network: Option<Network>,
    pub external_id: Option<String>,
    pub name: Option<String>,
    pub app_id: Option<NetworkAppId>,
    pub access_token: Option<String>,
    pub token_secret: Option<String>,
    pub auto_assign: Option<bool>,
}

impl ProfilePatch {
    /// True when it changes the connection itself (admins only), not only its routing.
    fn touches_connection(&self) -> bool {
        self.network.is_some()
            || self.external_id.is_some()
            || self.name.is_some()
            || self.app_id.is_some()
            || self.access_token.is_some()
            || self.token_secret.is_some()
    }
}

impl From<ProfileInput> for ProfilePatch {
    fn from(input: ProfileInput) -> Self {
        ProfilePatch {
            network: Some(input.network),
            external_id: Some(input.external_id),
            name: Some(input.name),
            app_id: Some(input.app_id),
            access_token: Some(input.access_token),
            token_secret: Some(input.token_secret),
            auto_assign: None,
        }
    }
}

pub(crate) async fn actor_of(
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

pub(crate) fn check_profiles_exist(
    known: &[ProfileId],
    wanted: &BTreeSet<ProfileId>,
) -> Result<(), Refusal> {
    match wanted.iter().find(|p| !known.contains(p)) {
        Some(p) => Err(Refusal::invalid(format!("unknown profile {p}"))),
        None => Ok(()),
    }
}

impl App {
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
        let app = NewNetworkApp {
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
        let profile = NewProfile {
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

    /// Renames a network app or replaces its secrets (admins); what the patch leaves out stays,
    /// and empty secrets keep the old ones, since secrets are write-only and clients never see
    /// them to send back.
    pub async fn update_network_app(
        &self,
        actor: UserId,
        id: NetworkAppId,
        patch: NetworkAppPatch,
    ) -> AppResult<NetworkApp> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        let mut app = tx.network_app(id).await?.or_not_found()?;
        if patch.network.is_some_and(|n| n != app.network) {
            return Err(Refusal::Conflict("a network app's network cannot change".into()).into());
        }
        if let Some(name) = patch.name {
            if name.trim().is_empty() {
                return Err(Refusal::invalid("name: a network app needs a name").into());
            }
            app.name = name.trim().to_owned();
        }
        let keep = |new: Option<String>, old: String| new.filter(|n| !n.is_empty()).unwrap_or(old);
        app.app_secret = keep(patch.app_secret, app.app_secret);
        app.verify_token = keep(patch.verify_token, app.verify_token);
        app.consumer_key = keep(patch.consumer_key, app.consumer_key);
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
    /// (admins); turns its auto-assignment on or off (admins and its supervisors).
    pub async fn update_profile(
        &self,
        actor: UserId,
        id: ProfileId,
        patch: ProfilePatch,
    ) -> AppResult<Profile> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        if patch.touches_connection() {
            policy::require_admin(&actor)?;
        }
        if patch.auto_assign.is_some() {
            policy::require_may_route(&actor, id)?;
        }
        let mut profile = tx.profile(id).await?.or_not_found()?;
        let new_token = patch_connection(tx.as_mut(), &mut profile, &patch).await?;
        if let Some(on) = patch.auto_assign {
            profile.auto_assign = on;
        }
        tx.update_profile(&profile).await?;
        if new_token {
            // A refused token is judged again on its next send.
            tx.set_token_rejected(profile.id, None).await?;
        }
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
}

/// Applies the connection's part of `patch` to `profile`; answers whether the token changed.
async fn patch_connection(
    tx: &mut dyn caredesk_store::Tx,
    profile: &mut Profile,
    patch: &ProfilePatch,
) -> AppResult<bool> {
    let network_changes = patch.network.is_some_and(|n| n != profile.network);
    let id_changes = patch
        .external_id
        .as_ref()
        .is_some_and(|e| e.trim() != profile.external_id);
    if network_changes || id_changes {
        return Err(
            Refusal::Conflict("a profile's network and external id cannot change".into()).into(),
        );
    }
    if let Some(app_id) = patch.app_id {
        let app = tx
            .network_app(app_id)
            .await?
            .ok_or_else(|| Refusal::invalid("unknown network app"))?;
        network::check_app_serves(profile.network, app.network)?;
        profile.app_id = app.id;
    }
    if let Some(name) = &patch.name {
        if name.trim().is_empty() {
            return Err(Refusal::invalid("a profile needs a name").into());
        }
        profile.name = name.trim().to_owned();
    }
    let token = patch.access_token.as_ref().filter(|t| !t.is_empty());
    if let Some(token) = token {
        profile.access_token = token.clone();
    }
    if let Some(secret) = patch.token_secret.as_ref().filter(|t| !t.is_empty()) {
        profile.token_secret = secret.clone();
    }
    Ok(token.is_some())
}

fn conflict_as_refusal(error: caredesk_store::StoreError, why: &str) -> crate::AppError {
    match error {
        caredesk_store::StoreError::Conflict(_) => Refusal::Conflict(why.to_owned()).into(),
        other => other.into(),
    }
}

impl App {
    /// Deletes a network app that no profile uses (admins).
    pub async fn delete_network_app(&self, actor: UserId, id: NetworkAppId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        tx.network_app(id).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        tx.delete_network_app(id).await.map_err(|e| {
            conflict_as_refusal(
                e,
                "profiles still use this network app; move or delete them first",
            )
        })?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "network_app_deleted",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a profile that holds no messages (admins); a profile with history stays.
    pub async fn delete_profile(&self, actor: UserId, id: ProfileId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        tx.profile(id).await?.or_not_found()?;
        policy::require_admin(&actor)?;
        tx.delete_profile(id).await.map_err(|e| {
            conflict_as_refusal(
                e,
                "the profile holds conversations, whose history is kept; it cannot be deleted",
            )
        })?;
        tx.insert_events(&[Event::admin(
            Some(actor.id),
            self.now(),
            "profile_deleted",
            id,
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
