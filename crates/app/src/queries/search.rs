//! Search (PRODUCT.md §12 "Search everything"): one query over cases, customers, messages or
//! Community items of the caller's profiles, every status, newest first, with the matching
//! words marked in each hit's snippet. The store finds through its full-text indexes; the
//! domain says what the query means, who may search what, and how a hit is shown.

use std::collections::HashSet;

use caredesk_domain::search::{self, SearchKind, SearchTerms, Snippet};
use caredesk_domain::{policy, CaseId, Customer, MessageId, Refusal, Timestamp, User};
use caredesk_store::search::{CaseBrief, MessageHit, SearchQuery};
use caredesk_store::ProfileScope;

use super::PageRequest;
use crate::error::AppResult;
use crate::App;

/// A search as asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query as typed.
    pub q: String,
    /// What to look for (the caller's default when absent).
    pub kind: Option<SearchKind>,
    /// Which page.
    pub page: PageRequest,
}

/// One thing found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// What it is.
    pub kind: SearchKind,
    /// Its id (of the case, customer, message or item).
    pub id: i64,
    /// Its case, when it has one.
    pub case: Option<CaseBrief>,
    /// Its customer, when it has one.
    pub customer: Option<Customer>,
    /// The message that matched, when one did.
    pub message_id: Option<MessageId>,
    /// What is shown of it, with the matching words' places.
    pub snippet: Snippet,
    /// When it happened (the message's time; the customer's newest case for a customer).
    pub at: Option<Timestamp>,
}

/// A page of hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPage {
    /// The hits, newest first.
    pub items: Vec<SearchHit>,
    /// Where the next page starts, when there may be one.
    pub next_cursor: Option<String>,
}

/// Matching messages read for each case a page holds: one read gathers a page of distinct
/// cases when a case holds a few matches, and a page may be short (with a cursor) when one holds
/// many, so that a page costs one bounded read.
const MESSAGES_PER_CASE: u32 = 2;

impl App {
    /// Searches what `user` may see (403 for what they may not search; 422 for a query of
    /// fewer than two characters or a cursor that is not one).
    pub async fn search(&self, user: &User, request: SearchRequest) -> AppResult<SearchPage> {
        let kind = search::check_search(user, request.kind)?;
        let terms = SearchTerms::parse(&request.q)?;
        let limit = request.page.limit()?;
        let before = match request.page.cursor.as_deref() {
            None => None,
            Some(c) => Some(
                c.parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| Refusal::invalid("cursor: not a cursor of this search"))?,
            ),
        };
        let scope = ProfileScope::of(user);
        let query = SearchQuery {
            terms: &terms,
            scope: &scope,
            notes: user.has_care_access(),
            before,
            limit,
        };
        match kind {
            SearchKind::Messages => self.search_messages(&query).await,
            SearchKind::CommunityItems => self.search_items(&query).await,
            SearchKind::Customers => self.search_customers(&query).await,
            SearchKind::Cases => self.search_cases(user, &query).await,
        }
    }

    async fn search_messages(&self, query: &SearchQuery<'_>) -> AppResult<SearchPage> {
        let found = self.store().search_messages(query).await?;
        let next_cursor = found.more_before.map(|id| id.to_string());
        let items = found
            .hits
            .into_iter()
            .map(|h| message_hit(SearchKind::Messages, h.message.id.0, h, query.terms))
            .collect();
        Ok(SearchPage { items, next_cursor })
    }

    async fn search_items(&self, query: &SearchQuery<'_>) -> AppResult<SearchPage> {
        let community = SearchQuery {
            notes: false,
            ..query.clone()
        };
        let found = self.store().search_messages(&community).await?;
        let next_cursor = found.more_before.map(|id| id.to_string());
        let items = found
            .hits
            .into_iter()
            .filter(|h| policy::reads::shown_in_community(&h.message))
            .filter_map(|h| {
                let item = h.item?;
                Some(message_hit(
                    SearchKind::CommunityItems,
                    item.0,
                    h,
                    query.terms,
                ))
            })
            .collect();
        Ok(SearchPage { items, next_cursor })
    }

    async fn search_customers(&self, query: &SearchQuery<'_>) -> AppResult<SearchPage> {
        let customers = self.store().search_customers(query).await?;
        let next_cursor = next(&customers, query.limit, |c| c.id.0);
        let items = customers
            .into_iter()
            .map(|customer| {
                let shown = [
                    customer.shown_name(),
                    customer.details.handle.clone(),
                    customer.details.email.clone(),
                    customer.details.phone.clone(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                SearchHit {
                    kind: SearchKind::Customers,
                    id: customer.id.0,
                    case: None,
                    snippet: search::snippet(&shown, query.terms),
                    customer: Some(customer),
                    message_id: None,
                    at: None,
                }
            })
            .collect();
        Ok(SearchPage { items, next_cursor })
    }

    /// Cases: on the first page the case the query numbers and the cases of the customers it
    /// names, then the cases holding matching messages (or notes), by their newest match.
    async fn search_cases(&self, user: &User, query: &SearchQuery<'_>) -> AppResult<SearchPage> {
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        if query.before.is_none() {
            self.cases_named(user, query, &mut items, &mut seen).await?;
        }
        let limit = query.limit as usize;
        let read = SearchQuery {
            limit: query.limit.saturating_mul(MESSAGES_PER_CASE),
            ..query.clone()
        };
        let found = self.store().search_messages(&read).await?;
        // The next page starts at the first match this one did not take.
        let mut next_before = found.more_before;
        for hit in found.hits {
            if items.len() == limit {
                next_before = hit.message.id.0.checked_add(1);
                break;
            }
            let Some(case) = hit.case.clone() else {
                continue;
            };
            if seen.insert(case.id) {
                items.push(message_hit(SearchKind::Cases, case.id.0, hit, query.terms));
            }
        }
        let next_cursor = next_before.map(|id| id.to_string());
        Ok(SearchPage { items, next_cursor })
    }

    /// The case the query numbers, then the newest cases of the customers it names.
    async fn cases_named(
        &self,
        user: &User,
        query: &SearchQuery<'_>,
        items: &mut Vec<SearchHit>,
        seen: &mut HashSet<CaseId>,
    ) -> AppResult<()> {
        if let Some(number) = query.terms.number {
            if let Some(case) = self.store().case_by_number(number).await? {
                if !case.deleted && policy::require_case_visible(user, &case).is_ok() {
                    let customer = self.store().customer(case.customer_id).await?;
                    let text = format!("#{number}");
                    seen.insert(case.id);
                    items.push(SearchHit {
                        kind: SearchKind::Cases,
                        id: case.id.0,
                        case: Some(CaseBrief {
                            id: case.id,
                            number: case.number,
                            status: case.status,
                        }),
                        customer,
                        message_id: None,
                        snippet: Snippet {
                            highlights: vec![[0, text.chars().count()]],
                            text,
                        },
                        at: Some(case.created_at),
                    });
                }
            }
        }
        let few = SearchQuery {
            limit: query.limit.min(5),
            ..query.clone()
        };
        let customers = self.store().search_customers(&few).await?;
        let ids: Vec<_> = customers.iter().map(|c| c.id).collect();
        let cases = self
            .store()
            .cases_of_customers(&ids, query.scope, few.limit)
            .await?;
        for (customer_id, case) in cases {
            let Some(customer) = customers.iter().find(|c| c.id == customer_id) else {
                continue;
            };
            if items.len() == query.limit as usize || !seen.insert(case.id) {
                continue;
            }
            items.push(SearchHit {
                kind: SearchKind::Cases,
                id: case.id.0,
                snippet: search::snippet(&customer.shown_name(), query.terms),
                case: Some(case),
                customer: Some(customer.clone()),
                message_id: None,
                at: None,
            });
        }
        Ok(())
    }
}

/// A message found, shown as a hit of `kind` with id `id`.
fn message_hit(kind: SearchKind, id: i64, hit: MessageHit, terms: &SearchTerms) -> SearchHit {
    SearchHit {
        kind,
        id,
        snippet: search::snippet(&hit.message.text, terms),
        case: hit.case,
        customer: hit.customer,
        message_id: Some(hit.message.id),
        at: Some(hit.message.created_at),
    }
}

/// The cursor after a full page: the last row's key.
fn next<T>(rows: &[T], limit: u32, key: impl Fn(&T) -> i64) -> Option<String> {
    (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| key(r).to_string()))
        .flatten()
}
