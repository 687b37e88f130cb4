//! Instagram mentions, and Facebook Page mentions that name no author, through the real webhook
//! path (PRODUCT.md §11 "Kinds to handle"): the
//! `mentions` change names ids only, so the delivery queues a look-up and answers 200; after the
//! commit the look-up asks the fake Graph API through the real HTTP client and files a
//! `mention` Community item of the author with the text and a link to the post. A mention the
//! network no longer shows is dropped; a second delivery of the same mention files nothing new.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::ProfileInput;
use caredesk_domain::*;
use caredesk_fakes::{Customers, FakeMeta, FakeMetaConfig, FakePage};
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};
use caredesk_store::views::community::ItemQuery;
use caredesk_store::ProfileScope;

use crate::api_support::{send, Answer};
use crate::support::World;

const ACCOUNT: &str = "17841400000000077";

async fn deliver(api: &axum::Router, delivery: &caredesk_fakes::Delivery) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(delivery.path())
        .header(header::CONTENT_TYPE, "application/json")
        .header(delivery.signature.0, delivery.signature.1.clone())
        .body(Body::from(delivery.body.clone()))
        .expect("request");
    send(api, request).await
}

/// The mention messages of the profile's Community items, with their authors.
async fn mentions(w: &World, profile: ProfileId) -> Vec<(Message, Customer)> {
    let page = w
        .app
        .store()
        .community_items(&ItemQuery {
            profiles: ProfileScope::All,
            statuses: CommunityStatus::ALL.to_vec(),
            profile_id: Some(profile),
            locked: None,
            label: None,
            text: None,
            newest_first: false,
            cursor: None,
            limit: 50,
        })
        .await
        .expect("items");
    page.items
        .into_iter()
        .filter(|row| row.message.kind == MessageKind::Mention)
        .map(|row| (row.message, row.customer))
        .collect()
}

#[tokio::test]
async fn an_instagram_mention_is_looked_up_after_the_commit_and_filed_as_a_community_item() {
    let w = World::new().await;
    let instagram = w
        .app
        .create_profile(
            None,
            ProfileInput {
                network: Network::Instagram,
                external_id: ACCOUNT.into(),
                name: "Brand IG".into(),
                app_id: w.profile.app_id,
                access_token: "ig-token".into(),
                token_secret: String::new(),
            },
        )
        .await
        .expect("instagram");
    let meta = FakeMeta::start(FakeMetaConfig {
        pages: vec![FakePage::instagram(ACCOUNT, "ig-token")],
        ..FakeMetaConfig::default()
    })
    .await
    .expect("meta fake");
    let sender = NetworkSender::new(&OutboundConfig {
        meta_graph_url: meta.graph_url(),
        ..OutboundConfig::default()
    })
    .expect("sender");
    let customers = Customers::new("s3cret", "x-secret");
    let api = crate::api_support::router(&w);
    let ivy = customers.person("Ivy Moss");
    let tom = customers.person("Tom Berg");

    let in_comment = customers.instagram_mention(
        ACCOUNT,
        "17900000000000010",
        &ivy,
        "@brand my order never came",
        false,
    );
    let in_caption = customers.instagram_mention(
        ACCOUNT,
        "17900000000000011",
        &tom,
        "Unboxing my new mug from @brand",
        true,
    );
    let forgotten = customers.instagram_mention(
        ACCOUNT,
        "17900000000000012",
        &ivy,
        "never remembered",
        false,
    );
    for delivery in [&in_comment, &in_caption] {
        meta.remember(delivery);
    }
    for delivery in [&in_comment, &in_caption, &forgotten, &in_comment] {
        let answer = deliver(&api, delivery).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        assert_eq!(answer.json["to_look_up"], 1, "{:?}", answer.json);
    }
    assert!(
        mentions(&w, instagram.id).await.is_empty(),
        "nothing before the look-up"
    );

    let pass = w.app.look_up_mentions(&sender).await.expect("a pass");
    assert_eq!(
        pass.claimed, 3,
        "three mentions, the repeated one once: {pass:?}"
    );
    assert_eq!((pass.filed, pass.dropped), (2, 1), "{pass:?}");
    let again = w.app.look_up_mentions(&sender).await.expect("a pass");
    assert_eq!(again.claimed, 0, "nothing is looked up twice");

    let filed = mentions(&w, instagram.id).await;
    assert_eq!(filed.len(), 2);
    let (_, author) = filed
        .iter()
        .find(|(m, _)| m.text == "@brand my order never came")
        .expect("the comment mention");
    assert_eq!(
        author.network_user_id, ivy.id,
        "filed under the commenter's id"
    );
    assert_eq!(author.details.handle, ivy.handle);
    let (_, poster) = filed
        .iter()
        .find(|(m, _)| m.text == "Unboxing my new mug from @brand")
        .expect("the caption mention");
    assert_eq!(poster.details.handle, tom.handle);
    for (mention, _) in &filed {
        let link = mention
            .attachments
            .iter()
            .find(|a| a.kind == AttachmentKind::Share)
            .and_then(|a| a.network_url.clone())
            .expect("a link to the post");
        assert!(link.starts_with("https://www.instagram.com/p/"), "{link}");
    }
    meta.stop().await;
}

#[tokio::test]
async fn a_facebook_page_mention_without_its_author_is_read_from_the_post() {
    let w = World::new().await;
    let page = w.profile.clone();
    let meta = FakeMeta::start(FakeMetaConfig {
        pages: vec![FakePage::facebook(
            page.external_id.clone(),
            page.access_token.clone(),
        )],
        ..FakeMetaConfig::default()
    })
    .await
    .expect("meta fake");
    let sender = NetworkSender::new(&OutboundConfig {
        meta_graph_url: meta.graph_url(),
        ..OutboundConfig::default()
    })
    .expect("sender");
    let customers = Customers::new("s3cret", "x-secret");
    let api = crate::api_support::router(&w);
    let lena = customers.person("Lena Park");
    let tagged = customers.facebook_mention(&page.external_id, &lena, "Shout-out to the shop!");
    meta.remember(&tagged);
    let answer = deliver(&api, &tagged).await;
    assert_eq!(answer.json["to_look_up"], 1, "{:?}", answer.json);
    let pass = w.app.look_up_mentions(&sender).await.expect("a pass");
    assert_eq!(pass.filed, 1, "{pass:?}");
    let filed = mentions(&w, page.id).await;
    let (mention, author) = filed.first().expect("a mention item");
    assert_eq!(mention.text, "Shout-out to the shop!");
    assert_eq!(author.network_user_id, lena.id);
    assert_eq!(author.details.display_name, lena.name);
    meta.stop().await;
}
