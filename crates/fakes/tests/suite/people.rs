//! The person look-up against the Meta fake, through the desk's Graph client: the people who
//! wrote to a page are answered in Meta's shapes with a picture the fake's CDN serves, only the
//! fields asked for; an id the page does not know is code 100/33, a revoked token code 190.

use caredesk_app::lookups::{LookedUp, PersonSource};
use caredesk_domain::Network;
use caredesk_fakes::customers::Customers;

use crate::support::*;

#[tokio::test]
async fn the_people_who_wrote_are_answered_in_their_networks_shape() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    let ivy = customers.person("Ivy Gram");
    fake.remember(&customers.messenger_message(PAGE, &jane, "hello"));
    fake.remember(&customers.instagram_message(IG, &ivy, "hi"));
    fake.set_profile_pic(&jane.id, Some("mug.png"));
    fake.set_profile_pic(&ivy.id, None);
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");

    let LookedUp::Found {
        name,
        handle,
        avatar_url,
    } = sender
        .look_up(Network::Facebook, &jane.id, PAGE_TOKEN)
        .await
    else {
        panic!("Jane is found");
    };
    assert_eq!((name.as_str(), handle.as_str()), ("Jane Customer", ""));
    let picture = avatar_url.expect("a picture");
    assert!(picture.ends_with("/cdn/mug.png"), "{picture}");
    let served = reqwest::get(&picture).await.expect("the CDN answers");
    assert_eq!(served.headers()["content-type"], "image/png");

    assert_eq!(
        sender.look_up(Network::Instagram, &ivy.id, IG_TOKEN).await,
        LookedUp::Found {
            name: "Ivy Gram".into(),
            handle: "ivy_gram".into(),
            avatar_url: None,
        }
    );
}

#[tokio::test]
async fn unknown_people_and_revoked_tokens_are_refused_as_graph_refuses_them() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    fake.remember(&customers.messenger_message(PAGE, &jane, "hello"));
    let sender = sender(&fake.graph_url(), "http://127.0.0.1:9/2");

    let gone = sender
        .look_up(Network::Facebook, "404404", PAGE_TOKEN)
        .await;
    assert!(
        matches!(&gone, LookedUp::Gone(why) if why.contains("[code 100/33]")),
        "{gone:?}"
    );
    let elsewhere = sender.look_up(Network::Instagram, &jane.id, IG_TOKEN).await;
    assert!(
        matches!(elsewhere, LookedUp::Gone(_)),
        "page-scoped: the Instagram account does not know her"
    );
    fake.revoke_token(PAGE_TOKEN);
    let refused = sender
        .look_up(Network::Facebook, &jane.id, PAGE_TOKEN)
        .await;
    assert!(
        matches!(&refused, LookedUp::TokenRejected(why) if why.contains("[code 190/460]") && !why.contains(PAGE_TOKEN)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn only_the_fields_asked_for_are_answered_with_the_id() {
    let fake = meta().await;
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane Customer");
    fake.remember(&customers.messenger_message(PAGE, &jane, "hello"));
    let url = format!("{}/{}?fields=first_name", fake.graph_url(), jane.id);
    let answer: serde_json::Value = reqwest::Client::new()
        .get(url)
        .bearer_auth(PAGE_TOKEN)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(
        answer,
        serde_json::json!({"first_name": "Jane", "id": jane.id})
    );
}
