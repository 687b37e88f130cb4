//! The Care list's address: the view, its filters, the order the agent chose and the page's
//! size travel in the query string, so a reload, a shared link, a case opened from the list and
//! the list's "Load more" all keep them. This module owns that address and the sort control's
//! choices (the orders `GET /api/v1/cases` accepts, each either way, plus the view's own).

use caredesk_app::queries::{Sort, View};
use serde::Deserialize;

use super::forms::{choices, Choice};

/// How many rows a page of the list shows.
pub(crate) const PAGE_ROWS: u32 = 50;

/// The most rows one drawing shows: the API's page limit. A page script redrawing a list that
/// grew by "Load more" asks for as many rows as it shows (`?limit=`), up to this.
pub(crate) const MAX_ROWS: u32 = 200;

/// The sort control's choices: `(value of ?sort=, words)`; the empty value is the view's own
/// order.
const SORTS: [(&str, &str); 8] = [
    ("", "The view's order"),
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("-last_customer_message", "Latest customer message first"),
    ("last_customer_message", "Longest waiting customer first"),
    ("priority", "Most urgent first"),
    ("-priority", "Least urgent first"),
    ("sla_due", "Service level due soonest"),
];

/// The query of the Care pages.
#[derive(Deserialize, Default)]
pub(crate) struct CareParams {
    pub(crate) view: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) q: Option<String>,
    /// `created`, `last_customer_message` or `priority`, `-` in front for descending; anything
    /// else is the view's own order.
    pub(crate) sort: Option<String>,
    pub(crate) cursor: Option<String>,
    /// Rows to show (1 to [`MAX_ROWS`]; default [`PAGE_ROWS`]).
    pub(crate) limit: Option<u32>,
}

/// The list's address without its page: view, filters and the chosen order.
pub(crate) struct ListAddress {
    pub(crate) view: View,
    pub(crate) status: String,
    pub(crate) q: String,
    /// The chosen order as written in the address (empty: the view's own).
    pub(crate) sort: String,
}

impl ListAddress {
    /// Reads the address from the page's query; an unknown view is the Inbox, an unknown order
    /// the view's own.
    pub(crate) fn of(params: &CareParams) -> ListAddress {
        let word = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
        let sort = word(&params.sort);
        ListAddress {
            view: params
                .view
                .as_deref()
                .and_then(View::parse)
                .unwrap_or(View::Inbox),
            status: word(&params.status),
            q: word(&params.q),
            sort: if Sort::parse(&sort).is_some() {
                sort
            } else {
                String::new()
            },
        }
    }

    /// The chosen order, `None` for the view's own.
    pub(crate) fn order(&self) -> Option<Sort> {
        Sort::parse(&self.sort)
    }

    /// `base` with the view, the filters, the order and `cursor`, e.g.
    /// `/care?view=new&sort=-created`.
    pub(crate) fn href(&self, base: &str, cursor: Option<&str>) -> String {
        let mut pairs = vec![("view", self.view.as_str())];
        for (name, value) in [
            ("status", &self.status),
            ("q", &self.q),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.as_str()));
            }
        }
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{base}?{query}")
    }

    /// The sort control's options, the chosen one marked.
    pub(crate) fn sorts(&self) -> Vec<Choice> {
        choices(SORTS, &self.sort)
    }
}

/// The rows to show for `?limit=`: [`PAGE_ROWS`] unless asked, never more than [`MAX_ROWS`].
pub(crate) fn rows_asked(limit: Option<u32>) -> u32 {
    limit.unwrap_or(PAGE_ROWS).clamp(1, MAX_ROWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(view: &str, sort: &str) -> CareParams {
        CareParams {
            view: Some(view.into()),
            sort: Some(sort.into()),
            ..CareParams::default()
        }
    }

    #[test]
    fn the_order_travels_in_the_address_and_an_unknown_one_is_the_views_own() {
        let cases = [
            ("new", "-created", "/care?view=new&sort=-created"),
            ("done", "priority", "/care?view=done&sort=priority"),
            ("inbox", "name", "/care?view=inbox"),
            ("nowhere", "", "/care?view=inbox"),
        ];
        for (view, sort, href) in cases {
            assert_eq!(
                ListAddress::of(&params(view, sort)).href("/care", None),
                href
            );
        }
        let address = ListAddress::of(&params("my_open", "-last_customer_message"));
        assert_eq!(
            address.href("/care/cases/7", Some("c 1")),
            "/care/cases/7?view=my_open&sort=-last_customer_message&cursor=c+1"
        );
        let chosen: Vec<_> = address.sorts().into_iter().filter(|c| c.selected).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].value, "-last_customer_message");
    }

    #[test]
    fn every_offered_order_is_one_the_api_accepts() {
        for (value, _) in SORTS.iter().filter(|(v, _)| !v.is_empty()) {
            assert!(Sort::parse(value).is_some(), "{value}");
        }
    }

    #[test]
    fn the_rows_asked_stay_within_a_page_of_the_api() {
        assert_eq!(rows_asked(None), PAGE_ROWS);
        assert_eq!(rows_asked(Some(0)), 1);
        assert_eq!(rows_asked(Some(120)), 120);
        assert_eq!(rows_asked(Some(5000)), MAX_ROWS);
    }
}
