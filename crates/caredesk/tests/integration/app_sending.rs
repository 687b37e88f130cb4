//! Replies leave through the real HTTP clients to the fake Meta and X servers: each reply kind on
//! each network, a transient error retried, a permanent one failed with the network's words, a
//! refused token flagging the profile, and a platform limit refused before anything is queued.

use caredesk_app::outbound::ReplySender;
use caredesk_app::{
    Clock, InboundMessage, NetworkAppInput, ProfileInput, ReplyRequest, SystemClock,
};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::*;
use caredesk_fakes::{
    Customers, Delivery as Webhook, FakeAccount, FakeMeta, FakeMetaConfig, FakePage, FakeX,
    FakeXConfig, Fault, Person, SendKind, SentReply,
};
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};
use caredesk_networks::{meta, x};

use crate::support::{code, escalated, World};

const X_SECRET: &str = "x-consumer-secret";
/// The X app's consumer key.
pub(crate) const X_KEY: &str = "key";
/// The OAuth 1.0a token secret the fake X knows for the X account's token.
pub(crate) const X_TOKEN_SECRET: &str = "x-token-secret";

/// A world with a Facebook Page, an Instagram account and an X account, wired to the fakes.
pub(crate) struct Wired {
    pub(crate) w: World,
    pub(crate) instagram: Profile,
    pub(crate) x: Profile,
    pub(crate) meta: FakeMeta,
    pub(crate) x_fake: FakeX,
    pub(crate) sender: NetworkSender,
    pub(crate) customers: Customers,
}

impl Wired {
    /// The X profile holds an OAuth 2 bearer token only: its calls carry `Authorization: Bearer`.
    pub(crate) async fn new() -> Wired {
        Wired::with_x_token_secret("").await
    }

    /// The X profile holds `token_secret` besides its token: with one, its calls are signed with
    /// OAuth 1.0a (the fake X knows [`X_TOKEN_SECRET`]).
    pub(crate) async fn with_x_token_secret(token_secret: &str) -> Wired {
        let w = World::new().await;
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
        let x_app = w
            .app
            .create_network_app(
                None,
                NetworkAppInput {
                    network: AppNetwork::X,
                    name: "X".into(),
                    app_secret: X_SECRET.into(),
                    verify_token: String::new(),
                    consumer_key: X_KEY.into(),
                },
            )
            .await
            .expect("x app");
        let x = w
            .app
            .create_profile(
                None,
                ProfileInput {
                    network: Network::X,
                    external_id: "1500".into(),
                    name: "@brand".into(),
                    app_id: x_app.id,
                    access_token: "x-token".into(),
                    token_secret: token_secret.into(),
                },
            )
            .await
            .expect("x profile");
        for user in [&w.agent, &w.community] {
            let patch = caredesk_app::UserPatch {
                profile_ids: Some([w.profile.id, instagram.id, x.id].into_iter().collect()),
                ..Default::default()
            };
            w.app
                .update_user(w.admin.id, user.id, patch)
                .await
                .expect("connect");
        }
        let meta = FakeMeta::start(FakeMetaConfig {
            pages: vec![
                FakePage::facebook("page-1", "token"),
                FakePage::instagram("ig-1", "ig-token"),
            ],
            ..FakeMetaConfig::default()
        })
        .await
        .expect("meta fake");
        let x_fake = FakeX::start(FakeXConfig {
            accounts: vec![FakeAccount {
                token_secret: X_TOKEN_SECRET.into(),
                ..FakeAccount::new("1500", "x-token")
            }],
            consumer_key: X_KEY.into(),
            consumer_secret: X_SECRET.into(),
            ..FakeXConfig::default()
        })
        .await
        .expect("x fake");
        let sender = NetworkSender::new(&OutboundConfig {
            meta_graph_url: meta.graph_url(),
            x_api_url: x_fake.api_url(),
            ..OutboundConfig::default()
        })
        .expect("sender");
        Wired {
            w,
            instagram,
            x,
            meta,
            x_fake,
            sender,
            customers: Customers::new("s3cret", X_SECRET),
        }
    }

    /// The customer message of a delivery, as the desk ingests it for `profile`.
    pub(crate) fn inbound(&self, delivery: &Webhook, profile: &Profile) -> InboundMessage {
        match delivery.platform {
            AppNetwork::Meta => self.meta.remember(delivery),
            AppNetwork::X => self.x_fake.remember(delivery),
        }
        let (updates, _) = match delivery.platform {
            AppNetwork::Meta => meta::parse(&delivery.body),
            AppNetwork::X => x::parse(&delivery.body),
        }
        .expect("a delivery");
        match updates.into_iter().next() {
            Some(caredesk_app::delivery::Update::Message { message, .. }) => {
                message.to_profile(profile.id)
            }
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// A case held by the agent, escalated from the delivery's message.
    pub(crate) async fn case_from(&self, delivery: &Webhook, profile: &Profile) -> (Case, Message) {
        let inbound = self.inbound(delivery, profile);
        let case = escalated(&self.w, inbound.clone(), Some(self.w.agent.id)).await;
        let mut tx = self.w.app.store().begin().await.expect("begin");
        let message = tx
            .message_by_network_id(profile.id, &inbound.network_id)
            .await
            .expect("read")
            .expect("stored");
        (case, message)
    }

    pub(crate) async fn reply(
        &self,
        case: &Case,
        kind: ReplyKind,
        in_reply_to: Option<MessageId>,
        text: &str,
    ) -> Result<Message, caredesk_app::AppError> {
        let request = ReplyRequest {
            text: text.into(),
            kind,
            in_reply_to,
            set_status: None,
            attachment_ids: Vec::new(),
        };
        self.w
            .app
            .queue_reply(self.w.agent.id, case.id, request, None)
            .await
    }

    pub(crate) async fn pass(&self) -> caredesk_app::OutboxPass {
        let sender: &dyn ReplySender = &self.sender;
        self.w.app.send_due_replies(sender).await.expect("pass")
    }

    pub(crate) async fn stored(&self, id: MessageId) -> Message {
        self.w
            .app
            .store()
            .message(id)
            .await
            .expect("read")
            .expect("message")
    }

    pub(crate) fn posted(&self, text: &str) -> Vec<SentReply> {
        self.meta
            .sent()
            .into_iter()
            .chain(self.x_fake.sent())
            .filter(|s| s.text == text)
            .collect()
    }
}

/// One row of the reply-kind table: what was answered, how, and how the network carried it.
struct Row {
    name: &'static str,
    kind: ReplyKind,
    /// Answer the escalated message itself.
    in_reply_to_it: bool,
    sent_as: SendKind,
    /// The object the call named: the escalated message, its post, or the customer.
    target: Target,
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Message,
    Root,
    Customer,
}

fn row(
    name: &'static str,
    kind: ReplyKind,
    in_reply_to_it: bool,
    sent_as: SendKind,
    target: Target,
) -> Row {
    Row {
        name,
        kind,
        in_reply_to_it,
        sent_as,
        target,
    }
}

async fn check_rows(wired: &Wired, profile: &Profile, delivery: &Webhook, rows: &[Row]) {
    let (case, message) = wired.case_from(delivery, profile).await;
    let posted = delivery.posted.clone().expect("posted");
    let mut queued = Vec::new();
    for r in rows {
        let text = format!("{} ({})", r.name, message.id);
        let target = r.in_reply_to_it.then_some(message.id);
        let reply = wired
            .reply(&case, r.kind, target, &text)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", r.name));
        assert_eq!(reply.delivery, Some(Delivery::Queued), "{}", r.name);
        queued.push((r, reply, text));
    }
    let pass = wired.pass().await;
    assert_eq!(pass.sent as usize, rows.len(), "{pass:?}");
    for (r, reply, text) in queued {
        let sent = wired.posted(&text);
        assert_eq!(sent.len(), 1, "{}: posted once", r.name);
        let sent = &sent[0];
        assert_eq!(sent.kind, r.sent_as, "{}", r.name);
        let expected_target = match r.target {
            Target::Message => posted.network_id.clone(),
            Target::Root => posted.root_id.clone().unwrap_or_default(),
            Target::Customer => posted.author.id.clone(),
        };
        assert_eq!(sent.target, expected_target, "{}", r.name);
        let stored = wired.stored(reply.id).await;
        assert_eq!(stored.delivery, Some(Delivery::Sent), "{}", r.name);
        assert_eq!(
            stored.network_id.as_deref(),
            Some(sent.network_id.as_str()),
            "{}",
            r.name
        );
    }
}

#[tokio::test]
async fn each_reply_kind_goes_out_on_each_network() {
    let wired = Wired::new().await;
    let c = &wired.customers;
    let jane = c.person("Jane Doe");
    let fb = wired.w.profile.clone();

    let post = c.facebook_post_id("page-1");
    let comment = c.facebook_comment("page-1", &post, &jane, "my parcel is late");
    let rows = [
        row(
            "facebook reply",
            ReplyKind::Reply,
            true,
            SendKind::FacebookComment,
            Target::Message,
        ),
        row(
            "facebook comment",
            ReplyKind::Comment,
            false,
            SendKind::FacebookComment,
            Target::Root,
        ),
        row(
            "facebook private reply",
            ReplyKind::Direct,
            true,
            SendKind::PrivateReply,
            Target::Message,
        ),
    ];
    check_rows(&wired, &fb, &comment, &rows).await;

    let bob = c.person("Bob Stone");
    let dm = c.messenger_message("page-1", &bob, "where is my refund?");
    let rows = [row(
        "messenger",
        ReplyKind::Direct,
        false,
        SendKind::MessengerMessage,
        Target::Customer,
    )];
    check_rows(&wired, &fb, &dm, &rows).await;
    let messenger: Vec<SentReply> = wired
        .meta
        .sent()
        .into_iter()
        .filter(|s| s.kind == SendKind::MessengerMessage)
        .collect();
    assert_eq!(messenger[0].messaging_type.as_deref(), Some("RESPONSE"));
    assert_eq!(messenger[0].tag, None);

    let ig = wired.instagram.clone();
    let media = c.instagram_media_id();
    let ig_comment = c.instagram_comment("ig-1", &media, &jane, "broken on arrival");
    let rows = [
        row(
            "instagram reply",
            ReplyKind::Reply,
            true,
            SendKind::InstagramCommentReply,
            Target::Message,
        ),
        row(
            "instagram media comment",
            ReplyKind::Comment,
            false,
            SendKind::InstagramMediaComment,
            Target::Root,
        ),
        row(
            "instagram private reply",
            ReplyKind::Direct,
            true,
            SendKind::PrivateReply,
            Target::Message,
        ),
    ];
    check_rows(&wired, &ig, &ig_comment, &rows).await;
    let ig_dm = c.instagram_message("ig-1", &bob, "can I swap the size?");
    let rows = [row(
        "instagram direct",
        ReplyKind::Direct,
        false,
        SendKind::InstagramDirect,
        Target::Customer,
    )];
    check_rows(&wired, &ig, &ig_dm, &rows).await;

    let xp = wired.x.clone();
    let mention = c.x_mention("1500", &jane, "@brand my order never came");
    let rows = [
        row(
            "x reply",
            ReplyKind::Reply,
            true,
            SendKind::XReply,
            Target::Message,
        ),
        row(
            "x comment on the conversation",
            ReplyKind::Comment,
            false,
            SendKind::XReply,
            Target::Root,
        ),
    ];
    check_rows(&wired, &xp, &mention, &rows).await;
    let x_dm = c.x_message("1500", &bob, "please call me back");
    let rows = [row(
        "x direct",
        ReplyKind::Direct,
        false,
        SendKind::XDirect,
        Target::Customer,
    )];
    check_rows(&wired, &xp, &x_dm, &rows).await;
}

#[tokio::test]
async fn a_transient_error_is_retried_and_the_reply_sent_once() {
    let wired = Wired::new().await;
    let dm =
        wired
            .customers
            .messenger_message("page-1", &Person::new("7001", "Ann", "ann"), "hello?");
    let (case, _) = wired.case_from(&dm, &wired.w.profile).await;
    let reply = wired
        .reply(&case, ReplyKind::Direct, None, "Looking into it")
        .await
        .expect("queued");
    wired.meta.inject(Fault::Status(503));
    assert_eq!(wired.pass().await.retrying, 1);
    assert_eq!(
        wired.stored(reply.id).await.delivery,
        Some(Delivery::Queued)
    );
    assert!(wired.posted("Looking into it").is_empty());
    wired.w.clock.advance_secs(6);
    assert_eq!(wired.pass().await.sent, 1);
    assert_eq!(wired.meta.sent_count("Looking into it"), 1);
    assert_eq!(wired.stored(reply.id).await.delivery, Some(Delivery::Sent));
}

#[tokio::test]
async fn a_permanent_error_fails_the_reply_with_the_network_s_words() {
    let wired = Wired::new().await;
    let dm =
        wired
            .customers
            .messenger_message("page-1", &Person::new("7002", "Ann", "ann"), "hello?");
    let (case, _) = wired.case_from(&dm, &wired.w.profile).await;
    let reply = wired
        .reply(&case, ReplyKind::Direct, None, "We are on it")
        .await
        .expect("queued");
    wired.meta.inject(Fault::graph(
        400,
        551,
        "This person isn't available right now",
    ));
    assert_eq!(wired.pass().await.failed, 1);
    let failed = wired.stored(reply.id).await;
    assert_eq!(failed.delivery, Some(Delivery::Failed));
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|e| e.contains("This person isn't available right now")),
        "{:?}",
        failed.error
    );
    assert!(wired.posted("We are on it").is_empty());
    wired.w.clock.advance_secs(3_600);
    assert!(wired.pass().await.is_idle(), "never retried by the machine");
}

#[tokio::test]
async fn a_refused_token_fails_the_reply_and_flags_the_profile() {
    let wired = Wired::new().await;
    let dm = wired
        .customers
        .x_message("1500", &Person::new("7003", "Ann", "ann"), "hello?");
    let (case, _) = wired.case_from(&dm, &wired.x).await;
    wired.x_fake.revoke_token("x-token");
    let reply = wired
        .reply(&case, ReplyKind::Direct, None, "Following up")
        .await
        .expect("queued");
    assert_eq!(wired.pass().await.failed, 1);
    assert_eq!(
        wired.stored(reply.id).await.delivery,
        Some(Delivery::Failed)
    );
    let health = wired.w.app.profile_health().await.expect("health");
    let x_health = health
        .iter()
        .find(|h| h.profile_id == wired.x.id)
        .expect("x profile");
    assert!(x_health.signals.token_rejected.is_some());
    wired.x_fake.restore_token("x-token");
    wired
        .w
        .app
        .retry_reply(wired.w.agent.id, reply.id)
        .await
        .expect("retry");
    assert_eq!(wired.pass().await.sent, 1);
    let health = wired.w.app.profile_health().await.expect("health");
    let x_health = health
        .iter()
        .find(|h| h.profile_id == wired.x.id)
        .expect("x profile");
    assert_eq!(x_health.signals.token_rejected, None);
}

#[tokio::test]
async fn a_platform_limit_is_refused_before_anything_is_queued() {
    let wired = Wired::new().await;
    let mention =
        wired
            .customers
            .x_mention("1500", &Person::new("7004", "Ann", "ann"), "@brand hello");
    let (case, message) = wired.case_from(&mention, &wired.x).await;
    let long = "x".repeat(281);
    assert_eq!(
        code(
            wired
                .reply(&case, ReplyKind::Reply, Some(message.id), &long)
                .await
        ),
        "platform_limit"
    );
    assert_eq!(wired.w.app.store().outbox_depth().await.expect("depth"), 0);
    assert!(wired.pass().await.is_idle());
    assert!(
        wired.x_fake.sent().is_empty(),
        "nothing reached the network"
    );
}
