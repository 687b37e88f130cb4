use super::*;
use caredesk_domain::{ProfileId, UserId};
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
    let (stmt, sort) = list_statement(&query(View::MyPending), ScopeTerm::Seekable).unwrap();
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

#[test]
fn a_filter_only_scope_keeps_the_profiles_from_choosing_an_index() {
    let filter_only = list_statement(&query(View::Inbox), ScopeTerm::FilterOnly).unwrap();
    let (sqlite, values) = filter_only.0.build(SqliteQueryBuilder);
    assert!(
        sqlite.contains("AND (+\"cases\".\"profile_id\") IN (?) AND"),
        "{sqlite}"
    );
    // The profile, the assignee and the limit, in the order of their placeholders.
    assert_eq!(sqlite.matches('?').count(), 3, "{sqlite}");
    assert_eq!(
        format!("{values:?}"),
        "Values([BigInt(Some(1)), BigInt(Some(7)), BigUnsigned(Some(51))])"
    );
    let seekable = list_statement(&query(View::Inbox), ScopeTerm::Seekable).unwrap();
    let (sqlite, _) = seekable.0.build(SqliteQueryBuilder);
    assert!(
        sqlite.contains(" \"cases\".\"profile_id\" IN (?)"),
        "{sqlite}"
    );
    assert!(!sqlite.contains('+'), "{sqlite}");
}

#[test]
fn a_supervisor_inbox_filtered_by_profile_and_status_names_that_status_alone() {
    let statuses_of = |supervisor: bool, profile: Option<i64>, status: Option<CaseStatus>| {
        let mut q = query(View::Inbox);
        q.viewer.supervisor = supervisor;
        q.filter.profile_id = profile.map(ProfileId);
        q.filter.status = status;
        let (stmt, _) = list_statement(&q, ScopeTerm::FilterOnly).unwrap();
        let (sqlite, _) = stmt.build(SqliteQueryBuilder);
        let start = sqlite
            .find("\"cases\".\"status\" IN (")
            .expect("the view's statuses");
        let end = start + sqlite[start..].find(')').expect("a closed list");
        sqlite[start..=end].to_owned()
    };
    let all = "\"cases\".\"status\" IN ('new', 'open', 'pending', 'on_hold')";
    let cases = [
        (
            true,
            Some(2),
            Some(CaseStatus::Pending),
            "\"cases\".\"status\" IN ('pending')",
        ),
        (true, None, Some(CaseStatus::Pending), all),
        (true, Some(2), None, all),
        (true, Some(2), Some(CaseStatus::Done), all),
        (false, Some(2), Some(CaseStatus::Pending), all),
    ];
    for (supervisor, profile, status, expected) in cases {
        assert_eq!(
            statuses_of(supervisor, profile, status),
            expected,
            "supervisor {supervisor}, profile {profile:?}, status {status:?}"
        );
    }
}

#[test]
fn the_in_progress_statuses_are_the_domain_s() {
    let domain: Vec<CaseStatus> = CaseStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_in_progress())
        .collect();
    assert_eq!(super::IN_PROGRESS.to_vec(), domain);
}
