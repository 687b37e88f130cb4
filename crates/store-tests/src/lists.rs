//! Stories of the Care views: who sees what, in which order, their counts, keyset pages and
//! filters.

use std::collections::HashMap;
use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::Fixture;
use caredesk_store::{CaseFilter, CaseQuery, Sort, Store, View, Viewer};

pub(crate) struct World {
    pub(crate) f: Fixture,
    pub(crate) cases: HashMap<&'static str, Case>,
}

/// One case per line: (name, profile, status, assignee, deleted).
pub(crate) async fn world(store: Arc<dyn Store>) -> World {
    let f = Fixture::new(store).await;
    let (agent, other) = (Some(f.agent.id), Some(f.other_agent.id));
    let table: [(&str, usize, CaseStatus, Option<UserId>, bool); 8] = [
        ("new", 0, CaseStatus::New, None, false),
        ("open_agent", 0, CaseStatus::Open, agent, false),
        ("pending_agent", 0, CaseStatus::Pending, agent, false),
        ("open_other", 0, CaseStatus::Open, other, false),
        ("done_agent", 0, CaseStatus::Done, agent, false),
        ("spam_other", 0, CaseStatus::Spam, other, false),
        ("new_profile1", 1, CaseStatus::New, None, false),
        ("deleted", 0, CaseStatus::New, None, true),
    ];
    let mut cases = HashMap::new();
    for (i, (name, profile, status, assignee, deleted)) in table.into_iter().enumerate() {
        let secs = i64::try_from(i).unwrap_or(0) + 1;
        let (_, conv) = f
            .customer(
                &format!("cust-{name}"),
                &format!("Customer {name}"),
                f.profiles[profile].id,
            )
            .await;
        let mut case = f
            .case_from(
                &conv,
                &format!("m-{name}"),
                &format!("message of {name}"),
                assignee,
                T0.plus_secs(secs),
            )
            .await;
        case.status = status;
        case.deleted = deleted;
        case.holds_active_slot = status.is_in_progress() && !deleted;
        case.last_customer_message_at = Some(T0.plus_secs(100 - secs));
        f.save(&case).await;
        cases.insert(name, case);
    }
    World { f, cases }
}

pub(crate) fn viewer(user: &User) -> Viewer {
    Viewer::of(user).expect("a Care user")
}

pub(crate) async fn names(
    w: &World,
    user: &User,
    view: View,
    filter: CaseFilter,
    sort: Option<Sort>,
) -> Vec<&'static str> {
    let query = CaseQuery {
        viewer: viewer(user),
        view,
        filter,
        sort,
        cursor: None,
        limit: 50,
    };
    let page = w.f.store.list_cases(&query).await.expect("list");
    page.items
        .iter()
        .map(|row| {
            *w.cases
                .iter()
                .find(|(_, c)| c.id == row.case.id)
                .expect("a known case")
                .0
        })
        .collect()
}

pub(crate) async fn views_show_the_right_cases_in_order(store: Arc<dyn Store>) {
    let w = world(store).await;
    let f = &w.f;
    let table: Vec<(&User, View, Vec<&str>)> = vec![
        (
            &f.supervisor,
            View::Inbox,
            vec!["new", "open_agent", "pending_agent", "open_other"],
        ),
        (&f.supervisor, View::New, vec!["new"]),
        (&f.supervisor, View::MyOpen, vec![]),
        (&f.supervisor, View::Done, vec!["done_agent"]),
        (&f.supervisor, View::Spam, vec!["spam_other"]),
        (&f.agent, View::Inbox, vec!["open_agent", "pending_agent"]),
        (&f.agent, View::New, vec!["new"]),
        (&f.agent, View::MyOpen, vec!["open_agent"]),
        (&f.agent, View::MyPending, vec!["pending_agent"]),
        (&f.agent, View::MyOnHold, vec![]),
        (&f.agent, View::Done, vec!["done_agent"]),
        (&f.agent, View::Spam, vec![]),
        (&f.other_agent, View::Spam, vec!["spam_other"]),
        (
            &f.admin,
            View::Inbox,
            vec![
                "new",
                "open_agent",
                "pending_agent",
                "open_other",
                "new_profile1",
            ],
        ),
        (&f.admin, View::New, vec!["new", "new_profile1"]),
    ];
    for (user, view, expected) in &table {
        let got = names(&w, user, *view, CaseFilter::default(), None).await;
        assert_eq!(&got, expected, "{} sees {:?}", user.email, view);
    }
    for user in [&f.supervisor, &f.agent, &f.other_agent, &f.admin] {
        let counts = f.store.case_counts(&viewer(user)).await.expect("counts");
        assert_eq!(counts.len(), View::ALL.len(), "one count per view");
        for (view, n) in counts {
            let listed = names(&w, user, view, CaseFilter::default(), None)
                .await
                .len();
            assert_eq!(
                usize::try_from(n).ok(),
                Some(listed),
                "{}: count of {view:?} agrees with the view",
                user.email
            );
        }
    }
    let sorted = names(
        &w,
        &f.supervisor,
        View::Inbox,
        CaseFilter::default(),
        Sort::parse("-created"),
    )
    .await;
    assert_eq!(
        sorted,
        vec!["open_other", "pending_agent", "open_agent", "new"],
        "re-sorted by created, newest first"
    );
    let by_lcm = names(
        &w,
        &f.supervisor,
        View::Inbox,
        CaseFilter::default(),
        Sort::parse("last_customer_message"),
    )
    .await;
    assert_eq!(
        by_lcm,
        vec!["open_other", "pending_agent", "open_agent", "new"],
        "re-sorted by last customer message"
    );
}

pub(crate) async fn keyset_pages_are_stable(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut all = Vec::new();
    for i in 0..25 {
        let (_, conv) = f
            .customer(&format!("c-{i}"), "Cust", f.profiles[0].id)
            .await;
        let mut case = f
            .case_from(&conv, &format!("m-{i}"), "x", None, T0.plus_secs(i / 3))
            .await;
        case.priority = Priority::ALL[usize::try_from(i % 4).unwrap_or(0)];
        f.save(&case).await;
        all.push(case);
    }
    for sort in [
        "created",
        "-created",
        "priority",
        "-priority",
        "-last_customer_message",
    ] {
        let mut seen = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let query = CaseQuery {
                viewer: viewer(&f.supervisor),
                view: View::New,
                filter: CaseFilter::default(),
                sort: Sort::parse(sort),
                cursor: cursor.clone(),
                limit: 7,
            };
            let page = store.list_cases(&query).await.expect("page");
            seen.extend(page.items.iter().map(|r| r.case.clone()));
            pages += 1;
            if pages == 1 {
                // A case created while paging sorts before the cursor or after it, never in
                // between rows already shown.
                let (_, conv) = f
                    .customer(&format!("late-{sort}"), "Late", f.profiles[1].id)
                    .await;
                f.case_from(
                    &conv,
                    &format!("late-{sort}"),
                    "x",
                    None,
                    T0.plus_secs(1_000),
                )
                .await;
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 4, "{sort}: 25 cases in pages of 7");
        let mut ids: Vec<CaseId> = seen.iter().map(|c| c.id).collect();
        let parsed = Sort::parse(sort).expect("sort");
        let key =
            |c: &Case| caredesk_store::views::sort_value(c, parsed.key).expect("a case's key");
        let mut expected = all.clone();
        expected.sort_by_key(|c| (key(c), c.id));
        if parsed.descending {
            expected.reverse();
        }
        assert_eq!(
            ids,
            expected.iter().map(|c| c.id).collect::<Vec<_>>(),
            "{sort}: every case once, in order"
        );
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 25, "{sort}: no duplicates");
    }
    let bad = CaseQuery {
        viewer: viewer(&f.supervisor),
        view: View::New,
        filter: CaseFilter::default(),
        sort: None,
        cursor: Some("garbage".into()),
        limit: 7,
    };
    assert!(
        store.list_cases(&bad).await.is_err(),
        "a forged cursor is refused"
    );
}
