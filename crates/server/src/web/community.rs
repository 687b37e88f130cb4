//! Community: the inbox of the signed-in user's profiles (PRODUCT.md §2) with its filters, each
//! item's status, labels and, when a case in Care holds it, the case's badge. The page is drawn
//! by the server; `assets/community.js` changes status and labels, replies and escalates through
//! the JSON API and redraws the list from `GET /community/list` when the stream reports a change.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use caredesk_domain::CommunityStatus;
use caredesk_store::views::community::ItemQuery;
use caredesk_store::{ItemRow, ProfileScope};
use serde::Deserialize;

use super::forms::{choices, Choice};
use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

/// The filters of the page, as in the address.
#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    status: Option<String>,
    profile_id: Option<String>,
    locked: Option<String>,
    label: Option<String>,
    q: Option<String>,
}

/// One row of the inbox.
struct Row {
    id: String,
    profile_id: String,
    customer: String,
    handle: String,
    network: String,
    text: String,
    status: String,
    labels: Vec<String>,
    badge: Option<(i64, String)>,
    customer_case: Option<(i64, String)>,
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
#[template(path = "community_list.html")]
struct ListFragment {
    rows: Vec<Row>,
    error: Option<String>,
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
    label: String,
    q: String,
    fields: Vec<Field>,
    assignees: Vec<Assignee>,
}

const STATUSES: [(&str, &str); 5] = [
    ("", "To handle"),
    ("none", "Not handled"),
    ("in_progress", "In progress"),
    ("no_action", "No action"),
    ("done", "Done"),
];

fn status_words(status: CommunityStatus) -> String {
    let code = status.to_string();
    STATUSES
        .iter()
        .find(|(value, _)| *value == code)
        .map_or(code.clone(), |(_, words)| (*words).to_owned())
}

fn row(r: &ItemRow) -> Row {
    let d = &r.customer.details;
    Row {
        id: r.item.id.to_string(),
        profile_id: r.item.profile_id.to_string(),
        customer: d.display_name.clone(),
        handle: d.handle.clone(),
        network: r.customer.network.to_string(),
        text: r.message.text.clone(),
        status: status_words(r.item.status),
        labels: r.item.labels.iter().cloned().collect(),
        badge: r
            .locking_case
            .as_ref()
            .map(|b| (b.number, b.status.to_string())),
        customer_case: r
            .customer_case
            .as_ref()
            .map(|b| (b.number, b.status.to_string())),
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

async fn list(state: &AppState, who: &WebUser, filters: &Filters) -> ListFragment {
    let statuses = match non_empty(&filters.status) {
        Some(s) => match s.parse::<CommunityStatus>() {
            Ok(status) => vec![status],
            Err(_) => {
                return ListFragment {
                    rows: Vec::new(),
                    error: Some("That status is not known.".to_owned()),
                }
            }
        },
        None => Vec::new(),
    };
    let query = ItemQuery {
        profiles: ProfileScope::of(&who.user),
        statuses,
        profile_id: non_empty(&filters.profile_id).and_then(|p| p.parse().ok()),
        locked: match non_empty(&filters.locked).as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        },
        label: non_empty(&filters.label),
        text: non_empty(&filters.q),
        newest_first: false,
        cursor: None,
        limit: 200,
    };
    match state.app.store().community_items(&query).await {
        Ok(page) => ListFragment {
            rows: page.items.iter().map(row).collect(),
            error: None,
        },
        Err(error) => {
            tracing::error!(%error, "web: the community inbox could not be read");
            ListFragment {
                rows: Vec::new(),
                error: Some("The inbox cannot be shown right now.".to_owned()),
            }
        }
    }
}

/// `GET /community`.
pub(crate) async fn page(
    State(state): State<AppState>,
    who: WebUser,
    Query(filters): Query<Filters>,
) -> Response {
    let chrome = Chrome::load(&state, &who, "community").await;
    let list = match list(&state, &who, &filters).await.render() {
        Ok(html) => html,
        Err(error) => {
            tracing::error!(%error, "web: the community list could not be rendered");
            "<p class=\"notice\">The inbox cannot be shown right now.</p>".to_owned()
        }
    };
    let store = state.app.store();
    let chosen_status = non_empty(&filters.status).unwrap_or_default();
    let chosen_profile = non_empty(&filters.profile_id).unwrap_or_default();
    let chosen_locked = non_empty(&filters.locked).unwrap_or_default();
    let profiles = store.profiles().await.unwrap_or_else(|error| {
        tracing::warn!(%error, "web: profiles could not be read");
        Vec::new()
    });
    let mut profile_choices = vec![Choice {
        value: String::new(),
        label: "All profiles".to_owned(),
        selected: chosen_profile.is_empty(),
    }];
    profile_choices.extend(
        profiles
            .iter()
            .filter(|p| who.user.connected_to(p.id))
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("{} ({})", p.name, p.network),
                selected: chosen_profile == p.id.to_string(),
            }),
    );
    let mut enabled: Vec<_> = store
        .case_fields()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.enabled)
        .collect();
    enabled.sort_by_key(|f| f.position);
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
    let assignees = store
        .users()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.user.active && u.user.has_care_access())
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
    render(&CommunityPage {
        chrome,
        list,
        statuses: choices(STATUSES, &chosen_status),
        profiles: profile_choices,
        locked: [
            ("", "Locked or free"),
            ("true", "Held by a case"),
            ("false", "Free"),
        ]
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            selected: chosen_locked == *value,
        })
        .collect(),
        label: non_empty(&filters.label).unwrap_or_default(),
        q: non_empty(&filters.q).unwrap_or_default(),
        fields,
        assignees,
    })
}

/// `GET /community/list`: the list alone, for the script to redraw it in place.
pub(crate) async fn fragment(
    State(state): State<AppState>,
    who: WebUser,
    Query(filters): Query<Filters>,
) -> Response {
    render(&list(&state, &who, &filters).await)
}
