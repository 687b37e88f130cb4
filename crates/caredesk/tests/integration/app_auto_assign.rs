//! Auto-assignment (PRODUCT.md §13): off by default; a new case of a profile that assigns
//! automatically goes to an online agent of the profile under capacity — the least loaded, then
//! the one who waited longest since their last assignment; a case nobody can take stays New and
//! is handed out, oldest first, once someone can; manual assignment always wins; the event has
//! no actor and says it was automatic. Runs on the backend the suite runs on.

use caredesk_app::{ProfilePatch, UserPatch};
use caredesk_domain::availability::PresenceChoice;
use caredesk_domain::*;
use caredesk_store::StoredEvent;

use crate::support::{escalated, World};

const PASSWORD: &str = "a long enough password";

async fn route_automatically(w: &World, on: bool) {
    let patch = ProfilePatch {
        auto_assign: Some(on),
        ..ProfilePatch::default()
    };
    let profile = w
        .app
        .update_profile(w.supervisor.id, w.profile.id, patch)
        .await
        .expect("auto-assign");
    assert_eq!(profile.auto_assign, on);
}

async fn sign_in(w: &World, user: &User) {
    w.app
        .login(&user.email, PASSWORD, "10.0.0.1")
        .await
        .expect("sign in");
}

pub(crate) async fn set_capacity(w: &World, user: &User, capacity: u32) {
    let patch = UserPatch {
        capacity: Some(capacity),
        ..UserPatch::default()
    };
    w.app
        .update_user(w.supervisor.id, user.id, patch)
        .await
        .expect("capacity");
}

async fn new_case(w: &World, customer: &str) -> Case {
    escalated(w, w.dm(customer, &format!("dm-{customer}"), "help"), None).await
}

async fn current(w: &World, case: &Case) -> Case {
    w.app
        .store()
        .case(case.id)
        .await
        .expect("read")
        .expect("case")
}

async fn assignment_events(w: &World, case: &Case) -> Vec<StoredEvent> {
    w.app
        .store()
        .case_events(case.id)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| matches!(e.event.kind, EventKind::Assigned { .. }))
        .collect()
}

#[tokio::test]
async fn off_by_default_a_new_case_waits_in_new() {
    let w = World::new().await;
    assert!(!w.profile.auto_assign);
    sign_in(&w, &w.agent).await;
    let case = new_case(&w, "ann").await;
    assert_eq!((case.status, case.assignee_id), (CaseStatus::New, None));
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 0);
    assert_eq!(current(&w, &case).await.status, CaseStatus::New);
}

#[tokio::test]
async fn the_least_loaded_then_the_longest_waiting_online_agent_gets_the_case() {
    let w = World::new().await;
    route_automatically(&w, true).await;
    sign_in(&w, &w.agent).await;
    sign_in(&w, &w.other_agent).await;

    let first = new_case(&w, "ann").await;
    w.clock.advance_secs(1);
    let second = new_case(&w, "bob").await;
    w.clock.advance_secs(5);
    let third = new_case(&w, "cy").await;
    let (a, b) = (Some(w.agent.id), Some(w.other_agent.id));
    // Both empty and never assigned: the lower id; then the one with no case; then, both at one
    // case, the one whose last assignment is older.
    let got = [first.assignee_id, second.assignee_id, third.assignee_id];
    let want = if w.agent.id < w.other_agent.id {
        [a, b, a]
    } else {
        [b, a, b]
    };
    assert_eq!(got, want);
    assert_eq!(first.status, CaseStatus::Open);

    let events = assignment_events(&w, &first).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].event.actor, None, "nobody acted");
    assert_eq!(
        events[0].event.kind,
        EventKind::Assigned {
            from: None,
            to: first.assignee_id,
            automatic: true,
        }
    );
    let assignee = first.assignee_id.expect("assignee");
    let unread = w
        .app
        .store()
        .unread_notifications(assignee)
        .await
        .expect("count");
    assert!(unread >= 1, "the agent is told");
}

#[tokio::test]
async fn only_an_online_agent_under_capacity_is_given_a_case() {
    let w = World::new().await;
    route_automatically(&w, true).await;
    sign_in(&w, &w.agent).await;
    sign_in(&w, &w.other_agent).await;
    w.app
        .set_presence(&w.other_agent, PresenceChoice::Away)
        .await
        .expect("away");
    set_capacity(&w, &w.agent, 1).await;

    let taken = new_case(&w, "ann").await;
    assert_eq!(taken.assignee_id, Some(w.agent.id));
    let waiting = new_case(&w, "bob").await;
    assert_eq!(
        (waiting.status, waiting.assignee_id),
        (CaseStatus::New, None),
        "the only online agent is at capacity; the other is away"
    );

    // Idle past the idle time: away, even if they said online.
    w.app
        .set_presence(&w.other_agent, PresenceChoice::Online)
        .await
        .expect("online");
    w.clock.advance_secs(301);
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 0);
    sign_in(&w, &w.other_agent).await;
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 1);
    assert_eq!(
        current(&w, &waiting).await.assignee_id,
        Some(w.other_agent.id)
    );
}

#[tokio::test]
async fn waiting_cases_go_out_oldest_first_when_someone_has_room() {
    let w = World::new().await;
    route_automatically(&w, true).await;
    let mut cases = Vec::new();
    for customer in ["ann", "bob", "cy"] {
        cases.push(new_case(&w, customer).await);
        w.clock.advance_secs(1);
    }
    assert!(
        cases.iter().all(|c| c.status == CaseStatus::New),
        "nobody online"
    );
    set_capacity(&w, &w.agent, 2).await;
    sign_in(&w, &w.agent).await;
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 2);
    let mut now = Vec::new();
    for case in &cases {
        now.push(current(&w, case).await.assignee_id);
    }
    assert_eq!(now, [Some(w.agent.id), Some(w.agent.id), None]);

    // The agent drops under capacity: the last one waiting goes out.
    w.app
        .set_status(w.agent.id, cases[0].id, CaseStatus::Pending, None)
        .await
        .expect("pending");
    assert_eq!(
        w.app.auto_assign_waiting().await.expect("pass"),
        0,
        "pending is load"
    );
    set_capacity(&w, &w.agent, 3).await;
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 1);
    assert_eq!(current(&w, &cases[2]).await.assignee_id, Some(w.agent.id));
    assert_eq!(
        w.app.auto_assign_waiting().await.expect("pass"),
        0,
        "nothing left"
    );
}

#[tokio::test]
async fn manual_assignment_always_wins() {
    let w = World::new().await;
    route_automatically(&w, true).await;
    sign_in(&w, &w.agent).await;
    // Named at escalation: kept.
    let named = escalated(&w, w.dm("ann", "dm-ann", "hi"), Some(w.other_agent.id)).await;
    assert_eq!(named.assignee_id, Some(w.other_agent.id));
    assert_eq!(assignment_events(&w, &named).await.len(), 1);
    // Taken back by a supervisor: it stays with whoever they give it to.
    let auto = new_case(&w, "bob").await;
    assert_eq!(auto.assignee_id, Some(w.agent.id));
    let moved = w
        .app
        .assign(w.supervisor.id, auto.id, Some(w.other_agent.id), None)
        .await
        .expect("reassign");
    assert_eq!(moved.assignee_id, Some(w.other_agent.id));
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 0);
    assert_eq!(current(&w, &auto).await.assignee_id, Some(w.other_agent.id));
    // Unassigned by a supervisor, it is New again and goes out again.
    w.app
        .assign(w.supervisor.id, auto.id, None, None)
        .await
        .expect("unassign");
    assert_eq!(w.app.auto_assign_waiting().await.expect("pass"), 1);
}

#[tokio::test]
async fn every_assignment_counts_as_the_agents_last() {
    let w = World::new().await;
    route_automatically(&w, true).await;
    sign_in(&w, &w.agent).await;
    sign_in(&w, &w.other_agent).await;
    // A manual assignment to the lower id makes the other one the longer waiting.
    let (low, high) = if w.agent.id < w.other_agent.id {
        (&w.agent, &w.other_agent)
    } else {
        (&w.other_agent, &w.agent)
    };
    let manual = escalated(&w, w.dm("ann", "dm-ann", "hi"), Some(low.id)).await;
    w.app
        .set_status(low.id, manual.id, CaseStatus::Done, None)
        .await
        .expect("done");
    w.clock.advance_secs(1);
    let auto = new_case(&w, "bob").await;
    assert_eq!(
        auto.assignee_id,
        Some(high.id),
        "both empty, {} waited longer",
        high.name
    );
}

#[tokio::test]
async fn only_admins_and_the_profiles_supervisors_turn_it_on() {
    let w = World::new().await;
    let on = || ProfilePatch {
        auto_assign: Some(true),
        ..ProfilePatch::default()
    };
    for (who, user, want) in [
        ("agent", &w.agent, Some("forbidden")),
        ("community", &w.community, Some("forbidden")),
        ("supervisor", &w.supervisor, None),
        ("admin", &w.admin, None),
    ] {
        let got = w.app.update_profile(user.id, w.profile.id, on()).await;
        assert_eq!(
            got.err().and_then(|e| e.refusal().map(Refusal::code)),
            want,
            "{who}"
        );
    }
    let rename = ProfilePatch {
        name: Some("Renamed".into()),
        ..ProfilePatch::default()
    };
    let refused = w
        .app
        .update_profile(w.supervisor.id, w.profile.id, rename)
        .await;
    assert_eq!(
        refused.err().and_then(|e| e.refusal().map(Refusal::code)),
        Some("forbidden"),
        "a supervisor routes, an admin connects"
    );
}
