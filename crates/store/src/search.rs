//! What the store answers of a search (PRODUCT.md §12 "Search everything"), and the part of
//! the ports that reads it: messages and customers found by their words through each engine's
//! full-text index (kept in the same transaction as the rows), narrowed to the caller's
//! profiles in the query, newest first, a page at a time by keyset.

use async_trait::async_trait;
use caredesk_domain::search::SearchTerms;
use caredesk_domain::{CaseId, CaseStatus, CommunityItemId, Customer, CustomerId, Message};

use crate::ports::Result;
use crate::views::ProfileScope;

/// One search's question to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery<'a> {
    /// The words.
    pub terms: &'a SearchTerms,
    /// The profiles searched.
    pub scope: &'a ProfileScope,
    /// Whether internal notes count (Care users only).
    pub notes: bool,
    /// Only hits older than this id (the keyset cursor), when set.
    pub before: Option<i64>,
    /// The most hits answered.
    pub limit: u32,
}

/// A case as a hit names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseBrief {
    /// The case.
    pub id: CaseId,
    /// Its number.
    pub number: i64,
    /// Its status.
    pub status: CaseStatus,
}

/// A message found, with the newest non-deleted case that holds it and the community item
/// that shows it, when there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageHit {
    /// The message.
    pub message: Message,
    /// Its customer.
    pub customer: Option<Customer>,
    /// Its case.
    pub case: Option<CaseBrief>,
    /// Its community item (its own, or its DM thread's).
    pub item: Option<CommunityItemId>,
}

/// A page of messages found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageHits {
    /// At most the asked number of hits, newest first.
    pub hits: Vec<MessageHit>,
    /// Where the search goes on (hits older than this message id may remain); `None` when
    /// nothing older matches. A page may hold fewer hits than asked and still go on, when the
    /// store stopped after reading as many rows as it reads for one page.
    pub more_before: Option<i64>,
}

/// Reads outside a unit of work.
#[async_trait]
pub trait SearchReads {
    /// Messages of the scope's profiles, not deleted, whose text holds every word (the last
    /// as a prefix), newest first (by id), notes only when asked for.
    async fn search_messages(&self, query: &SearchQuery<'_>) -> Result<MessageHits>;
    /// Customers who wrote to the scope's profiles whose name, handle, e-mail or phone holds
    /// every word (the last as a prefix), newest first (by id).
    async fn search_customers(&self, query: &SearchQuery<'_>) -> Result<Vec<Customer>>;
    /// The non-deleted cases of these customers on the scope's profiles, newest first, at
    /// most `limit`.
    async fn cases_of_customers(
        &self,
        customers: &[CustomerId],
        scope: &ProfileScope,
        limit: u32,
    ) -> Result<Vec<(CustomerId, CaseBrief)>>;
}
