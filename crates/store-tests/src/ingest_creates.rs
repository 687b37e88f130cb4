//! Stories of what ingest creates in batches: customers and the conversations their first
//! messages start, each once, whoever else created them first.

use std::sync::Arc;

use caredesk_domain::*;

use super::Fixture;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::Store;

pub(crate) async fn customers_are_created_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let details = CustomerDetails {
        display_name: "Cleo".into(),
        ..Default::default()
    };
    let mut tx = store.begin().await.expect("begin");
    let cleo = [(Network::X, "u-cleo".to_owned(), details, None)];
    let created = tx
        .create_customers(&cleo)
        .await
        .expect("create")
        .pop()
        .expect("a new customer is created");
    assert_eq!(created.details.display_name, "Cleo");
    let again = tx
        .create_customers(&cleo)
        .await
        .expect("create again")
        .pop();
    assert_eq!(again, None, "an existing customer is not created twice");
    assert_eq!(
        tx.customer_by_network_id(Network::X, "u-cleo")
            .await
            .expect("read"),
        Some(created.clone())
    );

    // Many at once: those that exist already are left out of the answer.
    let new = |name: &str| CustomerDetails {
        display_name: name.into(),
        ..Default::default()
    };
    let batch = tx
        .create_customers(&[
            (Network::X, "u-cleo".into(), new("Cleo again"), None),
            (Network::X, "u-dora".into(), new("Dora"), None),
            (
                Network::Facebook,
                "u-cleo".into(),
                new("Another Cleo"),
                None,
            ),
        ])
        .await
        .expect("create many");
    let mut names: Vec<&str> = batch
        .iter()
        .map(|c| c.details.display_name.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["Another Cleo", "Dora"]);
    assert!(tx.create_customers(&[]).await.expect("none").is_empty());

    let profile = f.profiles[0].id;
    let existing = tx
        .conversation_for(profile, created.id, ConversationKind::Dm, "")
        .await
        .expect("conversation");
    let key = |kind, root: &str| ConversationKey {
        profile,
        customer: created.id,
        kind,
        root_network_id: root.into(),
    };
    let started = tx
        .create_conversations(&[
            key(ConversationKind::Dm, ""),
            key(ConversationKind::Thread, "post-1"),
        ])
        .await
        .expect("create conversations");
    assert_eq!(started.len(), 1, "the DM exists already");
    assert_eq!(
        ConversationKey::of(&started[0]),
        key(ConversationKind::Thread, "post-1")
    );
    assert_ne!(started[0].id, existing.id);
    let found = tx
        .conversations_by_keys(&[key(ConversationKind::Thread, "post-1")])
        .await
        .expect("read");
    assert_eq!(found, started);
    tx.commit().await.expect("commit");
}
