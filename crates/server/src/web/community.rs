//! Community: the inbox of the signed-in user's profiles (PRODUCT.md §2–§5) as a workspace like
//! Care. On the left the list with its filters and sort (who, kind, network, age, first line,
//! status, labels, the Care badge); in the middle the selected item's conversation with the
//! composer, which offers only the reply kinds the network carries for the chosen message; on
//! the right the item's actions (status, labels, escalation). The selected item is in the
//! address (`/community/items/{id}`, the filters in the query). Everything is drawn by the
//! server and escaped by askama; `assets/community.js` acts through the JSON API and redraws
//! the page's regions from this same page when the event stream reports a change.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use caredesk_domain::reply::{offered_reply_kinds, ReplyKind};
use caredesk_domain::{policy, Author, CommunityStatus, Delivery, ItemKind, Message, MessageKind};
use caredesk_store::views::community::ItemQuery;
use caredesk_store::{CaseBadge, ItemRow, ProfileScope, UserWithLoad};
use serde::Deserialize;

use super::forms::{choices, Choice};
use super::layout::Chrome;
use super::words::{
    community_status_label, delivery_label, reply_kind_label, status_label, time_fallback,
};
use super::{render, WebUser};
use crate::AppState;

/// How many items a page of the list shows.
const PAGE_ROWS: u32 = 100;
/// How many messages of a conversation the thread shows (the newest ones).
const THREAD_MESSAGES: usize = 500;
/// Messages read at once when the thread is gathered.
const THREAD_PAGE: u32 = 200;

/// The filters and sort of the page, as in the address.
#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    status: Option<String>,
    profile_id: Option<String>,
    locked: Option<String>,
    label: Option<String>,
    q: Option<String>,
    /// `oldest` (default) or `newest`.
    sort: Option<String>,
    cursor: Option<String>,
    /// The item shown as selected in the `/community/list` fragment.
    item: Option<String>,
}

impl Filters {
    /// The filters as a query string (`?status=done&q=…`, or empty), with the list's cursor.
    fn query(&self) -> String {
        match non_empty(&self.cursor) {
            Some(cursor) => self.query_with_cursor(&cursor),
            None => self.filters_only(),
        }
    }

    /// The filters alone, without a cursor.
    fn filters_only(&self) -> String {
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
    fn query_with_cursor(&self, cursor: &str) -> String {
        let base = self.filters_only();
        let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        if base.is_empty() {
            format!("?{cursor}")
        } else {
            format!("{base}&{cursor}")
        }
    }

    fn newest_first(&self) -> bool {
        non_empty(&self.sort).as_deref() == Some("newest")
    }
}

/// A case badge in words: "Care case #12 · Open"; a link only for Care users.
struct Badge {
    number: i64,
    status: &'static str,
    link: bool,
}

fn badge(b: &CaseBadge, link: bool) -> Badge {
    Badge {
        number: b.number,
        status: status_label(b.status),
        link,
    }
}

/// One row of the inbox.
struct Row {
    id: String,
    href: String,
    selected: bool,
    profile_id: String,
    customer: String,
    handle: String,
    kind: &'static str,
    network: &'static str,
    at: String,
    at_fallback: String,
    excerpt: String,
    status: String,
    status_label: &'static str,
    labels: Vec<String>,
    badge: Option<Badge>,
    customer_case: Option<Badge>,
    spam: bool,
}

/// One message of the selected item's conversation.
struct Entry {
    id: String,
    /// `customer`, `brand` or `note`.
    class: String,
    who: String,
    kind: &'static str,
    text: String,
    at: String,
    at_fallback: String,
    marks: Vec<&'static str>,
    /// The delivery state's code (for its colour) and words; empty for customer messages.
    delivery: String,
    delivery_label: &'static str,
    error: String,
    retryable: bool,
    /// The item's own message.
    current: bool,
}

/// A message the composer may answer.
struct Target {
    id: String,
    /// Its kind in words, its time (and that time in words for a page without its script) and
    /// its first words: the script writes the time again in the viewer's zone.
    kind: &'static str,
    at: String,
    at_fallback: String,
    excerpt: String,
    /// The reply kinds the network carries for it, space-separated.
    kinds: String,
    hidden: bool,
    direct: bool,
    selected: bool,
}

/// A reply kind of the composer.
struct KindOption {
    value: &'static str,
    label: &'static str,
    /// For `direct`: its words for a direct message and for public content.
    dm_label: &'static str,
    public_label: &'static str,
    shown: bool,
    selected: bool,
}

/// The selected item.
struct Open {
    id: String,
    profile_id: String,
    profile_name: String,
    customer: String,
    handle: String,
    network: &'static str,
    kind: &'static str,
    status: String,
    status_label: &'static str,
    statuses: Vec<Choice>,
    labels: Vec<String>,
    badge: Option<Badge>,
    customer_case: Option<Badge>,
    spam: bool,
    locked: bool,
    entries: Vec<Entry>,
    /// Older messages exist that the thread does not show.
    truncated: bool,
    targets: Vec<Target>,
    kinds: Vec<KindOption>,
    /// Why the composer is disabled (empty: it is not).
    reply_reason: String,
    hidden_warning: bool,
    /// Replies in flight: the page looks again until they settle.
    in_flight: bool,
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
    next_href: Option<String>,
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

const STATUSES: [(&str, &str); 5] = [
    ("", "To handle"),
    ("none", "Not handled"),
    ("in_progress", "In progress"),
    ("no_action", "No action"),
    ("done", "Done"),
];

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// An item's kind in words.
fn item_kind_words(r: &ItemRow) -> &'static str {
    match r.item.kind {
        ItemKind::DmThread => "Direct message thread",
        ItemKind::Message => super::words::message_kind_label(r.message.kind),
    }
}

/// The first line of a text, at most `chars` characters.
fn first_line(text: &str, chars: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut short: String = line.chars().take(chars).collect();
    if line.chars().count() > chars {
        short.push('…');
    }
    short
}

/// The handle shown beside a name: only when there is a name and a handle (a customer without
/// a name is shown by the handle already).
fn shown_handle(display_name: &str, handle: &str) -> String {
    let handle = handle.trim().trim_start_matches('@');
    if display_name.trim().is_empty() || handle.is_empty() {
        String::new()
    } else {
        format!("@{handle}")
    }
}

fn row(r: &ItemRow, care: bool, selected: Option<&str>, query: &str) -> Row {
    let id = r.item.id.to_string();
    let d = &r.customer.details;
    Row {
        href: format!("/community/items/{id}{query}"),
        selected: selected == Some(id.as_str()),
        id,
        profile_id: r.item.profile_id.to_string(),
        customer: r.customer.shown_name(),
        handle: shown_handle(&d.display_name, &d.handle),
        kind: item_kind_words(r),
        network: r.customer.network.label(),
        at: r.message.created_at.to_rfc3339(),
        at_fallback: time_fallback(r.message.created_at),
        excerpt: first_line(&r.message.text, 120),
        status: r.item.status.to_string(),
        status_label: community_status_label(r.item.status),
        labels: r.item.labels.iter().cloned().collect(),
        badge: r.locking_case.as_ref().map(|b| badge(b, care)),
        customer_case: r.customer_case.as_ref().map(|b| badge(b, care)),
        spam: r.item.customer_last_case_spam,
    }
}

async fn list(
    state: &AppState,
    who: &WebUser,
    filters: &Filters,
    selected: Option<&str>,
) -> ListFragment {
    let failed = |error: &str| ListFragment {
        rows: Vec::new(),
        error: Some(error.to_owned()),
        next_href: None,
    };
    let statuses = match non_empty(&filters.status) {
        Some(s) => match s.parse::<CommunityStatus>() {
            Ok(status) => vec![status],
            Err(_) => return failed("That status is not known."),
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
        newest_first: filters.newest_first(),
        cursor: non_empty(&filters.cursor),
        limit: PAGE_ROWS,
    };
    let care = who.user.has_care_access();
    let suffix = filters.query();
    match state.app.store().community_items(&query).await {
        Ok(page) => ListFragment {
            rows: page
                .items
                .iter()
                .map(|r| row(r, care, selected, &suffix))
                .collect(),
            error: None,
            next_href: page
                .next_cursor
                .map(|c| format!("/community{}", filters.query_with_cursor(&c))),
        },
        Err(error) => {
            tracing::error!(%error, "web: the community inbox could not be read");
            failed("The inbox cannot be shown right now.")
        }
    }
}

fn user_name(users: &[UserWithLoad], id: Option<caredesk_domain::UserId>) -> String {
    id.and_then(|id| users.iter().find(|u| u.user.id == id))
        .map_or_else(|| "a colleague".to_owned(), |u| u.user.name.clone())
}

/// The newest `THREAD_MESSAGES` messages of the conversation, oldest first, and whether older
/// ones were left out.
async fn thread_messages(
    state: &AppState,
    conversation: caredesk_domain::ConversationId,
) -> Result<(Vec<Message>, bool), String> {
    let store = state.app.store();
    let mut messages: Vec<Message> = Vec::new();
    let mut truncated = false;
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .conversation_messages(conversation, cursor.as_deref(), THREAD_PAGE)
            .await
            .map_err(|error| {
                tracing::error!(%error, "web: a community conversation could not be read");
                "The conversation cannot be shown right now.".to_owned()
            })?;
        // Internal notes belong to Care cases; Community never shows them.
        messages.extend(page.items.into_iter().filter(|m| m.author != Author::Note));
        if messages.len() > THREAD_MESSAGES {
            let extra = messages.len() - THREAD_MESSAGES;
            messages.drain(..extra);
            truncated = true;
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok((messages, truncated))
}

fn entry(m: &Message, row: &ItemRow, users: &[UserWithLoad], may_retry: bool) -> Entry {
    let mut marks = Vec::new();
    if m.hidden {
        marks.push("hidden");
    }
    if m.deleted {
        marks.push("deleted by the customer");
    }
    if m.edited_at.is_some() {
        marks.push("edited");
    }
    if m.visible_only_to_customer {
        marks.push("visible only to the customer");
    }
    let who = match m.author {
        Author::Customer => row.customer.shown_name(),
        Author::Brand => match m.sent_by {
            Some(_) => format!("Brand · {}", user_name(users, m.sent_by)),
            None => "Brand".to_owned(),
        },
        Author::Note => "Internal note".to_owned(),
    };
    Entry {
        id: m.id.to_string(),
        class: m.author.to_string(),
        who,
        kind: super::words::message_kind_label(m.kind),
        text: m.text.clone(),
        at: m.created_at.to_rfc3339(),
        at_fallback: time_fallback(m.created_at),
        marks,
        delivery: m.delivery.map(|d| d.to_string()).unwrap_or_default(),
        delivery_label: m.delivery.map(delivery_label).unwrap_or_default(),
        error: m.error.clone().unwrap_or_default(),
        retryable: may_retry
            && m.author == Author::Brand
            && m.delivery.is_some_and(Delivery::may_retry_or_cancel),
        current: m.id == row.item.message_id,
    }
}

const KINDS: [ReplyKind; 3] = [ReplyKind::Reply, ReplyKind::Comment, ReplyKind::Direct];

async fn open_item(
    state: &AppState,
    who: &WebUser,
    r: &ItemRow,
    profile_name: String,
    users: &[UserWithLoad],
) -> Result<Open, String> {
    let care = who.user.has_care_access();
    let (messages, truncated) = thread_messages(state, r.item.conversation_id).await?;
    let network = r.customer.network;
    let locked = r.locking_case.is_some();
    // A reply held by a case in progress is retried or cancelled from Care.
    let entries: Vec<Entry> = messages
        .iter()
        .map(|m| entry(m, r, users, !locked))
        .collect();
    let in_flight = messages.iter().any(|m| {
        m.author == Author::Brand
            && matches!(m.delivery, Some(Delivery::Queued | Delivery::Sending))
    });
    // The customer's messages the network lets us answer, newest first; the item's own
    // message is chosen when it is one of them, else the newest.
    let mut answerable: Vec<(&Message, Vec<ReplyKind>)> = messages
        .iter()
        .rev()
        .filter(|m| m.author == Author::Customer)
        .map(|m| (m, offered_reply_kinds(network, m)))
        .filter(|(_, kinds)| !kinds.is_empty())
        .collect();
    if answerable.is_empty() {
        // The item's message may be older than the messages shown.
        if r.message.author == Author::Customer {
            let kinds = offered_reply_kinds(network, &r.message);
            if !kinds.is_empty() {
                answerable.push((&r.message, kinds));
            }
        }
    }
    let chosen = answerable
        .iter()
        .position(|(m, _)| m.id == r.item.message_id)
        .unwrap_or(0);
    let targets: Vec<Target> = answerable
        .iter()
        .enumerate()
        .map(|(i, (m, kinds))| Target {
            id: m.id.to_string(),
            kind: super::words::message_kind_label(m.kind),
            at: m.created_at.to_rfc3339(),
            at_fallback: time_fallback(m.created_at),
            excerpt: match first_line(&m.text, 60) {
                text if text.is_empty() => "(no text)".to_owned(),
                text => text,
            },
            kinds: kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            hidden: m.hidden,
            direct: m.kind == MessageKind::Direct,
            selected: i == chosen,
        })
        .collect();
    let default = answerable.get(chosen);
    let default_direct = default.is_some_and(|(m, _)| m.kind == MessageKind::Direct);
    let first_kind = default.and_then(|(_, kinds)| kinds.first().copied());
    let kinds = KINDS
        .iter()
        .map(|&kind| KindOption {
            value: kind.as_str(),
            label: reply_kind_label(kind, default_direct),
            dm_label: reply_kind_label(kind, true),
            public_label: reply_kind_label(kind, false),
            shown: default.is_some_and(|(_, offered)| offered.contains(&kind)),
            selected: first_kind == Some(kind),
        })
        .collect();
    let reply_reason = match (&r.locking_case, default) {
        (Some(case), _) => format!("Held by Care case #{} — replies go from Care", case.number),
        (None, None) => "Nothing here can be answered: the customer's messages are deleted \
                         or the network takes no reply to them"
            .to_owned(),
        (None, Some(_)) => String::new(),
    };
    let hidden_warning =
        first_kind == Some(ReplyKind::Reply) && default.is_some_and(|(m, _)| m.hidden);
    let d = &r.customer.details;
    Ok(Open {
        id: r.item.id.to_string(),
        profile_id: r.item.profile_id.to_string(),
        profile_name,
        customer: r.customer.shown_name(),
        handle: shown_handle(&d.display_name, &d.handle),
        network: network.label(),
        kind: item_kind_words(r),
        status: r.item.status.to_string(),
        status_label: community_status_label(r.item.status),
        statuses: choices(STATUSES.iter().skip(1).copied(), &r.item.status.to_string()),
        labels: r.item.labels.iter().cloned().collect(),
        badge: r.locking_case.as_ref().map(|b| badge(b, care)),
        customer_case: r.customer_case.as_ref().map(|b| badge(b, care)),
        spam: r.item.customer_last_case_spam,
        locked,
        entries,
        truncated,
        targets,
        kinds,
        reply_reason,
        hidden_warning,
        in_flight,
    })
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
    match state.app.store().community_item(id).await {
        Ok(Some(row)) if policy::require_profile_member(&who.user, row.item.profile_id).is_ok() => {
            Ok(Some(row))
        }
        Ok(_) => Ok(None),
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
    let store = state.app.store();
    let profiles = store.profiles().await.unwrap_or_else(|error| {
        tracing::warn!(%error, "web: profiles could not be read");
        Vec::new()
    });
    let users = store.users().await.unwrap_or_else(|error| {
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
    profile_choices.extend(
        profiles
            .iter()
            .filter(|p| who.user.connected_to(p.id))
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("{} ({})", p.name, p.network.label()),
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
    let assignees = users
        .iter()
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

    #[test]
    fn a_first_line_is_short_and_a_lone_handle_is_not_repeated() {
        assert_eq!(first_line("\nhello\nworld", 10), "hello");
        assert_eq!(first_line("abcdef", 3), "abc…");
        assert_eq!(shown_handle("Ann", "ann"), "@ann");
        assert_eq!(shown_handle("", "ann"), "");
        assert_eq!(shown_handle("Ann", ""), "");
    }
}
