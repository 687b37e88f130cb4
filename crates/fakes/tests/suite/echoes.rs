//! Echoes: every posted reply comes back as the network's signed delivery of the brand's own
//! message, which the desk's parsers read as a brand message to the right customer under the
//! id the send returned.

use caredesk_app::delivery::Update;
use caredesk_app::{InboundAuthor, NetworkMessage};
use caredesk_domain::reply::Channel;
use caredesk_domain::{MessageKind, Network};
use caredesk_fakes::customers::Customers;
use caredesk_fakes::{Delivery, FakeMeta, FakeX, WebhookTarget};
use caredesk_networks::signature::{meta_signature_valid, x_signature_valid};
use caredesk_networks::{meta, x};

use crate::support::*;

async fn last_meta_echo(fake: &FakeMeta) -> Delivery {
    fake.flush_echoes().await;
    fake.echoes().pop().expect("an echo").delivery
}

async fn last_x_echo(fake: &FakeX) -> Delivery {
    fake.flush_echoes().await;
    fake.echoes().pop().expect("an echo").delivery
}

/// The one brand message a delivery holds, with its profile.
fn brand_message(updates: Vec<Update>) -> ((Network, String), NetworkMessage, String) {
    assert_eq!(updates.len(), 1, "{updates:?}");
    match updates.into_iter().next() {
        Some(Update::Message { profile, message }) => {
            let customer = match &message.author {
                InboundAuthor::Brand {
                    customer_network_user_id,
                } => customer_network_user_id.clone(),
                other => panic!("expected a brand message, got {other:?}"),
            };
            (profile, message, customer)
        }
        other => panic!("expected a message, got {other:?}"),
    }
}

#[tokio::test]
async fn messenger_and_instagram_messages_echo_as_brand_messages() {
    let fake = meta().await;
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
    let table = [
        (
            Channel::MessengerMessage {
                human_agent_tag: true,
            },
            "2600000000000001",
            Network::Facebook,
            PAGE,
        ),
        (
            Channel::InstagramDirect,
            "9000000000000001",
            Network::Instagram,
            IG,
        ),
    ];
    for (channel, customer, network, profile) in table {
        let id = sent_id(&sender, &reply(channel, Some(customer), "Hello")).await;
        let echo = last_meta_echo(&fake).await;
        assert_eq!(
            echo.json()["entry"][0]["messaging"][0]["message"]["is_echo"],
            true
        );
        let (updates, _) = meta::parse(&echo.body).expect("a Meta delivery");
        let (at, message, to) = brand_message(updates);
        assert_eq!((at, to.as_str()), ((network, profile.to_owned()), customer));
        assert_eq!(
            (message.network_id, message.kind),
            (id, MessageKind::Direct)
        );
        assert_eq!(message.text, "Hello");
    }
}

#[tokio::test]
async fn private_replies_echo_to_the_comments_author() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    let fb = customers.facebook_comment(PAGE, &customers.facebook_post_id(PAGE), &jane, "hi");
    let ig = customers.instagram_comment(IG, &customers.instagram_media_id(), &jane, "hi");
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
    for (delivery, network, profile) in
        [(fb, Network::Facebook, PAGE), (ig, Network::Instagram, IG)]
    {
        fake.remember(&delivery);
        let comment = delivery.posted.expect("posted").network_id;
        let channel = Channel::PrivateReply {
            comment_network_id: comment,
        };
        let id = sent_id(&sender, &reply(channel, None, "Check your inbox")).await;
        let (updates, _) = meta::parse(&last_meta_echo(&fake).await.body).expect("Meta");
        let (at, message, to) = brand_message(updates);
        assert_eq!((at, to), ((network, profile.to_owned()), jane.id.clone()));
        assert_eq!(message.network_id, id);
    }
}

#[tokio::test]
async fn x_replies_and_direct_messages_echo_as_brand_messages() {
    let fake = x().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane C");
    let mention = customers.x_mention(ACCOUNT, &jane, "@acme help");
    fake.remember(&mention);
    let post = mention.posted.expect("posted").network_id;
    let sender = sender("http://127.0.0.1:9/v21.0", &fake.api_url());

    let channel = Channel::XReply {
        in_reply_to_network_id: post.clone(),
    };
    let id = sent_id(&sender, &reply(channel, None, "We're on it")).await;
    let (updates, _) = x::parse(&last_x_echo(&fake).await.body).expect("an X delivery");
    let (at, message, to) = brand_message(updates);
    assert_eq!(
        (at, to),
        ((Network::X, ACCOUNT.to_owned()), jane.id.clone())
    );
    assert_eq!(
        (message.network_id, message.parent_network_id),
        (id, Some(post))
    );
    assert_eq!(message.kind, MessageKind::Reply);

    let id = sent_id(&sender, &reply(Channel::XDirect, Some(&jane.id), "DM us")).await;
    let (updates, _) = x::parse(&last_x_echo(&fake).await.body).expect("an X delivery");
    let (at, message, to) = brand_message(updates);
    assert_eq!(
        (at, to),
        ((Network::X, ACCOUNT.to_owned()), jane.id.clone())
    );
    assert_eq!(
        (message.network_id, message.kind),
        (id, MessageKind::Direct)
    );
}

#[tokio::test]
async fn comment_echoes_come_from_the_page_with_the_returned_id() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    let post = customers.facebook_post_id(PAGE);
    let comment = customers.facebook_comment(PAGE, &post, &jane, "late again");
    fake.remember(&comment);
    let comment_id = comment.posted.expect("posted").network_id;
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");

    let channel = Channel::FacebookComment {
        parent_network_id: comment_id.clone(),
    };
    let id = sent_id(&sender, &reply(channel, None, "Sorry!")).await;
    let echo = last_meta_echo(&fake).await;
    let value = &echo.json()["entry"][0]["changes"][0]["value"];
    assert_eq!(
        (&value["verb"], &value["from"]["id"], &value["comment_id"]),
        (&"add".into(), &PAGE.into(), &id.clone().into())
    );
    assert_eq!(
        (&value["parent_id"], &value["post_id"], &value["message"]),
        (
            &comment_id.clone().into(),
            &post.clone().into(),
            &"Sorry!".into()
        )
    );
    let posted = echo.posted.expect("the brand comment");
    assert_eq!(
        (posted.network_id, posted.parent_id, posted.root_id),
        (id.clone(), Some(comment_id.clone()), Some(post))
    );
    let (updates, skipped) = meta::parse(&echo.body).expect("Meta");
    assert_eq!(skipped.total(), 0);
    assert_brand_in_thread(&updates, &id, &comment_id);

    let media = customers.instagram_media_id();
    let ig = customers.instagram_comment(IG, &media, &jane, "hello?");
    fake.remember(&ig);
    let ig_comment = ig.posted.expect("posted").network_id;
    let channel = Channel::InstagramCommentReply {
        comment_network_id: ig_comment.clone(),
    };
    let id = sent_id(&sender, &reply(channel, None, "Hi!")).await;
    let echo = last_meta_echo(&fake).await;
    let value = &echo.json()["entry"][0]["changes"][0]["value"];
    assert_eq!(
        (
            &value["id"],
            &value["from"]["id"],
            &value["parent_id"],
            &value["media"]["id"]
        ),
        (
            &id.clone().into(),
            &IG.into(),
            &ig_comment.clone().into(),
            &media.into()
        )
    );
    let (updates, skipped) = meta::parse(&echo.body).expect("Meta");
    assert_eq!(skipped.total(), 0);
    assert_brand_in_thread(&updates, &id, &ig_comment);
}

/// The echo of our comment is one brand message answering the comment it sits under.
fn assert_brand_in_thread(updates: &[Update], id: &str, answered: &str) {
    let [Update::Message { message, .. }] = updates else {
        panic!("one message, got {updates:?}");
    };
    assert_eq!(message.author, InboundAuthor::BrandInThread);
    assert_eq!(message.network_id, id);
    assert_eq!(message.parent_network_id.as_deref(), Some(answered));
}

#[tokio::test]
async fn echoes_are_signed_and_posted_to_the_desk() {
    let desk = receiver().await;
    let meta = FakeMeta::start(meta_config(Some(WebhookTarget::new(
        &desk.base_url,
        META_SECRET,
    ))))
    .await
    .expect("meta");
    let x = FakeX::start(x_config(None)).await.expect("x");
    x.set_webhook(Some(WebhookTarget::new(&desk.base_url, X_SECRET)));
    let sender = sender(&meta.graph_url(), &x.api_url());
    let dm = Channel::MessengerMessage {
        human_agent_tag: false,
    };
    sent_id(&sender, &reply(dm, Some("2600000000000001"), "one")).await;
    sent_id(&sender, &reply(Channel::XDirect, Some("1600"), "two")).await;
    meta.flush_echoes().await;
    x.flush_echoes().await;
    assert_eq!(meta.echoes()[0].status, Some(200));
    assert_eq!(x.echoes()[0].status, Some(200));

    let got = desk.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    let header = |i: usize, name: &str| {
        got[i]
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(got[0].path, "/webhooks/meta");
    assert!(meta_signature_valid(
        META_SECRET,
        &got[0].body,
        &header(0, "x-hub-signature-256")
    ));
    assert_eq!(got[1].path, "/webhooks/x");
    assert!(x_signature_valid(
        X_SECRET,
        &got[1].body,
        &header(1, "x-twitter-webhooks-signature")
    ));
}

#[tokio::test]
async fn a_delayed_echo_reaches_the_desk_after_the_answer_and_a_failed_one_is_not_repeated() {
    let desk = receiver().await;
    let meta = FakeMeta::start(meta_config(Some(WebhookTarget::new(
        &desk.base_url,
        META_SECRET,
    ))))
    .await
    .expect("meta");
    meta.set_echo_delay(std::time::Duration::from_millis(400));
    let sender = sender(&meta.graph_url(), "http://127.0.0.1:9/2");
    let dm = Channel::MessengerMessage {
        human_agent_tag: false,
    };
    let answered = std::time::Instant::now();
    sent_id(
        &sender,
        &reply(dm.clone(), Some("2600000000000001"), "late"),
    )
    .await;
    assert!(
        desk.got.lock().expect("lock").is_empty(),
        "the answer does not wait for the echo"
    );
    meta.flush_echoes().await;
    assert!(answered.elapsed() >= std::time::Duration::from_millis(400));
    assert_eq!(desk.got.lock().expect("lock").len(), 1);

    // A desk that is down misses the echo for good.
    meta.set_webhook(Some(WebhookTarget::new("http://127.0.0.1:9", META_SECRET)));
    sent_id(&sender, &reply(dm, Some("2600000000000001"), "lost")).await;
    meta.flush_echoes().await;
    let lost = meta.echoes().pop().expect("an echo");
    assert_eq!(lost.status, None);
    assert!(lost.error.is_some());
    assert_eq!(meta.echoes().len(), 2, "posted once, not repeated");
}
