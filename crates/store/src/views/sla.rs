//! The SLA at risk view and the `sla_due` order (PRODUCT.md §13). Both read a case's row of
//! `case_sla`: the view keeps the cases in progress with a recorded warning or breach on a
//! target still open (`at_risk_from` set), soonest due first; the order sorts any view by the
//! nearest running target's due time, cases without one last. A row's due time is selected
//! under [`DUE`] for its cursor.

use caredesk_domain::CaseStatus;
use sea_query::{Alias, Expr, Func, JoinType, Query, SelectStatement};

use super::{col, view_condition, Cases, ScopeTerm, View, Viewer};

/// The due time's column in list rows.
pub(crate) const DUE: &str = "sla_due";

/// Above every stored time (microseconds): where cases without a running target sort.
pub(crate) const NEVER: i64 = 1 << 55;

const TABLE: &str = "case_sla";

fn sla_col(name: &str) -> Expr {
    Expr::col((Alias::new(TABLE), Alias::new(name)))
}

fn join_on(stmt: &mut SelectStatement, kind: JoinType) {
    stmt.join(
        kind,
        Alias::new(TABLE),
        sla_col("case_id").equals((Cases::Table, Cases::Id)),
    );
}

/// The due time a case sorts by.
pub(crate) fn due() -> Expr {
    Expr::expr(Func::coalesce([
        sla_col("due_at").into(),
        Expr::val(NEVER).into(),
    ]))
}

/// Joins a list statement to the cases' targets (only the cases with some for the view) and
/// selects their due time.
pub(crate) fn join(stmt: &mut SelectStatement, view: View) {
    let kind = if view == View::SlaAtRisk {
        JoinType::InnerJoin
    } else {
        JoinType::LeftJoin
    };
    join_on(stmt, kind);
    stmt.expr_as(due(), Alias::new(DUE));
}

/// The view's own condition beyond its scope: a case in progress with a target at risk.
pub(crate) fn at_risk() -> sea_query::SimpleExpr {
    let in_progress = [
        CaseStatus::New,
        CaseStatus::Open,
        CaseStatus::Pending,
        CaseStatus::OnHold,
    ];
    // The cases at risk, written once more as a list: the planner then starts from the few
    // rows of `case_sla_by_risk` instead of every case in progress (SQLite's plan for the join
    // alone read the whole `cases_in_progress` index to count an empty view).
    let at_risk_cases = Query::select()
        .column(Alias::new("case_id"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("at_risk_from")).is_not_null())
        .to_owned();
    col(Cases::Status)
        .is_in(in_progress.iter().map(|s| super::constant(s.as_str())))
        .and(sla_col("at_risk_from").is_not_null())
        .and(col(Cases::Id).in_subquery(at_risk_cases))
}

/// `('sla_at_risk', n)`: the cases of the view, under the view's conditions.
pub(crate) fn count(viewer: &Viewer) -> SelectStatement {
    let mut stmt = Query::select()
        .expr_as(Expr::val(View::SlaAtRisk.as_str()), Alias::new("view"))
        .expr_as(
            Func::cast_as(Func::count(col(Cases::Id)), Alias::new("BIGINT")),
            Alias::new("n"),
        )
        .from(Cases::Table)
        .to_owned();
    join_on(&mut stmt, JoinType::InnerJoin);
    stmt.cond_where(view_condition(
        viewer,
        View::SlaAtRisk,
        ScopeTerm::Seekable,
        None,
    ));
    stmt
}
