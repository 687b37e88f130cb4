//! Reading how the installation is set up: users with their loads and presence, the settings and case
//! fields, network apps and profiles with their health, and the Settings screen. Who sees what
//! is the domain's (`policy`, `policy::reads`): account details for admins and the user
//! themself, settings for Care users, disabled fields for supervisors, a profile for the users
//! connected to it, network apps and their secrets' owners for admins.

use caredesk_domain::availability::{presence_of, Presence, PresenceChoice};
use caredesk_domain::profile_health::HealthProblem;
use caredesk_domain::{
    policy, CaseField, NetworkApp, Profile, ProfileId, Settings, Timestamp, User,
};
use caredesk_store::UserWithLoad;

use crate::error::AppResult;
use crate::{App, ProfileHealth};

/// How a user stands now: their load and their presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Their open, pending and on-hold cases.
    pub load: i64,
    /// Online, away or offline.
    pub presence: Presence,
}

impl Standing {
    /// A user's standing at `now` from their stored record.
    pub fn of(user: &UserWithLoad, idle_secs: i64, now: Timestamp) -> Self {
        Standing {
            load: user.load,
            presence: presence_of(user.presence_choice, user.last_activity, idle_secs, now),
        }
    }
}

/// A user as one viewer sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserView {
    /// The user.
    pub user: User,
    /// Their open, pending and on-hold cases.
    pub load: i64,
    /// Online, away or offline.
    pub presence: Presence,
    /// The viewer sees their e-mail address, role and connections.
    pub details: bool,
}

impl UserView {
    /// `user`, standing as they do, as `viewer` sees them.
    pub fn seen_by(viewer: &User, user: User, standing: Standing) -> Self {
        UserView {
            details: policy::sees_account_details(viewer, &user),
            user,
            load: standing.load,
            presence: standing.presence,
        }
    }
}

/// The profiles a user is connected to, with the health of every profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileDirectory {
    /// The profiles.
    pub profiles: Vec<Profile>,
    /// Their health, by profile id.
    pub health: Vec<ProfileHealth>,
}

/// An unhealthy profile a user works on, for the banner of every page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileAlert {
    /// The profile.
    pub profile_id: ProfileId,
    /// Its name (`None` when it was deleted meanwhile).
    pub name: Option<String>,
    /// What is wrong.
    pub problems: Vec<HealthProblem>,
}

/// A user as the Settings screen lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsUser {
    /// The user.
    pub user: User,
    /// Their load.
    pub load: i64,
    /// The viewer may change their capacity and connections.
    pub editable: bool,
}

/// The Settings screen of a supervisor or admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsScreen {
    /// The settings.
    pub settings: Settings,
    /// Every case field, by position.
    pub fields: Vec<CaseField>,
    /// Every user.
    pub users: Vec<SettingsUser>,
    /// The profiles the viewer works on (admins: all).
    pub profiles: Vec<Profile>,
    /// Every profile's health.
    pub health: Vec<ProfileHealth>,
    /// The network apps (admins; empty for others).
    pub apps: Vec<NetworkApp>,
}

impl App {
    /// Every user with their load, as `viewer` sees them.
    pub async fn list_users(&self, viewer: &User) -> AppResult<Vec<UserView>> {
        let idle = self.store.settings().await?.presence_idle_secs;
        let now = self.now();
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| {
                let standing = Standing::of(&u, idle, now);
                UserView::seen_by(viewer, u.user, standing)
            })
            .collect())
    }

    /// How `user` stands now: their load and presence.
    pub async fn standing_of(&self, user: &User) -> AppResult<Standing> {
        let idle = self.store.settings().await?.presence_idle_secs;
        let now = self.now();
        Ok(self.store.user_with_load(user.id).await?.map_or(
            Standing {
                load: 0,
                presence: Presence::Offline,
            },
            |u| Standing::of(&u, idle, now),
        ))
    }

    /// The signed-in user says whether they are online or away; answers how they stand.
    pub async fn set_presence(&self, user: &User, choice: PresenceChoice) -> AppResult<Standing> {
        let mut tx = self.store.begin().await?;
        tx.set_presence_choice(user.id, choice).await?;
        tx.commit().await?;
        self.standing_of(user).await
    }

    /// The settings, for Care users (403 for others).
    pub async fn settings_for(&self, actor: &User) -> AppResult<Settings> {
        policy::reads::require_settings_reader(actor)?;
        Ok(self.store.settings().await?)
    }

    /// The case fields `actor` sees: enabled ones, or all of them for supervisors.
    pub async fn case_fields_for(&self, actor: &User) -> AppResult<Vec<CaseField>> {
        Ok(self
            .store
            .case_fields()
            .await?
            .into_iter()
            .filter(|f| policy::reads::sees_case_field(actor, f))
            .collect())
    }

    /// The fields an escalation may fill: the enabled ones, by position.
    pub async fn escalation_fields(&self) -> AppResult<Vec<CaseField>> {
        let mut fields: Vec<CaseField> = self
            .store
            .case_fields()
            .await?
            .into_iter()
            .filter(|f| f.enabled)
            .collect();
        fields.sort_by_key(|f| f.position);
        Ok(fields)
    }

    /// Every network app, for admins (403 for others).
    pub async fn network_apps_for(&self, actor: &User) -> AppResult<Vec<NetworkApp>> {
        policy::require_admin(actor)?;
        Ok(self.store.network_apps().await?)
    }

    /// The profiles `actor` is connected to (admins: all).
    pub async fn visible_profiles(&self, actor: &User) -> AppResult<Vec<Profile>> {
        Ok(self
            .store
            .profiles()
            .await?
            .into_iter()
            .filter(|p| policy::reads::sees_profile(actor, p.id))
            .collect())
    }

    /// The profiles `actor` is connected to, with their health.
    pub async fn profile_directory(&self, actor: &User) -> AppResult<ProfileDirectory> {
        let profiles = self.visible_profiles(actor).await?;
        let health = self.profile_health().await?;
        Ok(ProfileDirectory { profiles, health })
    }

    /// The unhealthy profiles `user` works on.
    pub async fn profile_alerts(&self, user: &User) -> AppResult<Vec<ProfileAlert>> {
        let health = self.profile_health().await?;
        let profiles = self.store.profiles().await?;
        Ok(health
            .into_iter()
            .filter(|h| !h.problems.is_empty() && policy::reads::sees_profile(user, h.profile_id))
            .map(|h| ProfileAlert {
                profile_id: h.profile_id,
                name: profiles
                    .iter()
                    .find(|p| p.id == h.profile_id)
                    .map(|p| p.name.clone()),
                problems: h.problems,
            })
            .collect())
    }

    /// The Settings screen, for supervisors and admins (403 for others).
    pub async fn settings_screen(&self, actor: &User) -> AppResult<SettingsScreen> {
        policy::require_supervisor(actor)?;
        let settings = self.store.settings().await?;
        let mut fields = self.store.case_fields().await?;
        fields.sort_by_key(|f| f.position);
        let users = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| SettingsUser {
                editable: policy::check_connection_change(actor, &u.user, &[]).is_ok(),
                user: u.user,
                load: u.load,
            })
            .collect();
        let profiles = self.visible_profiles(actor).await?;
        let health = self.profile_health().await?;
        let apps = if actor.is_admin() {
            self.store.network_apps().await?
        } else {
            Vec::new()
        };
        Ok(SettingsScreen {
            settings,
            fields,
            users,
            profiles,
            health,
            apps,
        })
    }
}
