//! Starting the product: logging, the store chosen by the configuration, the background work
//! (grace sweep, outbox, Salesforce, media downloads, customer look-ups), and the server with a
//! graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use caredesk_app::group_commit::QueueOptions;
use caredesk_app::lookups::{LookupConfig, PersonSource};
use caredesk_app::media::{DownloadConfig, MediaSource, MediaStore};
use caredesk_app::mentions::MentionSource;
use caredesk_app::outbound::ReplySender;
use caredesk_app::salesforce::{SalesforceApi, SalesforceConfig};
use caredesk_app::{App, OutboxConfig, SystemClock};
use caredesk_domain::profile_health::HealthThresholds;
use caredesk_media::ObjectMediaStore;
use caredesk_networks::fetch::MediaFetcher;
use caredesk_networks::outbound::{NetworkSender, OutboundConfig};
use caredesk_networks::salesforce::{SalesforceClient, SalesforceConfig as ClientConfig};
use caredesk_server::AppState;
use tokio::net::TcpListener;

use crate::background::{
    download_media_forever, housekeep_forever, look_up_customers_forever, look_up_mentions_forever,
};
use crate::config::{redact_url, Config};
use crate::opening::open_store;
use crate::salesforce_worker::salesforce_forever;

/// Logs to standard error, filtered by `RUST_LOG` or the configuration.
pub fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colours)
        .try_init();
}

/// `caredesk migrate`: opening the store applies the migrations.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    store
        .ping()
        .await
        .context("the migrated database does not answer")?;
    println!("caredesk: database migrated");
    Ok(())
}

/// `caredesk serve`.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    // A restore must not swap the database under a running server; PostgreSQL nodes share
    // no data directory's database.
    let _in_use = match config.database_url.as_deref() {
        Some(url) if !url.starts_with("sqlite:") => None,
        _ => Some(crate::backup::DataDirLock::acquire(&config.data_dir)?),
    };
    let store = open_store(config).await?;
    let app = App::new(store, Arc::new(SystemClock));
    serve_app(config, app, network_sender(config)?).await
}

/// The networks' API endpoints and time limits the configuration names.
fn outbound_config(config: &Config) -> OutboundConfig {
    OutboundConfig {
        meta_graph_url: config.meta_graph_url.clone(),
        x_api_url: config.x_api_url.clone(),
        request_timeout: Duration::from_secs(config.send_timeout_secs),
        ..OutboundConfig::default()
    }
}

/// The client of the networks' APIs the configuration names: it posts replies, asks who a
/// customer is and reads the mentions a delivery announced by ids.
fn network_client(config: &Config) -> anyhow::Result<Arc<NetworkSender>> {
    let client = NetworkSender::new(&outbound_config(config))
        .context("cannot set up the networks' API clients")?;
    Ok(Arc::new(client))
}

/// The HTTP clients that post replies to the networks' APIs the configuration names.
pub fn network_sender(config: &Config) -> anyhow::Result<Arc<dyn ReplySender>> {
    Ok(network_client(config)?)
}

/// The client that asks the networks' APIs the configuration names who a customer is.
pub fn people(config: &Config) -> anyhow::Result<Arc<dyn PersonSource>> {
    Ok(network_client(config)?)
}

/// Where media is kept, and the guarded client that downloads the networks' media.
pub fn media(config: &Config) -> anyhow::Result<(Arc<dyn MediaStore>, Arc<dyn MediaSource>)> {
    let location = config.media_location();
    let store = ObjectMediaStore::open_url(&location)
        .with_context(|| format!("cannot open the media store at {}", redact_url(&location)))?;
    let fetcher = MediaFetcher::new(&outbound_config(config), config.media_fetch_allow_private)
        .context("cannot set up the media downloads")?;
    Ok((Arc::new(store), Arc::new(fetcher)))
}

/// The Salesforce REST client (the org, its login URL and credentials come from the connection
/// an admin stores), and how the integration maps and polls.
pub fn salesforce(config: &Config) -> anyhow::Result<(Arc<dyn SalesforceApi>, SalesforceConfig)> {
    let client = SalesforceClient::new(&ClientConfig {
        api_version: config.salesforce_api_version.clone(),
        request_timeout: Duration::from_secs(config.send_timeout_secs),
        ..ClientConfig::default()
    })
    .context("cannot set up the Salesforce client")?;
    let settings = SalesforceConfig {
        mapping: config.salesforce_mapping()?,
        pull_every_secs: config.salesforce_pull_secs,
        ..SalesforceConfig::default()
    };
    Ok((Arc::new(client), settings))
}

/// The use cases' settings taken from the configuration.
pub fn configured(config: &Config, app: App) -> App {
    let auth = caredesk_app::AuthConfig {
        session_idle_secs: config.session_idle_secs,
        ..caredesk_app::AuthConfig::default()
    };
    app.with_auth(auth)
        .with_outbox(OutboxConfig {
            in_doubt_after: Duration::from_secs(config.outbox_in_doubt_secs),
            ..OutboxConfig::default()
        })
        .with_health_thresholds(HealthThresholds {
            webhook_silence_secs: config.webhook_silence_secs,
            backlog_secs: config.outbox_backlog_secs,
        })
}

/// Serves `app` until interrupted, sweeping expired grace periods, sending queued replies
/// through `sender`, keeping media and looking customers up in the background.
pub async fn serve_app(
    config: &Config,
    app: App,
    sender: Arc<dyn ReplySender>,
) -> anyhow::Result<()> {
    let (listener, addr) = listen(config).await?;
    serve_app_on(config, listener, addr, app, sender).await
}

/// Binds the configured listen address: the listener and the address it took.
pub async fn listen(config: &Config) -> anyhow::Result<(TcpListener, SocketAddr)> {
    caredesk_server::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))
}

/// [`serve_app`] on a listener already bound to `addr`.
pub async fn serve_app_on(
    config: &Config,
    listener: TcpListener,
    addr: SocketAddr,
    app: App,
    sender: Arc<dyn ReplySender>,
) -> anyhow::Result<()> {
    let (salesforce_api, salesforce_config) = salesforce(config)?;
    let (media_store, media_source) = media(config)?;
    let people = people(config)?;
    let mut app = configured(config, app)
        .with_salesforce(salesforce_api, salesforce_config)
        .with_media_store(media_store.clone());
    if config.groups_case_changes() {
        app = app.with_grouped_changes();
    }
    let salesforce_worker = tokio::spawn(salesforce_forever(app.clone()));
    let sweeper = tokio::spawn(sweep_grace_forever(
        app.clone(),
        config.grace_sweep_interval_secs,
    ));
    let sla_sweeper = tokio::spawn(sweep_sla_forever(app.clone()));
    let assigner = tokio::spawn(assign_waiting_forever(app.clone()));
    let housekeeper = tokio::spawn(housekeep_forever(app.clone()));
    let downloads = DownloadConfig {
        max_bytes: config.media_max_bytes,
        ..DownloadConfig::default()
    };
    let media_worker = tokio::spawn(download_media_forever(app.clone(), media_source, downloads));
    let mentions: Arc<dyn MentionSource> = network_client(config)?;
    let mention_worker = tokio::spawn(look_up_mentions_forever(app.clone(), mentions));
    let lookup_worker = tokio::spawn(look_up_customers_forever(
        app.clone(),
        people,
        LookupConfig::default(),
    ));
    println!("caredesk: media kept in {}", media_store.describe());
    println!("caredesk: listening on http://{addr}");
    tracing::info!(%addr, "caredesk is ready");
    let queue = QueueOptions {
        workers: config.delivery_workers(),
        ..QueueOptions::default()
    };
    let state = AppState::with_queue(app.clone(), config.public_url.as_deref(), queue)
        .with_trusted_proxies(config.trusted_proxies()?);
    let outbox = tokio::spawn(send_replies_forever(app, sender, state.metrics.clone()));
    let metrics = if config.metrics_listen.is_empty() {
        None
    } else {
        let (metrics_listener, metrics_addr) = caredesk_server::bind(&config.metrics_listen)
            .await
            .with_context(|| format!("cannot listen on {} for metrics", config.metrics_listen))?;
        println!("caredesk: metrics on http://{metrics_addr}/metrics");
        let router = caredesk_server::metrics::router(state.clone());
        Some(tokio::spawn(async move {
            axum::serve(metrics_listener, router).await
        }))
    };
    let served = caredesk_server::serve(listener, state, shutdown_signal()).await;
    if let Some(task) = metrics {
        task.abort();
    }
    sweeper.abort();
    sla_sweeper.abort();
    assigner.abort();
    housekeeper.abort();
    media_worker.abort();
    mention_worker.abort();
    lookup_worker.abort();
    outbox.abort();
    salesforce_worker.abort();
    served.context("the server stopped with an error")
}

async fn sweep_grace_forever(app: App, interval_secs: u64) {
    let mut tick = tokio::time::interval(Duration::from_secs(interval_secs));
    loop {
        tick.tick().await;
        match app.sweep_grace().await {
            Ok(report) if report.expired > 0 => {
                tracing::info!(expired = report.expired, "grace periods ended")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "grace sweep failed; retrying at the next tick"),
        }
    }
}

/// How often warnings and breaches of service levels are looked for: a badge turns amber or red
/// within this many seconds of its due time.
const SLA_SWEEP_INTERVAL: Duration = Duration::from_secs(5);

/// Records due SLA warnings and breaches until the process ends; every node runs it, and each
/// one is recorded once.
async fn sweep_sla_forever(app: App) {
    let mut tick = tokio::time::interval(SLA_SWEEP_INTERVAL);
    loop {
        tick.tick().await;
        match app.sweep_sla().await {
            Ok(report) if report.recorded() > 0 => {
                tracing::info!(?report, "service-level warnings and breaches recorded")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "SLA sweep failed; retrying at the next tick"),
        }
    }
}

/// How often New cases waiting on profiles that assign automatically are handed out: a case
/// waits at most this long after someone becomes able to take it.
const AUTO_ASSIGN_INTERVAL: Duration = Duration::from_secs(2);

/// Hands waiting New cases to available agents until the process ends; every node runs it, and
/// each case is handed out once.
async fn assign_waiting_forever(app: App) {
    let mut tick = tokio::time::interval(AUTO_ASSIGN_INTERVAL);
    loop {
        tick.tick().await;
        match app.auto_assign_waiting().await {
            Ok(assigned) if assigned > 0 => {
                tracing::info!(assigned, "waiting cases assigned automatically")
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "auto-assignment failed; retrying at the next tick")
            }
        }
    }
}

/// How often the outbox worker looks for replies queued on other nodes or coming due.
const OUTBOX_POLL: Duration = Duration::from_secs(1);

/// Sends queued replies until the process ends: at once when this node queues one, else at each
/// poll; passes that found work follow each other without waiting.
async fn send_replies_forever(
    app: App,
    sender: Arc<dyn ReplySender>,
    metrics: Arc<caredesk_server::metrics::Metrics>,
) {
    let wake = app.outbox_wake();
    loop {
        match app.send_due_replies(sender.as_ref()).await {
            Ok(pass) => {
                metrics.outbox_pass(&pass);
                if !pass.is_idle() {
                    tracing::debug!(?pass, "outbox pass");
                    continue;
                }
            }
            Err(error) => tracing::warn!(%error, "outbox pass failed; retrying shortly"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(OUTBOX_POLL) => {}
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
