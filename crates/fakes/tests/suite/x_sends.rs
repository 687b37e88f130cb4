//! The sender against the X fake: replies and direct messages are posted once and answered
//! with the fake's id.

use caredesk_domain::reply::Channel;
use caredesk_fakes::customers::Customers;
use caredesk_fakes::SendKind;

use crate::support::*;

#[tokio::test]
async fn replies_answer_the_customers_post() {
    let fake = x().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane C");
    let mention = customers.x_mention(ACCOUNT, &jane, "@acme my parcel is lost");
    fake.remember(&mention);
    let post = mention.posted.expect("posted").network_id;
    let sender = sender("http://127.0.0.1:9/v21.0", &fake.api_url());
    let channel = Channel::XReply {
        in_reply_to_network_id: post.clone(),
    };
    let id = sent_id(
        &sender,
        &reply(channel, None, "Sorry Jane, we've DMed you."),
    )
    .await;
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].kind, &sent[0].target, sent[0].customer.as_deref()),
        (SendKind::XReply, &post, Some(jane.id.as_str()))
    );
    assert_eq!(
        (&sent[0].network_id, sent[0].text.as_str()),
        (&id, "Sorry Jane, we've DMed you.")
    );
}

#[tokio::test]
async fn direct_messages_go_to_the_participant() {
    let fake = x().await;
    let sender = sender("http://127.0.0.1:9/v21.0", &fake.api_url());
    let id = sent_id(
        &sender,
        &reply(
            Channel::XDirect,
            Some("1600000000000000009"),
            "Can you share your order number?",
        ),
    )
    .await;
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].kind, sent[0].target.as_str(), &sent[0].network_id),
        (SendKind::XDirect, "1600000000000000009", &id)
    );
    assert_eq!(fake.sent_count("Can you share your order number?"), 1);
}
