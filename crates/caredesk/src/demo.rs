//! `caredesk demo`: a fresh installation in its own directory, seeded through the use cases,
//! served with the logins printed. The directory is wiped only when it carries the demo marker,
//! so a mistyped path never destroys real data.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use caredesk_app::demo::{seed, DEMO_PASSWORD};
use caredesk_app::{App, SystemClock};
use caredesk_store_sqlite::SqliteStore;

use crate::config::Config;
use crate::runtime::{network_sender, serve_app};

/// The file that marks a directory as made by `caredesk demo`.
pub const MARKER: &str = ".caredesk-demo";

/// Empties `dir` for a new demo: creates it, or wipes it if the demo made it before.
pub fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let is_demo = dir.join(MARKER).is_file();
        let is_empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_demo && !is_empty {
            bail!(
                "{} exists and was not made by `caredesk demo`; refusing to wipe it (set CAREDESK_DEMO_DIR to another directory)",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("cannot wipe the old demo in {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join(MARKER),
        "made by caredesk demo; wiped at each start\n",
    )
    .with_context(|| format!("cannot mark {}", dir.display()))?;
    Ok(())
}

pub async fn run(config: &Config) -> anyhow::Result<()> {
    prepare_dir(&config.demo_dir)?;
    let store = SqliteStore::open_dir(&config.demo_dir)
        .await
        .context("cannot open the demo database")?;
    let app = App::new(Arc::new(store), Arc::new(SystemClock));
    let logins = seed(&app).await.context("cannot seed the demo data")?;
    println!(
        "caredesk demo: data in {} (fresh at each start)",
        config.demo_dir.display()
    );
    println!("caredesk demo: sign in with any of these, password {DEMO_PASSWORD:?}:");
    for login in &logins {
        println!("  {:<28} {}", login.email, login.what);
    }
    serve_app(config, app, network_sender(config)?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_directory_is_never_wiped() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::write(dir.path().join("precious.txt"), "data").expect("write");
        assert!(prepare_dir(dir.path()).is_err());
        assert!(
            dir.path().join("precious.txt").exists(),
            "nothing was deleted"
        );
    }

    #[test]
    fn a_demo_directory_is_made_fresh() {
        let dir = tempfile::tempdir().expect("temp");
        let demo = dir.path().join("demo");
        prepare_dir(&demo).expect("first");
        std::fs::write(demo.join("old.db"), "x").expect("write");
        prepare_dir(&demo).expect("again");
        assert!(!demo.join("old.db").exists());
        assert!(demo.join(MARKER).exists());
    }
}
