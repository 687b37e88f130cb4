//! Shared setup of the fakes' tests: a Meta fake with a Facebook Page and an Instagram account,
//! an X fake with one account, a sender pointed at them, replies, a webhook receiver, and a
//! Salesforce fake with a client and a session.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use caredesk_app::salesforce::{SalesforceApi, Session};
use caredesk_domain::reply::Channel;
use caredesk_domain::{MessageId, Network};
use caredesk_fakes::{
    FakeAccount, FakeMeta, FakeMetaConfig, FakePage, FakeSalesforce, FakeSalesforceConfig, FakeX,
    FakeXConfig, WebhookTarget,
};
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};
use caredesk_networks::salesforce::{SalesforceClient, SalesforceConfig};

pub const PAGE: &str = "111222333";
pub const PAGE_TOKEN: &str = "page-token-fb";
pub const IG: &str = "17841400000000001";
pub const IG_TOKEN: &str = "page-token-ig";
pub const ACCOUNT: &str = "1500000000000000001";
pub const X_TOKEN: &str = "x-user-token";
pub const X_TOKEN_SECRET: &str = "x-user-token-secret";
pub const X_KEY: &str = "x-consumer-key";
pub const META_SECRET: &str = "meta-app-secret";
pub const X_SECRET: &str = "x-consumer-secret";

pub fn meta_config(webhook: Option<WebhookTarget>) -> FakeMetaConfig {
    FakeMetaConfig {
        pages: vec![
            FakePage::facebook(PAGE, PAGE_TOKEN),
            FakePage::instagram(IG, IG_TOKEN),
        ],
        webhook,
        ..FakeMetaConfig::default()
    }
}

pub async fn meta() -> FakeMeta {
    FakeMeta::start(meta_config(None)).await.expect("meta fake")
}

pub fn x_config(webhook: Option<WebhookTarget>) -> FakeXConfig {
    FakeXConfig {
        accounts: vec![FakeAccount {
            token_secret: X_TOKEN_SECRET.into(),
            ..FakeAccount::new(ACCOUNT, X_TOKEN)
        }],
        consumer_key: X_KEY.into(),
        consumer_secret: X_SECRET.into(),
        webhook,
        ..FakeXConfig::default()
    }
}

pub async fn x() -> FakeX {
    FakeX::start(x_config(None)).await.expect("x fake")
}

pub fn sender_with_timeout(graph_url: &str, x_url: &str, timeout: Duration) -> NetworkSender {
    NetworkSender::new(&OutboundConfig {
        meta_graph_url: graph_url.into(),
        x_api_url: x_url.into(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: timeout,
    })
    .expect("sender")
}

pub fn sender(graph_url: &str, x_url: &str) -> NetworkSender {
    sender_with_timeout(graph_url, x_url, Duration::from_secs(10))
}

/// A reply from the profile that `channel` belongs to, with its token.
pub fn reply(channel: Channel, recipient: Option<&str>, text: &str) -> OutgoingReply {
    let (network, profile, token) = match &channel {
        Channel::FacebookComment { .. } | Channel::MessengerMessage { .. } => {
            (Network::Facebook, PAGE, PAGE_TOKEN)
        }
        Channel::PrivateReply { comment_network_id } if !comment_network_id.contains('_') => {
            (Network::Instagram, IG, IG_TOKEN)
        }
        Channel::PrivateReply { .. } => (Network::Facebook, PAGE, PAGE_TOKEN),
        Channel::InstagramCommentReply { .. }
        | Channel::InstagramMediaComment { .. }
        | Channel::InstagramDirect => (Network::Instagram, IG, IG_TOKEN),
        Channel::XReply { .. } | Channel::XDirect => (Network::X, ACCOUNT, X_TOKEN),
    };
    OutgoingReply {
        message: MessageId(1),
        network,
        profile_external_id: profile.into(),
        access_token: token.into(),
        token_secret: String::new(),
        consumer_key: String::new(),
        consumer_secret: String::new(),
        recipient_network_user_id: recipient.map(str::to_owned),
        channel,
        text: text.into(),
        file: None,
    }
}

pub async fn sent_id(sender: &NetworkSender, reply: &OutgoingReply) -> String {
    match sender.send(reply).await {
        SendOutcome::Sent { network_id } => network_id,
        other => panic!("expected Sent, got {other:?}"),
    }
}

/// One delivery a receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A loopback desk stand-in that takes every webhook with 200 and keeps it.
pub struct Receiver {
    pub base_url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
}

pub async fn receiver() -> Receiver {
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let keep = |path: &'static str, got: Arc<Mutex<Vec<Received>>>| {
        post(move |headers: HeaderMap, body: Bytes| async move {
            got.lock().expect("lock").push(Received {
                path: path.into(),
                headers,
                body,
            });
            "{\"stored\":1}"
        })
    };
    let app = Router::new()
        .route("/webhooks/meta", keep("/webhooks/meta", got.clone()))
        .route("/webhooks/x", keep("/webhooks/x", got.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { base_url, got }
}

/// An empty Salesforce org.
pub async fn salesforce() -> FakeSalesforce {
    FakeSalesforce::start(FakeSalesforceConfig::default())
        .await
        .expect("salesforce fake")
}

pub fn sf_client_with_timeout(timeout: Duration) -> SalesforceClient {
    SalesforceClient::new(&SalesforceConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: timeout,
        ..SalesforceConfig::default()
    })
    .expect("salesforce client")
}

pub fn sf_client() -> SalesforceClient {
    sf_client_with_timeout(Duration::from_secs(10))
}

/// A session from the client-credentials flow.
pub async fn sf_session(fake: &FakeSalesforce, client: &SalesforceClient) -> Session {
    client
        .token(&fake.client_credentials())
        .await
        .expect("session")
}
