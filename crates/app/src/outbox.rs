//! Sending what the outbox holds (PRODUCT.md §5), at most once: a claimed reply is committed as
//! `sending` before its network call starts; the call's outcome is recorded in a second unit of
//! work; a call that got no answer waits for the network's echo and, past the in-doubt window,
//! becomes `delivery_unknown` for a person to decide. Nothing is ever re-sent by the machine
//! once a call may have reached the network.

use std::time::Duration;

use caredesk_domain::delivery::{
    after_attempt, mark_sent_under_another_id, mark_unknown, record_attempt, start_sending,
    AfterAttempt,
};
use caredesk_domain::reply::Channel;
use caredesk_domain::*;
use caredesk_store::{OutboxEntry, Tx};
use futures::future::join_all;

use crate::error::AppResult;
use crate::outbound::{OutgoingFile, OutgoingReply, ReplySender, SendOutcome};
use crate::App;

/// How the outbox worker behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboxConfig {
    /// Replies claimed (and sent concurrently) per pass.
    pub batch: u32,
    /// How long a call may stay unanswered before its reply becomes `delivery_unknown` (longer
    /// than the HTTP request timeout, so a live call is never declared lost).
    pub in_doubt_after: Duration,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            batch: 16,
            in_doubt_after: Duration::from_secs(120),
        }
    }
}

/// A reply claimed for sending: committed as `sending`, its call not made yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedSend {
    /// What the call needs.
    pub reply: OutgoingReply,
}

/// What one pass of the worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxPass {
    /// Replies the networks accepted.
    pub sent: u32,
    /// Replies back in the queue after a transient error.
    pub retrying: u32,
    /// Replies that failed for good.
    pub failed: u32,
    /// Calls without an answer, waiting for their echo.
    pub in_doubt: u32,
    /// Replies whose in-doubt window passed without an echo (`delivery_unknown`).
    pub unknown: u32,
}

impl OutboxPass {
    /// True when the pass claimed nothing.
    pub fn is_idle(&self) -> bool {
        self.sent + self.retrying + self.failed + self.in_doubt == 0
    }
}

impl App {
    /// One pass of the worker: settles calls left without an answer, then claims up to a batch
    /// of due replies, sends them concurrently and records each outcome.
    pub async fn send_due_replies(&self, sender: &dyn ReplySender) -> AppResult<OutboxPass> {
        let mut pass = OutboxPass {
            unknown: self.settle_replies_in_doubt().await?,
            ..OutboxPass::default()
        };
        let claimed = self.claim_due_replies(self.outbox.batch).await?;
        let calls = claimed.iter().map(|c| sender.send(&c.reply));
        let outcomes = join_all(calls).await;
        for (claim, outcome) in claimed.iter().zip(outcomes) {
            match self.record_send(claim, outcome).await? {
                Some(Delivery::Sent) => pass.sent += 1,
                Some(Delivery::Queued) => pass.retrying += 1,
                Some(Delivery::Failed) => pass.failed += 1,
                Some(Delivery::Sending) => pass.in_doubt += 1,
                _ => {}
            }
        }
        Ok(pass)
    }

    /// Claims up to `limit` due replies and commits them as `sending`, before any call starts.
    /// A reply that cannot be sent at all (its profile or channel is gone) fails here.
    pub async fn claim_due_replies(&self, limit: u32) -> AppResult<Vec<ClaimedSend>> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let mut claimed = Vec::new();
        for entry in tx.due_replies(now, limit).await? {
            let Some(mut message) = tx.message(entry.message_id).await? else {
                continue;
            };
            match outgoing(tx.as_mut(), &message, &entry).await? {
                Ok(reply) => {
                    start_sending(&mut message);
                    tx.start_outbox_send(message.id, now).await?;
                    let file = message.attachments.iter().find_map(|a| a.media_id);
                    claimed.push((ClaimedSend { reply }, file));
                }
                Err(reason) => {
                    tx.end_outbox_send(message.id, None).await?;
                    let failed = AfterAttempt::Failed {
                        reason,
                        token_rejected: false,
                    };
                    record_attempt(&mut message, &failed);
                }
            }
            tx.update_message(&message).await?;
            delivery_event(tx.as_mut(), &message, now).await?;
        }
        tx.commit().await?;
        // Files are read after the commit, so that no unit of work waits on the media store; a
        // file that cannot be read fails its reply before any call is made.
        let mut ready = Vec::with_capacity(claimed.len());
        for (mut claim, file) in claimed {
            if let Some(media) = file {
                match self.outgoing_file(media).await? {
                    Ok(file) => claim.reply.file = Some(file),
                    Err(reason) => {
                        let never_sent = SendOutcome::Permanent { reason };
                        self.record_send(&claim, never_sent).await?;
                        continue;
                    }
                }
            }
            ready.push(claim);
        }
        Ok(ready)
    }

    /// The bytes of a reply's file from the media store, or why they cannot be sent.
    async fn outgoing_file(&self, id: MediaId) -> AppResult<Result<OutgoingFile, String>> {
        let gone = |why: &str| Ok(Err(format!("cannot be sent: the file {why}")));
        let Some(media) = self.store.media(id).await? else {
            return gone("is gone");
        };
        let (Some(key), Some(store)) = (media.object_key.as_deref(), self.media_store()) else {
            return gone("is not kept");
        };
        let bytes = match store.get(key).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return gone("is no longer in the media store"),
            Err(error) => {
                tracing::warn!(media = id.0, %error, "a reply's file could not be read");
                return gone("could not be read from the media store");
            }
        };
        let mime = media
            .mime
            .unwrap_or_else(|| "application/octet-stream".into());
        Ok(Ok(OutgoingFile {
            kind: media.kind,
            filename: media.filename.unwrap_or_else(|| "file".into()),
            mime,
            bytes,
        }))
    }

    /// Records what the network answered to a claimed reply; answers the reply's new delivery
    /// state (`None` when something else, e.g. its echo, settled it first).
    pub async fn record_send(
        &self,
        claim: &ClaimedSend,
        outcome: SendOutcome,
    ) -> AppResult<Option<Delivery>> {
        let now = self.now();
        let id = claim.reply.message;
        let mut tx = self.store.begin().await?;
        let Some(mut message) = tx.message(id).await? else {
            return Ok(None);
        };
        if let Some(customer) = message.customer_id {
            tx.lock_customer(customer).await?;
            message = tx.message(id).await?.unwrap_or(message);
        }
        let entry = tx.outbox_entry(id).await?;
        let (Some(entry), Some(Delivery::Sending)) = (entry, message.delivery) else {
            if message.delivery == Some(Delivery::Sent) {
                tx.remove_outbox(id).await?;
                tx.commit().await?;
            }
            return Ok(None);
        };
        let after = after_attempt(outcome, entry.attempts, now, rand::random::<f64>());
        let mut id_taken = false;
        match &after {
            AfterAttempt::Sent { network_id } => {
                tx.remove_outbox(id).await?;
                tx.set_token_rejected(message.profile_id, None).await?;
                id_taken = tx
                    .message_by_network_id(message.profile_id, network_id)
                    .await?
                    .is_some_and(|holder| holder.id != id);
            }
            AfterAttempt::RetryAt { at, .. } => tx.end_outbox_send(id, Some(*at)).await?,
            AfterAttempt::Failed {
                reason,
                token_rejected,
            } => {
                tx.end_outbox_send(id, None).await?;
                if *token_rejected {
                    tx.set_token_rejected(message.profile_id, Some((now, reason)))
                        .await?;
                }
            }
            AfterAttempt::AwaitEcho { .. } => {}
        }
        if id_taken {
            // An echo that did not match our text was stored first and keeps the network's id;
            // the reply itself is sent.
            mark_sent_under_another_id(&mut message);
        } else {
            record_attempt(&mut message, &after);
        }
        tx.update_message(&message).await?;
        if !matches!(after, AfterAttempt::AwaitEcho { .. }) {
            delivery_event(tx.as_mut(), &message, now).await?;
        }
        tx.commit().await?;
        Ok(message.delivery)
    }

    /// Replies whose call got no answer within the in-doubt window and no echo since: they
    /// become `delivery_unknown`, never re-sent by the machine. Answers how many.
    pub async fn settle_replies_in_doubt(&self) -> AppResult<u32> {
        let now = self.now();
        let window = i64::try_from(self.outbox.in_doubt_after.as_secs()).unwrap_or(i64::MAX);
        let mut tx = self.store.begin().await?;
        let mut settled = 0;
        for entry in tx
            .replies_in_doubt(now.plus_secs(-window), self.outbox.batch)
            .await?
        {
            let Some(mut message) = tx.message(entry.message_id).await? else {
                continue;
            };
            mark_unknown(&mut message);
            tx.update_message(&message).await?;
            delivery_event(tx.as_mut(), &message, now).await?;
            settled += 1;
        }
        tx.commit().await?;
        Ok(settled)
    }
}

/// The call a reply needs, or why it cannot be made.
async fn outgoing(
    tx: &mut dyn Tx,
    message: &Message,
    entry: &OutboxEntry,
) -> AppResult<Result<OutgoingReply, String>> {
    let channel: Channel = match serde_json::from_value(entry.channel.clone()) {
        Ok(c) => c,
        Err(e) => return Ok(Err(format!("cannot be sent: unreadable channel ({e})"))),
    };
    let Some(profile) = tx.profile(message.profile_id).await? else {
        return Ok(Err("cannot be sent: the profile is gone".into()));
    };
    let recipient = match message.customer_id {
        Some(id) => tx.customer(id).await?.map(|c| c.network_user_id),
        None => None,
    };
    // An X profile holding an OAuth 1.0a token secret signs its calls with its X app's consumer
    // key and secret; no other app's secret ever goes to a send.
    let (consumer_key, consumer_secret) =
        if profile.network.app_network() == AppNetwork::X && !profile.token_secret.is_empty() {
            match tx.network_app(profile.app_id).await? {
                Some(app) if app.network == AppNetwork::X => (app.consumer_key, app.app_secret),
                _ => (String::new(), String::new()),
            }
        } else {
            (String::new(), String::new())
        };
    Ok(Ok(OutgoingReply {
        message: message.id,
        network: profile.network,
        profile_external_id: profile.external_id,
        access_token: profile.access_token,
        token_secret: profile.token_secret,
        consumer_key,
        consumer_secret,
        recipient_network_user_id: recipient,
        channel,
        text: message.text.clone(),
        file: None,
    }))
}

/// Logs a reply's delivery state on the case that holds it (or the installation's log); the
/// first delivered reply of a case is also recorded on the case, for first-response times, and
/// a reply that failed for good notifies its writer there.
pub(crate) async fn delivery_event(
    tx: &mut dyn Tx,
    message: &Message,
    now: Timestamp,
) -> AppResult<()> {
    let case = tx.cases_holding(message.id).await?.into_iter().next();
    let Some(delivery) = message.delivery else {
        return Ok(());
    };
    if let (Delivery::Sent, Some(case)) = (delivery, &case) {
        tx.mark_first_reply(case.id, now).await?;
        crate::sla::timers::reply_delivered(tx, case.id, now).await?;
    }
    tx.insert_events(&[Event {
        case_id: case.as_ref().map(|c| c.id),
        actor: None,
        at: now,
        kind: EventKind::ReplyDelivery {
            message_id: message.id,
            delivery,
        },
    }])
    .await?;
    if let Some(case) = &case {
        crate::notifications::of_delivery(tx, message, case, now).await?;
    }
    Ok(())
}
