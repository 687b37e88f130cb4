//! `caredesk backup FILE` and `caredesk restore FILE` (PRODUCT.md §14) for the SQLite
//! installation, and the lock a `serve` holds on its data directory so that a restore never
//! swaps the database under a running server. A backup is a consistent copy taken while the
//! server writes, checked before it is reported; a restore checks the copy, sets the current
//! database aside (never deletes it), puts the copy in place and opens it as a start would
//! (migrations, sealing under the configured key). On PostgreSQL both point to the server's own
//! tools.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use caredesk_store_sqlite::backup::{check_copy, copy_consistent, fold_log, CopyCheck};
use caredesk_store_sqlite::DATABASE_FILE;

use crate::config::Config;
use crate::private_files::{create_private_file, make_private_dir, sync_dir};

/// The file whose lock marks a data directory in use.
pub const LOCK_FILE: &str = "caredesk.lock";

/// Held by a process that uses a data directory's database, for as long as it runs.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Locks `data_dir`, or says which process kind holds it.
    pub fn acquire(data_dir: &Path) -> anyhow::Result<DataDirLock> {
        make_private_dir(data_dir)?;
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "a caredesk server is using {}: stop it first",
                data_dir.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }
}

/// The SQLite database file the configuration names; PostgreSQL is refused with its route.
fn sqlite_file(config: &Config, what: &str) -> anyhow::Result<PathBuf> {
    match config.database_url.as_deref() {
        None => Ok(config.data_dir.join(DATABASE_FILE)),
        Some(url) if url.starts_with("sqlite:") => {
            let path = url
                .trim_start_matches("sqlite:")
                .trim_start_matches("//")
                .split('?')
                .next()
                .unwrap_or_default();
            Ok(PathBuf::from(path))
        }
        Some(_) => bail!(
            "caredesk {what} is for SQLite; on PostgreSQL use pg_dump / pg_restore or \
             pg_basebackup (docs/OPERATIONS.md, \"Backups\")"
        ),
    }
}

fn describe(check: &CopyCheck) -> String {
    format!(
        "{} cases, {} messages, {} migrations",
        check.cases, check.messages, check.migrations
    )
}

/// `caredesk backup FILE`: a consistent copy of the database (in use or not) in `target`, a new
/// file readable by its owner only, checked before it is reported.
pub async fn backup(config: &Config, target: &Path) -> anyhow::Result<()> {
    let source = sqlite_file(config, "backup")?;
    if !source.is_file() {
        bail!("there is no database at {}", source.display());
    }
    create_private_file(target).with_context(|| {
        format!(
            "cannot create {} (a backup never overwrites a file)",
            target.display()
        )
    })?;
    let copied = async {
        copy_consistent(&source, target).await?;
        check_copy(target).await
    }
    .await;
    let check = match copied {
        Ok(check) => check,
        Err(e) => {
            let _ = std::fs::remove_file(target);
            return Err(e).context("the backup failed and was removed");
        }
    };
    File::open(target)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", target.display()))?;
    println!(
        "caredesk: backed up to {} ({}); it opens only with this installation's secret key, \
         so keep the key too, apart from the backup",
        target.display(),
        describe(&check)
    );
    Ok(())
}

/// `caredesk restore FILE`: puts a checked backup in place of the database, refused while a
/// server uses the data directory. The database it replaces is kept beside it as
/// `caredesk.db.replaced-<seconds since the epoch>`.
pub async fn restore(config: &Config, source: &Path) -> anyhow::Result<()> {
    let target = sqlite_file(config, "restore")?;
    let dir = target
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."));
    let lock = DataDirLock::acquire(&config.data_dir)?;
    let check = check_copy(source)
        .await
        .with_context(|| format!("{} cannot be restored", source.display()))?;
    let restoring = dir.join(format!("{DATABASE_FILE}.restoring"));
    let _ = std::fs::remove_file(&restoring);
    let mut into = create_private_file(&restoring)
        .with_context(|| format!("cannot create {}", restoring.display()))?;
    let mut from =
        File::open(source).with_context(|| format!("cannot read {}", source.display()))?;
    std::io::copy(&mut from, &mut into)
        .and_then(|_| into.sync_all())
        .with_context(|| format!("cannot copy {}", source.display()))?;
    if target.is_file() {
        fold_log(&target)
            .await
            .context("cannot fold the current database's log into it")?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let aside = dir.join(format!("{DATABASE_FILE}.replaced-{now}"));
        std::fs::rename(&target, &aside)
            .with_context(|| format!("cannot set {} aside", target.display()))?;
        println!(
            "caredesk: the database it replaces is kept as {}",
            aside.display()
        );
    }
    for log in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DATABASE_FILE}{log}")));
    }
    std::fs::rename(&restoring, &target)
        .with_context(|| format!("cannot put the backup in place as {}", target.display()))?;
    sync_dir(&dir)?;
    let store = crate::opening::open_store(config)
        .await
        .context("the restored database does not open")?;
    store.close().await;
    drop(lock);
    println!(
        "caredesk: restored {} ({})",
        source.display(),
        describe(&check)
    );
    Ok(())
}
