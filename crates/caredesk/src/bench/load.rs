//! Filling an empty installation with the data set: the network apps, profiles, users and case
//! fields through the use cases (so they obey every rule and the users can sign in), then the
//! generated customers, conversations, messages, items, cases and events through the store's
//! bulk port, in large transactions, with a progress bar.

use std::collections::BTreeSet;
use std::time::Instant;

use anyhow::{bail, Context};
use caredesk_app::{App, NetworkAppInput, NewUserInput, ProfileInput};
use caredesk_domain::*;
use caredesk_store::bulk::BulkLoad;

use super::dataset::rows::Generator;
use super::dataset::{Cast, Plan};
use super::progress::Progress;

/// The Meta app secret the benchmark's deliveries are signed with.
pub const META_APP_SECRET: &str = "bench-meta-app-secret";
/// The password of every benchmark user.
pub const PASSWORD: &str = "bench-password-2026";
/// The admin's e-mail.
pub const ADMIN: &str = "admin@bench.caredesk";
/// The supervisor's e-mail.
pub const SUPERVISOR: &str = "supervisor@bench.caredesk";

/// Agent `i`'s e-mail.
pub fn agent_email(i: usize) -> String {
    format!("agent{i}@bench.caredesk")
}

/// Messages per transaction while loading.
const MESSAGES_PER_BATCH: u64 = 50_000;

async fn user(
    app: &App,
    email: &str,
    role: Role,
    care: CareAccess,
    profiles: &[ProfileId],
) -> anyhow::Result<User> {
    let input = NewUserInput {
        email: email.into(),
        name: email.split('@').next().unwrap_or(email).replace('.', " "),
        password: PASSWORD.into(),
        role,
        care_access: care,
        capacity: None,
        profile_ids: profiles.iter().copied().collect::<BTreeSet<_>>(),
    };
    app.create_user(None, input)
        .await
        .with_context(|| format!("cannot create {email}"))
}

/// Creates the apps, profiles, users and fields of `plan` through the use cases.
pub async fn seed_cast(app: &App, plan: &Plan) -> anyhow::Result<Cast> {
    let meta = app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::Meta,
                name: "Bench Meta app".into(),
                app_secret: META_APP_SECRET.into(),
                verify_token: "bench-verify-token".into(),
                consumer_key: String::new(),
            },
        )
        .await?;
    let x = app
        .create_network_app(
            None,
            NetworkAppInput {
                network: AppNetwork::X,
                name: "Bench X app".into(),
                app_secret: "bench-x-consumer-secret".into(),
                verify_token: String::new(),
                consumer_key: "bench-x-consumer-key".into(),
            },
        )
        .await?;
    let mut profiles = Vec::new();
    for index in 0..plan.sizes.profiles as usize {
        let network = Plan::network_of_profile(index);
        let external_id = Plan::profile_external_id(index);
        let input = ProfileInput {
            network,
            external_id: external_id.clone(),
            name: format!("Northwind {network} {index}"),
            app_id: if network == Network::X { x.id } else { meta.id },
            access_token: format!("bench-token-{index}"),
            token_secret: String::new(),
        };
        let profile = app.create_profile(None, input).await?;
        profiles.push((profile.id, network, external_id));
    }
    let all: Vec<ProfileId> = profiles.iter().map(|p| p.0).collect();
    user(app, ADMIN, Role::Admin, CareAccess::Supervisor, &[]).await?;
    let supervisor = user(app, SUPERVISOR, Role::Member, CareAccess::Supervisor, &all).await?;
    let mut agents = Vec::new();
    for i in 0..plan.sizes.agents as usize {
        let agent = user(app, &agent_email(i), Role::Member, CareAccess::Agent, &all).await?;
        agents.push(agent.id);
    }
    let options: Vec<String> = ["Delivery", "Refund", "Product", "Billing", "Other"]
        .into_iter()
        .map(String::from)
        .collect();
    let topic = app
        .create_case_field(None, field("Topic", FieldKind::Select, options.clone(), 1))
        .await?;
    let order = app
        .create_case_field(None, field("Order number", FieldKind::Text, Vec::new(), 2))
        .await?;
    Ok(Cast {
        profiles,
        agents,
        supervisor: supervisor.id,
        topic: (topic.id, options),
        order: order.id,
    })
}

fn field(name: &str, kind: FieldKind, options: Vec<String>, position: i64) -> NewCaseField {
    NewCaseField {
        name: name.into(),
        kind,
        options,
        mandatory: false,
        enabled: true,
        position,
    }
}

/// Loads the generated rows of `plan` into an installation that has its cast but no customers
/// or cases yet.
pub async fn load_rows(bulk: &dyn BulkLoad, plan: &Plan, cast: &Cast) -> anyhow::Result<()> {
    let last = bulk.last_ids().await?;
    if last.customer != 0 || last.case != 0 {
        bail!("the data set goes into an installation without customers or cases");
    }
    let sizes = plan.sizes;
    let per_customer = (sizes.messages / sizes.customers.max(1)).max(1);
    let batch = (MESSAGES_PER_BATCH / per_customer).max(1);
    let mut generator = Generator::new(*plan, cast, last);
    let mut progress = Progress::new("loading messages", sizes.messages);
    let started = Instant::now();
    let mut first = 0;
    let mut rows_loaded = 0usize;
    while first < sizes.customers {
        let end = (first + batch).min(sizes.customers);
        let rows = generator.customers(first..end);
        bulk.load(&rows)
            .await
            .with_context(|| format!("cannot load customers {first}..{end}"))?;
        rows_loaded += rows.len();
        progress.advance(rows.messages.len() as u64);
        first = end;
    }
    progress.finish();
    bulk.finish_load().await?;
    tracing::info!(
        rows = rows_loaded,
        secs = started.elapsed().as_secs_f64(),
        "data set loaded"
    );
    Ok(())
}
