//! The demo seed: every role can sign in, there are cases in every status, and saved replies
//! shared and personal.

use std::collections::BTreeSet;
use std::sync::Arc;

use caredesk::demo::seed::{seed, DEMO_PASSWORD};
use caredesk_app::password::verify_password;
use caredesk_app::{App, ManualClock};
use caredesk_domain::*;
use caredesk_store::{CaseFilter, CaseQuery, View, Viewer};

use crate::support::{backend, START};

#[tokio::test]
async fn the_demo_has_every_role_and_cases_in_every_status() {
    let store = backend().await;
    let app = App::new(store.store.clone(), Arc::new(ManualClock::new(START)));
    let logins = seed(&app).await.expect("seed");
    let mut accesses = BTreeSet::new();
    for login in &logins {
        let creds = app
            .store()
            .credentials(&login.email)
            .await
            .expect("read")
            .expect("the login exists");
        assert!(
            verify_password(DEMO_PASSWORD, &creds.password_hash),
            "{} signs in",
            login.email
        );
        accesses.insert((creds.user.role, creds.user.care_access()));
    }
    assert!(accesses.contains(&(Role::Admin, CareAccess::Supervisor)));
    assert!(accesses.contains(&(Role::Member, CareAccess::Supervisor)));
    assert!(accesses.contains(&(Role::Member, CareAccess::Agent)));
    assert!(accesses.contains(&(Role::Member, CareAccess::None)));

    let admin = app
        .store()
        .credentials("admin@demo.caredesk")
        .await
        .expect("read")
        .expect("admin")
        .user;
    let viewer = Viewer::of(&admin).expect("viewer");
    let mut statuses = BTreeSet::new();
    for view in [View::Inbox, View::Done, View::Spam] {
        let query = CaseQuery {
            viewer: viewer.clone(),
            view,
            filter: CaseFilter::default(),
            sort: None,
            cursor: None,
            limit: 200,
        };
        for row in app.store().list_cases(&query).await.expect("list").items {
            statuses.insert(row.case.status);
        }
    }
    assert_eq!(
        statuses.len(),
        CaseStatus::ALL.len(),
        "every status is seeded: {statuses:?}"
    );
    let unescalated = app.store().profiles().await.expect("profiles").len();
    assert_eq!(unescalated, 3, "Facebook, Instagram and X profiles");

    for (email, expected) in [
        (
            "alice@demo.caredesk",
            &["Order number, please", "Sign-off", "Thanks for waiting"][..],
        ),
        (
            "bob@demo.caredesk",
            &["Order number, please", "Thanks for waiting"][..],
        ),
    ] {
        let user = app
            .store()
            .credentials(email)
            .await
            .expect("read")
            .expect("the user")
            .user;
        let names: Vec<String> = app
            .saved_replies_for(&user)
            .await
            .expect("saved replies")
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, expected, "{email}");
    }
}

#[tokio::test]
async fn the_demos_instagram_cases_go_to_the_colleague_who_is_online() {
    let store = backend().await;
    let app = App::new(store.store.clone(), Arc::new(ManualClock::new(START)));
    seed(&app).await.expect("seed");
    let profiles = app.store().profiles().await.expect("profiles");
    let routed: Vec<Network> = profiles
        .iter()
        .filter(|p| p.auto_assign)
        .map(|p| p.network)
        .collect();
    assert_eq!(routed, [Network::Instagram]);
    let instagram = profiles
        .iter()
        .find(|p| p.auto_assign)
        .expect("instagram")
        .id;
    let before = app
        .store()
        .profiles_with_waiting_cases()
        .await
        .expect("waiting");
    assert!(
        before.contains(&instagram),
        "the seed leaves New cases on Instagram"
    );
    let colleague = caredesk::demo::colleague::keep_online(&app)
        .await
        .expect("signed in");
    assert!(app.auto_assign_waiting().await.expect("pass") > 0);
    let users = app.store().users().await.expect("users");
    let bob = users
        .iter()
        .find(|u| u.user.email == caredesk::demo::seed::ONLINE_COLLEAGUE)
        .expect("bob");
    let waiting = app
        .store()
        .profiles_with_waiting_cases()
        .await
        .expect("waiting");
    assert!(
        !waiting.contains(&instagram) || bob.load >= i64::from(bob.user.capacity),
        "Instagram's New cases went to Bob while he had room (load {})",
        bob.load
    );
    colleague.abort();
}
