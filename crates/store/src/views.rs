//! The Care views (PRODUCT.md §2), described once and rendered by each backend in its own SQL
//! dialect with sea-query.
//!
//! Every view is: the viewer's scope (their profiles), the view's own condition (statuses,
//! assignee), optional filters, a sort key with `id` as tie-breaker, and a keyset cursor. Counts
//! use the very same conditions, so a view and its count always agree. Deleted cases appear
//! nowhere.

use caredesk_domain::{CaseFieldId, CaseStatus, Network, Priority, ProfileId, UserId};
use sea_query::{
    Alias, Cond, Condition, Expr, Func, Iden, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
    UnionType,
};

use crate::cursor::Cursor;
use crate::StoreError;

/// The default views of the Care inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Supervisor: every case not done/spam; agent: their own.
    Inbox,
    /// Unassigned new cases.
    New,
    /// The viewer's open cases.
    MyOpen,
    /// The viewer's pending cases.
    MyPending,
    /// The viewer's on-hold cases.
    MyOnHold,
    /// Supervisor: every done case; agent: their own.
    Done,
    /// Supervisor: every spam case; agent: their own.
    Spam,
}

impl View {
    /// Every view, in menu order.
    pub const ALL: [View; 7] = [
        View::Inbox,
        View::New,
        View::MyOpen,
        View::MyPending,
        View::MyOnHold,
        View::Done,
        View::Spam,
    ];

    /// The view's word in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Inbox => "inbox",
            View::New => "new",
            View::MyOpen => "my_open",
            View::MyPending => "my_pending",
            View::MyOnHold => "my_on_hold",
            View::Done => "done",
            View::Spam => "spam",
        }
    }

    /// Parses a view word.
    pub fn parse(word: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == word)
    }

    /// The view's own sort order.
    pub fn default_sort(self) -> Sort {
        match self {
            View::Inbox | View::New => Sort {
                key: SortKey::Created,
                descending: false,
            },
            View::MyOpen | View::MyOnHold => Sort {
                key: SortKey::LastCustomerMessage,
                descending: true,
            },
            View::MyPending => Sort {
                key: SortKey::LastCustomerMessage,
                descending: false,
            },
            View::Done | View::Spam => Sort {
                key: SortKey::Created,
                descending: true,
            },
        }
    }
}

/// What a list is sorted by (always with the case id as tie-breaker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Creation time.
    Created,
    /// The customer's last message.
    LastCustomerMessage,
    /// Priority, urgent first.
    Priority,
}

/// A sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The key.
    pub key: SortKey,
    /// Descending when true.
    pub descending: bool,
}

impl Sort {
    /// Parses `created`, `last_customer_message`, `priority`, with `-` for descending.
    pub fn parse(text: &str) -> Option<Sort> {
        let (descending, word) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let key = match word {
            "created" => SortKey::Created,
            "last_customer_message" => SortKey::LastCustomerMessage,
            "priority" => SortKey::Priority,
            _ => return None,
        };
        Some(Sort { key, descending })
    }
}

/// Which profiles a viewer reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileScope {
    /// Every profile (admins).
    All,
    /// These profiles.
    Only(Vec<ProfileId>),
}

/// Who is looking, as the views need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The user.
    pub user_id: UserId,
    /// Supervisors see every case of their profiles in Inbox, Done and Spam.
    pub supervisor: bool,
    /// Their profiles.
    pub profiles: ProfileScope,
}

impl Viewer {
    /// The viewer of a user (`None` for users without Care access, who see no cases).
    pub fn of(user: &caredesk_domain::User) -> Option<Viewer> {
        if !user.active || !user.has_care_access() {
            return None;
        }
        Some(Viewer {
            user_id: user.id,
            supervisor: user.is_supervisor(),
            profiles: if user.is_admin() {
                ProfileScope::All
            } else {
                ProfileScope::Only(user.profile_ids.iter().copied().collect())
            },
        })
    }
}

/// Who a list is narrowed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Unassigned cases.
    Unassigned,
    /// Cases of this user.
    User(UserId),
}

/// Optional narrowing of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only this status.
    pub status: Option<CaseStatus>,
    /// Only this assignee.
    pub assignee: Option<AssigneeFilter>,
    /// Only this profile.
    pub profile_id: Option<ProfileId>,
    /// Only this network.
    pub network: Option<Network>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Field values (`field.<id>=value`); a multi-select matches any of its labels.
    pub fields: Vec<(CaseFieldId, String)>,
    /// Free text: case number, customer name or handle, message text.
    pub text: Option<String>,
}

/// A page request of a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseQuery {
    /// Who looks.
    pub viewer: Viewer,
    /// Which view.
    pub view: View,
    /// Narrowing.
    pub filter: CaseFilter,
    /// Sort order (default: the view's).
    pub sort: Option<Sort>,
    /// Where the page starts.
    pub cursor: Option<String>,
    /// Rows per page (1..=200).
    pub limit: u32,
}

/// The largest page.
pub const MAX_LIMIT: u32 = 200;

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

#[derive(Iden)]
enum Customers {
    Table,
    Id,
    Network,
    DisplayName,
    Handle,
}

#[derive(Iden)]
enum CaseFieldTokens {
    Table,
    CaseId,
    FieldId,
    Token,
}

#[derive(Iden)]
enum CaseMessages {
    Table,
    CaseId,
    MessageId,
}

#[derive(Iden)]
enum Messages {
    Table,
    Id,
    Text,
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

fn col(c: Cases) -> Expr {
    Expr::col((Cases::Table, c))
}

fn statuses(list: &[CaseStatus]) -> SimpleExpr {
    col(Cases::Status).is_in(list.iter().map(|s| s.as_str()))
}

fn view_condition(viewer: &Viewer, view: View) -> Condition {
    let mine = col(Cases::AssigneeId).eq(viewer.user_id.0);
    let closed = [CaseStatus::Done, CaseStatus::Spam];
    let mut cond = Cond::all().add(col(Cases::Deleted).eq(false));
    cond = match &viewer.profiles {
        ProfileScope::All => cond,
        ProfileScope::Only(ids) => cond.add(col(Cases::ProfileId).is_in(ids.iter().map(|p| p.0))),
    };
    let everyone = viewer.supervisor;
    match view {
        View::Inbox if everyone => cond.add(statuses(&closed).not()),
        View::Inbox => cond.add(mine).add(statuses(&closed).not()),
        View::New => cond
            .add(col(Cases::Status).eq(CaseStatus::New.as_str()))
            .add(col(Cases::AssigneeId).is_null()),
        View::MyOpen => cond
            .add(mine)
            .add(col(Cases::Status).eq(CaseStatus::Open.as_str())),
        View::MyPending => cond
            .add(mine)
            .add(col(Cases::Status).eq(CaseStatus::Pending.as_str())),
        View::MyOnHold => cond
            .add(mine)
            .add(col(Cases::Status).eq(CaseStatus::OnHold.as_str())),
        View::Done | View::Spam => {
            let status = if view == View::Done {
                CaseStatus::Done
            } else {
                CaseStatus::Spam
            };
            let c = cond.add(col(Cases::Status).eq(status.as_str()));
            if everyone {
                c
            } else {
                c.add(mine)
            }
        }
    }
}

/// Escapes `%`, `_` and `\` so the user's text matches literally.
fn like_pattern(text: &str) -> LikeExpr {
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

fn filter_condition(filter: &CaseFilter) -> Condition {
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

fn sort_column(key: SortKey) -> Cases {
    match key {
        SortKey::Created => Cases::CreatedAt,
        SortKey::LastCustomerMessage => Cases::LastCustomerMessageAt,
        SortKey::Priority => Cases::PriorityRank,
    }
}

/// The sort value of a row, for its cursor.
pub fn sort_value(case: &caredesk_domain::Case, key: SortKey) -> i64 {
    match key {
        SortKey::Created => case.created_at.0,
        SortKey::LastCustomerMessage => case.last_customer_message_at.unwrap_or(case.created_at).0,
        SortKey::Priority => case.priority.rank(),
    }
}

/// The statement of one page of a view; it asks for one row more than the page to know
/// whether another page follows. Selects [`CASE_COLUMNS`] plus `customer_name`,
/// `customer_handle` and `customer_network`.
pub fn list_statement(query: &CaseQuery) -> Result<(SelectStatement, Sort), StoreError> {
    let sort = query.sort.unwrap_or_else(|| query.view.default_sort());
    let mut stmt = Query::select();
    stmt.columns(CASE_COLUMNS.iter().map(|c| (Cases::Table, *c)))
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
        .from(Cases::Table)
        .inner_join(
            Customers::Table,
            Expr::col((Customers::Table, Customers::Id)).equals((Cases::Table, Cases::CustomerId)),
        )
        .cond_where(view_condition(&query.viewer, query.view))
        .cond_where(filter_condition(&query.filter));
    let key = sort_column(sort.key);
    if let Some(text) = &query.cursor {
        let cursor =
            Cursor::decode(text).ok_or_else(|| StoreError::Conflict("invalid cursor".into()))?;
        let after = if sort.descending {
            Cond::any().add(col(key).lt(cursor.value)).add(
                Cond::all()
                    .add(col(key).eq(cursor.value))
                    .add(col(Cases::Id).lt(cursor.id)),
            )
        } else {
            Cond::any().add(col(key).gt(cursor.value)).add(
                Cond::all()
                    .add(col(key).eq(cursor.value))
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
    stmt.order_by((Cases::Table, key), order.clone())
        .order_by((Cases::Table, Cases::Id), order)
        .limit(u64::from(query.limit.clamp(1, MAX_LIMIT)) + 1);
    Ok((stmt.to_owned(), sort))
}

/// One statement answering `(view, n)` rows, one per view, for a viewer.
pub fn counts_statement(viewer: &Viewer) -> SelectStatement {
    let one = |view: View| {
        Query::select()
            .expr_as(Expr::val(view.as_str()), Alias::new("view"))
            .expr_as(Func::count(col(Cases::Id)), Alias::new("n"))
            .from(Cases::Table)
            .cond_where(view_condition(viewer, view))
            .to_owned()
    };
    let mut stmt = one(View::Inbox);
    for view in View::ALL.into_iter().skip(1) {
        stmt.union(UnionType::All, one(view));
    }
    stmt
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    fn query(view: View) -> CaseQuery {
        CaseQuery {
            viewer: Viewer {
                user_id: UserId(7),
                supervisor: false,
                profiles: ProfileScope::Only(vec![ProfileId(1)]),
            },
            view,
            filter: CaseFilter::default(),
            sort: None,
            cursor: None,
            limit: 50,
        }
    }

    #[test]
    fn views_render_in_both_dialects_with_their_own_order() {
        let (stmt, sort) = list_statement(&query(View::MyPending)).unwrap();
        assert_eq!(
            sort,
            Sort {
                key: SortKey::LastCustomerMessage,
                descending: false
            }
        );
        let (sqlite, _) = stmt.build(SqliteQueryBuilder);
        let (pg, _) = stmt.build(PostgresQueryBuilder);
        assert!(
            sqlite.contains("ORDER BY \"cases\".\"last_customer_message_at\" ASC"),
            "{sqlite}"
        );
        assert!(pg.contains("$1"), "{pg}");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        let (sql, values) = Query::select()
            .expr(Expr::val(1))
            .and_where(Expr::col(Alias::new("x")).like(like_pattern("50%_off\\")))
            .build(SqliteQueryBuilder);
        assert!(sql.contains("ESCAPE"), "{sql}");
        assert!(
            format!("{values:?}").contains(r"50\\%\\_off\\\\"),
            "{values:?}"
        );
    }

    #[test]
    fn sort_words_parse() {
        assert_eq!(
            Sort::parse("-priority"),
            Some(Sort {
                key: SortKey::Priority,
                descending: true
            })
        );
        assert_eq!(
            Sort::parse("created"),
            Some(Sort {
                key: SortKey::Created,
                descending: false
            })
        );
        assert_eq!(Sort::parse("name"), None);
    }
}
