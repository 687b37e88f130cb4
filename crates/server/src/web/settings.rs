//! Settings, for supervisors and admins (PRODUCT.md §8): the grace period and default capacity,
//! the case fields, the users (what a supervisor may change: capacity and their own profiles;
//! the rest for admins), and the profiles with the webhook address to paste into the network's
//! console, their health and (admins) their write-only credentials. Care agents find their saved
//! replies here (`settings_replies`), and nothing else; others are told politely that the page
//! is not theirs. `assets/settings.js` saves through the JSON API.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caredesk_domain::AppNetwork;

use super::layout::Chrome;
use super::settings_replies::RepliesSection;
use super::{render, WebUser};
use crate::AppState;

/// A case field's row.
struct FieldRow {
    id: String,
    name: String,
    kind: String,
    options: String,
    mandatory: bool,
    enabled: bool,
    position: i64,
}

/// A profile the user may tick for someone.
struct ProfileTick {
    id: String,
    name: String,
    on: bool,
}

/// A user's row.
struct UserRow {
    id: String,
    name: String,
    email: String,
    admin: bool,
    care_access: String,
    capacity: u32,
    load: i64,
    active: bool,
    /// The supervisor may change this user (never an admin).
    editable: bool,
    profiles: Vec<ProfileTick>,
    /// The user's profiles the viewer does not see, kept as they are when saving.
    other_profiles: String,
}

/// A profile's row.
struct ProfileRow {
    id: String,
    network: String,
    network_label: &'static str,
    external_id: String,
    app_id: String,
    name: String,
    webhook_url: String,
    health: String,
    healthy: bool,
    x: bool,
    /// New cases go to an available agent on their own.
    auto_assign: bool,
}

/// A network app a new profile may use (no secrets).
struct AppChoice {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    admin: bool,
    /// The viewer keeps the installation's settings (else they see only their saved replies).
    supervisor: bool,
    /// Saved replies: the shared ones and the viewer's own.
    replies: RepliesSection,
    /// The grace period in hours (exact: a fraction when it is not whole hours).
    grace_hours: String,
    default_capacity: u32,
    fields: Vec<FieldRow>,
    users: Vec<UserRow>,
    profiles: Vec<ProfileRow>,
    /// The network apps, for admins adding a profile.
    apps: Vec<AppChoice>,
    /// The Salesforce connection (admins).
    salesforce: SalesforceRow,
}

/// The Salesforce connection as admins see it: never its secrets.
#[derive(Default)]
struct SalesforceRow {
    state: String,
    login_url: String,
    client_id: String,
    flow: String,
    instance_url: String,
    error: String,
    usage: String,
}

async fn salesforce_row(state: &AppState, who: &WebUser) -> SalesforceRow {
    let Ok(view) = state.app.salesforce_connection(who.user.id).await else {
        return SalesforceRow::default();
    };
    SalesforceRow {
        state: view.state.as_str().to_owned(),
        login_url: view
            .login_url
            .unwrap_or_else(|| "https://login.salesforce.com".to_owned()),
        client_id: view.client_id.unwrap_or_default(),
        flow: view.flow.unwrap_or("").replace('_', "-"),
        instance_url: view.instance_url.unwrap_or_default(),
        error: view.error.unwrap_or_default(),
        usage: view
            .usage
            .map(|u| {
                format!(
                    "{} of {} API calls used in the last 24 hours",
                    u.used, u.limit
                )
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "refused.html")]
struct Refused {
    chrome: Chrome,
}

/// Seconds as hours, without a trailing fraction when whole.
fn hours(secs: i64) -> String {
    if secs % 3_600 == 0 {
        (secs / 3_600).to_string()
    } else {
        let exact = format!("{:.4}", secs as f64 / 3_600.0);
        exact.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn refused(chrome: Chrome) -> Response {
    let mut response = render(&Refused { chrome });
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

fn failed(error: caredesk_app::AppError) -> Response {
    tracing::error!(%error, "web: settings could not be read");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the settings cannot be shown",
    )
        .into_response()
}

/// The page of a Care agent: their saved replies alone.
fn replies_only(chrome: Chrome, replies: RepliesSection) -> SettingsPage {
    SettingsPage {
        chrome,
        admin: false,
        supervisor: false,
        replies,
        grace_hours: String::new(),
        default_capacity: 0,
        fields: Vec::new(),
        users: Vec::new(),
        profiles: Vec::new(),
        apps: Vec::new(),
        salesforce: SalesforceRow::default(),
    }
}

/// `GET /settings`: every Care user keeps their saved replies here; supervisors and admins
/// the rest too. Others are refused.
pub(crate) async fn page(State(state): State<AppState>, who: WebUser) -> Response {
    let chrome = Chrome::load(&state, &who, "settings").await;
    let me = &who.user;
    let admin = me.is_admin();
    let replies = match state.app.saved_replies_for(me).await {
        Ok(replies) => RepliesSection::new(me, &replies),
        Err(error) if error.refusal().is_some() => return refused(chrome),
        Err(error) => return failed(error),
    };
    let screen = match state.app.settings_screen(me).await {
        Ok(screen) => screen,
        Err(error) if error.refusal().is_some() => {
            return render(&replies_only(chrome, replies));
        }
        Err(error) => return failed(error),
    };
    let apps = screen
        .apps
        .iter()
        .map(|a| AppChoice {
            id: a.id.to_string(),
            label: format!("{} ({})", a.name, a.network),
        })
        .collect();
    let salesforce = if admin {
        salesforce_row(&state, &who).await
    } else {
        SalesforceRow::default()
    };
    let visible = &screen.profiles;
    let users = screen
        .users
        .iter()
        .map(|u| {
            let user = &u.user;
            UserRow {
                id: user.id.to_string(),
                name: user.name.clone(),
                email: if admin {
                    user.email.clone()
                } else {
                    String::new()
                },
                admin: user.is_admin(),
                care_access: user.care_access.to_string(),
                capacity: user.capacity,
                load: u.load,
                active: user.active,
                editable: u.editable,
                profiles: visible
                    .iter()
                    .map(|p| ProfileTick {
                        id: p.id.to_string(),
                        name: p.name.clone(),
                        on: user.profile_ids.contains(&p.id),
                    })
                    .collect(),
                other_profiles: user
                    .profile_ids
                    .iter()
                    .filter(|id| !visible.iter().any(|p| p.id == **id))
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect();
    let base = state.public_url.as_deref().map(|u| u.trim_end_matches('/'));
    let profiles = visible
        .iter()
        .map(|p| {
            let path = crate::webhooks::webhook_path(p);
            let problems: Vec<String> = screen
                .health
                .iter()
                .find(|h| h.profile_id == p.id)
                .map(|h| h.problems.iter().map(|x| x.describe()).collect())
                .unwrap_or_default();
            ProfileRow {
                id: p.id.to_string(),
                network: p.network.to_string(),
                network_label: p.network.label(),
                auto_assign: p.auto_assign,
                external_id: p.external_id.clone(),
                app_id: p.app_id.to_string(),
                name: p.name.clone(),
                webhook_url: base.map_or_else(
                    || format!("(set the public URL) {path}"),
                    |b| format!("{b}{path}"),
                ),
                healthy: problems.is_empty(),
                health: if problems.is_empty() {
                    "Healthy".to_owned()
                } else {
                    problems.join("; ")
                },
                x: p.network.app_network() == AppNetwork::X,
            }
        })
        .collect();
    render(&SettingsPage {
        chrome,
        admin,
        supervisor: true,
        replies,
        grace_hours: hours(screen.settings.grace_period_secs),
        default_capacity: screen.settings.default_capacity,
        fields: screen
            .fields
            .into_iter()
            .map(|f| FieldRow {
                id: f.id.to_string(),
                name: f.name,
                kind: super::words::field_kind_label(f.kind).to_owned(),
                options: f.options.join(", "),
                mandatory: f.mandatory,
                enabled: f.enabled,
                position: f.position,
            })
            .collect(),
        users,
        profiles,
        apps,
        salesforce,
    })
}
