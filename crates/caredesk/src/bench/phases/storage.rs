//! What runs in this process on the run's database before the server starts: the grace sweep
//! over every due case, timed as the server's background job runs it, and the storage ceiling,
//! messages like the ingested ones inserted straight into the database in batched, durable
//! transactions, which bounds what any ingest path could reach on this disk and database.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use caredesk_app::{App, SystemClock};
use caredesk_domain::*;
use caredesk_store::bulk::BulkRows;

use crate::bench::dataset::{customer_text, Plan};
use crate::bench::report::{Figure, Target};
use crate::bench::snapshot::Db;

/// The sweep of 100,000 due cases: at most this many seconds.
const SWEEP_100K_SECS: f64 = 3.0;
/// Messages the ceiling inserts, and how many per transaction.
const CEILING_MESSAGES: i64 = 50_000;
const CEILING_BATCH: i64 = 1_000;
/// Customers whose DM conversations the ceiling's messages go to.
const CEILING_CUSTOMERS: u64 = 100;

/// Times the sweep of every due case.
pub async fn sweep(db: &Db, plan: &Plan) -> anyhow::Result<Vec<Figure>> {
    let app = App::new(db.store.clone(), Arc::new(SystemClock));
    let started = Instant::now();
    let report = app.sweep_grace().await.context("the grace sweep failed")?;
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.expired >= plan.due_cases(),
        "the sweep finalised {} cases, the data set has {} due",
        report.expired,
        plan.due_cases()
    );
    let per_100k = secs * 100_000.0 / (report.expired.max(1) as f64);
    Ok(vec![
        Figure::new("grace_sweep.cases", "cases", report.expired as f64),
        Figure::new("grace_sweep.secs", "s", secs),
        Figure::new("grace_sweep.secs_per_100k", "s", per_100k)
            .target(Target::AtMost(SWEEP_100K_SECS)),
    ])
}

/// Inserts messages straight into the database; answers messages per second.
pub async fn ceiling(db: &Db, plan: &Plan, run: usize) -> anyhow::Result<f64> {
    let profiles = db.store.profiles().await?;
    let mut tx = db.store.begin().await?;
    let mut conversations = Vec::new();
    for k in 0..CEILING_CUSTOMERS.min(plan.sizes.customers) {
        let external = Plan::profile_external_id(plan.profile_of(k));
        let profile = profiles
            .iter()
            .find(|p| p.external_id == external)
            .context("a profile of the data set is missing")?;
        let customer = CustomerId(i64::try_from(k)? + 1);
        let dm = tx
            .conversation_for(profile.id, customer, ConversationKind::Dm, "")
            .await?;
        conversations.push(dm);
    }
    drop(tx);
    anyhow::ensure!(!conversations.is_empty(), "the data set has no customers");
    let mut next = db.bulk.last_ids().await?.message;
    let now = Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_micros() as i64,
    );
    let batches: Vec<BulkRows> = (0..CEILING_MESSAGES / CEILING_BATCH)
        .map(|b| BulkRows {
            messages: (0..CEILING_BATCH)
                .map(|i| {
                    next += 1;
                    let c = &conversations[(b * CEILING_BATCH + i) as usize % conversations.len()];
                    message(MessageId(next), c, format!("ceiling_{run}_{next}"), now)
                })
                .collect(),
            ..BulkRows::default()
        })
        .collect();
    let started = Instant::now();
    for batch in &batches {
        db.bulk.load(batch).await?;
    }
    let per_s = CEILING_MESSAGES as f64 / started.elapsed().as_secs_f64().max(1e-9);
    // The server inserts after these rows (PostgreSQL's identities know nothing of them).
    db.bulk.move_ids_past_loaded().await?;
    Ok(per_s)
}

fn message(id: MessageId, c: &Conversation, network_id: String, now: Timestamp) -> Message {
    Message {
        id,
        profile_id: c.profile_id,
        network_id: Some(network_id),
        kind: MessageKind::Direct,
        author: Author::Customer,
        customer_id: Some(c.customer_id),
        sent_by: None,
        conversation_id: Some(c.id),
        parent_id: None,
        parent_network_id: None,
        text: customer_text(id.0 as u64),
        attachments: Vec::new(),
        created_at: now,
        received_at: now,
        edited_at: None,
        hidden: false,
        deleted: false,
        visible_only_to_customer: false,
        delivery: None,
        error: None,
        standby: false,
    }
}
