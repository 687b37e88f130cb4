//! Stories of the directory: users, settings, case fields, apps, profiles, customers.

use std::sync::Arc;

use caredesk_domain::*;

use super::fixture::new_profile;
use super::Fixture;
use caredesk_store::{NewUser, Store, StoreError};

pub(crate) async fn users_round_trip(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let back = store
        .user(f.agent.id)
        .await
        .expect("read")
        .expect("agent exists");
    assert_eq!(back, f.agent, "a user reads back as written");
    let creds = store
        .credentials("  AGENT@example.com ")
        .await
        .expect("read")
        .expect("e-mail is case-insensitive");
    assert_eq!(creds.user.id, f.agent.id);
    assert_eq!(creds.password_hash, "$argon2id$fake");

    let mut tx = store.begin().await.expect("begin");
    let dup = NewUser {
        email: "Agent@Example.com".into(),
        name: f.agent.name.clone(),
        role: f.agent.role,
        care_access: f.agent.care_access,
        capacity: f.agent.capacity,
        profile_ids: f.agent.profile_ids.clone(),
        password_hash: "x".into(),
    };
    let err = tx
        .insert_user(&dup)
        .await
        .expect_err("a taken e-mail is refused");
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "taken e-mail answers Conflict, got {err:?}"
    );
    drop(tx);

    let mut changed = f.agent.clone();
    changed.capacity = 9;
    changed.active = false;
    changed.profile_ids = f.profile_set(&[0, 1]);
    let mut tx = store.begin().await.expect("begin");
    tx.update_user(&changed).await.expect("update");
    tx.set_password_hash(changed.id, "$argon2id$new")
        .await
        .expect("password");
    tx.commit().await.expect("commit");
    assert_eq!(store.user(f.agent.id).await.expect("read"), Some(changed));
    assert_eq!(
        store
            .credentials("agent@example.com")
            .await
            .expect("read")
            .expect("exists")
            .password_hash,
        "$argon2id$new"
    );

    let all = store.users().await.expect("users");
    assert_eq!(all.len(), 5, "every user is listed");
    assert!(all.iter().all(|u| u.load == 0), "nobody carries cases yet");
}

pub(crate) async fn settings_and_case_fields(store: Arc<dyn Store>) {
    assert_eq!(
        store.settings().await.expect("settings"),
        Settings::default(),
        "a new database has the defaults"
    );
    let wanted = Settings {
        grace_period_secs: 60,
        default_capacity: 7,
        presence_idle_secs: 900,
    };
    let mut tx = store.begin().await.expect("begin");
    tx.save_settings(&wanted).await.expect("save");
    let field = NewCaseField {
        name: "Order".into(),
        kind: FieldKind::Multiselect,
        options: vec!["a".into(), "b".into()],
        mandatory: true,
        enabled: false,
        position: 2,
    };
    let stored = tx.insert_case_field(&field).await.expect("insert field");
    let first = tx
        .insert_case_field(&NewCaseField {
            name: "First".into(),
            kind: FieldKind::Text,
            options: vec![],
            position: 1,
            ..field.clone()
        })
        .await
        .expect("insert field");
    tx.commit().await.expect("commit");
    assert_eq!(store.settings().await.expect("settings"), wanted);
    let fields = store.case_fields().await.expect("fields");
    assert_eq!(
        fields.iter().map(|f| f.id).collect::<Vec<_>>(),
        vec![first.id, stored.id],
        "fields come by position"
    );
    assert_eq!(fields[1], stored, "a field reads back as written");
}

pub(crate) async fn apps_and_profiles(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let apps = store.network_apps().await.expect("apps");
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].app_secret, "secret");
    let found = store
        .profile_by_external_id(Network::Facebook, "page-1")
        .await
        .expect("read");
    assert_eq!(found.as_ref(), Some(&f.profiles[1]));
    assert_eq!(
        store
            .profile_by_external_id(Network::Instagram, "page-1")
            .await
            .expect("read"),
        None,
        "the network is part of the key"
    );
    let mut tx = store.begin().await.expect("begin");
    let err = tx
        .insert_profile(&new_profile(0, f.profiles[0].app_id))
        .await
        .expect_err("a profile is connected once");
    assert!(matches!(err, StoreError::Conflict(_)), "got {err:?}");
}

pub(crate) async fn customers_and_conversations(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (customer, conversation) = f.customer("cust-1", "Ann", f.profiles[0].id).await;
    let mut tx = store.begin().await.expect("begin");
    let again = tx
        .conversation_for(f.profiles[0].id, customer.id, ConversationKind::Dm, "")
        .await
        .expect("conversation");
    assert_eq!(
        again, conversation,
        "the same thread is found, not made twice"
    );
    let thread = tx
        .conversation_for(
            f.profiles[0].id,
            customer.id,
            ConversationKind::Thread,
            "post-1",
        )
        .await
        .expect("thread");
    assert_ne!(thread.id, conversation.id);
    let found = tx
        .customer_by_network_id(Network::Facebook, "cust-1")
        .await
        .expect("read");
    assert_eq!(found.as_ref(), Some(&customer));
    let mut edited = customer.clone();
    edited.details.email = "ann@example.com".into();
    edited
        .details
        .attributes
        .insert("tier".into(), "gold".into());
    edited.salesforce = Some(SalesforceLink {
        account_id: Some("001".into()),
        ..Default::default()
    });
    tx.update_customer(&edited).await.expect("update");
    tx.commit().await.expect("commit");
    assert_eq!(
        store.customer(customer.id).await.expect("read"),
        Some(edited)
    );
}
