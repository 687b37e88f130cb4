//! Community: the inbox of the signed-in user's profiles (PRODUCT.md §2–§5) as a workspace like
//! Care. On the left the list with its filters and sort (who, kind, network, age, first line,
//! status, labels, the Care badge); in the middle the selected item's conversation with the
//! composer, which offers only the reply kinds the network carries for the chosen message; on
//! the right the item's actions (status, labels, escalation). The selected item is in the
//! address (`/community/items/{id}`, the filters in the query). Everything is drawn by the
//! server and escaped by askama; `assets/community.js` acts through the JSON API and redraws
//! the page's regions from this same page when the event stream reports a change. This module
//! owns the page, its filters and the escalation dialog's choices; the list is
//! `community_list`'s, the selected item `community_item`'s.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use caredesk_app::queries::ItemRow;
use caredesk_domain::policy::reads::takes_cases;
use serde::Deserialize;

use super::community_item::{open_item, Open};
use super::community_list::list;
use super::forms::{choices, Choice};
use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

/// The filters and sort of the page, as in the address.
#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    pub(crate) status: Option<String>,
    pub(crate) profile_id: Option<String>,
    pub(crate) locked: Option<String>,
    pub(crate) label: Option<String>,
    pub(crate) q: Option<String>,
    /// `oldest` (default) or `newest`.
    pub(crate) sort: Option<String>,
    pub(crate) cursor: Option<String>,
    /// Items to show (1 to 200): the page script asks for as many as a longer list shows.
    pub(crate) limit: Option<u32>,
    /// The item shown as selected in the `/community/list` fragment.
    pub(crate) item: Option<String>,
}

impl Filters {
    /// The filters as a query string (`?status=done&q=…`, or empty), with the list's cursor.
    pub(crate) fn query(&self) -> String {
        match non_empty(&self.cursor) {
            Some(cursor) => self.query_with_cursor(&cursor),
            None => self.filters_only(),
        }
    }

    /// The filters alone, without a cursor.
    pub(crate) fn filters_only(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (name, value) in [
            ("status", &self.status),
            ("profile_id", &self.profile_id),
            ("locked", &self.locked),
            ("label", &self.label),
            ("q", &self.q),
        ] {
            if let Some(value) = non_empty(value) {
                pairs.push((name, value));
            }
        }
        if self.newest_first() {
            pairs.push(("sort", "newest".to_owned()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        serde_urlencoded::to_string(&pairs)
            .map(|q| format!("?{q}"))
            .unwrap_or_default()
    }

    /// The filters with this cursor.
    pub(crate) fn query_with_cursor(&self, cursor: &str) -> String {
        let base = self.filters_only();
        let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        if base.is_empty() {
            format!("?{cursor}")
        } else {
            format!("{base}&{cursor}")
        }
    }

    pub(crate) fn newest_first(&self) -> bool {
        non_empty(&self.sort).as_deref() == Some("newest")
    }
}

/// A case field offered in the escalation dialog.
struct Field {
    id: String,
    name: String,
    kind: &'static str,
    options: Vec<String>,
    mandatory: bool,
}

/// A Care user who may receive an escalated case.
struct Assignee {
    id: String,
    name: String,
    profiles: String,
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    chrome: Chrome,
    /// The list, already rendered (escaped) by its own template.
    list: String,
    statuses: Vec<Choice>,
    profiles: Vec<Choice>,
    locked: Vec<Choice>,
    sorts: Vec<Choice>,
    label: String,
    q: String,
    /// The list with these filters (the phone's back link).
    inbox_href: String,
    open: Option<Open>,
    /// Why the asked-for item is not shown.
    notice: Option<String>,
    fields: Vec<Field>,
    assignees: Vec<Assignee>,
}

pub(crate) const STATUSES: [(&str, &str); 5] = [
    ("", "To handle"),
    ("none", "Not handled"),
    ("in_progress", "In progress"),
    ("no_action", "No action"),
    ("done", "Done"),
];

pub(crate) fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Reads the item `id` for `who`: `Ok(None)` when it does not exist or is not on their
/// profiles.
async fn visible_item(
    state: &AppState,
    who: &WebUser,
    id: &str,
) -> Result<Option<ItemRow>, String> {
    let Ok(id) = id.parse() else {
        return Ok(None);
    };
    match state.app.community_item(&who.user, id).await {
        Ok(row) => Ok(Some(row)),
        Err(error) if error.refusal().is_some() => Ok(None),
        Err(error) => {
            tracing::error!(%error, "web: a community item could not be read");
            Err("This item cannot be shown right now.".to_owned())
        }
    }
}

async fn build(
    state: &AppState,
    who: &WebUser,
    filters: &Filters,
    item: Option<&str>,
) -> (StatusCode, CommunityPage) {
    let chrome = Chrome::load(state, who, "community").await;
    let profiles = state
        .app
        .visible_profiles(&who.user)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "web: profiles could not be read");
            Vec::new()
        });
    let users = state
        .app
        .list_users(&who.user)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "web: users could not be read");
            Vec::new()
        });
    let mut code = StatusCode::OK;
    let mut notice = None;
    let mut open = None;
    if let Some(id) = item {
        match visible_item(state, who, id).await {
            Ok(Some(row)) => {
                let profile_name = profiles
                    .iter()
                    .find(|p| p.id == row.item.profile_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                match open_item(state, who, &row, profile_name, &users).await {
                    Ok(found) => open = Some(found),
                    Err(words) => notice = Some(words),
                }
            }
            Ok(None) => {
                code = StatusCode::NOT_FOUND;
                notice = Some("This item does not exist or is not on your profiles.".to_owned());
            }
            Err(words) => notice = Some(words),
        }
    }
    let selected = open.as_ref().map(|o| o.id.clone());
    let list = match list(state, who, filters, selected.as_deref())
        .await
        .render()
    {
        Ok(html) => html,
        Err(error) => {
            tracing::error!(%error, "web: the community list could not be rendered");
            "<p class=\"notice\">The inbox cannot be shown right now.</p>".to_owned()
        }
    };
    let chosen_status = non_empty(&filters.status).unwrap_or_default();
    let chosen_profile = non_empty(&filters.profile_id).unwrap_or_default();
    let chosen_locked = non_empty(&filters.locked).unwrap_or_default();
    let mut profile_choices = vec![Choice {
        value: String::new(),
        label: "All profiles".to_owned(),
        selected: chosen_profile.is_empty(),
    }];
    profile_choices.extend(profiles.iter().map(|p| Choice {
        value: p.id.to_string(),
        label: format!("{} ({})", p.name, p.network.label()),
        selected: chosen_profile == p.id.to_string(),
    }));
    let enabled = state.app.escalation_fields().await.unwrap_or_else(|error| {
        tracing::warn!(%error, "web: case fields could not be read");
        Vec::new()
    });
    let fields: Vec<Field> = enabled
        .into_iter()
        .map(|f| Field {
            id: f.id.to_string(),
            name: f.name,
            kind: f.kind.as_str(),
            options: f.options,
            mandatory: f.mandatory,
        })
        .collect();
    let assignees = users
        .iter()
        .filter(|u| takes_cases(&u.user))
        .map(|u| Assignee {
            id: u.user.id.to_string(),
            name: u.user.name.clone(),
            profiles: u
                .user
                .profile_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    let page = CommunityPage {
        chrome,
        list,
        statuses: choices(STATUSES, &chosen_status),
        profiles: profile_choices,
        locked: choices(
            [
                ("", "Held or free"),
                ("true", "Held by a case"),
                ("false", "Free"),
            ],
            &chosen_locked,
        ),
        sorts: choices(
            [("oldest", "Oldest first"), ("newest", "Newest first")],
            if filters.newest_first() {
                "newest"
            } else {
                "oldest"
            },
        ),
        label: non_empty(&filters.label).unwrap_or_default(),
        q: non_empty(&filters.q).unwrap_or_default(),
        inbox_href: format!("/community{}", filters.query()),
        open,
        notice,
        fields,
        assignees,
    };
    (code, page)
}

fn respond(code: StatusCode, page: &CommunityPage) -> Response {
    let mut response = render(page);
    if response.status() == StatusCode::OK {
        *response.status_mut() = code;
    }
    response
}

/// `GET /community`: the list, nothing selected.
pub(crate) async fn page(
    State(state): State<AppState>,
    who: WebUser,
    Query(filters): Query<Filters>,
) -> Response {
    let (code, page) = build(&state, &who, &filters, None).await;
    respond(code, &page)
}

/// `GET /community/items/{id}`: the list with the item's conversation, composer and actions.
pub(crate) async fn item(
    State(state): State<AppState>,
    who: WebUser,
    Path(id): Path<String>,
    Query(filters): Query<Filters>,
) -> Response {
    let (code, page) = build(&state, &who, &filters, Some(&id)).await;
    respond(code, &page)
}

/// `GET /community/list`: the list alone (`?item=` marks the selected row).
pub(crate) async fn fragment(
    State(state): State<AppState>,
    who: WebUser,
    Query(filters): Query<Filters>,
) -> Response {
    let selected = non_empty(&filters.item);
    render(&list(&state, &who, &filters, selected.as_deref()).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_travel_in_the_address_without_empty_ones() {
        let filters = Filters {
            status: Some("done".into()),
            q: Some("  ".into()),
            sort: Some("newest".into()),
            ..Filters::default()
        };
        assert_eq!(filters.query(), "?status=done&sort=newest");
        assert_eq!(Filters::default().query(), "");
        assert_eq!(Filters::default().query_with_cursor("a b"), "?cursor=a+b");
        let paged = Filters {
            cursor: Some("c1".into()),
            ..Filters::default()
        };
        assert_eq!(paged.query(), "?cursor=c1");
        assert_eq!(paged.query_with_cursor("c2"), "?cursor=c2");
    }
}
