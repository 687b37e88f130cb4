//! Auto-assignment on several nodes of one PostgreSQL database (PRODUCT.md §13): two nodes
//! handing out the same waiting cases, and escalations racing on both, never assign a case twice
//! nor push an agent over capacity.

use caredesk_app::ProfilePatch;
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;

use crate::postgres_nodes::{item_of, node};
use crate::support::{escalated, World};

async fn set_capacity(w: &World, capacity: u32) {
    for user in [&w.agent, &w.other_agent] {
        crate::app_auto_assign::set_capacity(w, user, capacity).await;
    }
}

/// Each agent's load, and the cases assigned more than once.
async fn outcome(w: &World, cases: &[CaseId]) -> (Vec<i64>, Vec<CaseId>) {
    let users = w.app.store().users().await.expect("users");
    let loads = [w.agent.id, w.other_agent.id]
        .iter()
        .map(|id| {
            users
                .iter()
                .find(|u| u.user.id == *id)
                .map_or(0, |u| u.load)
        })
        .collect();
    let mut twice = Vec::new();
    for id in cases {
        let assigned = w
            .app
            .store()
            .case_events(*id)
            .await
            .expect("events")
            .into_iter()
            .filter(|e| matches!(e.event.kind, EventKind::Assigned { .. }))
            .count();
        if assigned > 1 {
            twice.push(*id);
        }
    }
    (loads, twice)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(caredesk_postgres_tests),
    ignore = "needs PostgreSQL: set CAREDESK_TEST_POSTGRES_URL"
)]
async fn two_nodes_never_assign_a_case_twice_nor_past_capacity() {
    let store = crate::pg::fresh().await;
    let url = store.url.clone().expect("a PostgreSQL URL");
    let w = World::on(store).await;
    set_capacity(&w, 3).await;
    let mut cases = Vec::new();
    for i in 0..60 {
        let case = escalated(&w, w.dm(&format!("w{i}"), &format!("dm-w{i}"), "hi"), None).await;
        cases.push(case.id);
        w.clock.advance_secs(1);
    }
    let patch = ProfilePatch {
        auto_assign: Some(true),
        ..ProfilePatch::default()
    };
    w.app
        .update_profile(w.supervisor.id, w.profile.id, patch)
        .await
        .expect("auto-assign");
    for user in [&w.agent, &w.other_agent] {
        w.app
            .login(&user.email, "a long enough password", "10.0.0.1")
            .await
            .expect("sign in");
    }

    // Two passes at once over 60 waiting cases: six places.
    let (a, b) = (node(&url, &w.clock).await, node(&url, &w.clock).await);
    let (ra, rb) = tokio::join!(a.auto_assign_waiting(), b.auto_assign_waiting());
    assert_eq!(ra.expect("a") + rb.expect("b"), 6);
    assert_eq!(outcome(&w, &cases).await, (vec![3, 3], vec![]));

    // Round after round, five more places each, taken by a pass on each node (one holds the
    // profile, the other passes) racing escalations on both: whoever fills the last place,
    // nobody goes past it.
    let community = w.community.id;
    for round in 0..8_u32 {
        let capacity = 3 + 4 * (round + 1);
        set_capacity(&w, capacity).await;
        let mut items = Vec::new();
        for i in 0..6 {
            let who = format!("r{round}-{i}");
            items.push(item_of(
                w.app
                    .ingest(w.dm(&who, &format!("dm-{who}"), "hi"))
                    .await
                    .expect("ingest"),
            ));
        }
        let escalate = |node: &caredesk_app::App, item: CommunityItemId| {
            let node = node.clone();
            tokio::spawn(async move {
                node.escalate(community, item, EscalationRequest::default())
                    .await
                    .expect("escalate")
                    .case
                    .id
            })
        };
        let (pa, pb) = (a.clone(), b.clone());
        let pass_a = tokio::spawn(async move { pa.auto_assign_waiting().await });
        let escalations: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, item)| escalate(if i % 2 == 0 { &a } else { &b }, *item))
            .collect();
        let pass_b = tokio::spawn(async move { pb.auto_assign_waiting().await });
        for escalation in escalations {
            cases.push(escalation.await.expect("escalation task"));
        }
        pass_a.await.expect("task").expect("pass a");
        pass_b.await.expect("task").expect("pass b");
        let (loads, twice) = outcome(&w, &cases).await;
        assert!(
            loads.iter().all(|load| *load <= i64::from(capacity)),
            "round {round}: loads {loads:?}"
        );
        assert_eq!(twice, Vec::<CaseId>::new(), "round {round}");
    }
    let open = w
        .app
        .store()
        .users()
        .await
        .expect("users")
        .iter()
        .map(|u| u.load)
        .sum::<i64>();
    assert_eq!(open, 2 * 35, "every place taken, no more");
}
