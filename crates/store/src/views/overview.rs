//! The statements behind the home page's figures (PRODUCT.md §9), scoped to the viewer's
//! profiles; deleted cases count nowhere. Each backend renders them; `Overview` is what they
//! answer, assembled by the backend from their rows.

use caredesk_domain::{CaseId, CaseStatus, Timestamp};
use sea_query::{Alias, Expr, Func, Iden, Order, Query, SelectStatement};
use serde::Serialize;

use super::ProfileScope;

/// Microseconds in a day.
pub const DAY_MICROS: i64 = 86_400_000_000;

/// The figures of the home page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// Cases per status now.
    pub by_status: Vec<(CaseStatus, i64)>,
    /// Unassigned New cases.
    pub unassigned_new: i64,
    /// Creation time of the oldest of them.
    pub oldest_unassigned_new_at: Option<Timestamp>,
    /// Escalations per UTC day (day number since the epoch, count), for the asked days.
    pub escalations_per_day: Vec<(i64, i64)>,
    /// Status changes to Done per UTC day, with the case's creation time for time-to-Done:
    /// `(at, case created at)`.
    pub done_changes: Vec<(Timestamp, Timestamp)>,
    /// Done cases whose grace period ends soon: (case, number, grace until), soonest first.
    pub grace_ending: Vec<(CaseId, i64, Timestamp)>,
    /// Cases whose first reply was delivered since the asked time, for time-to-first-reply:
    /// `(first reply at, case created at)`.
    pub first_replies: Vec<(Timestamp, Timestamp)>,
}

#[derive(Iden)]
enum Cases {
    Table,
    Id,
    Number,
    ProfileId,
    Status,
    AssigneeId,
    CreatedAt,
    GraceUntil,
    FirstReplyAt,
    HoldsActiveSlot,
    Deleted,
}

#[derive(Iden)]
enum Events {
    Table,
    CaseId,
    Kind,
    Data,
    At,
}

fn col(c: Cases) -> Expr {
    Expr::col((Cases::Table, c))
}

fn scoped(stmt: &mut SelectStatement, scope: &ProfileScope) {
    stmt.and_where(col(Cases::Deleted).eq(super::constant(false)));
    if let ProfileScope::Only(ids) = scope {
        stmt.and_where(col(Cases::ProfileId).is_in(ids.iter().map(|p| p.0)));
    }
}

/// `status, n` for every status present.
pub fn status_counts(scope: &ProfileScope) -> SelectStatement {
    let mut stmt = Query::select();
    stmt.column((Cases::Table, Cases::Status))
        .expr_as(Func::count(col(Cases::Id)), Alias::new("n"))
        .from(Cases::Table)
        .group_by_col((Cases::Table, Cases::Status));
    scoped(&mut stmt, scope);
    stmt
}

/// `n, oldest` of unassigned New cases.
pub fn unassigned_new(scope: &ProfileScope) -> SelectStatement {
    let mut stmt = Query::select();
    stmt.expr_as(Func::count(col(Cases::Id)), Alias::new("n"))
        .expr_as(Func::min(col(Cases::CreatedAt)), Alias::new("oldest"))
        .from(Cases::Table)
        .and_where(col(Cases::Status).eq(CaseStatus::New.as_str()))
        .and_where(col(Cases::AssigneeId).is_null());
    scoped(&mut stmt, scope);
    stmt
}

/// `day, n`: cases created per UTC day since `since`.
pub fn escalations_per_day(scope: &ProfileScope, since: Timestamp) -> SelectStatement {
    let day = col(Cases::CreatedAt).div(DAY_MICROS);
    let mut stmt = Query::select();
    stmt.expr_as(day.clone(), Alias::new("day"))
        .expr_as(Func::count(col(Cases::Id)), Alias::new("n"))
        .from(Cases::Table)
        .and_where(col(Cases::CreatedAt).gte(since.0))
        .group_by_col(Alias::new("day"))
        .order_by(Alias::new("day"), Order::Asc);
    scoped(&mut stmt, scope);
    stmt
}

/// `at, data, created_at` of the status changes since `since`; the caller keeps those to Done.
pub fn status_changes(scope: &ProfileScope, since: Timestamp) -> SelectStatement {
    let mut stmt = Query::select();
    stmt.column((Events::Table, Events::At))
        .column((Events::Table, Events::Data))
        .column((Cases::Table, Cases::CreatedAt))
        .from(Events::Table)
        .inner_join(
            Cases::Table,
            col(Cases::Id).equals((Events::Table, Events::CaseId)),
        )
        .and_where(Expr::col((Events::Table, Events::Kind)).eq("status_changed"))
        .and_where(Expr::col((Events::Table, Events::At)).gte(since.0));
    scoped(&mut stmt, scope);
    stmt
}

/// `first_reply_at, created_at` of the cases whose first reply was delivered at or after
/// `since` (read through `cases_by_first_reply`).
pub fn first_replies(scope: &ProfileScope, since: Timestamp) -> SelectStatement {
    let mut stmt = Query::select();
    stmt.columns([
        (Cases::Table, Cases::FirstReplyAt),
        (Cases::Table, Cases::CreatedAt),
    ])
    .from(Cases::Table)
    .and_where(col(Cases::FirstReplyAt).gte(since.0));
    scoped(&mut stmt, scope);
    stmt
}

/// `id, number, grace_until` of Done cases whose grace period ends in `(now, until]`.
pub fn grace_ending(scope: &ProfileScope, now: Timestamp, until: Timestamp) -> SelectStatement {
    let mut stmt = Query::select();
    stmt.columns([
        (Cases::Table, Cases::Id),
        (Cases::Table, Cases::Number),
        (Cases::Table, Cases::GraceUntil),
    ])
    .from(Cases::Table)
    .and_where(col(Cases::Status).eq(CaseStatus::Done.as_str()))
    .and_where(col(Cases::HoldsActiveSlot).eq(true))
    .and_where(col(Cases::GraceUntil).gt(now.0))
    .and_where(col(Cases::GraceUntil).lte(until.0))
    .order_by((Cases::Table, Cases::GraceUntil), Order::Asc)
    .limit(100);
    scoped(&mut stmt, scope);
    stmt
}

/// Whether an event's data records a change to Done.
pub fn is_change_to_done(data: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(data)
        .ok()
        .and_then(|v| {
            v.get("to")
                .and_then(|t| t.as_str())
                .map(|t| t == CaseStatus::Done.as_str())
        })
        .unwrap_or(false)
}
