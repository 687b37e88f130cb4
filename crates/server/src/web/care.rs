//! Care: the inbox page of PRODUCT.md §2–§7 — the views with their counts and the case list on
//! the left, the selected case's conversation and reply composer in the middle, the case panel
//! (Case, Customer, History, Salesforce) on the right. The page is drawn by the server (escaped
//! by askama); `assets/care.js` acts through the JSON API and redraws the page's regions from
//! this same page when the event stream reports a change.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caredesk_domain::{policy, Author, Case, CaseStatus, Customer, Delivery, EventKind, User};
use caredesk_store::{CaseFilter, CaseQuery, CaseRow, UserWithLoad, View, Viewer};
use serde::Deserialize;

use super::forms::{choices, Choice};
use super::home::duration_words;
use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

/// The views of the left column, in order.
const VIEWS: [(&str, &str); 7] = [
    ("inbox", "Inbox"),
    ("new", "New"),
    ("my_open", "My open"),
    ("my_pending", "My pending"),
    ("my_on_hold", "My on hold"),
    ("done", "Done"),
    ("spam", "Spam"),
];

/// How many rows a page of the list shows.
const PAGE_ROWS: u32 = 50;

/// The query of the Care page.
#[derive(Deserialize, Default)]
pub(crate) struct CareParams {
    view: Option<String>,
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

/// A view link with its count.
struct ViewLink {
    label: &'static str,
    count: i64,
    href: String,
    current: bool,
}

/// A row of the case list.
struct Row {
    number: i64,
    name: String,
    handle: String,
    network: String,
    status: String,
    status_label: &'static str,
    priority: String,
    marked: bool,
    initials: String,
    assignee: String,
    age: String,
    href: String,
    selected: bool,
    /// The first line of the message the case was escalated from.
    excerpt: String,
    /// For Done cases in grace: when reopening ends.
    grace: String,
}

/// One line of the conversation: a message or an activity-log entry.
struct Entry {
    /// `customer`, `brand`, `note` or `event`.
    class: String,
    who: String,
    text: String,
    at: String,
    marks: Vec<String>,
    delivery: String,
    error: String,
    at_micros: i64,
    /// The message's id (empty for events).
    id: String,
    /// A reply the assignee may retry or cancel.
    retryable: bool,
}

/// A message a reply may answer.
struct Target {
    id: String,
    label: String,
    hidden: bool,
}

/// A case field with its value in words.
struct FieldLine {
    id: String,
    name: String,
    /// text, number, date, select, multiselect or checkbox.
    kind: String,
    value: String,
    options: Vec<Choice>,
    checked: bool,
    mandatory: bool,
}

/// An earlier case of the customer.
struct Earlier {
    number: i64,
    status_label: &'static str,
    created: String,
    current: bool,
}

/// The selected case.
struct Open {
    id: String,
    number: i64,
    version: i64,
    status: String,
    status_label: &'static str,
    assignee_name: String,
    entries: Vec<Entry>,
    targets: Vec<Target>,
    can_reply: bool,
    reply_reason: String,
    can_status: bool,
    status_reason: String,
    is_assignee: bool,
    /// A direct-message conversation: replies go as DMs only.
    dm: bool,
    assignees: Vec<Choice>,
    statuses: Vec<Choice>,
    priorities: Vec<Choice>,
    sentiments: Vec<Choice>,
    fields: Vec<FieldLine>,
    customer: Customer,
    network: String,
    history: Vec<Earlier>,
    conversations: Vec<String>,
    salesforce: super::care_salesforce::SalesforceTab,
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
    next_href: Option<String>,
    open: Option<Open>,
    error: Option<String>,
    empty_words: &'static str,
    me: String,
}

/// A status in words.
fn status_label(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::New => "New",
        CaseStatus::Open => "Open",
        CaseStatus::Pending => "Pending",
        CaseStatus::OnHold => "On hold",
        CaseStatus::Done => "Done",
        CaseStatus::Spam => "Spam",
    }
}

/// "Ann Lee" → "AL".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The link of the list with its filters (and a case, a cursor).
fn list_href(base: &str, view: &str, status: &str, q: &str, cursor: Option<&str>) -> String {
    let mut pairs = vec![("view", view)];
    if !status.is_empty() {
        pairs.push(("status", status));
    }
    if !q.is_empty() {
        pairs.push(("q", q));
    }
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{base}?{query}")
}

fn user_name(users: &[UserWithLoad], id: Option<caredesk_domain::UserId>) -> String {
    match id {
        None => String::new(),
        Some(id) => users
            .iter()
            .find(|u| u.user.id == id)
            .map_or_else(|| "someone".to_owned(), |u| u.user.name.clone()),
    }
}

/// A readable failure; the cause is logged.
fn words(error: &impl std::fmt::Display, what: &str) -> String {
    tracing::error!(%error, "web: {what} could not be read");
    format!("{what} cannot be shown right now.")
}

/// The list rows.
fn rows(
    rows: &[CaseRow],
    users: &[UserWithLoad],
    now: i64,
    selected: Option<i64>,
    suffix: &str,
) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            let c = &r.case;
            let assignee = user_name(users, c.assignee_id);
            Row {
                number: c.number,
                name: r.customer_name.clone(),
                handle: r.customer_handle.clone(),
                network: r.network.to_string(),
                status: c.status.to_string(),
                status_label: status_label(c.status),
                priority: c.priority.to_string(),
                marked: c.priority.rank() <= caredesk_domain::Priority::High.rank(),
                initials: initials(&assignee),
                assignee,
                age: duration_words(now.saturating_sub(c.created_at.as_secs())),
                href: format!("/care/cases/{}{suffix}", c.number),
                selected: selected == Some(c.number),
                excerpt: String::new(),
                grace: match (c.status, c.grace_until) {
                    (CaseStatus::Done, Some(until)) if until.as_secs() > now => until.to_rfc3339(),
                    _ => String::new(),
                },
            }
        })
        .collect()
}

/// An activity-log entry in words.
fn event_words(kind: &EventKind, users: &[UserWithLoad]) -> String {
    match kind {
        EventKind::Assigned { to: Some(to), .. } => {
            format!("assigned to {}", user_name(users, Some(*to)))
        }
        EventKind::Assigned { to: None, .. } => "unassigned".to_owned(),
        EventKind::StatusChanged { from, to } => format!(
            "status changed from {} to {}",
            status_label(*from),
            status_label(*to)
        ),
        EventKind::AutoReopened { to, .. } => format!(
            "reopened automatically by a customer message ({})",
            status_label(*to)
        ),
        EventKind::Reopened { from } => format!("reopened from {}", status_label(*from)),
        EventKind::PriorityChanged { to, .. } => format!("priority set to {to}"),
        EventKind::SentimentChanged { to, .. } => format!("sentiment set to {to}"),
        EventKind::SalesforceLinked { .. } => "linked the customer in Salesforce".to_owned(),
        EventKind::SalesforceCaseCreated { salesforce_id } => {
            format!("created Salesforce Case {salesforce_id}")
        }
        EventKind::SalesforceStatusChanged { from, to } => match from {
            Some(from) => format!("status in Salesforce changed from {from} to {to}"),
            None => format!("status in Salesforce is {to}"),
        },
        other => other.name().replace('_', " "),
    }
}

/// The events of the activity log as conversation lines.
fn event_entries(events: &[caredesk_store::StoredEvent], users: &[UserWithLoad]) -> Vec<Entry> {
    events
        .iter()
        .filter(|e| {
            let name = e.event.kind.name();
            !name.contains("message") && !name.contains("reply") && !name.contains("note")
        })
        .map(|e| {
            let who = match e.event.actor {
                Some(_) => user_name(users, e.event.actor),
                None => "caredesk".to_owned(),
            };
            Entry {
                class: "event".to_owned(),
                who,
                text: event_words(&e.event.kind, users),
                at: e.event.at.to_rfc3339(),
                marks: Vec::new(),
                delivery: String::new(),
                error: String::new(),
                at_micros: e.event.at.0,
                id: String::new(),
                retryable: false,
            }
        })
        .collect()
}

/// Why `user` may not reply on `case`, if they may not (the domain's `Case::accept_reply`
/// refuses a closed case and anyone but the assignee).
fn reply_refusal(user: &User, case: &Case, users: &[UserWithLoad]) -> Option<String> {
    if case.status.is_closed() {
        return Some(format!(
            "Case is {} — reopen to reply",
            status_label(case.status)
        ));
    }
    assignee_refusal(user, case, users)
}

/// Why `user` may not act as the assignee of `case`, if they may not.
fn assignee_refusal(user: &User, case: &Case, users: &[UserWithLoad]) -> Option<String> {
    policy::require_assignee(user, case).err()?;
    match case.assignee_id {
        Some(_) => Some(format!(
            "Assigned to {} — assign to yourself to act",
            user_name(users, case.assignee_id)
        )),
        None => Some("Unassigned — assign to yourself to act".to_owned()),
    }
}

async fn open_case(
    state: &AppState,
    user: &User,
    case: Case,
    users: &[UserWithLoad],
) -> Result<Open, String> {
    let store = state.app.store();
    let customer = store
        .customer(case.customer_id)
        .await
        .map_err(|e| words(&e, "The customer"))?
        .ok_or_else(|| "The customer of this case is not known.".to_owned())?;
    let mut messages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .case_messages(case.id, cursor.as_deref(), 200)
            .await
            .map_err(|e| words(&e, "The conversation"))?;
        messages.extend(page.items);
        match page.next_cursor {
            Some(next) if messages.len() < 2_000 => cursor = Some(next),
            _ => break,
        }
    }
    let events = store
        .case_events(case.id)
        .await
        .map_err(|e| words(&e, "The activity log"))?;
    let dm = messages
        .iter()
        .find(|m| m.id == case.escalated_from)
        .is_some_and(|m| m.kind == caredesk_domain::MessageKind::Direct);
    let mine = case.assignee_id == Some(user.id)
        && !matches!(case.status, CaseStatus::Done | CaseStatus::Spam);
    let mut entries: Vec<Entry> = messages
        .iter()
        .map(|m| {
            let mut marks = Vec::new();
            if m.hidden {
                marks.push("hidden".to_owned());
            }
            if m.deleted {
                marks.push("deleted by the customer".to_owned());
            }
            if m.edited_at.is_some() {
                marks.push("edited".to_owned());
            }
            if m.visible_only_to_customer {
                marks.push("visible only to the customer".to_owned());
            }
            let who = match m.author {
                Author::Customer => customer.details.display_name.clone(),
                Author::Brand => match m.sent_by {
                    Some(_) => user_name(users, m.sent_by),
                    None => "Brand".to_owned(),
                },
                Author::Note => format!("Internal note · {}", user_name(users, m.sent_by)),
            };
            Entry {
                class: m.author.to_string(),
                who,
                text: m.text.clone(),
                at: m.created_at.to_rfc3339(),
                marks,
                delivery: m.delivery.map(|d| d.to_string()).unwrap_or_default(),
                error: m.error.clone().unwrap_or_default(),
                at_micros: m.created_at.0,
                id: m.id.to_string(),
                retryable: mine
                    && matches!(
                        m.delivery,
                        Some(Delivery::Failed | Delivery::DeliveryUnknown | Delivery::Queued)
                    ),
            }
        })
        .collect();
    entries.extend(event_entries(&events, users));
    entries.sort_by_key(|e| e.at_micros);
    let targets = messages
        .iter()
        .filter(|m| m.author == Author::Customer && !m.deleted)
        .map(|m| Target {
            id: m.id.to_string(),
            label: m.text.chars().take(60).collect(),
            hidden: m.hidden,
        })
        .collect();
    let fields = store
        .case_fields()
        .await
        .map_err(|e| words(&e, "The case fields"))?
        .into_iter()
        .filter(|f| f.enabled)
        .map(|f| {
            let value = case
                .fields
                .get(&f.id)
                .map(|v| match v.to_json() {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            FieldLine {
                id: f.id.to_string(),
                kind: f.kind.to_string(),
                options: f
                    .options
                    .iter()
                    .map(|o| Choice {
                        value: o.clone(),
                        label: o.clone(),
                        selected: *o == value,
                    })
                    .collect(),
                checked: value == "true",
                mandatory: f.mandatory,
                value,
                name: f.name,
            }
        })
        .collect();
    let viewer = Viewer::of(user).ok_or_else(|| "Cases are for Care users.".to_owned())?;
    let history = store
        .customer_cases(case.customer_id, &viewer.profiles, None, 20)
        .await
        .map_err(|e| words(&e, "The history"))?
        .items
        .iter()
        .map(|r| Earlier {
            number: r.case.number,
            status_label: status_label(r.case.status),
            created: r.case.created_at.to_rfc3339(),
            current: r.case.id == case.id,
        })
        .collect();
    let conversations = store
        .customer_conversations(case.customer_id, &viewer.profiles, None, 20)
        .await
        .map_err(|e| words(&e, "The history"))?
        .items
        .iter()
        .map(|s| {
            format!(
                "{} · {} messages · last {}",
                s.conversation.kind,
                s.message_count,
                s.last_message_at.to_rfc3339()
            )
        })
        .collect();
    let mut assignees = vec![Choice {
        value: String::new(),
        label: "Unassigned".to_owned(),
        selected: case.assignee_id.is_none(),
    }];
    assignees.extend(
        users
            .iter()
            .filter(|u| {
                u.user.active
                    && u.user.care_access() != caredesk_domain::CareAccess::None
                    && u.user.connected_to(case.profile_id)
            })
            .map(|u| Choice {
                value: u.user.id.to_string(),
                label: format!(
                    "{} ({}/{}){}",
                    u.user.name,
                    u.load,
                    u.user.capacity,
                    if u.load > i64::from(u.user.capacity) {
                        " over capacity"
                    } else {
                        ""
                    }
                ),
                selected: case.assignee_id == Some(u.user.id),
            }),
    );
    let reply = reply_refusal(user, &case, users);
    let status_refusal = assignee_refusal(user, &case, users);
    Ok(Open {
        id: case.id.to_string(),
        number: case.number,
        version: case.version,
        status: case.status.to_string(),
        status_label: status_label(case.status),
        assignee_name: user_name(users, case.assignee_id),
        entries,
        targets,
        can_reply: reply.is_none(),
        reply_reason: reply.unwrap_or_default(),
        can_status: status_refusal.is_none(),
        status_reason: status_refusal.unwrap_or_default(),
        is_assignee: case.assignee_id == Some(user.id),
        dm,
        assignees,
        statuses: choices(
            [
                ("new", "New"),
                ("open", "Open"),
                ("pending", "Pending"),
                ("on_hold", "On hold"),
                ("done", "Done"),
                ("spam", "Spam"),
            ],
            &case.status.to_string(),
        ),
        priorities: choices(
            [
                ("urgent", "Urgent"),
                ("high", "High"),
                ("medium", "Medium"),
                ("low", "Low"),
            ],
            &case.priority.to_string(),
        ),
        sentiments: choices(
            [
                ("positive", "Positive"),
                ("neutral", "Neutral"),
                ("negative", "Negative"),
                ("none", "None"),
            ],
            &case.sentiment.to_string(),
        ),
        fields,
        network: customer.network.to_string(),
        salesforce: super::care_salesforce::tab(state, &case, &customer, state.app.now()).await,
        customer,
        history,
        conversations,
    })
}

async fn build(
    state: &AppState,
    who: &WebUser,
    params: CareParams,
    number: Option<i64>,
) -> Result<CarePage, Response> {
    let user = &who.user;
    let chrome = Chrome::load(state, who, "care").await;
    let Some(viewer) = Viewer::of(user) else {
        return Err((StatusCode::FORBIDDEN, "Care is for Care users.").into_response());
    };
    let store = state.app.store();
    let not_found = || (StatusCode::NOT_FOUND, "no such case").into_response();
    let case = match number {
        None => None,
        Some(n) => match store.case_by_number(n).await {
            Ok(Some(case)) if policy::require_case_visible(user, &case).is_ok() => Some(case),
            Ok(_) => return Err(not_found()),
            Err(error) => {
                tracing::error!(%error, "web: a case could not be read");
                return Err(not_found());
            }
        },
    };
    let view_key = params.view.clone().unwrap_or_else(|| "inbox".to_owned());
    let view = View::parse(&view_key).unwrap_or(View::Inbox);
    let view_key = view.as_str().to_owned();
    let status = params.status.clone().unwrap_or_default();
    let q = params.q.clone().unwrap_or_default();
    let mut error = None;
    let users = match store.users().await {
        Ok(users) => users,
        Err(e) => {
            error = Some(words(&e, "The users"));
            Vec::new()
        }
    };
    let counts = match store.case_counts(&viewer).await {
        Ok(counts) => counts,
        Err(e) => {
            error = Some(words(&e, "The counts"));
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
            href: list_href("/care", key, "", "", None),
            current: *key == view_key,
        })
        .collect();
    let filter = CaseFilter {
        status: status.parse().ok(),
        text: (!q.is_empty()).then(|| q.clone()),
        ..Default::default()
    };
    let query = CaseQuery {
        viewer,
        view,
        filter,
        sort: None,
        cursor: params.cursor.clone(),
        limit: PAGE_ROWS,
    };
    let suffix = list_href("", &view_key, &status, &q, None);
    let now = state.app.now().as_secs();
    let mut excerpts = Vec::new();
    let (list, next_href) = match store.list_cases(&query).await {
        Ok(page) => {
            for row in &page.items {
                let text = match store.message(row.case.escalated_from).await {
                    Ok(Some(m)) => m
                        .text
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(90)
                        .collect(),
                    Ok(None) => String::new(),
                    Err(error) => {
                        tracing::warn!(%error, "web: a case's message could not be read");
                        String::new()
                    }
                };
                excerpts.push(text);
            }
            (
                rows(&page.items, &users, now, number, &suffix),
                page.next_cursor.map(|c| {
                    let base =
                        number.map_or_else(|| "/care".to_owned(), |n| format!("/care/cases/{n}"));
                    list_href(&base, &view_key, &status, &q, Some(&c))
                }),
            )
        }
        Err(e) => {
            error = Some(words(&e, "The case list"));
            (Vec::new(), None)
        }
    };
    let mut list = list;
    for (row, found) in list.iter_mut().zip(excerpts) {
        row.excerpt = found;
    }
    let open = match case {
        None => None,
        Some(case) => match open_case(state, user, case, &users).await {
            Ok(open) => Some(open),
            Err(message) => {
                error = Some(message);
                None
            }
        },
    };
    let empty_words = match view {
        View::New => "No new cases. Escalations from Community will appear here.",
        View::Done => "No Done cases.",
        View::Spam => "No Spam cases.",
        _ => "No cases here.",
    };
    Ok(CarePage {
        chrome,
        views,
        rows: list,
        view: view_key,
        status,
        q,
        next_href,
        open,
        error,
        empty_words,
        me: user.id.to_string(),
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
