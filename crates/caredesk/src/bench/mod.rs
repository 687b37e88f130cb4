//! `caredesk bench`: generates a realistic data set through the store (kept as a snapshot and
//! reused), then, for each run on a fresh copy of it, times the grace sweep and the storage
//! ceiling in this process, starts `caredesk serve` as a child process and measures webhook
//! ingest, the Care views and counts, the long conversation, status changes and assignments
//! over real HTTP with concurrent clients, and the server's peak memory. The medians of the
//! runs are written as JSON and as a markdown table, next to their targets.

mod client;
pub mod dataset;
mod load;
mod phases;
mod progress;
mod report;
mod server;
mod snapshot;

use std::path::PathBuf;

use anyhow::Context;
use caredesk_domain::Timestamp;
use clap::{Args, ValueEnum};

use client::Client;
use dataset::{Plan, Sizes};
use phases::{Ctx, Load};
use report::{Figure, Setup, Target};
use server::Server;
use snapshot::Backend;

use crate::config::Config;
use crate::secret_key::KeySource;

/// Peak memory of the server during the HTTP phases: at most this many megabytes.
const PEAK_RSS_MB: f64 = 250.0;

/// The data set's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    /// 100,000 cases, 1,000,000 messages, 20,000 customers: a run fits in minutes.
    Default,
    /// 1,000,000 cases, 10,000,000 messages, 200,000 customers.
    Full,
}

/// A part of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Phase {
    /// Every phase.
    All,
    /// The grace sweep of every due case.
    Sweep,
    /// Webhook ingest (with the storage ceiling it is compared to).
    Ingest,
    /// The Care views and their counts.
    Views,
    /// The long DM conversation.
    Conversation,
    /// Status changes and assignments.
    Writes,
    /// Bulk assignments of 500 cases in one call.
    Bulk,
    /// The SLA sweep of 100,000 due targets.
    Sla,
    /// The CSV export of every case, with the server's peak memory (run it alone).
    Export,
}

/// `caredesk bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The data set's size; the options below change one part of it.
    #[arg(long, value_enum, default_value = "default")]
    pub scale: Scale,
    /// Cases.
    #[arg(long)]
    pub cases: Option<u64>,
    /// Messages.
    #[arg(long)]
    pub messages: Option<u64>,
    /// Customers.
    #[arg(long)]
    pub customers: Option<u64>,
    /// Care agents (50).
    #[arg(long)]
    pub agents: Option<u32>,
    /// Profiles (20, Facebook, Instagram and X in turn).
    #[arg(long)]
    pub profiles: Option<u32>,
    /// Run on this PostgreSQL server (any database on it; the benchmark makes its own) instead
    /// of SQLite.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Where the JSON and markdown reports go.
    #[arg(long, default_value = "bench-results")]
    pub out: PathBuf,
    /// Runs; the report keeps each figure's median.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Where SQLite snapshots (and each run's copy) are kept.
    #[arg(long, default_value = "bench-snapshots")]
    pub snapshot_dir: PathBuf,
    /// Concurrent clients reading (each sends its next request as soon as the last answers).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Concurrent clients delivering webhooks.
    #[arg(long, default_value_t = 64)]
    pub ingest_concurrency: usize,
    /// Concurrent clients changing cases.
    #[arg(long, default_value_t = 4)]
    pub write_concurrency: usize,
    /// Requests per read figure.
    #[arg(long, default_value_t = 2_000)]
    pub requests: usize,
    /// One-message deliveries (a fortieth as many 100-message deliveries follow).
    #[arg(long, default_value_t = 20_000)]
    pub deliveries: usize,
    /// Status changes, and as many assignments.
    #[arg(long, default_value_t = 1_000)]
    pub writes: usize,
    /// The phases to run (comma-separated); the server's memory is measured whenever one of
    /// the HTTP phases runs.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "all")]
    pub phases: Vec<Phase>,
}

impl BenchArgs {
    fn sizes(&self) -> Sizes {
        let base = match self.scale {
            Scale::Default => Sizes::DEFAULT,
            Scale::Full => Sizes::FULL,
        };
        Sizes {
            cases: self.cases.unwrap_or(base.cases),
            messages: self.messages.unwrap_or(base.messages),
            customers: self.customers.unwrap_or(base.customers),
            agents: self.agents.unwrap_or(base.agents).max(2),
            profiles: self.profiles.unwrap_or(base.profiles).max(1),
        }
    }

    fn backend(&self) -> Backend {
        match &self.database_url {
            Some(url) => Backend::Postgres {
                server_url: url.clone(),
            },
            None => Backend::Sqlite {
                snapshots: self.snapshot_dir.clone(),
                work: self.snapshot_dir.join("run"),
            },
        }
    }

    fn runs(&self, phase: Phase) -> bool {
        self.phases.contains(&Phase::All) || self.phases.contains(&phase)
    }

    fn load(&self) -> Load {
        Load {
            requests: self.requests.max(10),
            concurrency: self.concurrency,
            deliveries: self.deliveries.max(40),
            ingest_concurrency: self.ingest_concurrency,
            writes: self.writes.max(1),
            write_concurrency: self.write_concurrency,
        }
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// `caredesk bench`.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let plan = Plan::new(args.sizes());
    let backend = args.backend();
    std::fs::create_dir_all(&args.snapshot_dir)
        .with_context(|| format!("cannot create {}", args.snapshot_dir.display()))?;
    // The data set's secrets are sealed under the snapshot directory's own key, which every
    // run's server is given.
    let keys = KeySource::load(&Config::default(), &args.snapshot_dir)?;
    backend.ensure_snapshot(&plan, &keys).await?;
    let mut runs = Vec::new();
    for run in 0..args.runs.max(1) {
        eprintln!("caredesk bench: run {} of {}", run + 1, args.runs.max(1));
        let figures = run_once(&args, &backend, &plan, &keys, run).await?;
        for f in &figures {
            eprintln!(
                "  {:<40} {:>12} {}",
                f.name,
                report::number(f.value),
                f.unit
            );
        }
        runs.push(figures);
    }
    let setup = Setup {
        backend: backend.name(),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        cpu_model: cpu_model(),
        sizes: plan.sizes,
        runs: runs.len(),
        measured_at: Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_micros() as i64,
        )
        .to_rfc3339(),
    };
    let summaries = report::summarise(&setup, &runs);
    let table = report::write(&args.out, &setup, &summaries)?;
    println!("{table}");
    Ok(())
}

/// One run on a fresh copy of the snapshot.
async fn run_once(
    args: &BenchArgs,
    backend: &Backend,
    plan: &Plan,
    keys: &KeySource,
    run: usize,
) -> anyhow::Result<Vec<Figure>> {
    let mut env = backend.fresh_run(plan).await?;
    env.push(("CAREDESK_SECRET_KEY".into(), keys.sealing_key().to_text()));
    let db = backend.open_run(keys).await?;
    let mut figures = Vec::new();
    // Always swept before the server starts, timed or not, so that no phase shares the
    // writer with the server's own sweep of the data set's due cases.
    let swept = phases::storage::sweep(&db, plan).await?;
    if args.runs(Phase::Sweep) {
        figures.extend(swept);
    }
    if args.runs(Phase::Sla) {
        figures.extend(phases::sla::sweep(&db, plan).await?);
    }
    let ceiling = if args.runs(Phase::Ingest) {
        phases::storage::ceiling(&db, plan, run).await?
    } else {
        0.0
    };
    let profiles = db.store.profiles().await?;
    let topic = db
        .store
        .case_fields()
        .await?
        .into_iter()
        .find(|f| f.name == "Topic")
        .context("the data set has no Topic field")?
        .id;
    db.close().await;
    let profiles = (0..plan.sizes.profiles as usize)
        .map(|i| {
            let external = Plan::profile_external_id(i);
            profiles
                .iter()
                .find(|p| p.external_id == external)
                .map(|p| p.id)
                .context("a profile of the data set is missing")
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    let server = Server::start(&args.snapshot_dir, &env).await?;
    let load = args.load();
    let client = Client::new(
        &server.base_url,
        load.ingest_concurrency.max(load.concurrency),
    )?;
    let postgres = args.database_url.is_some();
    let ctx = Ctx::new(client, *plan, load, profiles, topic, postgres).await?;
    if args.runs(Phase::Ingest) {
        let one = phases::ingest::run(&ctx, 1, load.deliveries, 1 + run as u64, 0).await?;
        let hundred =
            phases::ingest::run(&ctx, 100, load.deliveries / 40, 100 + run as u64, 0).await?;
        let photos =
            phases::ingest::run(&ctx, 100, load.deliveries / 40, 200 + run as u64, 5).await?;
        figures.extend(one.figures);
        figures.extend(hundred.figures);
        figures.extend(photos.figures);
        // Downloads run after the 200: a photo in five costs ingest at most a tenth.
        figures.push(
            Figure::new(
                "ingest_100_media.fraction_of_text",
                "ratio",
                photos.messages_per_s / hundred.messages_per_s.max(1e-9),
            )
            .target(Target::AtLeast(0.9)),
        );
        figures.push(Figure::new(
            "storage_ceiling.messages_per_s",
            "1/s",
            ceiling,
        ));
        figures.push(Figure::new(
            "ingest_100.fraction_of_ceiling",
            "ratio",
            hundred.messages_per_s / ceiling.max(1e-9),
        ));
        figures.push(Figure::new(
            "ingest_1.fraction_of_ceiling",
            "ratio",
            one.messages_per_s / ceiling.max(1e-9),
        ));
    }
    if args.runs(Phase::Views) {
        figures.extend(phases::reads::views(&ctx).await?);
    }
    if args.runs(Phase::Conversation) {
        figures.extend(phases::reads::conversation(&ctx).await?);
    }
    if args.runs(Phase::Writes) {
        figures.extend(phases::writes::run(&ctx).await?);
    }
    if args.runs(Phase::Bulk) {
        figures.extend(phases::bulk::run(&ctx).await?);
    }
    if args.runs(Phase::Export) {
        figures.extend(phases::export::run(&ctx).await?);
    }
    let rss_mb = server.peak_rss()? as f64 / 1_048_576.0;
    figures
        .push(Figure::new("server.peak_rss_mb", "MB", rss_mb).target(Target::AtMost(PEAK_RSS_MB)));
    server.stop().await?;
    Ok(figures)
}
