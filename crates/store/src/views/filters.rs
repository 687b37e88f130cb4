//! The optional filters of a Care view (status, assignee, profile, network, priority, case
//! fields, text), as one condition; text matches the customer's name or handle, the case's
//! messages, or its number.

use sea_query::{Cond, Condition, Expr, Func, Iden, LikeExpr, Query};

use super::{col, AssigneeFilter, CaseFilter, Cases, Customers};

#[derive(Iden)]
enum Messages {
    Table,
    Id,
    Text,
}

#[derive(Iden)]
enum CaseMessages {
    Table,
    CaseId,
    MessageId,
}

#[derive(Iden)]
enum CaseFieldTokens {
    Table,
    CaseId,
    FieldId,
    Token,
}

/// Escapes `%`, `_` and `\` so the user's text matches literally.
pub(crate) fn like_pattern(text: &str) -> LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped.push('%');
    LikeExpr::new(escaped).escape('\\')
}

fn text_condition(text: &str) -> Condition {
    let trimmed = text.trim();
    let mut any = Cond::any();
    if let Ok(number) = trimmed.trim_start_matches('#').parse::<i64>() {
        any = any.add(col(Cases::Number).eq(number));
    }
    let lower = |e: Expr| Expr::expr(Func::lower(e));
    any = any
        .add(
            lower(Expr::col((Customers::Table, Customers::DisplayName)))
                .like(like_pattern(trimmed)),
        )
        .add(lower(Expr::col((Customers::Table, Customers::Handle))).like(like_pattern(trimmed)));
    let in_messages = Query::select()
        .expr(Expr::val(1))
        .from(CaseMessages::Table)
        .inner_join(
            Messages::Table,
            Expr::col((Messages::Table, Messages::Id))
                .equals((CaseMessages::Table, CaseMessages::MessageId)),
        )
        .and_where(
            Expr::col((CaseMessages::Table, CaseMessages::CaseId))
                .equals((Cases::Table, Cases::Id)),
        )
        .and_where(lower(Expr::col((Messages::Table, Messages::Text))).like(like_pattern(trimmed)))
        .to_owned();
    any.add(Expr::exists(in_messages))
}

pub(super) fn filter_condition(filter: &CaseFilter) -> Condition {
    let mut cond = Cond::all();
    if let Some(status) = filter.status {
        cond = cond.add(col(Cases::Status).eq(status.as_str()));
    }
    match filter.assignee {
        Some(AssigneeFilter::Unassigned) => cond = cond.add(col(Cases::AssigneeId).is_null()),
        Some(AssigneeFilter::User(id)) => cond = cond.add(col(Cases::AssigneeId).eq(id.0)),
        None => {}
    }
    if let Some(profile) = filter.profile_id {
        cond = cond.add(col(Cases::ProfileId).eq(profile.0));
    }
    if let Some(network) = filter.network {
        cond = cond.add(Expr::col((Customers::Table, Customers::Network)).eq(network.as_str()));
    }
    if let Some(priority) = filter.priority {
        cond = cond.add(col(Cases::PriorityRank).eq(priority.rank()));
    }
    for (field, token) in &filter.fields {
        let matching = Query::select()
            .expr(Expr::val(1))
            .from(CaseFieldTokens::Table)
            .and_where(
                Expr::col((CaseFieldTokens::Table, CaseFieldTokens::CaseId))
                    .equals((Cases::Table, Cases::Id)),
            )
            .and_where(Expr::col((CaseFieldTokens::Table, CaseFieldTokens::FieldId)).eq(field.0))
            .and_where(
                Expr::col((CaseFieldTokens::Table, CaseFieldTokens::Token)).eq(token.as_str()),
            )
            .to_owned();
        cond = cond.add(Expr::exists(matching));
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        cond = cond.add(text_condition(text));
    }
    cond
}
