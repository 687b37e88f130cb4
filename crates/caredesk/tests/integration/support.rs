//! Test support: a fresh SQLite store per test in its own temporary directory, and a small
//! world of users and profiles created through the use cases.

use std::collections::BTreeSet;
use std::sync::Arc;

use caredesk_app::{
    App, AppError, InboundAuthor, InboundMessage, IngestOutcome, ManualClock, NetworkAppInput,
    NewUserInput, ProfileInput,
};
use caredesk_domain::escalation::EscalationRequest;
use caredesk_domain::*;
use caredesk_store::Store;
use tempfile::TempDir;

/// A store of its own for one test, removed when the test ends.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// PostgreSQL: the database URL, for other processes and nodes.
    pub url: Option<String>,
    _dir: Option<TempDir>,
    _database: Option<crate::pg::DropDatabase>,
}

impl TestStore {
    pub fn postgres(store: Arc<dyn Store>, url: String, drop: crate::pg::DropDatabase) -> Self {
        TestStore {
            store,
            url: Some(url),
            _dir: None,
            _database: Some(drop),
        }
    }

    /// SQLite: the data directory the database lives in.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self._dir.as_ref().map(TempDir::path)
    }
}

/// The store the use-case and API tests run on: SQLite, or PostgreSQL when
/// `CAREDESK_TEST_BACKEND=postgres` (with `CAREDESK_TEST_POSTGRES_URL`), so CI runs the same
/// suite on both.
pub async fn backend() -> TestStore {
    if std::env::var("CAREDESK_TEST_BACKEND").as_deref() == Ok("postgres") {
        assert!(
            crate::pg::server_url().is_some(),
            "CAREDESK_TEST_BACKEND=postgres needs CAREDESK_TEST_POSTGRES_URL"
        );
        return crate::pg::fresh().await;
    }
    sqlite().await
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = caredesk_store_sqlite::open_dir(dir.path())
        .await
        .expect("open sqlite")
        .with_secrets(test_secrets());
    TestStore {
        store: Arc::new(store),
        url: None,
        _dir: Some(dir),
        _database: None,
    }
}

/// The key every store of the tests seals secrets with, so the processes a test starts open
/// what it wrote (`CAREDESK_SECRET_KEY` for a `caredesk serve`).
pub const TEST_SECRET_KEY: &str =
    "7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de";

/// The keys of [`TEST_SECRET_KEY`].
pub fn test_secrets() -> caredesk_store_sql::Secrets {
    let key = caredesk_store_sql::SecretKey::from_text(TEST_SECRET_KEY).expect("the test key");
    caredesk_store_sql::Secrets::new(&key)
}

/// The time tests start at.
pub const START: Timestamp = Timestamp(1_790_000_000_000_000);

pub struct World {
    pub app: App,
    pub clock: ManualClock,
    pub profile: Profile,
    pub admin: User,
    pub supervisor: User,
    pub agent: User,
    pub other_agent: User,
    pub community: User,
    _store: TestStore,
}

async fn user(
    app: &App,
    email: &str,
    role: Role,
    care: CareAccess,
    profiles: &[ProfileId],
) -> User {
    app.create_user(
        None,
        NewUserInput {
            email: email.into(),
            name: email.split('@').next().unwrap_or(email).into(),
            password: "a long enough password".into(),
            role,
            care_access: care,
            capacity: None,
            profile_ids: profiles.iter().copied().collect::<BTreeSet<_>>(),
        },
    )
    .await
    .expect("create user")
}

impl World {
    pub async fn new() -> World {
        World::on(backend().await).await
    }

    /// The world on a given store.
    pub async fn on(store: TestStore) -> World {
        let clock = ManualClock::new(START);
        // As the server runs them: case changes grouped on SQLite, each alone on PostgreSQL.
        let mut app = App::new(store.store.clone(), Arc::new(clock.clone()));
        if store.url.is_none() {
            app = app.with_grouped_changes();
        }
        let meta = app
            .create_network_app(
                None,
                NetworkAppInput {
                    network: AppNetwork::Meta,
                    name: "Brand".into(),
                    app_secret: "s3cret".into(),
                    verify_token: "verify".into(),
                    consumer_key: String::new(),
                },
            )
            .await
            .expect("app");
        let profile = app
            .create_profile(
                None,
                ProfileInput {
                    network: Network::Facebook,
                    external_id: "page-1".into(),
                    name: "Brand Page".into(),
                    app_id: meta.id,
                    access_token: "token".into(),
                    token_secret: String::new(),
                },
            )
            .await
            .expect("profile");
        let p = [profile.id];
        World {
            admin: user(
                &app,
                "admin@example.com",
                Role::Admin,
                CareAccess::Supervisor,
                &[],
            )
            .await,
            supervisor: user(
                &app,
                "sup@example.com",
                Role::Member,
                CareAccess::Supervisor,
                &p,
            )
            .await,
            agent: user(
                &app,
                "agent@example.com",
                Role::Member,
                CareAccess::Agent,
                &p,
            )
            .await,
            other_agent: user(
                &app,
                "agent2@example.com",
                Role::Member,
                CareAccess::Agent,
                &p,
            )
            .await,
            community: user(
                &app,
                "community@example.com",
                Role::Member,
                CareAccess::None,
                &p,
            )
            .await,
            app,
            clock,
            profile,
            _store: store,
        }
    }

    /// A direct message from a customer.
    pub fn dm(&self, customer: &str, network_id: &str, text: &str) -> InboundMessage {
        InboundMessage {
            profile_id: self.profile.id,
            network_id: network_id.into(),
            kind: MessageKind::Direct,
            author: InboundAuthor::Customer {
                network_user_id: customer.into(),
                display_name: format!("Customer {customer}"),
                handle: customer.into(),
            },
            parent_network_id: None,
            root_network_id: None,
            text: text.into(),
            attachments: Vec::new(),
            created_at: self.app.now(),
            hidden: false,
            standby: false,
        }
    }

    /// A comment from a customer under a post.
    pub fn comment(
        &self,
        customer: &str,
        network_id: &str,
        post: &str,
        text: &str,
    ) -> InboundMessage {
        InboundMessage {
            kind: MessageKind::Comment,
            parent_network_id: Some(post.into()),
            root_network_id: Some(post.into()),
            ..self.dm(customer, network_id, text)
        }
    }
}

/// Answers every send as delivered.
pub struct Delivers;

#[async_trait::async_trait]
impl caredesk_app::outbound::ReplySender for Delivers {
    async fn send(
        &self,
        reply: &caredesk_app::outbound::OutgoingReply,
    ) -> caredesk_app::outbound::SendOutcome {
        caredesk_app::outbound::SendOutcome::Sent {
            network_id: format!("sent-{}", reply.message),
        }
    }
}

/// A plain direct-message reply: text only, no status change, no attachment.
pub fn direct_reply(text: &str) -> caredesk_app::ReplyRequest {
    caredesk_app::ReplyRequest {
        text: text.into(),
        kind: reply::ReplyKind::Direct,
        in_reply_to: None,
        set_status: None,
        attachment_ids: Vec::new(),
    }
}

/// The machine code of a refusal (panics on success).
pub fn code(result: Result<impl std::fmt::Debug, AppError>) -> &'static str {
    match result {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e.refusal().map(Refusal::code).unwrap_or("store_error"),
    }
}

/// A case escalated by the community agent from a fresh inbound message.
pub async fn escalated(
    w: &World,
    inbound: caredesk_app::InboundMessage,
    assignee: Option<UserId>,
) -> Case {
    let IngestOutcome::Community { item, .. } = w.app.ingest(inbound).await.expect("ingest") else {
        panic!("no item")
    };
    let request = EscalationRequest {
        assignee_id: assignee,
        ..Default::default()
    };
    w.app
        .escalate(w.community.id, item, request)
        .await
        .expect("escalate")
        .case
}
