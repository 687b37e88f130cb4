//! The sender against the Meta fake: every Graph channel is posted once, with the body Meta
//! expects, and answered with the fake's id.

use caredesk_app::outbound::{ReplySender, SendOutcome};
use caredesk_domain::reply::Channel;
use caredesk_fakes::customers::Customers;
use caredesk_fakes::{FakeMeta, SendKind, SentReply};

use crate::support::*;

fn only_send(fake: &FakeMeta) -> SentReply {
    let sent = fake.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    sent.into_iter().next().expect("one send")
}

#[tokio::test]
async fn messenger_messages_carry_their_messaging_type() {
    for (tag, messaging_type, expected_tag) in [
        (false, "RESPONSE", None),
        (true, "MESSAGE_TAG", Some("HUMAN_AGENT")),
    ] {
        let fake = meta().await;
        let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
        let reply = reply(
            Channel::MessengerMessage {
                human_agent_tag: tag,
            },
            Some("2600000000000001"),
            "Where is it?",
        );
        let id = sent_id(&sender, &reply).await;
        assert!(id.starts_with("m_"), "{id}");
        let sent = only_send(&fake);
        assert_eq!(
            (sent.kind, sent.profile.as_str(), sent.target.as_str()),
            (SendKind::MessengerMessage, PAGE, "2600000000000001")
        );
        assert_eq!((sent.text.as_str(), sent.network_id), ("Where is it?", id));
        assert_eq!(sent.messaging_type.as_deref(), Some(messaging_type));
        assert_eq!(sent.tag.as_deref(), expected_tag);
        assert!(sent.answered);
    }
}

#[tokio::test]
async fn facebook_comments_answer_the_customers_comment() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    let post = customers.facebook_post_id(PAGE);
    let comment = customers.facebook_comment(PAGE, &post, &jane, "My order never arrived");
    fake.remember(&comment);
    let comment_id = comment.posted.expect("posted").network_id;
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
    let channel = Channel::FacebookComment {
        parent_network_id: comment_id.clone(),
    };
    let id = sent_id(&sender, &reply(channel, None, "Sorry Jane")).await;
    let post_part = post.split_once('_').expect("page_post").1;
    assert!(id.starts_with(&format!("{post_part}_")), "{id}");
    let sent = only_send(&fake);
    assert_eq!(
        (sent.kind, sent.target, sent.customer),
        (SendKind::FacebookComment, comment_id, Some(jane.id))
    );
    assert_eq!((sent.text.as_str(), sent.network_id), ("Sorry Jane", id));
}

#[tokio::test]
async fn private_replies_go_once_per_comment() {
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    let fb = customers.facebook_comment(PAGE, &customers.facebook_post_id(PAGE), &jane, "hi");
    let media = customers.instagram_media_id();
    let ig = customers.instagram_comment(IG, &media, &jane, "hi");
    for delivery in [fb, ig] {
        let fake = meta().await;
        fake.remember(&delivery);
        let comment = delivery.posted.expect("posted").network_id;
        let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
        let reply = reply(
            Channel::PrivateReply {
                comment_network_id: comment.clone(),
            },
            None,
            "We sent you a message",
        );
        let id = sent_id(&sender, &reply).await;
        let sent = only_send(&fake);
        assert_eq!(
            (sent.kind, sent.target, sent.customer.as_deref()),
            (SendKind::PrivateReply, comment, Some(jane.id.as_str()))
        );
        assert_eq!(sent.network_id, id);
        assert_eq!(
            sender.send(&reply).await,
            SendOutcome::Permanent {
                reason: "Activity already replied to [code 10900]".into()
            }
        );
        assert_eq!(fake.sent_count("We sent you a message"), 1);
    }
}

#[tokio::test]
async fn instagram_comment_replies_and_media_comments_are_posted() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let ann = customers.person("Ann");
    let media = customers.instagram_media_id();
    let comment = customers.instagram_comment(IG, &media, &ann, "Still waiting");
    fake.remember(&comment);
    let comment_id = comment.posted.expect("posted").network_id;
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
    let reply_id = sent_id(
        &sender,
        &reply(
            Channel::InstagramCommentReply {
                comment_network_id: comment_id.clone(),
            },
            None,
            "On it",
        ),
    )
    .await;
    let media_id = sent_id(
        &sender,
        &reply(
            Channel::InstagramMediaComment {
                media_network_id: media.clone(),
            },
            None,
            "Thanks all",
        ),
    )
    .await;
    assert!(reply_id.bytes().all(|b| b.is_ascii_digit()), "{reply_id}");
    let sent = fake.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0].kind, &sent[0].target, sent[0].customer.as_deref()),
        (
            SendKind::InstagramCommentReply,
            &comment_id,
            Some(ann.id.as_str())
        )
    );
    assert_eq!(
        (&sent[0].network_id, sent[0].text.as_str()),
        (&reply_id, "On it")
    );
    assert_eq!(
        (sent[1].kind, &sent[1].target, &sent[1].network_id),
        (SendKind::InstagramMediaComment, &media, &media_id)
    );
}

#[tokio::test]
async fn instagram_direct_messages_are_posted() {
    let fake = meta().await;
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");
    let id = sent_id(
        &sender,
        &reply(
            Channel::InstagramDirect,
            Some("9000000000000001"),
            "Hello from us",
        ),
    )
    .await;
    let sent = only_send(&fake);
    assert_eq!(
        (sent.kind, sent.profile.as_str(), sent.target.as_str()),
        (SendKind::InstagramDirect, IG, "9000000000000001")
    );
    assert_eq!((sent.network_id, sent.messaging_type), (id, None));
}
