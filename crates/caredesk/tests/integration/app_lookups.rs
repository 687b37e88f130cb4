//! Who the customer is (PRODUCT.md §11), through the real webhook path, the real Graph client
//! and the fake Graph API: a Messenger customer is named by their first and last name and their
//! picture is kept, an Instagram customer by their name and username; a name an agent typed is
//! never overwritten; failures are tried again later and given up; a customer is asked about
//! again only when they write a day or more later; comments ask nothing.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use caredesk_app::lookups::{LookupConfig, LookupPass};
use caredesk_app::media::{DownloadConfig, DownloadPass};
use caredesk_app::{Clock, NewUserInput, ProfileInput, SystemClock};
use caredesk_domain::lookup::MAX_LOOKUP_ATTEMPTS;
use caredesk_domain::*;
use caredesk_fakes::{Customers, Delivery, FakeMeta, FakeMetaConfig, FakePage, Fault, Person};
use caredesk_networks::fetch::MediaFetcher;
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};

use crate::api_support::{call, login, send};
use crate::app_media::Memory;
use crate::support::World;

const HOUR: i64 = 3_600;

/// A world with a Facebook Page and an Instagram account wired to the fake Graph API.
struct Wired {
    w: World,
    instagram: Profile,
    meta: FakeMeta,
    people: NetworkSender,
    fetcher: MediaFetcher,
    customers: Customers,
    api: axum::Router,
}

impl Wired {
    async fn new() -> Wired {
        let mut w = World::new().await;
        // The fakes stamp deliveries with the real time; the desk's clock follows it.
        w.clock.set(SystemClock.now());
        let instagram = w
            .app
            .create_profile(
                None,
                ProfileInput {
                    network: Network::Instagram,
                    external_id: "ig-1".into(),
                    name: "Brand IG".into(),
                    app_id: w.profile.app_id,
                    access_token: "ig-token".into(),
                    token_secret: String::new(),
                },
            )
            .await
            .expect("instagram");
        let meta = FakeMeta::start(FakeMetaConfig {
            pages: vec![
                FakePage::facebook("page-1", "token"),
                FakePage::instagram("ig-1", "ig-token"),
            ],
            ..FakeMetaConfig::default()
        })
        .await
        .expect("meta fake");
        let config = OutboundConfig {
            meta_graph_url: meta.graph_url(),
            ..OutboundConfig::default()
        };
        w.app = w.app.clone().with_media_store(Arc::new(Memory::default()));
        let api = crate::api_support::router(&w);
        Wired {
            instagram,
            people: NetworkSender::new(&config).expect("graph client"),
            fetcher: MediaFetcher::new(&config, true).expect("fetcher"),
            customers: Customers::new("s3cret", "unused"),
            meta,
            api,
            w,
        }
    }

    /// Posts `delivery` to the desk's webhook after telling the fake network about it.
    async fn deliver(&self, delivery: &Delivery) {
        self.meta.remember(delivery);
        self.post(delivery).await;
    }

    /// Posts `delivery` to the desk's webhook, the fake network knowing nothing of it.
    async fn post(&self, delivery: &Delivery) {
        let request = Request::builder()
            .method(Method::POST)
            .uri(delivery.path())
            .header(header::CONTENT_TYPE, "application/json")
            .header(delivery.signature.0, &delivery.signature.1)
            .body(Body::from(delivery.body.clone()))
            .expect("request");
        let answer = send(&self.api, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }

    async fn messenger(&self, who: &Person, text: &str) {
        self.deliver(&self.customers.messenger_message("page-1", who, text))
            .await;
    }

    async fn look_up(&self) -> LookupPass {
        self.w
            .app
            .look_up_customers(&self.people, LookupConfig::default())
            .await
            .expect("look-up pass")
    }

    async fn keep_media(&self) -> DownloadPass {
        self.w
            .app
            .download_media(&self.fetcher, DownloadConfig::default())
            .await
            .expect("download pass")
    }

    async fn customer(&self, network: Network, who: &Person) -> Customer {
        let mut tx = self.w.app.store().begin().await.expect("begin");
        tx.customer_by_network_id(network, &who.id)
            .await
            .expect("read")
            .expect("the customer")
    }

    fn later(&self, secs: i64) {
        self.w.clock.advance_secs(secs);
    }
}

/// What a pass came to: found, given up, retrying.
type Counts = (usize, usize, usize);

fn counts(pass: &LookupPass) -> Counts {
    (pass.found, pass.gave_up, pass.retrying)
}

#[tokio::test]
async fn a_messenger_customer_gets_their_first_and_last_name_and_their_picture_kept() {
    let d = Wired::new().await;
    let ann = d.customers.person("Ann Lee");
    d.meta.set_profile_pic(&ann.id, Some("mug.png"));
    d.messenger(&ann, "where is my parcel?").await;
    let before = d.customer(Network::Facebook, &ann).await;
    assert_eq!(before.details.display_name, "", "Messenger sends no name");
    assert!(before.shown_name().starts_with("Facebook user ···"));
    assert!(before.lookup.due_at.is_some(), "queued with the message");

    let pass = d.look_up().await;
    assert_eq!((pass.claimed, pass.found), (1, 1));
    let named = d.customer(Network::Facebook, &ann).await;
    assert_eq!(named.details.display_name, "Ann Lee");
    assert_eq!(named.details.handle, "");
    assert_eq!(named.details.avatar_url, "", "until the picture is kept");
    assert_eq!(named.lookup.due_at, None);
    assert!(named.lookup.looked_up_at.is_some());

    let kept = d.keep_media().await;
    assert_eq!((kept.claimed, kept.stored), (1, 1));
    let pictured = d.customer(Network::Facebook, &ann).await;
    let id: MediaId = pictured
        .details
        .avatar_url
        .strip_prefix("/api/v1/media/")
        .and_then(|id| id.parse().ok())
        .expect("the desk's copy");
    let media = d.w.app.store().media(id).await.expect("read").expect("row");
    assert_eq!(media.customer_id, Some(pictured.id));
    assert_eq!(media.mime.as_deref(), Some("image/png"));

    // Served to those who work the customer's profile, to nobody else.
    d.w.app
        .create_user(
            None,
            NewUserInput {
                email: "outsider@example.com".into(),
                name: "Outsider".into(),
                password: crate::api_support::PASSWORD.into(),
                role: Role::Member,
                care_access: CareAccess::Agent,
                capacity: None,
                profile_ids: [d.instagram.id].into(),
            },
        )
        .await
        .expect("outsider");
    let path = pictured.details.avatar_url.clone();
    let agent = login(&d.api, "agent@example.com").await;
    let shown = call(&d.api, Method::GET, &path, Some(&agent), None).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers[header::CONTENT_TYPE], "image/png");
    let outsider = login(&d.api, "outsider@example.com").await;
    let hidden = call(&d.api, Method::GET, &path, Some(&outsider), None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // The customer's panel reads the new details.
    let read = call(
        &d.api,
        Method::GET,
        &format!("/api/v1/customers/{}", pictured.id),
        Some(&login(&d.api, "sup@example.com").await),
        None,
    )
    .await;
    assert_eq!(read.json["display_name"], "Ann Lee");
    assert_eq!(read.json["avatar_url"], path.as_str());
}

#[tokio::test]
async fn an_instagram_customer_gets_their_name_and_username() {
    let d = Wired::new().await;
    let bea = Person::new("9000000000000077", "Bea Quinn", "bea.quinn");
    d.meta.set_profile_pic(&bea.id, None);
    d.deliver(&d.customers.instagram_message("ig-1", &bea, "hi"))
        .await;
    let pass = d.look_up().await;
    assert_eq!(counts(&pass), (1, 0, 0));
    let named = d.customer(Network::Instagram, &bea).await;
    assert_eq!(named.details.display_name, "Bea Quinn");
    assert_eq!(named.details.handle, "bea.quinn");
    assert_eq!(named.lookup.profile_id, Some(d.instagram.id));
    assert_eq!(
        d.keep_media().await.claimed,
        0,
        "no picture, nothing to keep"
    );
}

#[tokio::test]
async fn what_an_agent_typed_is_never_overwritten_by_a_later_look_up() {
    let d = Wired::new().await;
    let ann = d.customers.person("Ann Lee");
    d.meta.set_profile_pic(&ann.id, Some("parcel.png"));
    d.messenger(&ann, "hello").await;
    d.look_up().await;
    let named = d.customer(Network::Facebook, &ann).await;
    let typed = CustomerDetails {
        display_name: "Ann Lee (VIP)".into(),
        avatar_url: "https://example.com/ann.png".into(),
        ..named.details.clone()
    };
    d.w.app
        .edit_customer(d.w.agent.id, named.id, typed)
        .await
        .expect("edit");
    let picture = d.keep_media().await;
    assert_eq!(picture.stored, 1);

    // Two days later she writes again under another name, and the network is asked again.
    d.later(48 * HOUR);
    let renamed = Person::new(ann.id.clone(), "Annie Leigh", "");
    d.messenger(&renamed, "any news?").await;
    assert_eq!(counts(&d.look_up().await), (1, 0, 0));
    let after = d.customer(Network::Facebook, &ann).await;
    assert_eq!(after.details.display_name, "Ann Lee (VIP)");
    assert_eq!(after.details.avatar_url, "https://example.com/ann.png");
    assert_eq!(
        after.agent_edited,
        ["avatar_url".to_owned(), "display_name".to_owned()]
            .into_iter()
            .collect()
    );
    assert_eq!(d.keep_media().await.claimed, 0, "no picture is fetched");
}

#[tokio::test]
async fn a_failed_look_up_is_tried_again_later_and_then_given_up() {
    let d = Wired::new().await;
    let ann = d.customers.person("Ann Lee");
    for _ in 0..MAX_LOOKUP_ATTEMPTS {
        d.meta
            .inject(Fault::graph(500, 2, "(#2) Service temporarily unavailable"));
    }
    d.messenger(&ann, "hello").await;
    assert_eq!(counts(&d.look_up().await), (0, 0, 1));
    assert_eq!(d.look_up().await.claimed, 0, "not before its backoff");
    let mut passes = vec![(0, 0, 1)];
    for _ in 1..MAX_LOOKUP_ATTEMPTS {
        d.later(7 * HOUR);
        passes.push(counts(&d.look_up().await));
    }
    let last = passes.pop();
    assert!(passes.iter().all(|p| *p == (0, 0, 1)), "{passes:?}");
    assert_eq!(last, Some((0, 1, 0)), "given up after the last attempt");
    let given_up = d.customer(Network::Facebook, &ann).await;
    assert_eq!(given_up.lookup.due_at, None);
    assert!(given_up
        .lookup
        .error
        .as_deref()
        .is_some_and(|e| e.contains("[code 2]")));

    // Asked again when she writes a day later, and answered.
    d.later(25 * HOUR);
    d.messenger(&ann, "still there?").await;
    assert_eq!(counts(&d.look_up().await), (1, 0, 0));
    assert_eq!(
        d.customer(Network::Facebook, &ann)
            .await
            .details
            .display_name,
        "Ann Lee"
    );
}

#[tokio::test]
async fn each_refusal_of_the_network_is_retried_or_given_up_as_it_calls_for() {
    let d = Wired::new().await;
    // (what, how the fake answers, found/gave up/retrying after one pass)
    let table: [(&str, Option<Fault>, Counts); 4] = [
        ("an id the page does not know", None, (0, 1, 0)),
        (
            "a rate limit",
            Some(Fault::RateLimited {
                retry_after_secs: 60,
            }),
            (0, 0, 1),
        ),
        (
            "a missing permission",
            Some(Fault::graph(403, 10, "(#10) Permission denied")),
            (0, 1, 0),
        ),
        (
            "a refused token",
            Some(Fault::graph(400, 190, "Error validating access token")),
            (0, 0, 1),
        ),
    ];
    for (what, fault, expected) in table {
        let who = d.customers.person(what);
        let delivery = d.customers.messenger_message("page-1", &who, "hello");
        match fault {
            Some(fault) => {
                d.meta.inject(fault);
                d.deliver(&delivery).await;
            }
            None => d.post(&delivery).await,
        }
        assert_eq!(counts(&d.look_up().await), expected, "{what}");
    }
    let health = d.w.app.store().profile_signals().await.expect("signals");
    let page = health
        .iter()
        .find(|s| s.profile_id == d.w.profile.id)
        .expect("the page's signals");
    assert!(
        page.token_rejected_at.is_some(),
        "a refused token shows on the profile's health"
    );
}

#[tokio::test]
async fn a_customer_is_asked_about_again_only_when_they_write_a_day_later() {
    let d = Wired::new().await;
    let ann = d.customers.person("Ann Lee");
    d.messenger(&ann, "hello").await;
    assert_eq!(counts(&d.look_up().await), (1, 0, 0));

    d.later(HOUR);
    d.messenger(&ann, "anyone?").await;
    assert_eq!(d.look_up().await.claimed, 0, "an hour later");
    d.later(22 * HOUR);
    d.messenger(&ann, "hello?").await;
    assert_eq!(d.look_up().await.claimed, 0, "23 hours later");
    d.later(2 * HOUR);
    let renamed = Person::new(ann.id.clone(), "Ann Leigh", "");
    d.messenger(&renamed, "still waiting").await;
    d.messenger(&renamed, "hello??").await;
    assert_eq!(
        counts(&d.look_up().await),
        (1, 0, 0),
        "25 hours later, asked about once"
    );
    assert_eq!(d.look_up().await.claimed, 0);
    assert_eq!(
        d.customer(Network::Facebook, &ann)
            .await
            .details
            .display_name,
        "Ann Leigh",
        "the network's newer answer replaces its older one"
    );

    // A comment carries its author's name: nobody is asked about.
    let post = d.customers.facebook_post_id("page-1");
    let bo = d.customers.person("Bo Commenter");
    d.deliver(&d.customers.facebook_comment("page-1", &post, &bo, "nice"))
        .await;
    let commenter = d.customer(Network::Facebook, &bo).await;
    assert_eq!(commenter.details.display_name, "Bo Commenter");
    assert_eq!(commenter.lookup.due_at, None);
    assert_eq!(d.look_up().await.claimed, 0);
}
