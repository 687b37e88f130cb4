//! The read models built from the shared statement descriptions (Care views and counts, the
//! Community inbox, the History tab, the overview), written once for every backend. A backend
//! only renders and runs a statement ([`Reader`]); decoding and assembling happen here, so both
//! backends answer the same shapes by construction.

use async_trait::async_trait;
use caredesk_domain::*;
use sea_query::SelectStatement;

use crate::rows::{self, Columns};
use crate::views::community::{self, ItemQuery};
use crate::views::overview::{self, Overview};
use crate::views::{
    counts_statement, history, list_statement, row_sort_value, sort_value, ProfileScope, ScopeTerm,
    MAX_LIMIT,
};
use crate::{
    CaseBadge, CaseQuery, CaseRow, ConversationSummary, Cursor, ItemRow, Page, StoreError, View,
    Viewer,
};

type Result<T> = std::result::Result<T, StoreError>;

/// A row a backend answered.
pub type Row = Box<dyn Columns + Send + Sync>;

/// Runs a statement in a backend's dialect on one connection.
#[async_trait]
pub trait Reader: Send {
    /// Every row the statement answers.
    async fn rows(&mut self, statement: SelectStatement) -> Result<Vec<Row>>;

    /// How this backend's planner wants the viewer's profiles written into a view's page.
    fn scope_term(&self) -> ScopeTerm {
        ScopeTerm::Seekable
    }
}

fn page<T>(
    found: &[Row],
    limit: u32,
    decode: impl Fn(&dyn Columns) -> Result<T>,
    cursor_of: impl Fn(&T) -> Cursor,
) -> Result<Page<T>> {
    let items = found
        .iter()
        .map(|r| decode(r.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let limit = usize::try_from(limit.clamp(1, MAX_LIMIT)).unwrap_or(0);
    Ok(Page::from_overfetched(items, limit, cursor_of))
}

fn case_row(row: &dyn Columns) -> Result<CaseRow> {
    Ok(CaseRow {
        case: rows::case(row)?,
        customer_name: row.text("customer_name")?,
        customer_handle: row.text("customer_handle")?,
        network: rows::word(row, "customer_network")?,
        customer_user_id: row.text("customer_user_id")?,
    })
}

/// One page of a Care view.
pub async fn list_cases(reader: &mut dyn Reader, query: &CaseQuery) -> Result<Page<CaseRow>> {
    let (stmt, sort) = list_statement(query, reader.scope_term())?;
    let found = reader.rows(stmt).await?;
    let keyed = |row: &dyn Columns| {
        let case = case_row(row)?;
        let value = match sort_value(&case.case, sort.key) {
            Some(value) => value,
            None => row_sort_value(row, sort.key)?,
        };
        Ok((case, value))
    };
    let page = page(&found, query.limit, keyed, |(r, value): &(CaseRow, i64)| {
        Cursor {
            value: *value,
            id: r.case.id.0,
        }
    })?;
    Ok(Page {
        items: page.items.into_iter().map(|(row, _)| row).collect(),
        next_cursor: page.next_cursor,
    })
}

/// The count of each view for a viewer.
pub async fn case_counts(reader: &mut dyn Reader, viewer: &Viewer) -> Result<Vec<(View, i64)>> {
    let found = reader.rows(counts_statement(viewer)).await?;
    found
        .iter()
        .map(|row| {
            let word = row.text("view")?;
            let view =
                View::parse(&word).ok_or_else(|| StoreError::Corrupt(format!("view {word}")))?;
            Ok((view, row.int("n")?))
        })
        .collect()
}

fn badge(row: &dyn Columns) -> Result<CaseBadge> {
    Ok(CaseBadge {
        id: CaseId(row.int("id")?),
        number: row.int("number")?,
        status: rows::word(row, "status")?,
    })
}

/// Adds to each item its message, its customer, the case locking it and the customer's active
/// case: four statements whatever the page size.
async fn enrich(reader: &mut dyn Reader, items: Vec<CommunityItem>) -> Result<Vec<ItemRow>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let message_ids: Vec<i64> = items.iter().map(|i| i.message_id.0).collect();
    let customer_ids: Vec<i64> = items.iter().map(|i| i.customer_id.0).collect();
    let messages = reader
        .rows(community::by_ids_statement("messages", &message_ids))
        .await?;
    let messages = messages
        .iter()
        .map(|r| rows::message(r.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let customers = reader
        .rows(community::by_ids_statement("customers", &customer_ids))
        .await?;
    let customers = customers
        .iter()
        .map(|r| rows::customer(r.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let mut locks = Vec::new();
    for row in reader
        .rows(community::locking_cases_statement(&message_ids))
        .await?
    {
        locks.push((MessageId(row.int("message_id")?), badge(row.as_ref())?));
    }
    let mut active = Vec::new();
    for row in reader
        .rows(community::active_cases_statement(&customer_ids))
        .await?
    {
        let key = (
            CustomerId(row.int("customer_id")?),
            ProfileId(row.int("profile_id")?),
        );
        active.push((key, badge(row.as_ref())?));
    }
    items
        .into_iter()
        .map(|item| {
            let missing = || {
                StoreError::Corrupt(format!(
                    "community item {} lost its message or customer",
                    item.id
                ))
            };
            let message = messages
                .iter()
                .find(|m| m.id == item.message_id)
                .cloned()
                .ok_or_else(missing)?;
            let customer = customers
                .iter()
                .find(|c| c.id == item.customer_id)
                .cloned()
                .ok_or_else(missing)?;
            let locking_case = locks
                .iter()
                .find(|(m, _)| *m == item.message_id)
                .map(|(_, b)| *b);
            let customer_case = active
                .iter()
                .find(|(k, _)| *k == (item.customer_id, item.profile_id))
                .map(|(_, b)| *b);
            Ok(ItemRow {
                item,
                message,
                customer,
                locking_case,
                customer_case,
            })
        })
        .collect()
}

/// A community item with what the inbox shows about it.
pub async fn community_item(
    reader: &mut dyn Reader,
    id: CommunityItemId,
) -> Result<Option<ItemRow>> {
    let found = reader
        .rows(community::by_ids_statement("community_items", &[id.0]))
        .await?;
    let items = found
        .iter()
        .map(|r| rows::community_item(r.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(enrich(reader, items).await?.pop())
}

/// One page of the Community inbox.
pub async fn community_items(reader: &mut dyn Reader, query: &ItemQuery) -> Result<Page<ItemRow>> {
    let found = reader.rows(community::items_statement(query)?).await?;
    let items = page(
        &found,
        query.limit,
        rows::community_item,
        |i: &CommunityItem| Cursor {
            value: i.updated_at.0,
            id: i.id.0,
        },
    )?;
    Ok(Page {
        items: enrich(reader, items.items).await?,
        next_cursor: items.next_cursor,
    })
}

/// The customer's non-deleted cases on these profiles, newest first.
pub async fn customer_cases(
    reader: &mut dyn Reader,
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<CaseRow>> {
    let found = reader
        .rows(history::customer_cases_statement(
            customer, scope, cursor, limit,
        )?)
        .await?;
    page(&found, limit, case_row, |r: &CaseRow| Cursor {
        value: r.case.created_at.0,
        id: r.case.id.0,
    })
}

/// The customer's conversations on these profiles, most recently active first.
pub async fn customer_conversations(
    reader: &mut dyn Reader,
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<Page<ConversationSummary>> {
    let found = reader
        .rows(history::customer_conversations_statement(
            customer, scope, cursor, limit,
        )?)
        .await?;
    let decode = |row: &dyn Columns| {
        Ok(ConversationSummary {
            conversation: rows::conversation(row)?,
            last_message_at: Timestamp(row.int("last_message_at")?),
            message_count: row.int("message_count")?,
        })
    };
    page(&found, limit, decode, |c: &ConversationSummary| Cursor {
        value: c.last_message_at.0,
        id: c.conversation.id.0,
    })
}

/// The home page's figures.
pub async fn overview(
    reader: &mut dyn Reader,
    scope: &ProfileScope,
    now: Timestamp,
    since: Timestamp,
    first_reply_since: Timestamp,
    grace_horizon: Timestamp,
) -> Result<Overview> {
    let mut figures = Overview::default();
    for row in reader.rows(overview::status_counts(scope)).await? {
        figures
            .by_status
            .push((rows::word(row.as_ref(), "status")?, row.int("n")?));
    }
    if let Some(row) = reader.rows(overview::unassigned_new(scope)).await?.first() {
        figures.unassigned_new = row.int("n")?;
        figures.oldest_unassigned_new_at = row.opt_int("oldest")?.map(Timestamp);
    }
    for row in reader
        .rows(overview::escalations_per_day(scope, since))
        .await?
    {
        figures
            .escalations_per_day
            .push((row.int("day")?, row.int("n")?));
    }
    for row in reader.rows(overview::status_changes(scope, since)).await? {
        if overview::is_change_to_done(&row.text("data")?) {
            figures
                .done_changes
                .push((Timestamp(row.int("at")?), Timestamp(row.int("created_at")?)));
        }
    }
    for row in reader
        .rows(overview::first_replies(scope, first_reply_since))
        .await?
    {
        figures.first_replies.push((
            Timestamp(row.int("first_reply_at")?),
            Timestamp(row.int("created_at")?),
        ));
    }
    for row in reader
        .rows(overview::grace_ending(scope, now, grace_horizon))
        .await?
    {
        figures.grace_ending.push((
            CaseId(row.int("id")?),
            row.int("number")?,
            Timestamp(row.int("grace_until")?),
        ));
    }
    Ok(figures)
}
