//! What every page shows around its content: the signed-in user with their role (a link to their
//! profile), the zone the page's times are written in (theirs, or the browser's), the sections
//! they may open, the sign-out form, and a banner for each of their profiles that is unhealthy
//! (token refused, webhooks silent, replies piling up), and where the live stream resumes for the
//! page (the change log's end when it was drawn, so nothing committed after that is missed), and
//! the bell with the user's unread notifications.

use caredesk_domain::{policy, CareAccess, Role, User};

use super::WebUser;
use crate::AppState;

/// The frame of a page.
pub(crate) struct Chrome {
    /// The user's name.
    pub user_name: String,
    /// Their role in words.
    pub role: String,
    /// The section shown (`home`, `care`, `community`, `settings`).
    pub section: &'static str,
    /// May open Care.
    pub care: bool,
    /// May open Settings (every Care user keeps their saved replies there).
    pub settings: bool,
    /// May open Reports (supervisors).
    pub reports: bool,
    /// The session's CSRF token (sign-out form, the script's API calls).
    pub csrf: String,
    /// One line per unhealthy profile.
    pub banners: Vec<String>,
    /// The change log's end when the page was drawn (empty when it could not be read).
    pub stream_from: String,
    /// The user's unread notifications (the bell's count).
    pub unread: i64,
    /// The IANA zone the page's times are written in; empty for the browser's own.
    pub time_zone: String,
}

/// A user's role in words.
pub(crate) fn role_words(user: &User) -> String {
    let access = match user.care_access {
        CareAccess::None => "Community agent",
        CareAccess::Agent => "Care agent",
        CareAccess::Supervisor => "Care supervisor",
    };
    match user.role {
        Role::Admin => format!("Admin · {access}"),
        Role::Member => access.to_owned(),
    }
}

impl Chrome {
    /// The frame for `who` on `section`, with the health of the profiles they work on.
    pub async fn load(state: &AppState, who: &WebUser, section: &'static str) -> Chrome {
        let user = &who.user;
        let banners = match state.app.profile_alerts(user).await {
            Ok(alerts) => alerts
                .iter()
                .map(|alert| {
                    let name = alert.name.as_deref().unwrap_or("A profile");
                    let problems: Vec<String> =
                        alert.problems.iter().map(|p| p.describe()).collect();
                    format!("{name}: {}", problems.join("; "))
                })
                .collect(),
            Err(error) => {
                tracing::warn!(%error, "web: profile health could not be read");
                Vec::new()
            }
        };
        let stream_from = match state.app.change_log_end().await {
            Ok(cursor) => cursor.encode(),
            Err(error) => {
                tracing::warn!(%error, "web: the change log's end could not be read");
                String::new()
            }
        };
        let unread = match state.app.unread_notifications(user).await {
            Ok(n) => n,
            Err(error) => {
                tracing::warn!(%error, "web: the unread notifications could not be counted");
                0
            }
        };
        Chrome {
            unread,
            stream_from,
            user_name: user.name.clone(),
            role: role_words(user),
            section,
            care: user.has_care_access(),
            settings: policy::saved_replies::require_saved_replies(user).is_ok(),
            reports: policy::require_supervisor(user).is_ok(),
            csrf: who.csrf.clone(),
            banners,
            time_zone: user
                .time_zone
                .as_ref()
                .map(|z| z.to_string())
                .unwrap_or_default(),
        }
    }
}
