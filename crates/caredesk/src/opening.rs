//! Opening the store the configuration names, with its secrets sealed under the installation's
//! key (PRODUCT.md §14), and `caredesk secrets rotate`, which seals them under a new one.

use std::sync::Arc;

use anyhow::{bail, Context};
use caredesk_store::Store;
use caredesk_store_sql::{Backend, Secrets, SqlStore};

use crate::config::{redact_url, Config};
use crate::secret_key::KeySource;

/// Opens (and migrates) the store the configuration names; every secret still plain (from
/// before sealing) or under the key a pending rotation replaces is sealed under the key in
/// force before anything else reads it.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let keys = KeySource::load(config, &config.data_dir)?;
    let store = open_sealed(config, keys.secrets()).await?;
    keys.finish_rotation()?;
    Ok(store)
}

/// The configured store, sealing and opening secrets with `secrets`.
async fn open_sealed(config: &Config, secrets: Secrets) -> anyhow::Result<Arc<dyn Store>> {
    match &config.database_url {
        Some(url) if url.starts_with("sqlite:") => {
            let store = caredesk_store_sqlite::open_url(url)
                .await
                .with_context(|| format!("cannot open {}", redact_url(url)))?;
            Ok(Arc::new(sealed(store, secrets).await?))
        }
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = caredesk_store_postgres::open(url, config.database_pool_size)
                .await
                .with_context(|| format!("cannot open {}", redact_url(url)))?;
            Ok(Arc::new(sealed(store, secrets).await?))
        }
        Some(url) => bail!(
            "{} is neither a sqlite: nor a postgres:// URL",
            redact_url(url)
        ),
        None => {
            let store = caredesk_store_sqlite::open_dir(&config.data_dir)
                .await
                .with_context(|| {
                    format!("cannot open the database in {}", config.data_dir.display())
                })?;
            Ok(Arc::new(sealed(store, secrets).await?))
        }
    }
}

/// `store` sealing with `secrets`, once every stored secret is sealed under their sealing key.
pub async fn sealed<B: Backend>(
    store: SqlStore<B>,
    secrets: Secrets,
) -> anyhow::Result<SqlStore<B>> {
    let key_id = secrets.sealing_key_id().to_owned();
    let store = store.with_secrets(secrets);
    let resealed = store
        .seal_secrets()
        .await
        .context("cannot seal the stored secrets")?;
    if resealed > 0 {
        tracing::info!(resealed, %key_id, "secrets sealed under the current key");
    }
    Ok(store)
}

/// `caredesk secrets rotate`: seals every secret under a new key. With the key file, the new
/// key replaces it once the database is sealed under it; with `CAREDESK_SECRET_KEY`, the new
/// key is printed once, for the operator to set on every node. Stop the servers first: one
/// still running holds the old key only.
pub async fn rotate_secrets(config: &Config) -> anyhow::Result<()> {
    let keys = KeySource::load(config, &config.data_dir)?;
    let old_id = keys.sealing_key().id();
    let new_key = keys.begin_rotation()?;
    match keys {
        KeySource::Environment(old) => {
            let secrets = Secrets::new(&new_key).also_opening(&old);
            open_sealed(config, secrets).await?;
            println!(
                "caredesk: secrets sealed under the new key {} (was {old_id}).",
                new_key.id()
            );
            println!("Set CAREDESK_SECRET_KEY on every node to this key, then start them:");
            println!("{}", new_key.to_text());
        }
        KeySource::File { .. } => {
            open_store(config).await?;
            println!(
                "caredesk: secrets sealed under the new key {} (was {old_id}); the key file is replaced.",
                new_key.id()
            );
        }
    }
    Ok(())
}
