//! The outbox worker through the use cases, with a scripted sender: each outcome's next state,
//! backoff, the in-doubt window, echoes that confirm replies, and profile health. Nothing is
//! ever sent twice.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use caredesk_app::outbound::{OutgoingReply, ReplySender, SendOutcome};
use caredesk_app::{InboundAuthor, InboundMessage, OutboxConfig};
use caredesk_domain::delivery::MAX_SEND_ATTEMPTS;
use caredesk_domain::reply::Channel;
use caredesk_domain::*;

use crate::support::{direct_reply, escalated, World};

/// Answers each call with the next scripted outcome (then `Sent`), and remembers every call.
#[derive(Clone, Default)]
struct Scripted {
    outcomes: Arc<Mutex<VecDeque<SendOutcome>>>,
    calls: Arc<Mutex<Vec<OutgoingReply>>>,
}

impl Scripted {
    fn then(self, outcome: SendOutcome) -> Self {
        self.outcomes.lock().expect("lock").push_back(outcome);
        self
    }

    fn calls(&self) -> Vec<OutgoingReply> {
        self.calls.lock().expect("lock").clone()
    }
}

#[async_trait]
impl ReplySender for Scripted {
    async fn send(&self, reply: &OutgoingReply) -> SendOutcome {
        let mut calls = self.calls.lock().expect("lock");
        calls.push(reply.clone());
        let n = calls.len();
        self.outcomes
            .lock()
            .expect("lock")
            .pop_front()
            .unwrap_or(SendOutcome::Sent {
                network_id: format!("m_{n}"),
            })
    }
}

fn transient() -> SendOutcome {
    SendOutcome::Transient {
        reason: "(#613) Calls to this api have exceeded the rate limit".into(),
        retry_after: None,
    }
}

/// A world whose agent has queued one direct message reply on a DM case.
async fn queued(w: &World) -> Message {
    let case = escalated(
        w,
        w.dm("ann", "dm-1", "where is my parcel"),
        Some(w.agent.id),
    )
    .await;
    w.app
        .queue_reply(
            w.agent.id,
            case.id,
            direct_reply("It left our warehouse today"),
            None,
        )
        .await
        .expect("queued")
}

async fn stored(w: &World, id: MessageId) -> Message {
    w.app
        .store()
        .message(id)
        .await
        .expect("read")
        .expect("message")
}

fn echo(w: &World, network_id: &str, text: &str) -> InboundMessage {
    InboundMessage {
        author: InboundAuthor::Brand {
            customer_network_user_id: "ann".into(),
        },
        ..w.dm("ann", network_id, text)
    }
}

#[tokio::test]
async fn a_reply_is_sent_once_with_what_the_network_needs() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let sender = Scripted::default();
    let pass = w.app.send_due_replies(&sender).await.expect("pass");
    assert_eq!(pass.sent, 1);
    let calls = sender.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].message, reply.id);
    assert_eq!(calls[0].network, Network::Facebook);
    assert_eq!(calls[0].profile_external_id, "page-1");
    assert_eq!(calls[0].access_token, "token");
    assert_eq!(calls[0].recipient_network_user_id.as_deref(), Some("ann"));
    assert_eq!(
        calls[0].channel,
        Channel::MessengerMessage {
            human_agent_tag: false
        }
    );
    let sent = stored(&w, reply.id).await;
    assert_eq!(sent.delivery, Some(Delivery::Sent));
    assert_eq!(sent.network_id.as_deref(), Some("m_1"));
    assert_eq!(w.app.store().outbox_depth().await.expect("depth"), 0);
    let again = w.app.send_due_replies(&sender).await.expect("pass");
    assert!(again.is_idle());
    assert_eq!(sender.calls().len(), 1, "never sent twice");
}

#[tokio::test]
async fn transient_errors_back_off_then_send() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let sender = Scripted::default().then(transient()).then(transient());
    assert_eq!(
        w.app
            .send_due_replies(&sender)
            .await
            .expect("pass")
            .retrying,
        1
    );
    let waiting = stored(&w, reply.id).await;
    assert_eq!(waiting.delivery, Some(Delivery::Queued));
    assert!(waiting
        .error
        .as_deref()
        .is_some_and(|e| e.contains("exceeded the rate limit")));
    // Not due yet: the first wait is at least 2.5 s.
    assert!(w
        .app
        .send_due_replies(&sender)
        .await
        .expect("pass")
        .is_idle());
    w.clock.advance_secs(6);
    assert_eq!(
        w.app
            .send_due_replies(&sender)
            .await
            .expect("pass")
            .retrying,
        1
    );
    // The second wait is between 5 and 10 s.
    w.clock.advance_secs(4);
    assert!(
        w.app
            .send_due_replies(&sender)
            .await
            .expect("pass")
            .is_idle(),
        "the second wait is longer"
    );
    w.clock.advance_secs(7);
    assert_eq!(w.app.send_due_replies(&sender).await.expect("pass").sent, 1);
    assert_eq!(sender.calls().len(), 3);
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sent));
}

#[tokio::test]
async fn a_reply_that_keeps_meeting_transient_errors_fails_after_the_last_attempt() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let mut sender = Scripted::default();
    for _ in 0..MAX_SEND_ATTEMPTS {
        sender = sender.then(transient());
    }
    for _ in 0..MAX_SEND_ATTEMPTS {
        w.app.send_due_replies(&sender).await.expect("pass");
        w.clock.advance_secs(3_600);
    }
    let failed = stored(&w, reply.id).await;
    assert_eq!(failed.delivery, Some(Delivery::Failed));
    assert_eq!(sender.calls().len(), MAX_SEND_ATTEMPTS as usize);
    assert!(w
        .app
        .send_due_replies(&sender)
        .await
        .expect("pass")
        .is_idle());
}

#[tokio::test]
async fn a_permanent_error_fails_with_the_network_s_words_until_a_person_retries() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let sender = Scripted::default().then(SendOutcome::Permanent {
        reason: "(#551) This person isn't available right now".into(),
    });
    assert_eq!(
        w.app.send_due_replies(&sender).await.expect("pass").failed,
        1
    );
    let failed = stored(&w, reply.id).await;
    assert_eq!(failed.delivery, Some(Delivery::Failed));
    assert_eq!(
        failed.error.as_deref(),
        Some("(#551) This person isn't available right now")
    );
    w.clock.advance_secs(3_600);
    assert!(w
        .app
        .send_due_replies(&sender)
        .await
        .expect("pass")
        .is_idle());
    let health = w.app.profile_health().await.expect("health");
    assert_eq!(health[0].signals.replies_stuck, 1);

    w.app
        .retry_reply(w.agent.id, reply.id)
        .await
        .expect("retry");
    assert_eq!(w.app.send_due_replies(&sender).await.expect("pass").sent, 1);
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sent));
    assert_eq!(sender.calls().len(), 2);
}

#[tokio::test]
async fn a_refused_token_marks_the_profile_until_a_send_succeeds() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let sender = Scripted::default().then(SendOutcome::TokenRejected {
        reason: "(#190) Error validating access token: Session has expired".into(),
    });
    w.app.send_due_replies(&sender).await.expect("pass");
    let health = w.app.profile_health().await.expect("health");
    let (_, error) = health[0].signals.token_rejected.clone().expect("rejected");
    assert!(error.contains("Session has expired"));
    assert!(health[0]
        .problems
        .iter()
        .any(|p| p.describe().contains("refused the access token")));

    w.app
        .retry_reply(w.agent.id, reply.id)
        .await
        .expect("retry");
    w.app.send_due_replies(&sender).await.expect("pass");
    let health = w.app.profile_health().await.expect("health");
    assert_eq!(health[0].signals.token_rejected, None);
}

#[tokio::test]
async fn an_unanswered_call_waits_for_its_echo_then_becomes_unknown_never_resent() {
    let w = World::new().await;
    let app = w.app.clone().with_outbox(OutboxConfig {
        in_doubt_after: Duration::from_secs(60),
        ..OutboxConfig::default()
    });
    let reply = queued(&w).await;
    let sender = Scripted::default().then(SendOutcome::InDoubt {
        reason: "the connection dropped before the network answered".into(),
    });
    assert_eq!(
        app.send_due_replies(&sender).await.expect("pass").in_doubt,
        1
    );
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sending));
    w.clock.advance_secs(30);
    assert!(app.send_due_replies(&sender).await.expect("pass").is_idle());
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sending));
    w.clock.advance_secs(31);
    assert_eq!(
        app.send_due_replies(&sender).await.expect("pass").unknown,
        1
    );
    let unknown = stored(&w, reply.id).await;
    assert_eq!(unknown.delivery, Some(Delivery::DeliveryUnknown));
    w.clock.advance_secs(3_600);
    assert!(app.send_due_replies(&sender).await.expect("pass").is_idle());
    assert_eq!(sender.calls().len(), 1, "never re-sent by the machine");

    // The echo arrives late: the reply is sent after all.
    app.ingest(echo(&w, "m_late", "It left our warehouse today"))
        .await
        .expect("echo");
    let sent = stored(&w, reply.id).await;
    assert_eq!(sent.delivery, Some(Delivery::Sent));
    assert_eq!(sent.network_id.as_deref(), Some("m_late"));
    assert_eq!(w.app.store().outbox_depth().await.expect("depth"), 0);
}

#[tokio::test]
async fn an_echo_during_the_call_confirms_the_reply_and_stores_nothing_new() {
    let w = World::new().await;
    let reply = queued(&w).await;
    let claimed = w.app.claim_due_replies(10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sending));
    // A crash here would leave the reply `sending`; the echo settles it.
    let outcome = w
        .app
        .ingest(echo(&w, "m_echo", "  It left our warehouse today "))
        .await
        .expect("echo");
    assert_eq!(outcome, caredesk_app::IngestOutcome::Confirmed(reply.id));
    // The answer that comes after the echo changes nothing.
    let after = w
        .app
        .record_send(
            &claimed[0],
            SendOutcome::Sent {
                network_id: "m_echo".into(),
            },
        )
        .await
        .expect("record");
    assert_eq!(after, None);
    let sent = stored(&w, reply.id).await;
    assert_eq!(sent.delivery, Some(Delivery::Sent));
    assert_eq!(sent.network_id.as_deref(), Some("m_echo"));
    let conversation = sent.conversation_id.expect("conversation");
    let messages = w
        .app
        .store()
        .conversation_messages(conversation, None, 50)
        .await
        .expect("messages");
    assert_eq!(
        messages.items.len(),
        2,
        "the customer's message and our reply, no copy"
    );
    // A redelivery of the echo is known.
    let again = w
        .app
        .ingest(echo(&w, "m_echo", "It left our warehouse today"))
        .await
        .expect("echo");
    assert_eq!(again, caredesk_app::IngestOutcome::Known(reply.id));
}

#[tokio::test]
async fn an_echo_with_other_text_is_a_brand_message_of_its_own() {
    let w = World::new().await;
    let reply = queued(&w).await;
    w.app.claim_due_replies(10).await.expect("claim");
    let outcome = w
        .app
        .ingest(echo(&w, "m_other", "Written on the network directly"))
        .await
        .expect("echo");
    assert!(matches!(outcome, caredesk_app::IngestOutcome::Brand { .. }));
    assert_eq!(stored(&w, reply.id).await.delivery, Some(Delivery::Sending));
}

#[tokio::test]
async fn webhooks_and_backlog_show_in_profile_health() {
    let w = World::new().await;
    let health = w.app.profile_health().await.expect("health");
    assert!(health[0]
        .problems
        .iter()
        .any(|p| p.describe() == "no webhook has arrived yet"));
    let update = caredesk_app::delivery::Update::Message {
        profile: (Network::Facebook, "page-1".into()),
        message: w.dm("bob", "dm-b1", "hello").into(),
    };
    w.app
        .ingest_delivery(w.profile.app_id, vec![update])
        .await
        .expect("delivery");
    let health = w.app.profile_health().await.expect("health");
    assert_eq!(health[0].signals.last_webhook_at, Some(w.app.now()));
    assert!(health[0].problems.is_empty(), "{:?}", health[0].problems);

    queued(&w).await;
    w.clock.advance_secs(11 * 60);
    let health = w.app.profile_health().await.expect("health");
    let kinds: Vec<String> = health[0].problems.iter().map(|p| p.describe()).collect();
    assert!(
        kinds.iter().any(|k| k.starts_with("1 replies waiting")),
        "{kinds:?}"
    );
}
