//! `caredesk demo`: a fresh installation in its own directory, seeded through the use cases,
//! served with the logins printed. Its Facebook, Instagram and X profiles are wired to loopback
//! fakes of the Meta and X APIs ([`networks`]): simulated customers ([`customers`]) post signed
//! webhooks to the desk, and agents' replies are posted to the fakes and echoed back as
//! delivered. A simulated Salesforce org is connected ([`salesforce`]). The directory is wiped only when it carries the demo marker, so a mistyped path
//! never destroys real data.

pub mod colleague;
pub mod customers;
pub mod networks;
mod returning;
pub mod salesforce;
mod script;
pub mod seed;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use caredesk_app::{App, SystemClock};
use seed::{seed, DEMO_PASSWORD};

use crate::config::Config;
use crate::runtime::{listen, network_sender, serve_app_on};
use customers::{CustomerSimulation, Pace};
use networks::SimulatedNetworks;

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

/// The URL the desk listening on `addr` is reached at from this machine.
pub fn desk_url(addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        let loopback = match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        };
        addr.set_ip(loopback);
    }
    format!("http://{addr}")
}

/// Starts the simulated networks for the installation `app` serves, and customers writing to
/// the desk at `desk_url` at `pace`. The desk must send its replies to the networks' URLs.
pub async fn simulate(
    app: &App,
    desk_url: &str,
    pace: Pace,
) -> anyhow::Result<(Arc<SimulatedNetworks>, CustomerSimulation)> {
    let networks = Arc::new(SimulatedNetworks::start(app, desk_url).await?);
    let customers = CustomerSimulation::start(app.clone(), networks.clone(), desk_url, pace)?;
    Ok((networks, customers))
}

/// `caredesk demo`.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    prepare_dir(&config.demo_dir)?;
    let keys = crate::secret_key::KeySource::load(config, &config.demo_dir)?;
    let store = caredesk_store_sqlite::open_dir(&config.demo_dir)
        .await
        .context("cannot open the demo database")?;
    let store = crate::opening::sealed(store, keys.secrets()).await?;
    let app = App::new(Arc::new(store), Arc::new(SystemClock));
    let logins = seed(&app).await.context("cannot seed the demo data")?;
    let (listener, addr) = listen(config).await?;
    let pace = Pace::LIVE;
    let (networks, _customers) = simulate(&app, &desk_url(addr), pace).await?;
    let _colleague = colleague::keep_online(&app).await?;
    let salesforce = salesforce::connect(&app, config).await?;
    let config = Config {
        meta_graph_url: networks.meta_graph_url(),
        x_api_url: networks.x_api_url(),
        // The simulated networks serve their media on this machine.
        media_url: Some(config.demo_dir.join("media").display().to_string()),
        media_fetch_allow_private: true,
        ..config.clone()
    };
    println!(
        "caredesk demo: data in {} (fresh at each start)",
        config.demo_dir.display()
    );
    println!("caredesk demo: sign in with any of these, password {DEMO_PASSWORD:?}:");
    for login in &logins {
        println!("  {:<28} {}", login.email, login.what);
    }
    println!("caredesk demo: Facebook, Instagram and X are simulated on this machine:");
    println!("  Meta Graph API  {}", config.meta_graph_url);
    println!("  X API           {}", config.x_api_url);
    println!(
        "  Salesforce      {} (connected; accounts such as Acme Ltd)",
        salesforce.login_url()
    );
    println!(
        "caredesk demo: simulated customers write every {} to {} seconds; replies go to the",
        pace.min_gap.as_secs(),
        pace.max_gap.as_secs()
    );
    println!("  simulated networks and come back through their echoes as delivered");
    serve_app_on(&config, listener, addr, app, network_sender(&config)?).await
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
    fn the_desk_is_reached_on_loopback_when_listening_everywhere() {
        let everywhere: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
        assert_eq!(desk_url(everywhere), "http://127.0.0.1:8080");
        let local: SocketAddr = "127.0.0.1:9000".parse().expect("addr");
        assert_eq!(desk_url(local), "http://127.0.0.1:9000");
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
