//! Stories of the Care views narrowed by filters, and of the overview's figures, over the same
//! world of cases as the view stories.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::T0;
use super::lists::{names, world};
use caredesk_store::views::AssigneeFilter;
use caredesk_store::{CaseFilter, Store, View};

pub(crate) async fn filters_narrow_views(store: Arc<dyn Store>) {
    let mut w = world(store).await;
    let f = &w.f;
    let mut urgent = w.cases["open_other"].clone();
    urgent.priority = Priority::Urgent;
    urgent.fields.insert(
        CaseFieldId(5),
        FieldValue::Labels(vec!["refund".into(), "vip".into()]),
    );
    f.save(&urgent).await;
    w.cases.insert("open_other", urgent.clone());
    let number = w.cases["pending_agent"].number;
    let table: Vec<(CaseFilter, Vec<&str>)> = vec![
        (
            CaseFilter {
                priority: Some(Priority::Urgent),
                ..Default::default()
            },
            vec!["open_other"],
        ),
        (
            CaseFilter {
                fields: vec![(CaseFieldId(5), "vip".into())],
                ..Default::default()
            },
            vec!["open_other"],
        ),
        (
            CaseFilter {
                fields: vec![(CaseFieldId(5), "other".into())],
                ..Default::default()
            },
            vec![],
        ),
        (
            CaseFilter {
                status: Some(CaseStatus::Pending),
                ..Default::default()
            },
            vec!["pending_agent"],
        ),
        (
            CaseFilter {
                assignee: Some(AssigneeFilter::Unassigned),
                ..Default::default()
            },
            vec!["new"],
        ),
        (
            CaseFilter {
                assignee: Some(AssigneeFilter::User(f.agent.id)),
                ..Default::default()
            },
            vec!["open_agent", "pending_agent"],
        ),
        (
            CaseFilter {
                profile_id: Some(f.profiles[1].id),
                ..Default::default()
            },
            vec![],
        ),
        (
            CaseFilter {
                network: Some(Network::X),
                ..Default::default()
            },
            vec![],
        ),
        (
            CaseFilter {
                network: Some(Network::Facebook),
                ..Default::default()
            },
            vec!["new", "open_agent", "pending_agent", "open_other"],
        ),
        (
            CaseFilter {
                text: Some(format!("#{number}")),
                ..Default::default()
            },
            vec!["pending_agent"],
        ),
        (
            CaseFilter {
                text: Some("customer OPEN_agent".into()),
                ..Default::default()
            },
            vec!["open_agent"],
        ),
        (
            CaseFilter {
                text: Some("message of new".into()),
                ..Default::default()
            },
            vec!["new"],
        ),
        (
            CaseFilter {
                text: Some("cust-open%".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CaseFilter {
                text: Some("cust_open".into()),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (filter, expected) in table {
        let got = names(&w, &f.supervisor, View::Inbox, filter.clone(), None).await;
        assert_eq!(got, expected, "filter {filter:?}");
    }
}

pub(crate) async fn overview_figures(store: Arc<dyn Store>) {
    let w = world(store).await;
    let f = &w.f;
    let scope = caredesk_store::ProfileScope::Only(vec![f.profiles[0].id]);
    let now = T0.plus_secs(3_600);
    let since = T0.plus_secs(-86_400);
    let figures = f
        .store
        .overview(&scope, now, since, since, now.plus_secs(86_400))
        .await
        .expect("overview");
    let mut by_status = figures.by_status.clone();
    by_status.sort();
    let expected = vec![
        (CaseStatus::New, 1),
        (CaseStatus::Open, 2),
        (CaseStatus::Pending, 1),
        (CaseStatus::Done, 1),
        (CaseStatus::Spam, 1),
    ];
    assert_eq!(
        by_status, expected,
        "deleted cases and other profiles count nowhere"
    );
    assert_eq!(figures.unassigned_new, 1);
    assert_eq!(
        figures.oldest_unassigned_new_at,
        Some(w.cases["new"].created_at)
    );
    let total: i64 = figures.escalations_per_day.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 6, "escalations per day, in scope");
    assert!(figures
        .escalations_per_day
        .iter()
        .all(|(day, _)| *day == T0.day_number()));
    let mut done = w.cases["done_agent"].clone();
    done.grace_until = Some(now.plus_secs(60));
    done.holds_active_slot = true;
    f.save(&done).await;
    let mut tx = f.store.begin().await.expect("begin");
    let change = EventKind::StatusChanged {
        from: CaseStatus::Open,
        to: CaseStatus::Done,
    };
    tx.insert_events(&[Event::of_case(done.id, Some(f.agent.id), now, change)])
        .await
        .expect("event");
    let other = EventKind::StatusChanged {
        from: CaseStatus::Open,
        to: CaseStatus::Pending,
    };
    tx.insert_events(&[Event::of_case(done.id, Some(f.agent.id), now, other)])
        .await
        .expect("event");
    tx.commit().await.expect("commit");
    let figures = f
        .store
        .overview(&scope, now, since, since, now.plus_secs(86_400))
        .await
        .expect("overview");
    assert_eq!(
        figures.done_changes,
        vec![(now, done.created_at)],
        "only changes to Done count"
    );
    assert_eq!(
        figures.grace_ending,
        vec![(done.id, done.number, now.plus_secs(60))]
    );
}
