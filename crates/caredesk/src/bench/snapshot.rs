//! Where the benchmark's databases live: the generated data set is kept as a snapshot (a
//! SQLite file copied after its log was folded in, or a PostgreSQL template database), named
//! after the sizes, the schema's migrations and the generator's version, and reused while they
//! match. Every run starts from a fresh copy of it, so runs measure the same data.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use caredesk_app::{App, SystemClock};
use caredesk_store::bulk::BulkLoad;
use caredesk_store::Store;
use caredesk_store_postgres::databases;
use caredesk_store_sqlite::DATABASE_FILE;

use super::dataset::Plan;
use super::load;
use crate::secret_key::KeySource;

/// Bumped whenever the generator makes other rows, so old snapshots are not reused.
const DATASET_VERSION: u32 = 1;
/// The run database's name on PostgreSQL.
const RUN_DATABASE: &str = "caredesk_bench_run";

/// An open database: the store the use cases read and its bulk port.
pub struct Db {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The same database's bulk port.
    pub bulk: Arc<dyn BulkLoad>,
}

impl Db {
    async fn sqlite(dir: &Path, keys: &KeySource) -> anyhow::Result<Db> {
        let store = caredesk_store_sqlite::open_dir(dir).await?;
        let store = Arc::new(crate::opening::sealed(store, keys.secrets()).await?);
        Ok(Db {
            store: store.clone(),
            bulk: store,
        })
    }

    async fn postgres(url: &str, keys: &KeySource) -> anyhow::Result<Db> {
        let store = caredesk_store_postgres::open(url, 8).await?;
        let store = Arc::new(crate::opening::sealed(store, keys.secrets()).await?);
        Ok(Db {
            store: store.clone(),
            bulk: store,
        })
    }

    /// Closes every connection.
    pub async fn close(self) {
        self.bulk.close().await;
    }
}

/// The backend the benchmark runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    /// SQLite files: snapshots in `snapshots`, the run's copy in `work`.
    Sqlite { snapshots: PathBuf, work: PathBuf },
    /// A PostgreSQL server (`server_url` names any database on it).
    Postgres { server_url: String },
}

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.iter()) {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Names the data set of `plan` in a schema whose migrations have these checksums.
fn schema_hash<'m>(checksums: impl Iterator<Item = &'m [u8]>, plan: &Plan) -> u64 {
    let mut parts: Vec<&[u8]> = checksums.collect();
    let key = format!("{}-v{DATASET_VERSION}", plan.sizes.key());
    parts.push(key.as_bytes());
    fnv(&parts)
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    fn snapshot_name(&self, plan: &Plan) -> String {
        match self {
            Backend::Sqlite { .. } => format!(
                "sqlite_{}_{:016x}",
                plan.sizes.key(),
                schema_hash(
                    caredesk_store_sqlite::MIGRATOR
                        .iter()
                        .map(|m| m.checksum.as_ref()),
                    plan
                )
            ),
            Backend::Postgres { .. } => format!(
                "caredesk_bench_{:016x}",
                schema_hash(
                    caredesk_store_postgres::MIGRATOR
                        .iter()
                        .map(|m| m.checksum.as_ref()),
                    plan
                )
            ),
        }
    }

    /// Makes the snapshot of `plan` unless it is kept already.
    pub async fn ensure_snapshot(&self, plan: &Plan, keys: &KeySource) -> anyhow::Result<()> {
        let name = self.snapshot_name(plan);
        match self {
            Backend::Sqlite { snapshots, .. } => {
                let dir = snapshots.join(&name);
                if dir.join(DATABASE_FILE).is_file() {
                    eprintln!("caredesk bench: reusing the snapshot {}", dir.display());
                    return Ok(());
                }
                let partial = snapshots.join(format!("{name}.partial"));
                if partial.exists() {
                    std::fs::remove_dir_all(&partial)
                        .with_context(|| format!("cannot remove {}", partial.display()))?;
                }
                eprintln!(
                    "caredesk bench: generating the data set into {}",
                    dir.display()
                );
                generate(Db::sqlite(&partial, keys).await?, plan).await?;
                std::fs::rename(&partial, &dir)
                    .with_context(|| format!("cannot keep the snapshot in {}", dir.display()))?;
            }
            Backend::Postgres { server_url } => {
                if databases::exists(server_url, &name).await? {
                    eprintln!("caredesk bench: reusing the template database {name}");
                    return Ok(());
                }
                let loading = format!("{name}_loading");
                databases::drop(server_url, &loading).await?;
                databases::create(server_url, &loading).await?;
                eprintln!("caredesk bench: generating the data set into database {name}");
                let url = databases::with_database(server_url, &loading);
                generate(Db::postgres(&url, keys).await?, plan).await?;
                databases::rename(server_url, &loading, &name).await?;
            }
        }
        Ok(())
    }

    /// A fresh copy of the snapshot for one run; answers how the server reaches it, as
    /// `CAREDESK_*` variables.
    pub async fn fresh_run(&self, plan: &Plan) -> anyhow::Result<Vec<(String, String)>> {
        let name = self.snapshot_name(plan);
        match self {
            Backend::Sqlite { snapshots, work } => {
                if work.exists() {
                    std::fs::remove_dir_all(work)
                        .with_context(|| format!("cannot empty {}", work.display()))?;
                }
                std::fs::create_dir_all(work)
                    .with_context(|| format!("cannot create {}", work.display()))?;
                let from = snapshots.join(&name).join(DATABASE_FILE);
                let started = Instant::now();
                let copy = work.join(DATABASE_FILE);
                std::fs::copy(&from, &copy)
                    .with_context(|| format!("cannot copy {}", from.display()))?;
                // On disk before the clock starts: otherwise writing the copy back competes with
                // the run's own durable commits.
                std::fs::File::open(&copy)
                    .and_then(|file| file.sync_all())
                    .with_context(|| format!("cannot flush {}", copy.display()))?;
                tracing::info!(secs = started.elapsed().as_secs_f64(), "snapshot copied");
                Ok(vec![(
                    "CAREDESK_DATA_DIR".into(),
                    work.display().to_string(),
                )])
            }
            Backend::Postgres { server_url } => {
                databases::drop(server_url, RUN_DATABASE).await?;
                databases::copy(server_url, &name, RUN_DATABASE).await?;
                let url = databases::with_database(server_url, RUN_DATABASE);
                Ok(vec![("CAREDESK_DATABASE_URL".into(), url)])
            }
        }
    }

    /// Opens the run's database in this process.
    pub async fn open_run(&self, keys: &KeySource) -> anyhow::Result<Db> {
        match self {
            Backend::Sqlite { work, .. } => Db::sqlite(work, keys).await,
            Backend::Postgres { server_url } => {
                Db::postgres(&databases::with_database(server_url, RUN_DATABASE), keys).await
            }
        }
    }
}

/// Seeds the cast through the use cases and loads the rows, then closes the database.
async fn generate(db: Db, plan: &Plan) -> anyhow::Result<()> {
    let app = App::new(db.store.clone(), Arc::new(SystemClock));
    let cast = load::seed_cast(&app, plan).await?;
    load::load_rows(db.bulk.as_ref(), plan, &cast).await?;
    drop(app);
    db.close().await;
    Ok(())
}
