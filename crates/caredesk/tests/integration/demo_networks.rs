//! The demo's simulated networks and customers against the real router on a loopback port: a
//! simulated customer's signed webhook lands in Community, an agent's reply to it is posted once
//! to the fake network and ends sent, confirmed by the network's echo, returning customers
//! write into their active cases, Messenger and Instagram customers are named by the
//! simulated network, and the photo of an X direct message is kept with the demo X profile's
//! OAuth 1.0a credentials.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use caredesk::demo::customers::{CustomerSimulation, Pace};
use caredesk::demo::seed::seed;
use caredesk::demo::simulate;
use caredesk_app::lookups::LookupConfig;
use caredesk_app::media::{DownloadConfig, MediaStore};
use caredesk_app::{App, ReplyRequest, SystemClock};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_fakes::meta::media::PICTURES;
use caredesk_fakes::{Posted, WebhookClient};
use caredesk_networks::fetch::MediaFetcher;
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};
use caredesk_server::AppState;
use caredesk_store::views::community::ItemQuery;
use caredesk_store::ProfileScope;
use tokio::task::JoinHandle;

use crate::support::{backend, TestStore};

/// Customers who write every few milliseconds, all of them new.
const FAST: Pace = Pace {
    min_gap: Duration::from_millis(5),
    max_gap: Duration::from_millis(20),
    returning_percent: 0,
};

/// The seeded demo installation served by the real router on a loopback port.
struct Desk {
    app: App,
    url: String,
    server: JoinHandle<std::io::Result<()>>,
    _store: TestStore,
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn desk() -> Desk {
    let store = backend().await;
    let app = App::new(store.store.clone(), Arc::new(SystemClock));
    seed(&app).await.expect("seed");
    let (listener, addr) = caredesk_server::bind("127.0.0.1:0").await.expect("bind");
    let state = AppState::new(app.clone(), None);
    let server = tokio::spawn(caredesk_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    Desk {
        app,
        url: format!("http://{addr}"),
        server,
        _store: store,
    }
}

/// Waits until the customers have written `count` messages the desk took, then stops them.
async fn first_posts(customers: CustomerSimulation, count: usize) -> Vec<Posted> {
    for _ in 0..1_000 {
        let posted = customers.posted();
        if posted.len() >= count {
            return posted;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the simulated customers did not get through");
}

async fn user(app: &App, email: &str) -> User {
    app.store()
        .credentials(email)
        .await
        .expect("read")
        .expect("a demo user")
        .user
}

async fn profile_of(app: &App, posted: &Posted) -> Profile {
    app.store()
        .profile_by_external_id(posted.network, &posted.profile)
        .await
        .expect("read")
        .expect("a demo profile")
}

#[tokio::test]
async fn a_simulated_customer_is_answered_through_the_fake_network() {
    let desk = desk().await;
    let (networks, customers) = simulate(&desk.app, &desk.url, FAST).await.expect("start");
    let posted = first_posts(customers, 1).await.remove(0);

    let items = desk
        .app
        .store()
        .community_items(&ItemQuery {
            profiles: ProfileScope::All,
            statuses: Vec::new(),
            profile_id: None,
            locked: None,
            label: None,
            text: None,
            newest_first: true,
            cursor: None,
            limit: 100,
        })
        .await
        .expect("items");
    let row = items
        .items
        .into_iter()
        .find(|row| row.message.network_id.as_deref() == Some(posted.network_id.as_str()))
        .expect("the customer's message is in Community");
    assert!(!row.message.text.is_empty());

    let (community, alice) = (
        user(&desk.app, "community@demo.caredesk").await,
        user(&desk.app, "alice@demo.caredesk").await,
    );
    let request = EscalationRequest {
        note: "From the simulated networks".into(),
        priority: Some(Priority::High),
        fields: BTreeMap::new(),
        assignee_id: Some(alice.id),
    };
    let case = desk
        .app
        .escalate(community.id, row.item.id, request)
        .await
        .expect("escalate")
        .case;
    let text = "Sorry about that! We're looking into it right now.";
    let (kind, in_reply_to) = match row.message.kind {
        MessageKind::Direct => (ReplyKind::Direct, None),
        _ => (ReplyKind::Reply, Some(row.message.id)),
    };
    let request = ReplyRequest {
        text: text.into(),
        kind,
        in_reply_to,
        set_status: None,
        attachment_ids: Vec::new(),
    };
    let reply = desk
        .app
        .queue_reply(alice.id, case.id, request, None)
        .await
        .expect("queue");

    let sender = NetworkSender::new(&OutboundConfig {
        meta_graph_url: networks.meta_graph_url(),
        x_api_url: networks.x_api_url(),
        ..OutboundConfig::default()
    })
    .expect("sender");
    desk.app.send_due_replies(&sender).await.expect("send");
    networks.meta().flush_echoes().await;
    networks.x().flush_echoes().await;
    desk.app.send_due_replies(&sender).await.expect("again");

    let sent = networks.meta().sent_count(text) + networks.x().sent_count(text);
    assert_eq!(sent, 1, "the reply is posted once");
    let stored = desk
        .app
        .store()
        .message(reply.id)
        .await
        .expect("read")
        .expect("the reply");
    assert_eq!(stored.delivery, Some(Delivery::Sent));
    let network_id = stored.network_id.expect("the network's id");
    let echoes = networks
        .meta()
        .echoes()
        .into_iter()
        .chain(networks.x().echoes());
    let echo = echoes
        .filter(|e| {
            e.delivery
                .posted
                .as_ref()
                .is_some_and(|p| p.network_id == network_id)
        })
        .collect::<Vec<_>>();
    assert_eq!(echo.len(), 1, "one echo of the reply");
    assert_eq!(echo[0].status, Some(200), "the desk took the echo");
    assert_eq!(echo[0].error, None);
}

#[tokio::test]
async fn returning_customers_write_into_their_active_cases() {
    let desk = desk().await;
    let pace = Pace {
        returning_percent: 100,
        ..FAST
    };
    let (_networks, customers) = simulate(&desk.app, &desk.url, pace).await.expect("start");
    for posted in first_posts(customers, 2).await {
        let profile = profile_of(&desk.app, &posted).await;
        let mut tx = desk.app.store().begin().await.expect("begin");
        let message = tx
            .message_by_network_id(profile.id, &posted.network_id)
            .await
            .expect("read")
            .expect("stored");
        let cases = tx.cases_holding(message.id).await.expect("cases");
        assert_eq!(
            cases.len(),
            1,
            "{} wrote into their case",
            posted.author.name
        );
        assert!(cases[0].status.is_in_progress(), "{:?}", cases[0].status);
    }
}

#[tokio::test]
async fn the_simulated_network_names_messenger_and_instagram_customers() {
    let desk = desk().await;
    let (networks, customers) = simulate(&desk.app, &desk.url, FAST).await.expect("start");
    let posted = first_posts(customers, 30).await;
    let people = NetworkSender::new(&OutboundConfig {
        meta_graph_url: networks.meta_graph_url(),
        x_api_url: networks.x_api_url(),
        ..OutboundConfig::default()
    })
    .expect("graph client");
    loop {
        let pass = desk
            .app
            .look_up_customers(&people, LookupConfig::default())
            .await
            .expect("look-up pass");
        if pass.claimed == 0 {
            break;
        }
    }
    let direct: Vec<&Posted> = posted
        .iter()
        .filter(|p| p.network != Network::X && p.root_id.is_none())
        .collect();
    assert!(!direct.is_empty(), "some customers wrote privately");
    let mut tx = desk.app.store().begin().await.expect("begin");
    for p in direct {
        let customer = tx
            .customer_by_network_id(p.network, &p.author.id)
            .await
            .expect("read")
            .expect("the customer");
        assert_eq!(customer.details.display_name, p.author.name);
        assert!(customer.lookup.looked_up_at.is_some());
    }
}

#[tokio::test]
async fn the_demo_starts_connected_to_its_simulated_salesforce() {
    let desk = desk().await;
    let config = caredesk::config::Config::default();
    let org = caredesk::demo::salesforce::connect(&desk.app, &config)
        .await
        .expect("connected");
    let (api, settings) = caredesk::runtime::salesforce(&config).expect("client");
    let app = desk.app.clone().with_salesforce(api, settings);
    let admin = app
        .store()
        .credentials("admin@demo.caredesk")
        .await
        .expect("read")
        .expect("admin")
        .user;
    let shown = app.salesforce_connection(admin.id).await.expect("shown");
    assert_eq!(shown.state, salesforce::ConnectionState::Connected);
    assert_eq!(shown.instance_url, Some(org.instance_url()));
    let found = app
        .search_salesforce(
            admin.id,
            caredesk_app::salesforce::SearchObject::Account,
            "acme",
            None,
        )
        .await
        .expect("search");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].name, "Acme Ltd");
}

#[tokio::test]
async fn an_x_direct_message_photo_is_kept_with_the_demo_credentials() {
    let desk = desk().await;
    let quiet = Pace {
        min_gap: Duration::from_secs(3_600),
        max_gap: Duration::from_secs(3_600),
        returning_percent: 0,
    };
    let (networks, _customers) = simulate(&desk.app, &desk.url, quiet).await.expect("start");
    let x = networks
        .profiles()
        .iter()
        .find(|p| p.network == Network::X)
        .expect("the demo X profile");
    let (name, png) = PICTURES[0];
    let customers = networks.customers();
    let url = networks.x().direct_message_media_url(name);
    let delivery = customers.x_photo_message(&x.external_id, &customers.person("Ivy"), "", &url);
    let client = WebhookClient::new(&desk.url).expect("client");
    assert_eq!(client.deliver(&delivery).await.expect("posted"), 200);

    let store = Arc::new(crate::app_media::Memory::default());
    let app = desk.app.clone().with_media_store(store.clone());
    let fetcher = MediaFetcher::new(
        &OutboundConfig {
            meta_graph_url: networks.meta_graph_url(),
            x_api_url: networks.x_api_url(),
            ..OutboundConfig::default()
        },
        false,
    )
    .expect("fetcher");
    let pass = app
        .download_media(&fetcher, DownloadConfig::default())
        .await
        .expect("download pass");
    assert_eq!((pass.claimed, pass.stored), (1, 1), "{pass:?}");
    let posted = delivery.posted.expect("posted");
    let mut tx = app.store().begin().await.expect("begin");
    let message = tx
        .message_by_network_id(x.id, &posted.network_id)
        .await
        .expect("read")
        .expect("stored");
    drop(tx);
    let media_id = message.attachments[0].media_id.expect("kept");
    let media = app
        .store()
        .media(media_id)
        .await
        .expect("read")
        .expect("row");
    let kept = store
        .get(&media.object_key.expect("a key"))
        .await
        .expect("read")
        .expect("bytes");
    assert_eq!(kept.as_ref(), png);
}
