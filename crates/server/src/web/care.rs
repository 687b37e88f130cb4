//! Care: the inbox page of PRODUCT.md §2–§7 — the views with their counts and the case list on
//! the left, the selected case's conversation and reply composer in the middle, the case panel
//! (Case, Customer, History, Salesforce) on the right. The page is drawn by the server (escaped
//! by askama); `assets/care.js` acts through the JSON API and redraws the page's regions from
//! this same page when the event stream reports a change. This module owns the page and its
//! list; the selected case is `care_case`'s.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caredesk_app::queries::{
    case_viewer, CareRow, CaseFilter, CaseListRequest, CaseRef, UserView, View,
};
use caredesk_app::PageRequest;
use caredesk_domain::customer::shown_name;
use caredesk_domain::policy::reads::grace_countdown;
use caredesk_domain::Timestamp;

use super::attachments::summary;
use super::care_case::{failure, open_case, Open};
use super::care_list::{rows_asked, CareParams, ListAddress, PAGE_ROWS};
use super::forms::Choice;
use super::home::duration_words;
use super::layout::Chrome;
use super::sla_badge::SlaBadge;
use super::words::{priority_label, status_label, time_fallback};
use super::{render, WebUser};
use crate::AppState;

/// The views of the left column, in order.
const VIEWS: [(&str, &str); 9] = [
    ("inbox", "Inbox"),
    ("new", "New"),
    ("my_open", "My open"),
    ("my_pending", "My pending"),
    ("my_on_hold", "My on hold"),
    ("done", "Done"),
    ("spam", "Spam"),
    ("mentions", "Mentions"),
    ("sla_at_risk", "SLA at risk"),
];

/// A view link with its count.
struct ViewLink {
    label: &'static str,
    count: i64,
    href: String,
    current: bool,
}

/// A row of the case list.
struct Row {
    /// The case's id (what bulk actions name).
    id: i64,
    number: i64,
    name: String,
    /// Without `@`; empty when the network gave none.
    handle: String,
    network: &'static str,
    status: String,
    status_label: &'static str,
    priority: &'static str,
    marked: bool,
    initials: String,
    assignee: String,
    /// When the case was escalated (RFC 3339) and its age in words.
    created: String,
    age: String,
    href: String,
    selected: bool,
    /// The first line of the message the case was escalated from.
    excerpt: String,
    /// For Done cases in grace: when reopening ends (RFC 3339 and in words).
    grace: String,
    grace_words: String,
    /// The most urgent service-level target.
    sla: SlaBadge,
}

#[derive(Template)]
#[template(path = "care.html")]
struct CarePage {
    chrome: Chrome,
    views: Vec<ViewLink>,
    rows: Vec<Row>,
    view: String,
    status: String,
    q: String,
    /// The sort control's options.
    sorts: Vec<Choice>,
    /// How many rows a page of the list shows (the page script's "Load more" and redraws).
    page_rows: u32,
    next_href: Option<String>,
    open: Option<Open>,
    error: Option<String>,
    empty_words: &'static str,
    me: String,
    /// The list's address with its filters, for the back link on narrow screens.
    list_href: String,
    /// Who the open case's notes may mention (`@`): id and name.
    mentionable: Vec<(String, String)>,
    /// The list's filters and order as a query (what the page script compares before keeping
    /// the rows it shows).
    list_query: String,
}

/// "Ann Lee" → "AL".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

fn user_name(users: &[UserView], id: Option<caredesk_domain::UserId>) -> String {
    match id {
        None => String::new(),
        Some(id) => users
            .iter()
            .find(|u| u.user.id == id)
            .map_or_else(|| "someone".to_owned(), |u| u.user.name.clone()),
    }
}

/// The list rows.
fn rows(
    rows: &[CareRow],
    users: &[UserView],
    now: Timestamp,
    selected: Option<i64>,
    suffix: &str,
) -> Vec<Row> {
    rows.iter()
        .map(|care| {
            let r = &care.row;
            let c = &r.case;
            let assignee = user_name(users, c.assignee_id);
            let grace = grace_countdown(c, now);
            Row {
                id: c.id.0,
                number: c.number,
                name: shown_name(
                    r.network,
                    &r.customer_name,
                    &r.customer_handle,
                    &r.customer_user_id,
                ),
                handle: if r.customer_name.trim().is_empty() {
                    String::new()
                } else {
                    r.customer_handle.trim_start_matches('@').to_owned()
                },
                network: r.network.label(),
                status: c.status.to_string(),
                status_label: status_label(c.status),
                priority: priority_label(c.priority),
                marked: c.priority.rank() <= caredesk_domain::Priority::High.rank(),
                initials: initials(&assignee),
                assignee,
                created: c.created_at.to_rfc3339(),
                age: duration_words(now.as_secs().saturating_sub(c.created_at.as_secs())),
                href: format!("/care/cases/{}{suffix}", c.number),
                selected: selected == Some(c.number),
                excerpt: care
                    .escalated
                    .as_ref()
                    .map(|m| summary(m, 90))
                    .unwrap_or_default(),
                grace: grace.map(|until| until.to_rfc3339()).unwrap_or_default(),
                grace_words: grace.map(time_fallback).unwrap_or_default(),
                sla: SlaBadge::of(&care.sla),
            }
        })
        .collect()
}

async fn build(
    state: &AppState,
    who: &WebUser,
    params: CareParams,
    number: Option<i64>,
) -> Result<CarePage, Response> {
    let user = &who.user;
    let chrome = Chrome::load(state, who, "care").await;
    let Ok(viewer) = case_viewer(user) else {
        return Err((StatusCode::FORBIDDEN, "Care is for Care users.").into_response());
    };
    let not_found = || (StatusCode::NOT_FOUND, "no such case").into_response();
    let case = match number {
        None => None,
        Some(n) => match state.app.case_for(user, CaseRef::Number(n)).await {
            Ok(case) => Some(case),
            Err(error) if error.refusal().is_some() => return Err(not_found()),
            Err(error) => {
                tracing::error!(%error, "web: a case could not be read");
                return Err(not_found());
            }
        },
    };
    let address = ListAddress::of(&params);
    let view = address.view;
    let view_key = view.as_str().to_owned();
    let mut error = None;
    let users = match state.app.list_users(user).await {
        Ok(users) => users,
        Err(e) => {
            error = Some(failure(&e, "The users"));
            Vec::new()
        }
    };
    let counts = match state.app.case_counts(user).await {
        Ok(counts) => counts,
        Err(e) => {
            error = Some(failure(&e, "The counts"));
            Vec::new()
        }
    };
    let views = VIEWS
        .iter()
        .map(|(key, label)| ViewLink {
            label,
            count: counts
                .iter()
                .find(|(v, _)| v.as_str() == *key)
                .map_or(0, |(_, n)| *n),
            href: format!("/care?view={key}"),
            current: *key == view_key,
        })
        .collect();
    let request = CaseListRequest {
        view,
        filter: CaseFilter {
            status: address.status.parse().ok(),
            text: (!address.q.is_empty()).then(|| address.q.clone()),
            ..Default::default()
        },
        sort: address.order(),
        page: PageRequest {
            limit: Some(rows_asked(params.limit)),
            cursor: params.cursor.clone(),
        },
    };
    let suffix = address.href("", None);
    let now = state.app.now();
    let (list, next_href) = match state.app.care_list(&viewer, request).await {
        Ok(page) => (
            rows(&page.items, &users, now, number, &suffix),
            page.next_cursor.map(|c| {
                let base =
                    number.map_or_else(|| "/care".to_owned(), |n| format!("/care/cases/{n}"));
                address.href(&base, Some(&c))
            }),
        ),
        Err(e) => {
            error = Some(failure(&e, "The case list"));
            (Vec::new(), None)
        }
    };
    let mentionable = match &case {
        None => Vec::new(),
        Some(case) => match state.app.mentionable(user, case).await {
            Ok(found) => found
                .into_iter()
                .map(|u| (u.id.to_string(), u.name))
                .collect(),
            Err(e) => {
                error = Some(failure(&e, "The colleagues to mention"));
                Vec::new()
            }
        },
    };
    let open = match case {
        None => None,
        Some(case) => match state.app.case_page_reads(user, case).await {
            Ok(screen) => Some(open_case(user, screen, &users, now)),
            Err(e) => {
                error = Some(failure(&e, "This case"));
                None
            }
        },
    };
    let empty_words = match view {
        View::New => "No new cases. Escalations from Community will appear here.",
        View::Done => "No Done cases.",
        View::Spam => "No Spam cases.",
        View::Mentions => {
            "No mentions. When a colleague mentions you in a note, the case appears here."
        }
        View::SlaAtRisk => "No case is at risk of missing its service level.",
        _ => "No cases here.",
    };
    let back = address.href("/care", None);
    Ok(CarePage {
        chrome,
        views,
        rows: list,
        view: view_key,
        sorts: address.sorts(),
        page_rows: PAGE_ROWS,
        status: address.status,
        q: address.q,
        next_href,
        open,
        error,
        empty_words,
        me: user.id.to_string(),
        list_href: back,
        mentionable,
        list_query: suffix,
    })
}

/// `GET /care`.
pub(crate) async fn list(
    State(state): State<AppState>,
    who: WebUser,
    Query(params): Query<CareParams>,
) -> Response {
    match build(&state, &who, params, None).await {
        Ok(page) => render(&page),
        Err(response) => response,
    }
}

/// `GET /care/cases/{number}`.
pub(crate) async fn case(
    State(state): State<AppState>,
    who: WebUser,
    Path(number): Path<String>,
    Query(params): Query<CareParams>,
) -> Response {
    let Ok(number) = number.trim_start_matches('#').parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "no such case").into_response();
    };
    match build(&state, &who, params, Some(number)).await {
        Ok(page) => render(&page),
        Err(response) => response,
    }
}
