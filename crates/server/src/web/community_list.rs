//! The list of the Community page: the inbox of the user's profiles with its filters and sort,
//! each item with who wrote it, its kind, network, age, first line, status, labels and the Care
//! badge (a link for Care users only). Drawn by its own template, so the script can redraw the
//! list alone (`/community/list`).

use askama::Template;
use caredesk_app::queries::{CaseBadge, ItemListRequest, ItemRow};
use caredesk_app::PageRequest;
use caredesk_domain::{CommunityStatus, ItemKind};

use super::attachments::summary;
use super::community::{non_empty, Filters};
use super::words::{community_status_label, message_kind_label, status_label, time_fallback};
use super::WebUser;
use crate::AppState;

/// How many items a page of the list shows.
const PAGE_ROWS: u32 = 100;

/// The most items one drawing shows (`?limit=`, asked by the page script for a list that
/// "Load more" made longer): the API's page limit.
const MAX_ROWS: u32 = 200;

/// A case badge in words: "Care case #12 · Open"; a link only for Care users.
pub(crate) struct Badge {
    pub(crate) number: i64,
    pub(crate) status: &'static str,
    pub(crate) link: bool,
}

pub(crate) fn badge(b: &CaseBadge, link: bool) -> Badge {
    Badge {
        number: b.number,
        status: status_label(b.status),
        link,
    }
}

/// One row of the inbox.
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) href: String,
    pub(crate) selected: bool,
    pub(crate) profile_id: String,
    pub(crate) customer: String,
    pub(crate) handle: String,
    pub(crate) kind: &'static str,
    pub(crate) network: &'static str,
    pub(crate) at: String,
    pub(crate) at_fallback: String,
    pub(crate) excerpt: String,
    pub(crate) status: String,
    pub(crate) status_label: &'static str,
    pub(crate) labels: Vec<String>,
    pub(crate) badge: Option<Badge>,
    pub(crate) customer_case: Option<Badge>,
    pub(crate) spam: bool,
}

#[derive(Template)]
#[template(path = "community_list.html")]
pub(crate) struct ListFragment {
    rows: Vec<Row>,
    error: Option<String>,
    next_href: Option<String>,
    /// How many items a page shows, and the filters and sort as a query: what the page script
    /// needs to keep the rows it shows through a redraw.
    page_rows: u32,
    address: String,
}

/// An item's kind in words.
pub(crate) fn item_kind_words(r: &ItemRow) -> &'static str {
    match r.item.kind {
        ItemKind::DmThread => "Direct message thread",
        ItemKind::Message => message_kind_label(r.message.kind),
    }
}

/// The handle shown beside a name: only when there is a name and a handle (a customer without
/// a name is shown by the handle already).
pub(crate) fn shown_handle(display_name: &str, handle: &str) -> String {
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
        excerpt: summary(&r.message, 120),
        status: r.item.status.to_string(),
        status_label: community_status_label(r.item.status),
        labels: r.item.labels.iter().cloned().collect(),
        badge: r.locking_case.as_ref().map(|b| badge(b, care)),
        customer_case: r.customer_case.as_ref().map(|b| badge(b, care)),
        spam: r.item.customer_last_case_spam,
    }
}

/// The list of `who`'s inbox with `filters`, `selected` marked.
pub(crate) async fn list(
    state: &AppState,
    who: &WebUser,
    filters: &Filters,
    selected: Option<&str>,
) -> ListFragment {
    let failed = |error: &str| ListFragment {
        rows: Vec::new(),
        error: Some(error.to_owned()),
        next_href: None,
        page_rows: PAGE_ROWS,
        address: filters.filters_only(),
    };
    let statuses = match non_empty(&filters.status) {
        Some(s) => match s.parse::<CommunityStatus>() {
            Ok(status) => vec![status],
            Err(_) => return failed("That status is not known."),
        },
        None => Vec::new(),
    };
    let request = ItemListRequest {
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
        page: PageRequest {
            limit: Some(filters.limit.unwrap_or(PAGE_ROWS).clamp(1, MAX_ROWS)),
            cursor: non_empty(&filters.cursor),
        },
    };
    let care = who.user.has_care_access();
    let suffix = filters.query();
    match state.app.community_items(&who.user, request).await {
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
            page_rows: PAGE_ROWS,
            address: filters.filters_only(),
        },
        Err(error) => {
            tracing::error!(%error, "web: the community inbox could not be read");
            failed("The inbox cannot be shown right now.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_handle_is_not_repeated() {
        assert_eq!(shown_handle("Ann", "ann"), "@ann");
        assert_eq!(shown_handle("", "ann"), "");
        assert_eq!(shown_handle("Ann", ""), "");
    }
}
