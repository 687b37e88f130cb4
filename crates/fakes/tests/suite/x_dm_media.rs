//! X's direct-message media: a customer's photo message names media the fake serves only to
//! OAuth 1.0a-signed requests; the desk's guarded fetcher signs them and gets the bytes, and a
//! wrong secret, a missing one, a stale or unsigned request are turned away.

use caredesk_app::delivery::Update;
use caredesk_app::media::{FetchRequest, Fetched, MediaSource};
use caredesk_domain::{AttachmentKind, Network};
use caredesk_fakes::meta::media::PICTURES;
use caredesk_fakes::{Customers, FakeAccount, FakeX};
use caredesk_networks::fetch::MediaFetcher;
use caredesk_networks::outbound::OutboundConfig;
use caredesk_networks::x::oauth1::{self, Credentials};
use reqwest::{StatusCode, Url};

use crate::support::*;

/// The fake with one account that signs (ours) and one that holds only an OAuth 2 token.
async fn fake() -> FakeX {
    let mut config = x_config(None);
    config
        .accounts
        .push(FakeAccount::new("1500000000000000002", "bearer-only"));
    FakeX::start(config).await.expect("x fake")
}

/// The desk's fetcher, held to public addresses but for the configured X API (the fake).
fn fetcher(x: &FakeX) -> MediaFetcher {
    let config = OutboundConfig {
        x_api_url: x.api_url(),
        ..OutboundConfig::default()
    };
    MediaFetcher::new(&config, false).expect("fetcher")
}

async fn fetch(x: &FakeX, url: &str, token: &str, token_secret: &str) -> Fetched {
    fetcher(x)
        .fetch(FetchRequest {
            network: Network::X,
            url,
            access_token: token,
            token_secret,
            consumer_key: X_KEY,
            consumer_secret: X_SECRET,
            max_bytes: 1 << 20,
        })
        .await
}

#[tokio::test]
async fn a_photo_message_names_media_the_desk_fetches_signed() {
    let x = fake().await;
    let (name, png) = PICTURES[0];
    let customers = Customers::new(META_SECRET, X_SECRET);
    let jane = customers.person("Jane");
    let url = x.direct_message_media_url(name);
    let delivery = customers.x_photo_message(ACCOUNT, &jane, "the lid", &url);
    let (mut updates, _) = caredesk_networks::x::parse(&delivery.body).expect("parsed");
    let Some(Update::Message { message, .. }) = updates.pop() else {
        panic!("expected a message");
    };
    assert_eq!(message.text, "the lid");
    let [attachment] = message.attachments.as_slice() else {
        panic!("expected one attachment: {:?}", message.attachments);
    };
    assert_eq!(attachment.kind, AttachmentKind::Image);
    assert_eq!(attachment.network_url.as_deref(), Some(url.as_str()));

    let outcome = fetch(&x, &url, X_TOKEN, X_TOKEN_SECRET).await;
    let Fetched::Bytes { bytes, .. } = outcome else {
        panic!("expected the picture, got {outcome:?}");
    };
    assert_eq!(bytes.as_ref(), png);
}

#[tokio::test]
async fn a_wrong_or_missing_secret_is_refused_with_what_to_fix() {
    let x = fake().await;
    let url = x.direct_message_media_url(PICTURES[0].0);
    let table = [
        // X answers 401: the credentials are wrong, and trying again cannot help.
        (X_TOKEN, "not-the-secret", "HTTP 401"),
        ("bearer-only", "a-guessed-secret", "HTTP 401"),
        // No token secret: nothing is sent, the operator is told what to set.
        ("bearer-only", "", "access token secret"),
    ];
    for (token, secret, words) in table {
        let outcome = fetch(&x, &url, token, secret).await;
        let Fetched::Refused(reason) = outcome else {
            panic!("{token}: expected a refusal, got {outcome:?}");
        };
        assert!(reason.contains(words), "{reason}");
        assert!(!reason.contains(secret) || secret.is_empty(), "{reason}");
    }
}

#[tokio::test]
async fn the_fake_serves_only_fresh_signatures_of_its_app_and_unrevoked_accounts() {
    let x = fake().await;
    let url = Url::parse(&x.direct_message_media_url(PICTURES[1].0)).expect("url");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let ours = Credentials {
        consumer_key: X_KEY,
        consumer_secret: X_SECRET,
        token: X_TOKEN,
        token_secret: X_TOKEN_SECRET,
    };
    let other_app = Credentials {
        consumer_key: "another-key",
        ..ours
    };
    let client = reqwest::Client::new();
    let get = |url: Url, header: Option<String>| {
        let mut request = client.get(url);
        if let Some(header) = header {
            request = request.header("authorization", header);
        }
        async move { request.send().await.expect("answer").status() }
    };
    let signed = |c: &Credentials<'_>, at: u64| oauth1::authorization("GET", &url, &[], c, "n", at);
    let table = [
        (Some(signed(&ours, now)), StatusCode::OK),
        (None, StatusCode::UNAUTHORIZED),
        (Some(format!("Bearer {X_TOKEN}")), StatusCode::UNAUTHORIZED),
        (Some(signed(&ours, now - 3_600)), StatusCode::UNAUTHORIZED),
        (Some(signed(&other_app, now)), StatusCode::UNAUTHORIZED),
    ];
    for (header, status) in table {
        assert_eq!(get(url.clone(), header.clone()).await, status, "{header:?}");
    }
    let unknown = url.join("nothing.png").expect("url");
    let header = oauth1::authorization("GET", &unknown, &[], &ours, "n2", now);
    assert_eq!(get(unknown, Some(header)).await, StatusCode::NOT_FOUND);
    // A nonce is good for one request at its timestamp (RFC 5849 §3.3).
    assert_eq!(
        get(url.clone(), Some(signed(&ours, now))).await,
        StatusCode::UNAUTHORIZED
    );
    x.revoke_token(X_TOKEN);
    let fresh = oauth1::authorization("GET", &url, &[], &ours, "n3", now);
    assert_eq!(
        get(url.clone(), Some(fresh)).await,
        StatusCode::UNAUTHORIZED
    );
}
