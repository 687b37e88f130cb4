//! The Community inbox: items of the viewer's profiles, filtered by status, profile, lock, label
//! and text; oldest unhandled first by default (done and no-action items hidden unless asked
//! for). Described once, rendered by each backend.

use caredesk_domain::{CaseStatus, CommunityStatus, ProfileId};
use sea_query::{Cond, Expr, Func, Iden, LikeExpr, Order, Query, SelectStatement};

use super::{like_pattern, ProfileScope, MAX_LIMIT};
use crate::cursor::Cursor;
use crate::StoreError;

/// A page request of the Community inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemQuery {
    /// The viewer's profiles.
    pub profiles: ProfileScope,
    /// Only these statuses (empty: none and in progress).
    pub statuses: Vec<CommunityStatus>,
    /// Only this profile.
    pub profile_id: Option<ProfileId>,
    /// Only locked (true) or unlocked (false) items.
    pub locked: Option<bool>,
    /// Only items with this label.
    pub label: Option<String>,
    /// Customer name or handle, message text.
    pub text: Option<String>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// Where the page starts.
    pub cursor: Option<String>,
    /// Rows per page.
    pub limit: u32,
}

#[derive(Iden)]
enum CommunityItems {
    Table,
    Id,
    ProfileId,
    CustomerId,
    MessageId,
    Status,
    Labels,
    UpdatedAt,
}

#[derive(Iden)]
enum CaseMessages {
    Table,
    CaseId,
    MessageId,
}

#[derive(Iden)]
enum Cases {
    Table,
    Id,
    Status,
    Deleted,
}

#[derive(Iden)]
enum Messages {
    Table,
    Id,
    Text,
}

#[derive(Iden)]
enum Customers {
    Table,
    Id,
    DisplayName,
    Handle,
}

fn col(c: CommunityItems) -> Expr {
    Expr::col((CommunityItems::Table, c))
}

fn locked_condition() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(CaseMessages::Table)
        .inner_join(
            Cases::Table,
            Expr::col((Cases::Table, Cases::Id))
                .equals((CaseMessages::Table, CaseMessages::CaseId)),
        )
        .and_where(
            Expr::col((CaseMessages::Table, CaseMessages::MessageId))
                .equals((CommunityItems::Table, CommunityItems::MessageId)),
        )
        .and_where(Expr::col((Cases::Table, Cases::Deleted)).eq(super::constant(false)))
        .and_where(
            Expr::col((Cases::Table, Cases::Status)).is_in(
                CaseStatus::ALL
                    .iter()
                    .filter(|s| s.is_in_progress())
                    .map(|s| super::constant(s.as_str())),
            ),
        )
        .to_owned()
}

fn text_condition(text: &str) -> Cond {
    let lower = |e: Expr| Expr::expr(Func::lower(e));
    let matching = |table_col: Expr| lower(table_col).like(like_pattern(text));
    let in_message = Query::select()
        .expr(Expr::val(1))
        .from(Messages::Table)
        .and_where(
            Expr::col((Messages::Table, Messages::Id))
                .equals((CommunityItems::Table, CommunityItems::MessageId)),
        )
        .and_where(matching(Expr::col((Messages::Table, Messages::Text))))
        .to_owned();
    let in_customer = Query::select()
        .expr(Expr::val(1))
        .from(Customers::Table)
        .and_where(
            Expr::col((Customers::Table, Customers::Id))
                .equals((CommunityItems::Table, CommunityItems::CustomerId)),
        )
        .cond_where(
            Cond::any()
                .add(matching(Expr::col((
                    Customers::Table,
                    Customers::DisplayName,
                ))))
                .add(matching(Expr::col((Customers::Table, Customers::Handle)))),
        )
        .to_owned();
    Cond::any()
        .add(Expr::exists(in_message))
        .add(Expr::exists(in_customer))
}

/// The statement of one page of the inbox (`limit + 1` rows of `community_items.*`).
pub fn items_statement(q: &ItemQuery) -> Result<SelectStatement, StoreError> {
    let statuses: Vec<&str> = if q.statuses.is_empty() {
        vec![
            CommunityStatus::None.as_str(),
            CommunityStatus::InProgress.as_str(),
        ]
    } else {
        q.statuses.iter().map(|s| s.as_str()).collect()
    };
    let mut stmt = Query::select();
    stmt.column((CommunityItems::Table, sea_query::Asterisk))
        .from(CommunityItems::Table)
        .and_where(col(CommunityItems::Status).is_in(statuses));
    if let ProfileScope::Only(ids) = &q.profiles {
        stmt.and_where(col(CommunityItems::ProfileId).is_in(ids.iter().map(|p| p.0)));
    }
    if let Some(profile) = q.profile_id {
        stmt.and_where(col(CommunityItems::ProfileId).eq(profile.0));
    }
    match q.locked {
        Some(true) => {
            stmt.and_where(Expr::exists(locked_condition()));
        }
        Some(false) => {
            stmt.and_where(Expr::exists(locked_condition()).not());
        }
        None => {}
    }
    if let Some(label) = &q.label {
        let quoted = serde_json::to_string(label).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut escaped = String::from("%");
        for ch in quoted.chars() {
            if matches!(ch, '%' | '_' | '\\') {
                escaped.push('\\');
            }
            escaped.push(ch);
        }
        escaped.push('%');
        stmt.and_where(col(CommunityItems::Labels).like(LikeExpr::new(escaped).escape('\\')));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        stmt.cond_where(text_condition(text));
    }
    if let Some(text) = &q.cursor {
        let c =
            Cursor::decode(text).ok_or_else(|| StoreError::Conflict("invalid cursor".into()))?;
        let (key, id) = (col(CommunityItems::UpdatedAt), col(CommunityItems::Id));
        let after = if q.newest_first {
            Cond::any()
                .add(key.clone().lt(c.value))
                .add(Cond::all().add(key.eq(c.value)).add(id.lt(c.id)))
        } else {
            Cond::any()
                .add(key.clone().gt(c.value))
                .add(Cond::all().add(key.eq(c.value)).add(id.gt(c.id)))
        };
        stmt.cond_where(after);
    }
    let order = if q.newest_first {
        Order::Desc
    } else {
        Order::Asc
    };
    stmt.order_by(
        (CommunityItems::Table, CommunityItems::UpdatedAt),
        order.clone(),
    )
    .order_by((CommunityItems::Table, CommunityItems::Id), order)
    .limit(u64::from(q.limit.clamp(1, MAX_LIMIT)) + 1);
    Ok(stmt.to_owned())
}

/// `SELECT * FROM <table> WHERE id IN (…)`.
pub fn by_ids_statement(table: &'static str, ids: &[i64]) -> SelectStatement {
    Query::select()
        .column(sea_query::Asterisk)
        .from(sea_query::Alias::new(table))
        .and_where(Expr::col(sea_query::Alias::new("id")).is_in(ids.iter().copied()))
        .to_owned()
}

/// The in-progress cases holding any of these messages: `message_id, id, number, status`.
pub fn locking_cases_statement(messages: &[i64]) -> SelectStatement {
    Query::select()
        .column((CaseMessages::Table, CaseMessages::MessageId))
        .columns([(Cases::Table, Cases::Id), (Cases::Table, Cases::Status)])
        .column((Cases::Table, sea_query::Alias::new("number")))
        .from(CaseMessages::Table)
        .inner_join(
            Cases::Table,
            Expr::col((Cases::Table, Cases::Id))
                .equals((CaseMessages::Table, CaseMessages::CaseId)),
        )
        .and_where(
            Expr::col((CaseMessages::Table, CaseMessages::MessageId))
                .is_in(messages.iter().copied()),
        )
        .and_where(Expr::col((Cases::Table, Cases::Deleted)).eq(super::constant(false)))
        .and_where(
            Expr::col((Cases::Table, Cases::Status)).is_in(
                CaseStatus::ALL
                    .iter()
                    .filter(|s| s.is_in_progress())
                    .map(|s| super::constant(s.as_str())),
            ),
        )
        .to_owned()
}

/// The active cases of these customers: `customer_id, profile_id, id, number, status`.
pub fn active_cases_statement(customers: &[i64]) -> SelectStatement {
    let c = |name: &str| (Cases::Table, sea_query::Alias::new(name));
    Query::select()
        .columns([
            c("customer_id"),
            c("profile_id"),
            c("id"),
            c("number"),
            c("status"),
        ])
        .from(Cases::Table)
        .and_where(Expr::col(c("customer_id")).is_in(customers.iter().copied()))
        .and_where(Expr::col(c("holds_active_slot")).eq(true))
        .and_where(Expr::col((Cases::Table, Cases::Deleted)).eq(super::constant(false)))
        .to_owned()
}
