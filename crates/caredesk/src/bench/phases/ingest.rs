//! Webhook ingest: Messenger deliveries signed as Meta signs them, of one message and of 100,
//! half from customers of the data set (their messages join their cases in progress) and half
//! from new people; and deliveries of 100 where one message in five is a photo (its download is
//! queued with it and made after the 200). Every body is built and signed before the clock
//! starts; the figure is messages (or deliveries) answered 200 per second, each 200 meaning
//! committed durably.

use anyhow::{ensure, Context};
use caredesk_fakes::{AppNetwork, Customers, Delivery, Person};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde_json::{json, Value};

use super::Ctx;
use crate::bench::client::Request;
use crate::bench::dataset::Plan;
use crate::bench::load::META_APP_SECRET;
use crate::bench::report::{Figure, Target};

/// What an ingest phase measured.
pub struct Ingest {
    /// Its figures.
    pub figures: Vec<Figure>,
    /// Messages per second.
    pub messages_per_s: f64,
}

/// Builds signed deliveries for the Facebook profiles of the plan.
struct Builder {
    customers: Customers,
    pages: Vec<(usize, String)>,
    plan: Plan,
    rng: StdRng,
    n: u64,
    /// Every this many messages is a photo (0: none).
    photo_every: u64,
}

/// Where the benchmark's photos point: a loopback address, which the server refuses to fetch
/// (private addresses are not allowed outside the demo and tests), so each download is claimed,
/// tried and settled in the background without leaving the machine.
const PHOTO_URL: &str = "http://127.0.0.1:9/photo.jpg";

impl Builder {
    fn new(plan: Plan, seed: u64) -> Builder {
        let pages = (0..plan.sizes.profiles as usize)
            .filter(|i| Plan::network_of_profile(*i) == caredesk_domain::Network::Facebook)
            .map(|i| (i, Plan::profile_external_id(i)))
            .collect();
        Builder {
            customers: Customers::new(META_APP_SECRET, ""),
            pages,
            plan,
            rng: StdRng::seed_from_u64(seed),
            n: 0,
            photo_every: 0,
        }
    }

    /// One message: from a known customer of a Facebook page, or from someone new.
    fn message(&mut self) -> Delivery {
        self.n += 1;
        let text = crate::bench::dataset::customer_text(self.n);
        let customers = self.plan.sizes.customers.max(1);
        let profiles = u64::from(self.plan.sizes.profiles.max(1));
        let (index, page) = self.pages[self.rng.gen_range(0..self.pages.len())].clone();
        if self.rng.gen_bool(0.5) && customers > profiles {
            let round = self.rng.gen_range(0..customers / profiles);
            let k = round * profiles + index as u64;
            let person = Person::new(
                Plan::network_user_id(k),
                Plan::customer_name(k),
                format!("c{k}"),
            );
            self.send(&page, &person, &text)
        } else {
            let person = self.customers.person(&format!("New Customer {}", self.n));
            self.send(&page, &person, &text)
        }
    }

    /// A Messenger message of `person`: a photo every `photo_every` messages, else `text`.
    fn send(&self, page: &str, person: &Person, text: &str) -> Delivery {
        if self.photo_every > 0 && self.n.is_multiple_of(self.photo_every) {
            let network = caredesk_domain::Network::Facebook;
            self.customers
                .photo_message(network, page, person, PHOTO_URL)
        } else {
            self.customers.messenger_message(page, person, text)
        }
    }

    /// A delivery of `n` messages (one entry each).
    fn delivery(&mut self, n: usize) -> Delivery {
        if n == 1 {
            return self.message();
        }
        let entries: Vec<Value> = (0..n)
            .map(|_| self.message().json()["entry"][0].clone())
            .collect();
        let body = json!({ "object": "page", "entry": entries });
        Delivery::signed(AppNetwork::Meta, &body, META_APP_SECRET, None)
    }
}

fn request(delivery: &Delivery) -> anyhow::Result<Request> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        HeaderName::from_static(delivery.signature.0),
        HeaderValue::from_str(&delivery.signature.1).context("a signature header")?,
    );
    Ok(Request {
        method: Method::POST,
        path: delivery.path().to_owned(),
        headers,
        body: Some(delivery.body.clone().into()),
    })
}

/// Sends one delivery of `n` messages and checks every message was stored.
async fn check(ctx: &Ctx, builder: &mut Builder, n: usize) -> anyhow::Result<()> {
    let (status, body) = ctx.client.send(&request(&builder.delivery(n))?).await?;
    let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    ensure!(
        status == 200 && answer["stored"].as_u64() == Some(n as u64),
        "a delivery of {n} messages answered {status} {answer}"
    );
    Ok(())
}

/// Deliveries of `per_delivery` messages: `count` of them; with `photo_every` > 0 one message
/// in that many is a photo (its figures named `ingest_{per_delivery}_media`).
pub async fn run(
    ctx: &Ctx,
    per_delivery: usize,
    count: usize,
    seed: u64,
    photo_every: u64,
) -> anyhow::Result<Ingest> {
    let mut builder = Builder::new(ctx.plan, seed);
    builder.photo_every = photo_every;
    check(ctx, &mut builder, per_delivery).await?;
    let requests = (0..count)
        .map(|_| request(&builder.delivery(per_delivery)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let outcome = ctx
        .client
        .drive(requests, ctx.load.ingest_concurrency)
        .await?;
    let deliveries_per_s = outcome.rate();
    let messages_per_s = deliveries_per_s * per_delivery as f64;
    let name = match photo_every {
        0 => format!("ingest_{per_delivery}"),
        _ => format!("ingest_{per_delivery}_media"),
    };
    let mut figures = Vec::new();
    if per_delivery == 1 {
        figures.push(
            Figure::new(format!("{name}.deliveries_per_s"), "1/s", deliveries_per_s)
                .target(Target::AtLeast(3_000.0)),
        );
    } else {
        figures.push(Figure::new(
            format!("{name}.deliveries_per_s"),
            "1/s",
            deliveries_per_s,
        ));
    }
    let mut messages = Figure::new(format!("{name}.messages_per_s"), "1/s", messages_per_s);
    if per_delivery > 1 && photo_every == 0 {
        messages = messages.target(Target::AtLeast(ctx.ingest_target()));
    }
    figures.push(messages);
    figures.push(Figure::new(
        format!("{name}.p50_ms"),
        "ms",
        outcome.quantile_ms(0.5),
    ));
    figures.push(Figure::new(
        format!("{name}.p99_ms"),
        "ms",
        outcome.quantile_ms(0.99),
    ));
    Ok(Ingest {
        figures,
        messages_per_s,
    })
}
