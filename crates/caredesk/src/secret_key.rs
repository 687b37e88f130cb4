//! The key that seals secrets at rest (PRODUCT.md §14): `CAREDESK_SECRET_KEY` when set (what
//! several nodes on one PostgreSQL share), else the key file `secret.key` in the data directory,
//! made at the first start (mode 0600, in a directory made 0700). A rotation first writes the
//! new key beside the old one as `secret.key.next`; the next opening of the database seals
//! everything under it and only then puts it in place of the old one, so a rotation cut short
//! at any point is finished by the next start, and no key the database needs is ever lost.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use caredesk_store_sql::{SecretKey, Secrets};

use crate::config::Config;
use crate::private_files::{create_private_file, make_private_dir, owner_only, sync_dir};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "secret.key";
/// The name a rotation's new key waits under until the database is sealed under it.
pub const NEXT_KEY_FILE: &str = "secret.key.next";

/// Where the keys of an installation come from.
pub enum KeySource {
    /// `CAREDESK_SECRET_KEY`.
    Environment(SecretKey),
    /// The key file in the data directory, with a rotation's new key when one is pending.
    File {
        dir: PathBuf,
        current: SecretKey,
        next: Option<SecretKey>,
    },
}

impl KeySource {
    /// The configured key, or the data directory's key file (made when missing).
    pub fn load(config: &Config, data_dir: &Path) -> anyhow::Result<KeySource> {
        if let Some(text) = config
            .secret_key
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            let key = SecretKey::from_text(text)
                .map_err(|e| anyhow::anyhow!("CAREDESK_SECRET_KEY: {e}"))?;
            return Ok(KeySource::Environment(key));
        }
        make_private_dir(data_dir)?;
        let current = match read_key(&data_dir.join(KEY_FILE))? {
            Some(key) => key,
            None => create_key_file(&data_dir.join(KEY_FILE), &SecretKey::generate())?,
        };
        let next = read_key(&data_dir.join(NEXT_KEY_FILE))?;
        Ok(KeySource::File {
            dir: data_dir.to_owned(),
            current,
            next,
        })
    }

    /// The keys the store seals and opens with: a pending rotation's new key seals, the
    /// current one still opens.
    pub fn secrets(&self) -> Secrets {
        match self {
            KeySource::Environment(key) => Secrets::new(key),
            KeySource::File {
                current,
                next: Some(next),
                ..
            } => Secrets::new(next).also_opening(current),
            KeySource::File { current, .. } => Secrets::new(current),
        }
    }

    /// The key that seals (a pending rotation's new key, else the current one).
    pub fn sealing_key(&self) -> &SecretKey {
        match self {
            KeySource::Environment(key) => key,
            KeySource::File {
                next: Some(next), ..
            } => next,
            KeySource::File { current, .. } => current,
        }
    }

    /// Once the database is sealed under the pending rotation's key, makes it the key file.
    pub fn finish_rotation(&self) -> anyhow::Result<()> {
        if let KeySource::File {
            dir, next: Some(_), ..
        } = self
        {
            std::fs::rename(dir.join(NEXT_KEY_FILE), dir.join(KEY_FILE))
                .context("cannot put the new secret key in place of the old one")?;
            sync_dir(dir)?;
        }
        Ok(())
    }

    /// Starts a rotation to a new key: with a key file, the new key is written as
    /// [`NEXT_KEY_FILE`] (the next opening seals under it); with `CAREDESK_SECRET_KEY`, the
    /// caller seals under the returned key and hands it to the operator.
    pub fn begin_rotation(&self) -> anyhow::Result<SecretKey> {
        let key = SecretKey::generate();
        if let KeySource::File { dir, next, .. } = self {
            if next.is_some() {
                bail!(
                    "a rotation is already pending ({}); start caredesk once to finish it",
                    dir.join(NEXT_KEY_FILE).display()
                );
            }
            create_key_file(&dir.join(NEXT_KEY_FILE), &key)?;
        }
        Ok(key)
    }
}

fn read_key(path: &Path) -> anyhow::Result<Option<SecretKey>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            owner_only(path, 0o600)?;
            SecretKey::from_text(&text)
                .map(Some)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes `key` to a new file at `path`, mode 0600, on disk before it answers; when another
/// process made the file first, its key is the one (two first starts agree on one key).
fn create_key_file(path: &Path, key: &SecretKey) -> anyhow::Result<SecretKey> {
    match create_private_file(path) {
        Ok(mut file) => {
            writeln!(file, "{}", key.to_text())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
            tracing::info!(path = %path.display(), key_id = %key.id(), "made a new secret key");
            Ok(key.clone())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read_key(path)?.with_context(|| format!("{} vanished while being read", path.display()))
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}
