//! X direct-message media (PRODUCT.md §11 "Media is kept"), end to end: a customer's photo
//! message arrives through the real X webhook, and the media worker fetches the photo from the
//! fake X with an OAuth 1.0a signature made of the X app's consumer key and secret and the
//! profile's access token and secret, through the guarded fetcher (held to public addresses but
//! for the configured X API). A profile holding only an OAuth 2 bearer token keeps the photo as
//! a link, with the reason saying what to set.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::media::{DownloadConfig, MediaStore};
use caredesk_app::{Clock, NetworkAppInput, ProfileInput, SystemClock};
use caredesk_domain::*;
use caredesk_fakes::meta::media::PICTURES;
use caredesk_fakes::{Customers, FakeAccount, FakeX, FakeXConfig};
use caredesk_networks::fetch::MediaFetcher;
use caredesk_networks::outbound::OutboundConfig;

use crate::api_support::send;
use crate::app_media::Memory;
use crate::support::World;

const CONSUMER_KEY: &str = "x-consumer-key";
const CONSUMER_SECRET: &str = "x-consumer-secret";
const SIGNING: (&str, &str, &str) = ("1500000000000000001", "x-user-token", "x-token-secret");
const BEARER_ONLY: &str = "1500000000000000002";

async fn x_profile(w: &World, app: NetworkAppId, account: &str, token_secret: &str) -> Profile {
    let input = ProfileInput {
        network: Network::X,
        external_id: account.into(),
        name: format!("@{account}"),
        app_id: app,
        access_token: format!("token-of-{account}"),
        token_secret: token_secret.into(),
    };
    w.app.create_profile(None, input).await.expect("profile")
}

#[tokio::test]
async fn an_x_direct_message_photo_is_kept_with_a_signed_download() {
    let mut w = World::new().await;
    // The fakes stamp deliveries and check signatures with the real time.
    w.clock.set(SystemClock.now());
    let store = Arc::new(Memory::default());
    w.app = w.app.clone().with_media_store(store.clone());
    let x_app = NetworkAppInput {
        network: AppNetwork::X,
        name: "X".into(),
        app_secret: CONSUMER_SECRET.into(),
        verify_token: String::new(),
        consumer_key: CONSUMER_KEY.into(),
    };
    let x_app = w.app.create_network_app(None, x_app).await.expect("app");
    let (account, _, secret) = SIGNING;
    let signing = x_profile(&w, x_app.id, account, secret).await;
    let bearer_only = x_profile(&w, x_app.id, BEARER_ONLY, "").await;
    let x = FakeX::start(FakeXConfig {
        accounts: vec![
            FakeAccount {
                token_secret: secret.into(),
                ..FakeAccount::new(account, signing.access_token.clone())
            },
            FakeAccount::new(BEARER_ONLY, bearer_only.access_token.clone()),
        ],
        consumer_key: CONSUMER_KEY.into(),
        consumer_secret: CONSUMER_SECRET.into(),
        ..FakeXConfig::default()
    })
    .await
    .expect("x fake");
    let config = OutboundConfig {
        x_api_url: x.api_url(),
        ..OutboundConfig::default()
    };
    let fetcher = MediaFetcher::new(&config, false).expect("fetcher");
    let api = crate::api_support::router(&w);
    let customers = Customers::new("unused", CONSUMER_SECRET);
    let jane = customers.person("Jane");
    let (name, png) = PICTURES[2];

    let mut sent = Vec::new();
    for profile in [&signing, &bearer_only] {
        let url = x.direct_message_media_url(name);
        let delivery = customers.x_photo_message(&profile.external_id, &jane, "the lid", &url);
        let request = Request::builder()
            .method(Method::POST)
            .uri(delivery.path())
            .header(header::CONTENT_TYPE, "application/json")
            .header(delivery.signature.0, &delivery.signature.1)
            .body(Body::from(delivery.body.clone()))
            .expect("request");
        let answer = send(&api, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        let posted = delivery.posted.expect("posted");
        sent.push((profile.id, posted.network_id));
    }

    let pass = w
        .app
        .download_media(&fetcher, DownloadConfig::default())
        .await
        .expect("download pass");
    assert_eq!(
        (pass.claimed, pass.stored, pass.gave_up),
        (2, 1, 1),
        "{pass:?}"
    );

    let mut tx = w.app.store().begin().await.expect("begin");
    let mut messages = Vec::new();
    for (profile, network_id) in &sent {
        let message = tx
            .message_by_network_id(*profile, network_id)
            .await
            .expect("read")
            .expect("stored");
        messages.push(message);
    }
    drop(tx);

    let kept = &messages[0].attachments[0];
    assert_eq!(messages[0].text, "the lid");
    assert_eq!(kept.state, MediaState::Stored);
    assert_eq!(kept.mime.as_deref(), Some("image/png"));
    let media_id = kept.media_id.expect("the desk's copy");
    let media = w
        .app
        .store()
        .media(media_id)
        .await
        .expect("read")
        .expect("row");
    let key = media.object_key.expect("an object key");
    let bytes = store.get(&key).await.expect("read").expect("kept");
    assert_eq!(bytes.as_ref(), png);

    let link = &messages[1].attachments[0];
    assert_eq!(link.state, MediaState::Unavailable);
    let media_id = link.media_id.expect("the row");
    let media = w
        .app
        .store()
        .media(media_id)
        .await
        .expect("read")
        .expect("row");
    let why = media.error.unwrap_or_default();
    assert!(
        why.contains("OAuth 1.0a") && why.contains("token secret"),
        "{why}"
    );
    assert!(!why.contains(&bearer_only.access_token), "{why}");
}
