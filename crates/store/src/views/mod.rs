//! The Care views (PRODUCT.md §2), described once and rendered by each backend in its own SQL
//! dialect with sea-query.
//!
//! Every view is: the viewer's scope (their profiles), the view's own condition (statuses,
//! assignee), optional filters, a sort key with `id` as tie-breaker, and a keyset cursor. Counts
//! use the very same conditions, so a view and its count always agree. Deleted cases appear
//! nowhere.

pub mod community;
mod filters;
pub mod history;
mod mentions;
pub mod overview;
mod request;
mod sla;

use caredesk_domain::CaseStatus;
use sea_query::{
    Alias, Cond, Condition, Expr, Func, Iden, Order, Query, SelectStatement, SimpleExpr, UnionType,
};

use crate::rows::Columns;

pub use request::*;

use filters::filter_condition;
pub(crate) use filters::like_pattern;

use crate::cursor::Cursor;
use crate::StoreError;

/// Columns of the `cases` table the views read.
#[derive(Iden, Clone, Copy)]
pub enum Cases {
    Table,
    Id,
    Number,
    CustomerId,
    ProfileId,
    Status,
    AssigneeId,
    PriorityRank,
    Sentiment,
    Fields,
    Note,
    EscalatedBy,
    EscalatedFrom,
    CreatedAt,
    LastCustomerMessageAt,
    GraceUntil,
    HoldsActiveSlot,
    PreviousCaseId,
    Version,
    Deleted,
}

/// The case counts kept per profile, status, assignee and deleted flag.
#[derive(Iden)]
enum CaseTallies {
    Table,
    N,
}

#[derive(Iden)]
pub(crate) enum Customers {
    Table,
    Id,
    Network,
    NetworkUserId,
    DisplayName,
    Handle,
}

/// Every column of a case, as the backends decode it.
pub const CASE_COLUMNS: [Cases; 19] = [
    Cases::Id,
    Cases::Number,
    Cases::CustomerId,
    Cases::ProfileId,
    Cases::Status,
    Cases::AssigneeId,
    Cases::PriorityRank,
    Cases::Sentiment,
    Cases::Fields,
    Cases::Note,
    Cases::EscalatedBy,
    Cases::EscalatedFrom,
    Cases::CreatedAt,
    Cases::LastCustomerMessageAt,
    Cases::GraceUntil,
    Cases::HoldsActiveSlot,
    Cases::PreviousCaseId,
    Cases::Version,
    Cases::Deleted,
];

pub(crate) fn col(c: Cases) -> Expr {
    Expr::col((Cases::Table, c))
}

/// A value written into the statement's text instead of bound as a parameter: SQLite uses a
/// partial index only for a query whose text repeats the index's condition (`deleted = FALSE`,
/// a list of statuses), which a parameter never does. Only the views' own constants are
/// written so; what callers send is always bound.
pub(crate) fn constant(value: impl Into<sea_query::Value>) -> SimpleExpr {
    SimpleExpr::Constant(value.into())
}

fn statuses(list: &[CaseStatus]) -> SimpleExpr {
    col(Cases::Status).is_in(list.iter().map(|s| constant(s.as_str())))
}

/// The statuses of cases in progress, in the order the backends' `cases_in_progress` indexes
/// name them (SQLite uses a partial index only for a query that repeats its condition).
const IN_PROGRESS: [CaseStatus; 4] = [
    CaseStatus::New,
    CaseStatus::Open,
    CaseStatus::Pending,
    CaseStatus::OnHold,
];

/// How a list statement names the viewer's profiles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScopeTerm {
    /// `profile_id IN (…)`: the planner may seek an index by it.
    #[default]
    Seekable,
    /// `+profile_id IN (…)`, SQLite's documented way to keep a term from choosing an index:
    /// a viewer's profiles are usually all or most of them, so seeking an index led by the
    /// profile (`cases_by_profile_status`, for a filter by one profile) once per profile and
    /// sorting what it finds is never better than a view's own index in its order, yet
    /// SQLite's planner, which does not weigh the page's `LIMIT`, takes it.
    FilterOnly,
}

/// The statuses a supervisor's Inbox names: the one in progress a filter by status and profile
/// asks for, or all four. With all four and that filter, SQLite's planner, given
/// `cases_by_profile_status`, sorted every case of the profile in that status (10 ms at a
/// million cases); with one, it reads the index in the view's order (0.1 ms). An agent's Inbox
/// keeps all four: its own index, by assignee, needs them written out.
fn supervisor_inbox_statuses(filter: Option<&CaseFilter>) -> &'static [CaseStatus] {
    let narrowed = filter
        .filter(|f| f.profile_id.is_some())
        .and_then(|f| f.status)
        .and_then(|status| IN_PROGRESS.iter().position(|s| *s == status));
    match narrowed {
        Some(i) => &IN_PROGRESS[i..=i],
        None => &IN_PROGRESS,
    }
}

fn view_condition(
    viewer: &Viewer,
    view: View,
    scope: ScopeTerm,
    filter: Option<&CaseFilter>,
) -> Condition {
    let mine = col(Cases::AssigneeId).eq(viewer.user_id.0);
    let mut cond = Cond::all().add(col(Cases::Deleted).eq(constant(false)));
    cond = match &viewer.profiles {
        ProfileScope::All => cond,
        ProfileScope::Only(ids) => {
            let profile = match scope {
                ScopeTerm::Seekable => col(Cases::ProfileId),
                // Written out: a custom expression's placeholder differs per dialect.
                ScopeTerm::FilterOnly => Expr::expr(Expr::cust(r#"+"cases"."profile_id""#)),
            };
            cond.add(profile.is_in(ids.iter().map(|p| p.0)))
        }
    };
    let everyone = viewer.supervisor;
    match view {
        View::Inbox if everyone => cond.add(statuses(supervisor_inbox_statuses(filter))),
        View::Inbox => cond.add(mine).add(statuses(&IN_PROGRESS)),
        View::New => cond
            .add(col(Cases::Status).eq(constant(CaseStatus::New.as_str())))
            .add(col(Cases::AssigneeId).is_null()),
        View::MyOpen => cond
            .add(mine)
            .add(col(Cases::Status).eq(constant(CaseStatus::Open.as_str()))),
        View::MyPending => cond
            .add(mine)
            .add(col(Cases::Status).eq(constant(CaseStatus::Pending.as_str()))),
        View::MyOnHold => cond
            .add(mine)
            .add(col(Cases::Status).eq(constant(CaseStatus::OnHold.as_str()))),
        View::Done | View::Spam => {
            let status = if view == View::Done {
                CaseStatus::Done
            } else {
                CaseStatus::Spam
            };
            let c = cond.add(col(Cases::Status).eq(constant(status.as_str())));
            if everyone {
                c
            } else {
                c.add(mine)
            }
        }
        // Which cases is the join with the viewer's mentions' (`mentions::join`).
        View::Mentions => cond,
        View::SlaAtRisk => {
            let c = cond.add(sla::at_risk());
            if everyone {
                c
            } else {
                c.add(mine)
            }
        }
    }
}

fn sort_column(key: SortKey) -> Expr {
    match key {
        SortKey::Created => col(Cases::CreatedAt),
        SortKey::LastCustomerMessage => col(Cases::LastCustomerMessageAt),
        SortKey::Priority => col(Cases::PriorityRank),
        SortKey::Mention => mentions::rank(),
        SortKey::SlaDue => sla::due(),
    }
}

/// The sort value of a case, for its cursor; `None` for the Mentions and `sla_due` orders,
/// whose values are read from the list row ([`row_sort_value`]).
pub fn sort_value(case: &caredesk_domain::Case, key: SortKey) -> Option<i64> {
    match key {
        SortKey::Created => Some(case.created_at.0),
        SortKey::LastCustomerMessage => {
            Some(case.last_customer_message_at.unwrap_or(case.created_at).0)
        }
        SortKey::Priority => Some(case.priority.rank()),
        SortKey::Mention | SortKey::SlaDue => None,
    }
}

/// The sort value of a list row for the orders a case alone does not hold: the Mentions
/// view's rank, or the due time of `sla_due`.
pub fn row_sort_value(row: &dyn Columns, key: SortKey) -> Result<i64, StoreError> {
    match key {
        SortKey::SlaDue => row.int(sla::DUE),
        _ => row.int(mentions::RANK),
    }
}

/// `SELECT` of list rows: [`CASE_COLUMNS`] plus `customer_name`, `customer_handle`,
/// `customer_network` and `customer_user_id`, from cases joined to their customers.
pub(crate) fn case_rows() -> SelectStatement {
    Query::select()
        .columns(CASE_COLUMNS.iter().map(|c| (Cases::Table, *c)))
        .expr_as(
            Expr::col((Customers::Table, Customers::DisplayName)),
            Alias::new("customer_name"),
        )
        .expr_as(
            Expr::col((Customers::Table, Customers::Handle)),
            Alias::new("customer_handle"),
        )
        .expr_as(
            Expr::col((Customers::Table, Customers::Network)),
            Alias::new("customer_network"),
        )
        .expr_as(
            Expr::col((Customers::Table, Customers::NetworkUserId)),
            Alias::new("customer_user_id"),
        )
        .from(Cases::Table)
        .inner_join(
            Customers::Table,
            Expr::col((Customers::Table, Customers::Id)).equals((Cases::Table, Cases::CustomerId)),
        )
        .to_owned()
}

/// The statement of one page of a view; it asks for one row more than the page to know
/// whether another page follows. Selects [`CASE_COLUMNS`] plus `customer_name`,
/// `customer_handle` and `customer_network`. `scope` is how the backend wants the viewer's
/// profiles written.
pub fn list_statement(
    query: &CaseQuery,
    scope: ScopeTerm,
) -> Result<(SelectStatement, Sort), StoreError> {
    let sort = query.sort.unwrap_or_else(|| query.view.default_sort());
    let mut stmt = case_rows();
    if query.view == View::Mentions {
        mentions::join(&mut stmt, query.viewer.user_id);
    } else if sort.key == SortKey::Mention {
        return Err(StoreError::Conflict(
            "only the mentions view sorts by mention".into(),
        ));
    }
    if query.view == View::SlaAtRisk || sort.key == SortKey::SlaDue {
        sla::join(&mut stmt, query.view);
    }
    stmt.cond_where(view_condition(
        &query.viewer,
        query.view,
        scope,
        Some(&query.filter),
    ))
    .cond_where(filter_condition(&query.filter));
    let key = sort.key;
    if let Some(text) = &query.cursor {
        let cursor =
            Cursor::decode(text).ok_or_else(|| StoreError::Conflict("invalid cursor".into()))?;
        let after = if sort.descending {
            Cond::any().add(sort_column(key).lt(cursor.value)).add(
                Cond::all()
                    .add(sort_column(key).eq(cursor.value))
                    .add(col(Cases::Id).lt(cursor.id)),
            )
        } else {
            Cond::any().add(sort_column(key).gt(cursor.value)).add(
                Cond::all()
                    .add(sort_column(key).eq(cursor.value))
                    .add(col(Cases::Id).gt(cursor.id)),
            )
        };
        stmt.cond_where(after);
    }
    let order = if sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    stmt.order_by_expr(sort_column(key).into(), order.clone())
        .order_by((Cases::Table, Cases::Id), order)
        .limit(u64::from(query.limit.clamp(1, MAX_LIMIT)) + 1);
    Ok((stmt.to_owned(), sort))
}

/// One statement answering `(view, n)` rows, one per view, for a viewer. It adds up the rows
/// of `case_tallies` (the number of cases of each profile, status, assignee and deleted flag,
/// kept by the backends in the unit of work that changes a case) under the name `cases`, so
/// the very conditions of the views apply, and a count costs a few rows whatever the cases.
/// Mentions are the viewer's own, not a tally: that view counts its cases
/// ([`mentions::count`]).
pub fn counts_statement(viewer: &Viewer) -> SelectStatement {
    let one = |view: View| {
        let total = Func::cast_as(
            Func::coalesce([
                Func::sum(Expr::col((Cases::Table, CaseTallies::N))).into(),
                Expr::val(0).into(),
            ]),
            Alias::new("BIGINT"),
        );
        Query::select()
            .expr_as(Expr::val(view.as_str()), Alias::new("view"))
            .expr_as(total, Alias::new("n"))
            .from_as(CaseTallies::Table, Cases::Table)
            .cond_where(view_condition(viewer, view, ScopeTerm::Seekable, None))
            .to_owned()
    };
    let mut stmt = one(View::Inbox);
    for view in View::ALL.into_iter().skip(1) {
        if view == View::Mentions {
            stmt.union(UnionType::All, mentions::count(viewer));
        } else if view == View::SlaAtRisk {
            stmt.union(UnionType::All, sla::count(viewer));
        } else {
            stmt.union(UnionType::All, one(view));
        }
    }
    stmt
}

#[cfg(test)]
mod tests;
