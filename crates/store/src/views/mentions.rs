//! The Mentions view (PRODUCT.md §12): the cases where the viewer was mentioned, joined to the
//! viewer's `mentioned` notifications grouped by case. Its order is one number per case, the
//! rank: the newest mention's time, raised by [`UNREAD_FIRST`] while any mention of the case is
//! unread, so descending rank lists the unread first and then the newest mention, and a keyset
//! cursor on (rank, id) pages it like any view. A page reads the viewer's mention rows through
//! the `notifications_mentions` partial index, whatever the other cases.

use caredesk_domain::{NotificationKind, UserId};
use sea_query::{Alias, Expr, Func, JoinType, Query, SelectStatement};

use super::{col, constant, view_condition, Cases, ScopeTerm, View, Viewer};

/// The rank's column in list rows.
pub(crate) const RANK: &str = "mention_rank";

/// Above every stored time (microseconds; 2^55 µs is over a thousand years).
const UNREAD_FIRST: i64 = 1 << 55;

const MENTIONS: &str = "mentions";

/// The viewer's mentioned cases with their rank.
fn ranked(user: UserId) -> SelectStatement {
    Query::select()
        .column(Alias::new("case_id"))
        .expr_as(
            Expr::cust(format!(
                "MAX(created_at) + MAX(CASE WHEN read_at IS NULL THEN {UNREAD_FIRST} ELSE 0 END)"
            )),
            Alias::new(RANK),
        )
        .from(Alias::new("notifications"))
        .and_where(Expr::col(Alias::new("user_id")).eq(user.0))
        // Written out, so SQLite reads the partial index that repeats it.
        .and_where(Expr::col(Alias::new("kind")).eq(constant(NotificationKind::Mentioned.as_str())))
        .group_by_col(Alias::new("case_id"))
        .to_owned()
}

fn join_on(stmt: &mut SelectStatement, user: UserId) {
    stmt.join_subquery(
        JoinType::InnerJoin,
        ranked(user),
        Alias::new(MENTIONS),
        Expr::col((Alias::new(MENTIONS), Alias::new("case_id"))).equals((Cases::Table, Cases::Id)),
    );
}

/// The rank of a row of the view.
pub(crate) fn rank() -> Expr {
    Expr::col((Alias::new(MENTIONS), Alias::new(RANK)))
}

/// Narrows a list statement to the viewer's mentioned cases and selects their rank.
pub(crate) fn join(stmt: &mut SelectStatement, user: UserId) {
    join_on(stmt, user);
    stmt.expr_as(rank(), Alias::new(RANK));
}

/// `('mentions', n)`: the cases of the view, under the view's conditions.
pub(crate) fn count(viewer: &Viewer) -> SelectStatement {
    let mut stmt = Query::select()
        .expr_as(Expr::val(View::Mentions.as_str()), Alias::new("view"))
        .expr_as(
            Func::cast_as(Func::count(col(Cases::Id)), Alias::new("BIGINT")),
            Alias::new("n"),
        )
        .from(Cases::Table)
        .to_owned();
    join_on(&mut stmt, viewer.user_id);
    stmt.cond_where(view_condition(
        viewer,
        View::Mentions,
        ScopeTerm::Seekable,
        None,
    ));
    stmt
}
