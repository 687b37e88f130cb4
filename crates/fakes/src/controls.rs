//! What both fakes share and what tests steer them with: the faults waiting for coming requests,
//! the book of what was posted and which tokens are revoked, and the echoes sent to the desk.
//! [`crate::FakeMeta`] and [`crate::FakeX`] dereference to their `Controls`.

use std::sync::Mutex;

use caredesk_networks::AppNetwork;

use crate::book::Book;
use crate::echo::Echoes;
use crate::fault::Faults;
use crate::{lock, Delivery, EchoRecord, FakeError, Fault, SentReply, WebhookTarget};

/// The steering wheel of a fake network.
#[derive(Debug)]
pub struct Controls {
    pub(crate) faults: Faults,
    pub(crate) echoes: Echoes,
    pub(crate) book: Mutex<Book>,
}

impl Controls {
    pub(crate) fn start(
        network: AppNetwork,
        webhook: Option<WebhookTarget>,
    ) -> Result<Self, FakeError> {
        Ok(Controls {
            faults: Faults::default(),
            echoes: Echoes::start(network, webhook)?,
            book: Mutex::new(Book::default()),
        })
    }

    /// Queues `fault` for a coming request (one fault per request, in order).
    pub fn inject(&self, fault: Fault) {
        self.faults.push(fault);
    }

    /// Refuses `token` from now on, as after a password change or a revoked app.
    pub fn revoke_token(&self, token: &str) {
        lock(&self.book).revoked.insert(token.to_owned());
    }

    /// Accepts a revoked `token` again.
    pub fn restore_token(&self, token: &str) {
        lock(&self.book).revoked.remove(token);
    }

    /// Learns the message a customer delivery creates, so replies to it reach its author.
    pub fn remember(&self, delivery: &Delivery) {
        lock(&self.book).remember(delivery);
    }

    /// Every reply posted so far, oldest first.
    pub fn sent(&self) -> Vec<SentReply> {
        lock(&self.book).sent.clone()
    }

    /// How many replies with exactly `text` were posted.
    pub fn sent_count(&self, text: &str) -> usize {
        lock(&self.book)
            .sent
            .iter()
            .filter(|s| s.text == text)
            .count()
    }

    /// Sends echoes to `target` from now on (or nowhere).
    pub fn set_webhook(&self, target: Option<WebhookTarget>) {
        self.echoes.set_target(target);
    }

    /// Posts the echo of each reply accepted from now on `delay` after accepting it, as a
    /// network whose webhooks lag its API does (echoes still leave in order).
    pub fn set_echo_delay(&self, delay: std::time::Duration) {
        self.echoes.set_delay(delay);
    }

    /// The echoes posted so far, oldest first.
    pub fn echoes(&self) -> Vec<EchoRecord> {
        self.echoes.records()
    }

    /// Waits until every echo of the replies posted so far has been delivered.
    pub async fn flush_echoes(&self) {
        self.echoes.flush().await;
    }
}
