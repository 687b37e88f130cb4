//! Simulated customers: a background task that, once the desk answers `/healthz`, has someone
//! from the cast write to one of the profiles every few seconds (a Facebook comment or Messenger
//! message, an Instagram comment or direct message, an X mention or direct message), and now
//! and then has a customer whose case is active write again. Each delivery is signed as its
//! network signs it and posted to the desk's own webhooks; a failed post is logged and the
//! simulation carries on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{bail, Context};
use caredesk_app::App;
use caredesk_domain::{Network, ProfileId};
use caredesk_fakes::meta::media::PICTURES;
use caredesk_fakes::{Delivery, Person, Posted, WebhookClient};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use tokio::task::JoinHandle;

use super::networks::{DemoProfile, SimulatedNetworks};
use super::{returning, script};

/// How long to wait between two checks that the desk is up.
const HEALTH_POLL: Duration = Duration::from_millis(200);
/// The share of returning customers' direct messages that are a photo.
const PHOTO_SHARE: f64 = 0.3;
/// The share of newcomers' public Instagram messages that mention the account under someone
/// else's post.
const MENTION_SHARE: f64 = 0.25;
/// Posts and media each profile has for customers to comment on.
const POSTS_PER_PROFILE: usize = 2;

/// How often customers write, and how many of the posts come from returning customers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    /// The shortest wait between two posts.
    pub min_gap: Duration,
    /// The longest wait between two posts.
    pub max_gap: Duration,
    /// Out of 100 posts, how many come from customers with an active case (when there are
    /// any).
    pub returning_percent: u32,
}

impl Pace {
    /// The live demo's pace: someone writes every 8 to 25 seconds, a returning customer about
    /// one time in three.
    pub const LIVE: Pace = Pace {
        min_gap: Duration::from_secs(8),
        max_gap: Duration::from_secs(25),
        returning_percent: 30,
    };

    fn gap(&self, rng: &mut StdRng) -> Duration {
        let (low, high) = (
            self.min_gap.min(self.max_gap),
            self.min_gap.max(self.max_gap),
        );
        rng.gen_range(low..=high)
    }
}

/// Simulated customers writing to the desk; they stop when this is dropped.
#[derive(Debug)]
pub struct CustomerSimulation {
    task: JoinHandle<()>,
    posted: Arc<Mutex<Vec<Posted>>>,
}

impl CustomerSimulation {
    /// Starts writing to the desk at `desk_url` through `networks`, at `pace`, once the desk
    /// answers.
    pub fn start(
        app: App,
        networks: Arc<SimulatedNetworks>,
        desk_url: &str,
        pace: Pace,
    ) -> anyhow::Result<Self> {
        let posted = Arc::new(Mutex::new(Vec::new()));
        let simulator = Simulator {
            app,
            networks,
            webhooks: WebhookClient::new(desk_url).context("cannot set up the customers")?,
            http: reqwest::Client::new(),
            desk_url: desk_url.trim_end_matches('/').to_owned(),
            pace,
            rng: StdRng::from_entropy(),
            people: HashMap::new(),
            posts: HashMap::new(),
            posted: posted.clone(),
        };
        Ok(Self {
            task: tokio::spawn(simulator.run()),
            posted,
        })
    }

    /// The messages the desk took so far, oldest first (mentions, filed after a look-up, apart).
    pub fn posted(&self) -> Vec<Posted> {
        self.posted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for CustomerSimulation {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Simulator {
    app: App,
    networks: Arc<SimulatedNetworks>,
    webhooks: WebhookClient,
    http: reqwest::Client,
    desk_url: String,
    pace: Pace,
    rng: StdRng,
    /// One person per network and name: whoever writes again is the same customer.
    people: HashMap<(Network, &'static str), Person>,
    /// The posts and media of each profile.
    posts: HashMap<ProfileId, Vec<String>>,
    posted: Arc<Mutex<Vec<Posted>>>,
}

impl Simulator {
    async fn run(mut self) {
        self.wait_for_desk().await;
        loop {
            tokio::time::sleep(self.pace.gap(&mut self.rng)).await;
            match self.post_one().await {
                // A mention is filed once the desk has looked it up, not when it answers 200.
                Ok((_, true)) => tracing::debug!("a simulated customer mentioned a profile"),
                Ok((posted, false)) => {
                    tracing::debug!(
                        network = %posted.network,
                        profile = %posted.profile,
                        customer = %posted.author.name,
                        id = %posted.network_id,
                        "a simulated customer wrote"
                    );
                    self.posted
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(posted);
                }
                Err(error) => {
                    let error = format!("{error:#}");
                    tracing::warn!(%error, "a simulated customer's post failed");
                }
            }
        }
    }

    async fn wait_for_desk(&self) {
        let health = format!("{}/healthz", self.desk_url);
        loop {
            match self.http.get(&health).send().await {
                Ok(answer) if answer.status().is_success() => return,
                _ => tokio::time::sleep(HEALTH_POLL).await,
            }
        }
    }

    /// Posts one customer delivery; answers what it creates, and whether that is a mention the
    /// desk looks up later.
    async fn post_one(&mut self) -> anyhow::Result<(Posted, bool)> {
        let delivery = match self.returning_customer().await? {
            Some((profile, person)) => self.follow_up(&profile, &person),
            None => self.newcomer()?,
        };
        self.networks.remember(&delivery);
        let status = self.webhooks.deliver(&delivery).await?;
        if !(200..300).contains(&status) {
            bail!(
                "the desk answered {status} to a {} webhook",
                delivery.path()
            );
        }
        let looked_up_later = delivery.mention_text.is_some();
        let posted = delivery
            .posted
            .context("a customer delivery always creates a message")?;
        Ok((posted, looked_up_later))
    }

    /// Now and then, a customer with an active case and the profile they wrote to.
    async fn returning_customer(&mut self) -> anyhow::Result<Option<(DemoProfile, Person)>> {
        if self.rng.gen_range(0..100) >= self.pace.returning_percent {
            return Ok(None);
        }
        let known = returning::with_active_cases(&self.app).await?;
        let Some(chosen) = known.choose(&mut self.rng) else {
            return Ok(None);
        };
        let profile = self
            .networks
            .profiles()
            .iter()
            .find(|p| p.id == chosen.profile_id);
        Ok(profile.map(|p| (p.clone(), chosen.person.clone())))
    }

    /// A returning customer's direct message; now and then a photo of what went wrong, served
    /// by the simulated Meta CDN, or by the simulated X to signed requests only.
    fn follow_up(&mut self, profile: &DemoProfile, person: &Person) -> Delivery {
        let text = script::follow_up(&mut self.rng);
        let customers = self.networks.customers();
        let to = &profile.external_id;
        if self.rng.gen_bool(PHOTO_SHARE) {
            let (name, _) = PICTURES[self.rng.gen_range(0..PICTURES.len())];
            if profile.network == Network::X {
                let url = self.networks.x().direct_message_media_url(name);
                return customers.x_photo_message(to, person, text, &url);
            }
            let url = self.networks.meta().picture_url(name);
            return customers.photo_message(profile.network, to, person, &url);
        }
        match profile.network {
            Network::Facebook => customers.messenger_message(to, person, text),
            Network::Instagram => customers.instagram_message(to, person, text),
            Network::X => customers.x_message(to, person, text),
        }
    }

    /// Someone from the cast, in public or in private, to a profile picked at random.
    fn newcomer(&mut self) -> anyhow::Result<Delivery> {
        let Some(profile) = self.networks.profiles().choose(&mut self.rng).cloned() else {
            bail!("the installation has no profile for customers to write to");
        };
        let name = script::someone(&mut self.rng);
        let text = script::opener(&mut self.rng);
        let in_public = self.rng.gen_bool(0.5);
        let networks = self.networks.clone();
        let customers = networks.customers();
        let person = self
            .people
            .entry((profile.network, name))
            .or_insert_with(|| customers.person(name))
            .clone();
        let to = &profile.external_id;
        Ok(match (profile.network, in_public) {
            (Network::Facebook, true) => {
                let post = self.post_of(&profile);
                customers.facebook_comment(to, &post, &person, text)
            }
            (Network::Facebook, false) => customers.messenger_message(to, &person, text),
            (Network::Instagram, true) if self.rng.gen_bool(MENTION_SHARE) => {
                // Tagged under someone else's post: Instagram names the ids only, and the desk
                // looks the mention up after the commit.
                let elsewhere = customers.instagram_media_id();
                let words = format!("@{} {text}", profile.name.replace(' ', "").to_lowercase());
                customers.instagram_mention(to, &elsewhere, &person, &words, false)
            }
            (Network::Instagram, true) => {
                let media = self.post_of(&profile);
                customers.instagram_comment(to, &media, &person, text)
            }
            (Network::Instagram, false) => customers.instagram_message(to, &person, text),
            (Network::X, true) => {
                customers.x_mention(to, &person, &format!("{} {text}", profile.name))
            }
            (Network::X, false) => customers.x_message(to, &person, text),
        })
    }

    /// One of the profile's posts (Facebook) or media (Instagram).
    fn post_of(&mut self, profile: &DemoProfile) -> String {
        let customers = self.networks.customers();
        let posts = self.posts.entry(profile.id).or_insert_with(|| {
            (0..POSTS_PER_PROFILE)
                .map(|_| match profile.network {
                    Network::Instagram => customers.instagram_media_id(),
                    _ => customers.facebook_post_id(&profile.external_id),
                })
                .collect()
        });
        posts.choose(&mut self.rng).cloned().unwrap_or_default()
    }
}
