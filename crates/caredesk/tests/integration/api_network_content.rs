//! Real network content through the real webhook path (PRODUCT.md §11): every fixture built from
//! the networks' published examples (`crates/networks/tests/fixtures`, sources in its README) is
//! signed, posted and stored with its kind, attachments and standby mark exactly as the parser
//! read it; the API answers attachments in its own shape; a later message fills a customer's
//! empty name; a direct message delivered late never hides the thread's newest one.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::delivery::Update;
use caredesk_app::{NetworkAppInput, ProfileInput};
use caredesk_domain::*;
use caredesk_networks::registry;
use caredesk_networks::signature::{meta_sign, x_sign};

use crate::api_support::{call, login, send, Answer};
use crate::support::World;

/// The fixtures' ids, and the profiles the test connects under them.
const FACEBOOK_PAGE: &str = "1234567890321";
const INSTAGRAM_ACCOUNT: &str = "17841405726653026";
const X_ACCOUNT: &str = "1500000000000000001";
const X_SECRET: &str = "x-consumer-secret";

fn fixture(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../networks/tests/fixtures")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

struct Desk {
    w: World,
    api: axum::Router,
    profiles: Vec<Profile>,
}

async fn desk() -> Desk {
    let w = World::new().await;
    let meta_app = w.profile.app_id;
    let x_app = w
        .app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::X,
                name: "X".into(),
                app_secret: X_SECRET.into(),
                verify_token: String::new(),
                consumer_key: "key".into(),
            },
        )
        .await
        .expect("x app");
    let mut profiles = Vec::new();
    for (network, external_id, app_id) in [
        (Network::Facebook, FACEBOOK_PAGE, meta_app),
        (Network::Instagram, INSTAGRAM_ACCOUNT, meta_app),
        (Network::X, X_ACCOUNT, x_app.id),
    ] {
        let input = ProfileInput {
            network,
            external_id: external_id.into(),
            name: format!("Brand on {}", network.label()),
            app_id,
            access_token: "token".into(),
            token_secret: String::new(),
        };
        profiles.push(w.app.create_profile(None, input).await.expect("profile"));
    }
    let api = crate::api_support::router(&w);
    Desk { w, api, profiles }
}

impl Desk {
    fn profile(&self, network: Network) -> &Profile {
        self.profiles
            .iter()
            .find(|p| p.network == network)
            .expect("a profile of the network")
    }

    /// Signs and posts a delivery as its network would.
    async fn deliver(&self, network: AppNetwork, body: &str) -> Answer {
        let (path, header_name, signature) = match network {
            AppNetwork::Meta => (
                "/webhooks/meta",
                "x-hub-signature-256",
                meta_sign("s3cret", body.as_bytes()),
            ),
            AppNetwork::X => (
                "/webhooks/x",
                "x-twitter-webhooks-signature",
                x_sign(X_SECRET, body.as_bytes()),
            ),
        };
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header_name, signature.expect("a signature"))
            .body(Body::from(body.to_owned()))
            .expect("request");
        send(&self.api, request).await
    }

    async fn stored(&self, network: Network, network_id: &str) -> Option<Message> {
        let mut tx = self.w.app.store().begin().await.expect("begin");
        tx.message_by_network_id(self.profile(network).id, network_id)
            .await
            .expect("read")
    }
}

#[tokio::test]
async fn every_published_kind_is_stored_as_the_network_sent_it() {
    let d = desk().await;
    let mut files: Vec<(AppNetwork, String)> = Vec::new();
    for (dir, network) in [("meta", AppNetwork::Meta), ("x", AppNetwork::X)] {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../networks/tests/fixtures")
            .join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .expect("fixtures")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| (network, format!("{dir}/{n}"))));
    }
    assert!(files.len() >= 40, "the fixtures are found: {}", files.len());
    let mut messages = 0;
    for (network, file) in &files {
        let body = fixture(file);
        let answer = d.deliver(*network, &body).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}: {:?}", answer.json);
        let (updates, _) = registry::adapter(*network)
            .parse(body.as_bytes())
            .expect("a delivery");
        for update in updates {
            let Update::Message { profile, message } = update else {
                continue;
            };
            let Some(stored) = d.stored(profile.0, &message.network_id).await else {
                // A brand message that answers nobody the desk knows is not kept.
                assert!(
                    message.customer_user_id().is_none(),
                    "{file}: {} was not stored",
                    message.network_id
                );
                continue;
            };
            assert_eq!(stored.attachments, message.attachments, "{file}");
            assert_eq!(stored.standby, message.standby, "{file}");
            assert_eq!(stored.created_at, message.created_at, "{file}");
            if !matches!(stored.author, Author::Brand) {
                assert_eq!(stored.kind, message.kind, "{file}");
            }
            messages += 1;
        }
    }
    assert!(
        messages >= 30,
        "the fixtures' messages were stored: {messages}"
    );
}

#[tokio::test]
async fn the_api_answers_attachments_in_its_own_shape() {
    let d = desk().await;
    let body = fixture("meta/instagram-story-reply.json");
    assert_eq!(
        d.deliver(AppNetwork::Meta, &body).await.status,
        StatusCode::OK
    );
    // The admin works every profile, the Instagram account included.
    let token = login(&d.api, "admin@example.com").await;
    let items = call(
        &d.api,
        Method::GET,
        "/api/v1/community/items",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(items.status, StatusCode::OK, "{:?}", items.json);
    let item = items.json["items"]
        .as_array()
        .and_then(|items| items.first())
        .cloned()
        .expect("an item");
    let path = format!(
        "/api/v1/community/items/{}/messages",
        item["id"].as_str().expect("an id")
    );
    let answer = call(&d.api, Method::GET, &path, Some(&token), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    let attachments = &answer.json["items"][0]["attachments"];
    let story = &attachments[0];
    assert_eq!(story["kind"], "story_reply", "{attachments}");
    assert_eq!(story["state"], "pending");
    assert!(story["url"].is_null(), "no copy yet: {story}");
    assert!(story["network_url"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    for key in [
        "id",
        "mime",
        "title",
        "preview_url",
        "latitude",
        "longitude",
    ] {
        assert!(story.get(key).is_some(), "{key} is answered: {story}");
    }
}

fn instagram_comment(from: &str, username: &str, id: &str, at: i64) -> String {
    serde_json::json!({"object": "instagram", "entry": [{"id": INSTAGRAM_ACCOUNT, "time": at,
        "changes": [{"field": "comments", "value": {"id": id, "text": "Where is my parcel?",
        "from": {"id": from, "username": username}, "media": {"id": "17900000000000001"}}}]}]})
    .to_string()
}

#[tokio::test]
async fn a_later_message_names_a_customer_who_wrote_a_direct_message_first() {
    let d = desk().await;
    let dm = fixture("meta/instagram-dm-media.json");
    assert_eq!(
        d.deliver(AppNetwork::Meta, &dm).await.status,
        StatusCode::OK
    );
    let (updates, _) = registry::adapter(AppNetwork::Meta)
        .parse(dm.as_bytes())
        .expect("a delivery");
    let Some(Update::Message { message, .. }) = updates.into_iter().next() else {
        panic!("the fixture holds a message");
    };
    let customer_id = message.customer_user_id().expect("a customer").to_owned();
    let customer = |d: &Desk| {
        let store = d.w.app.store().clone();
        let id = customer_id.clone();
        async move {
            let mut tx = store.begin().await.expect("begin");
            tx.customer_by_network_id(Network::Instagram, &id)
                .await
                .expect("read")
                .expect("the customer")
        }
    };
    assert_eq!(
        customer(&d).await.details.handle,
        "",
        "a DM carries no name"
    );
    let comment = instagram_comment(&customer_id, "jane_c", "17800000000000001", 1_790_000_100);
    assert_eq!(
        d.deliver(AppNetwork::Meta, &comment).await.status,
        StatusCode::OK
    );
    let named = customer(&d).await;
    assert_eq!(named.details.handle, "jane_c");
    assert_eq!(named.shown_name(), "jane_c");

    // What an agent typed is never overwritten by a payload.
    let mut edited = named.clone();
    edited.details.handle = "jane.typed".into();
    let mut tx = d.w.app.store().begin().await.expect("begin");
    tx.update_customer(&edited).await.expect("edit");
    tx.commit().await.expect("commit");
    let again = instagram_comment(
        &customer_id,
        "jane_other",
        "17800000000000002",
        1_790_000_200,
    );
    assert_eq!(
        d.deliver(AppNetwork::Meta, &again).await.status,
        StatusCode::OK
    );
    assert_eq!(customer(&d).await.details.handle, "jane.typed");
}

fn messenger_dm(mid: &str, text: &str, timestamp_ms: i64) -> String {
    serde_json::json!({"object": "page", "entry": [{"id": FACEBOOK_PAGE, "time": timestamp_ms,
        "messaging": [{"sender": {"id": "987654321432"}, "recipient": {"id": FACEBOOK_PAGE},
        "timestamp": timestamp_ms, "message": {"mid": mid, "text": text}}]}]})
    .to_string()
}

#[tokio::test]
async fn a_late_direct_message_never_hides_the_newest_one() {
    let d = desk().await;
    let now_ms = START_MS;
    let newer = messenger_dm("m-newer", "the second thing I wrote", now_ms);
    assert_eq!(
        d.deliver(AppNetwork::Meta, &newer).await.status,
        StatusCode::OK
    );
    let late = messenger_dm("m-late", "the first thing I wrote", now_ms - 60_000);
    assert_eq!(
        d.deliver(AppNetwork::Meta, &late).await.status,
        StatusCode::OK
    );
    let shown = d
        .stored(Network::Facebook, "m-newer")
        .await
        .expect("stored");
    let late = d.stored(Network::Facebook, "m-late").await.expect("stored");
    let mut tx = d.w.app.store().begin().await.expect("begin");
    let item = tx
        .dm_thread_item(shown.conversation_id.expect("a conversation"))
        .await
        .expect("read")
        .expect("the thread's item");
    assert_eq!(
        item.message_id, shown.id,
        "the newest by the network's time"
    );
    assert_ne!(item.message_id, late.id);
}

/// The test clock's start, in milliseconds (the networks' unit for direct messages).
const START_MS: i64 = crate::support::START.0 / 1_000;
