//! The demo's simulated networks: a loopback Meta Graph API serving the installation's Facebook
//! Pages and Instagram accounts, and a loopback X API serving its X accounts, each with the
//! token the desk holds for the profile (and, on X, its token secret and the app's consumer key
//! and secret, which sign downloads of direct-message media). Every reply the desk posts there
//! comes back as the network's echo, signed with the desk's app secret, to the desk's own
//! webhooks.

use anyhow::Context;
use caredesk_app::App;
use caredesk_domain::{AppNetwork, Network, NetworkApp, Profile, ProfileId};
use caredesk_fakes::{
    Customers, Delivery, FakeAccount, FakeMeta, FakeMetaConfig, FakePage, FakeX, FakeXConfig,
    WebhookTarget,
};

/// A profile the simulated networks serve, as its customers find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProfile {
    /// The desk's id of the profile.
    pub id: ProfileId,
    /// Facebook, Instagram or X.
    pub network: Network,
    /// The page or account id on the network.
    pub external_id: String,
    /// The name customers see (`@handle` on Instagram and X).
    pub name: String,
}

impl DemoProfile {
    fn of(profile: &Profile) -> Self {
        Self {
            id: profile.id,
            network: profile.network,
            external_id: profile.external_id.clone(),
            name: profile.name.clone(),
        }
    }

    /// The handle without its `@`.
    fn handle(&self) -> String {
        self.name.trim_start_matches('@').to_owned()
    }
}

/// The fake Meta and X servers, set up for the installation's profiles; they stop when dropped.
#[derive(Debug)]
pub struct SimulatedNetworks {
    meta: FakeMeta,
    x: FakeX,
    profiles: Vec<DemoProfile>,
    customers: Customers,
}

/// The first app of `network`.
fn first_app(apps: &[NetworkApp], network: AppNetwork) -> Option<&NetworkApp> {
    apps.iter().find(|a| a.network == network)
}

/// The secret of the first app of `network`, and the profiles it serves.
fn served<'p>(
    apps: &[NetworkApp],
    profiles: &'p [Profile],
    network: AppNetwork,
) -> (String, Vec<&'p Profile>) {
    let Some(app) = first_app(apps, network) else {
        return (String::new(), Vec::new());
    };
    let served = profiles.iter().filter(|p| p.app_id == app.id).collect();
    (app.app_secret.clone(), served)
}

impl SimulatedNetworks {
    /// Starts both fakes on loopback for the profiles of the installation `app` serves, echoing
    /// to the desk at `desk_url` (e.g. `http://127.0.0.1:8080`).
    pub async fn start(app: &App, desk_url: &str) -> anyhow::Result<Self> {
        let apps = app.store().network_apps().await?;
        let profiles = app.store().profiles().await?;
        let (meta_secret, meta_profiles) = served(&apps, &profiles, AppNetwork::Meta);
        let (x_secret, x_profiles) = served(&apps, &profiles, AppNetwork::X);

        let pages = meta_profiles
            .iter()
            .map(|p| {
                let page = match p.network {
                    Network::Instagram => FakePage::instagram(&p.external_id, &p.access_token),
                    _ => FakePage::facebook(&p.external_id, &p.access_token),
                };
                FakePage {
                    name: DemoProfile::of(p).handle(),
                    ..page
                }
            })
            .collect();
        let meta = FakeMeta::start(FakeMetaConfig {
            pages,
            webhook: Some(WebhookTarget::new(desk_url, &meta_secret)),
            ..FakeMetaConfig::default()
        })
        .await
        .context("cannot start the simulated Meta Graph API")?;

        let accounts = x_profiles
            .iter()
            .map(|p| FakeAccount {
                screen_name: DemoProfile::of(p).handle(),
                token_secret: p.token_secret.clone(),
                ..FakeAccount::new(&p.external_id, &p.access_token)
            })
            .collect();
        let x_key = first_app(&apps, AppNetwork::X).map(|a| a.consumer_key.clone());
        let x = FakeX::start(FakeXConfig {
            accounts,
            consumer_key: x_key.unwrap_or_default(),
            consumer_secret: x_secret.clone(),
            webhook: Some(WebhookTarget::new(desk_url, &x_secret)),
            ..FakeXConfig::default()
        })
        .await
        .context("cannot start the simulated X API")?;

        let profiles = meta_profiles
            .into_iter()
            .chain(x_profiles)
            .map(DemoProfile::of)
            .collect();
        Ok(Self {
            meta,
            x,
            profiles,
            customers: Customers::new(meta_secret, x_secret),
        })
    }

    /// The base URL of the simulated Graph API (the sender's `meta_graph_url`).
    pub fn meta_graph_url(&self) -> String {
        self.meta.graph_url()
    }

    /// The base URL of the simulated X API (the sender's `x_api_url`).
    pub fn x_api_url(&self) -> String {
        self.x.api_url()
    }

    /// The simulated Meta.
    pub fn meta(&self) -> &FakeMeta {
        &self.meta
    }

    /// The simulated X.
    pub fn x(&self) -> &FakeX {
        &self.x
    }

    /// The profiles customers can write to.
    pub fn profiles(&self) -> &[DemoProfile] {
        &self.profiles
    }

    /// Builds customer deliveries signed as these networks sign them.
    pub fn customers(&self) -> &Customers {
        &self.customers
    }

    /// Tells the network that carries `delivery` about the message it creates, so replies and
    /// private replies reach its author.
    pub fn remember(&self, delivery: &Delivery) {
        match delivery.platform {
            AppNetwork::Meta => self.meta.remember(delivery),
            AppNetwork::X => self.x.remember(delivery),
        }
    }
}
