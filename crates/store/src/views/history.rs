//! The History tab (PRODUCT.md §6): a customer's cases (any status but deleted) and
//! conversations, newest first, limited to the viewer's profiles; described once, rendered by
//! each backend.

use caredesk_domain::CustomerId;
use sea_query::{Alias, Cond, Expr, Func, Iden, Order, Query, SelectStatement};

use super::{Cases, ProfileScope};
use crate::cursor::Cursor;
use crate::StoreError;

#[derive(Iden)]
enum Conversations {
    Table,
    Id,
    ProfileId,
    CustomerId,
    Kind,
    RootNetworkId,
}

#[derive(Iden)]
enum Messages {
    Table,
    Id,
    ConversationId,
    CreatedAt,
}

fn scope_condition(column: Expr, scope: &ProfileScope) -> Cond {
    match scope {
        ProfileScope::All => Cond::all(),
        ProfileScope::Only(ids) => Cond::all().add(column.is_in(ids.iter().map(|p| p.0))),
    }
}

fn decode_cursor(cursor: Option<&str>) -> Result<Option<Cursor>, StoreError> {
    cursor
        .map(|c| Cursor::decode(c).ok_or_else(|| StoreError::Conflict("invalid cursor".into())))
        .transpose()
}

/// The customer's non-deleted cases on the viewer's profiles, newest first; selects the columns
/// of a list row. Asks for `limit + 1` rows.
pub fn customer_cases_statement(
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<SelectStatement, StoreError> {
    let col = |c: Cases| Expr::col((Cases::Table, c));
    let mut stmt = super::case_rows();
    stmt.and_where(col(Cases::CustomerId).eq(customer.0))
        .and_where(col(Cases::Deleted).eq(super::constant(false)))
        .cond_where(scope_condition(col(Cases::ProfileId), scope));
    if let Some(c) = decode_cursor(cursor)? {
        stmt.cond_where(
            Cond::any().add(col(Cases::CreatedAt).lt(c.value)).add(
                Cond::all()
                    .add(col(Cases::CreatedAt).eq(c.value))
                    .add(col(Cases::Id).lt(c.id)),
            ),
        );
    }
    stmt.order_by((Cases::Table, Cases::CreatedAt), Order::Desc)
        .order_by((Cases::Table, Cases::Id), Order::Desc)
        .limit(u64::from(limit.clamp(1, super::MAX_LIMIT)) + 1);
    Ok(stmt.to_owned())
}

/// The customer's conversations on the viewer's profiles, most recently active first: the
/// conversation's columns plus `last_message_at` and `message_count`. Asks for `limit + 1`.
pub fn customer_conversations_statement(
    customer: CustomerId,
    scope: &ProfileScope,
    cursor: Option<&str>,
    limit: u32,
) -> Result<SelectStatement, StoreError> {
    let conv = |c: Conversations| Expr::col((Conversations::Table, c));
    let last = Func::max(Expr::col((Messages::Table, Messages::CreatedAt)));
    let mut stmt = Query::select();
    stmt.columns([
        (Conversations::Table, Conversations::Id),
        (Conversations::Table, Conversations::ProfileId),
        (Conversations::Table, Conversations::CustomerId),
        (Conversations::Table, Conversations::Kind),
        (Conversations::Table, Conversations::RootNetworkId),
    ])
    .expr_as(last.clone(), Alias::new("last_message_at"))
    .expr_as(
        Func::count(Expr::col((Messages::Table, Messages::Id))),
        Alias::new("message_count"),
    )
    .from(Conversations::Table)
    .inner_join(
        Messages::Table,
        Expr::col((Messages::Table, Messages::ConversationId))
            .equals((Conversations::Table, Conversations::Id)),
    )
    .and_where(conv(Conversations::CustomerId).eq(customer.0))
    .cond_where(scope_condition(conv(Conversations::ProfileId), scope))
    .group_by_col((Conversations::Table, Conversations::Id))
    .group_by_col((Conversations::Table, Conversations::ProfileId))
    .group_by_col((Conversations::Table, Conversations::CustomerId))
    .group_by_col((Conversations::Table, Conversations::Kind))
    .group_by_col((Conversations::Table, Conversations::RootNetworkId));
    if let Some(c) = decode_cursor(cursor)? {
        stmt.cond_having(
            Cond::any().add(Expr::expr(last.clone()).lt(c.value)).add(
                Cond::all()
                    .add(Expr::expr(last.clone()).eq(c.value))
                    .add(conv(Conversations::Id).lt(c.id)),
            ),
        );
    }
    stmt.order_by_expr(last.into(), Order::Desc)
        .order_by((Conversations::Table, Conversations::Id), Order::Desc)
        .limit(u64::from(limit.clamp(1, super::MAX_LIMIT)) + 1);
    Ok(stmt.to_owned())
}
