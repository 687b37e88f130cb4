//! Simulated customers: each delivery is signed with the right secret, parses into the update
//! it describes (author, ids, parents), never repeats an id, and reaches the desk.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::routing::MessageEdit;
use caredesk_domain::MessageKind;
use caredesk_fakes::customers::{CommentChange, Customers, WebhookClient};
use caredesk_fakes::{AppNetwork, Delivery};
use caredesk_networks::signature::{meta_signature_valid, x_signature_valid};
use caredesk_networks::{meta, x};

use crate::support::*;

fn parse(delivery: &Delivery) -> Vec<Update> {
    let (name, value) = &delivery.signature;
    let (updates, skipped) = match delivery.platform {
        AppNetwork::Meta => {
            assert_eq!(*name, "x-hub-signature-256");
            assert!(meta_signature_valid(META_SECRET, &delivery.body, value));
            meta::parse(&delivery.body).expect("a Meta delivery")
        }
        AppNetwork::X => {
            assert_eq!(*name, "x-twitter-webhooks-signature");
            assert!(x_signature_valid(X_SECRET, &delivery.body, value));
            x::parse(&delivery.body).expect("an X delivery")
        }
    };
    assert_eq!(skipped.total(), 0, "{skipped:?}");
    updates
}

/// The delivery's one customer message, checked against what the builder said it posted.
fn customer_message(delivery: &Delivery) -> NetworkMessage {
    let posted = delivery.posted.clone().expect("posted");
    let mut updates = parse(delivery);
    assert_eq!(updates.len(), 1);
    let Some(Update::Message { profile, message }) = updates.pop() else {
        panic!("expected a message");
    };
    assert_eq!(profile, (posted.network, posted.profile.clone()));
    assert_eq!(message.network_id, posted.network_id);
    let InboundAuthor::Customer {
        network_user_id, ..
    } = &message.author
    else {
        panic!("expected a customer");
    };
    assert_eq!(*network_user_id, posted.author.id);
    assert_eq!(message.parent_network_id, posted.parent_id);
    assert_eq!(message.root_network_id, posted.root_id);
    message
}

fn edit(delivery: &Delivery) -> (String, MessageEdit) {
    assert_eq!(delivery.posted, None);
    let mut updates = parse(delivery);
    assert_eq!(updates.len(), 1);
    match updates.pop() {
        Some(Update::Edit {
            network_id, edit, ..
        }) => (network_id, edit),
        other => panic!("expected an edit, got {other:?}"),
    }
}

#[test]
fn every_customer_delivery_parses_into_what_it_describes() {
    let c = Customers::new(META_SECRET, X_SECRET);
    let jane = c.person("Jane Customer");
    assert_eq!(jane.handle, "jane_customer");
    let post = c.facebook_post_id(PAGE);
    let media = c.instagram_media_id();

    let comment = c.facebook_comment(PAGE, &post, &jane, "My order never arrived");
    let comment_id = comment.posted.clone().expect("posted").network_id;
    let table = [
        (
            comment.clone(),
            MessageKind::Comment,
            "My order never arrived",
        ),
        (
            c.facebook_reply(PAGE, &post, &comment_id, &jane, "Anyone?"),
            MessageKind::Reply,
            "Anyone?",
        ),
        (
            c.messenger_message(PAGE, &jane, "Refund?"),
            MessageKind::Direct,
            "Refund?",
        ),
        (
            c.instagram_comment(IG, &media, &jane, "Waiting"),
            MessageKind::Comment,
            "Waiting",
        ),
        (
            c.instagram_reply(IG, &media, "18000000000000100", &jane, "Still"),
            MessageKind::Reply,
            "Still",
        ),
        (
            c.instagram_message(IG, &jane, "Hello?"),
            MessageKind::Direct,
            "Hello?",
        ),
        (
            c.x_mention(ACCOUNT, &jane, "@acme lost"),
            MessageKind::Mention,
            "@acme lost",
        ),
        (
            c.x_reply(ACCOUNT, "1797000000000000777", ACCOUNT, &jane, "still lost"),
            MessageKind::Reply,
            "still lost",
        ),
        (
            c.x_message(ACCOUNT, &jane, "Order A-1001"),
            MessageKind::Direct,
            "Order A-1001",
        ),
    ];
    for (delivery, kind, text) in table {
        let message = customer_message(&delivery);
        assert_eq!(
            (message.kind, message.text.as_str()),
            (kind, text),
            "{delivery:?}"
        );
    }
}

#[test]
fn edits_hides_removals_unsends_and_deletions_name_the_message() {
    let c = Customers::new(META_SECRET, X_SECRET);
    let jane = c.person("Jane Customer");
    let comment = c.facebook_comment(PAGE, &c.facebook_post_id(PAGE), &jane, "late");
    let posted = comment.posted.expect("posted");
    let table = [
        (
            CommentChange::Edited("late (2 weeks)".into()),
            MessageEdit {
                text: Some("late (2 weeks)".into()),
                ..Default::default()
            },
        ),
        (
            CommentChange::Hide,
            MessageEdit {
                hidden: Some(true),
                ..Default::default()
            },
        ),
        (
            CommentChange::Unhide,
            MessageEdit {
                hidden: Some(false),
                ..Default::default()
            },
        ),
        (
            CommentChange::Remove,
            MessageEdit {
                deleted: Some(true),
                ..Default::default()
            },
        ),
    ];
    for (change, expected) in table {
        assert_eq!(
            edit(&c.facebook_change(&posted, &change)),
            (posted.network_id.clone(), expected),
            "{change:?}"
        );
    }
    let deleted = MessageEdit {
        deleted: Some(true),
        ..Default::default()
    };
    for dm in [
        c.messenger_message(PAGE, &jane, "x"),
        c.instagram_message(IG, &jane, "x"),
    ] {
        let posted = dm.posted.expect("posted");
        assert_eq!(
            edit(&c.message_unsent(&posted)),
            (posted.network_id, deleted.clone())
        );
    }
    let mention = c.x_mention(ACCOUNT, &jane, "@acme").posted.expect("posted");
    assert_eq!(edit(&c.x_delete(&mention)), (mention.network_id, deleted));
}

#[test]
fn ids_never_repeat() {
    let c = Customers::new(META_SECRET, X_SECRET);
    let jane = c.person("Jane");
    let ann = c.person("Ann");
    assert_ne!(jane.id, ann.id);
    let ids: std::collections::HashSet<String> = (0..50)
        .map(|_| c.messenger_message(PAGE, &jane, "same text"))
        .map(|d| d.posted.expect("posted").network_id)
        .collect();
    assert_eq!(ids.len(), 50);
}

#[tokio::test]
async fn the_webhook_client_posts_deliveries_with_their_signature() {
    let desk = receiver().await;
    let client = WebhookClient::new(format!("{}/", desk.base_url)).expect("client");
    let c = Customers::new(META_SECRET, X_SECRET);
    let jane = c.person("Jane");
    let deliveries = [
        c.messenger_message(PAGE, &jane, "hi"),
        c.x_message(ACCOUNT, &jane, "hi"),
    ];
    for delivery in &deliveries {
        assert_eq!(client.deliver(delivery).await.expect("posted"), 200);
    }
    let got = desk.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    for (received, delivery) in got.iter().zip(&deliveries) {
        assert_eq!(received.path, delivery.path());
        assert_eq!(received.body.as_ref(), delivery.body.as_slice());
        let (name, value) = &delivery.signature;
        assert_eq!(
            received.headers.get(*name).and_then(|v| v.to_str().ok()),
            Some(value.as_str())
        );
    }
    let nowhere = WebhookClient::new("http://127.0.0.1:9").expect("client");
    assert!(nowhere.deliver(&deliveries[0]).await.is_err());
}
