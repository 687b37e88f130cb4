//! The measured phases of one run. Over HTTP against the server process: webhook ingest
//! ([`ingest`]), the Care views, counts and the long conversation ([`reads`]), status changes
//! and assignments ([`writes`]), bulk assignments of 500 cases ([`bulk`]), the CSV export of
//! every case ([`export`]). In this process, on the run's database before the server starts:
//! the grace sweep and the storage ceiling ([`storage`]), the SLA sweep ([`sla`]).

pub mod bulk;
pub mod export;
pub mod ingest;
pub mod reads;
pub mod sla;
pub mod storage;
pub mod writes;

use anyhow::Context;
use caredesk_domain::{CaseFieldId, ProfileId};
use serde_json::json;

use super::client::{Client, Request};
use super::dataset::Plan;
use super::load::{agent_email, ADMIN, PASSWORD, SUPERVISOR};

/// How much each phase sends, and how many clients send it.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    /// Requests per read figure.
    pub requests: usize,
    /// Concurrent clients of the read phases.
    pub concurrency: usize,
    /// One-message deliveries (and a fortieth as many 100-message deliveries).
    pub deliveries: usize,
    /// Concurrent clients of the ingest phases.
    pub ingest_concurrency: usize,
    /// Status changes and assignments, each.
    pub writes: usize,
    /// Concurrent clients of the write phases.
    pub write_concurrency: usize,
}

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct Session {
    /// The bearer token.
    pub token: String,
    /// The user's id as the API writes it.
    pub user_id: String,
}

/// What the phases share: the client, the plan, the sessions and the installation's ids.
pub struct Ctx {
    /// The client of the server under test.
    pub client: Client,
    /// The data set's plan.
    pub plan: Plan,
    /// How much to send.
    pub load: Load,
    /// The supervisor (every profile).
    pub supervisor: Session,
    /// The agents, in order.
    pub agents: Vec<Session>,
    /// Profiles in the plan's order.
    pub profiles: Vec<ProfileId>,
    /// The "Topic" select field.
    pub topic: CaseFieldId,
    /// True on PostgreSQL.
    pub postgres: bool,
}

/// Signs in through the API.
pub async fn login(client: &Client, email: &str) -> anyhow::Result<Session> {
    let request = Request::post_json(
        "/api/v1/auth/login",
        "none",
        &json!({ "email": email, "password": PASSWORD }),
    )?;
    let (status, body) = client.send(&request).await?;
    anyhow::ensure!(status == 200, "signing in as {email} answered {status}");
    let answer: serde_json::Value = serde_json::from_slice(&body)?;
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    Ok(Session {
        token: text(&answer["token"]).context("no token in the sign-in answer")?,
        user_id: text(&answer["user"]["id"]).context("no user id in the sign-in answer")?,
    })
}

impl Ctx {
    /// Signs in the supervisor and every agent.
    pub async fn new(
        client: Client,
        plan: Plan,
        load: Load,
        profiles: Vec<ProfileId>,
        topic: CaseFieldId,
        postgres: bool,
    ) -> anyhow::Result<Ctx> {
        login(&client, ADMIN).await?;
        let supervisor = login(&client, SUPERVISOR).await?;
        let mut agents = Vec::new();
        for i in 0..plan.sizes.agents as usize {
            agents.push(login(&client, &agent_email(i)).await?);
        }
        Ok(Ctx {
            client,
            plan,
            load,
            supervisor,
            agents,
            profiles,
            topic,
            postgres,
        })
    }

    /// The target of messages per second in 100-message deliveries on this backend.
    pub fn ingest_target(&self) -> f64 {
        if self.postgres {
            5_000.0
        } else {
            10_000.0
        }
    }

    /// Agent `i` (wrapping).
    pub fn agent(&self, i: usize) -> &Session {
        &self.agents[i % self.agents.len().max(1)]
    }
}
