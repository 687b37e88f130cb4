//! The limits a composer shows before the agent sends (PRODUCT.md §5 and §12 "Composer and
//! conversation"): the direct-message reply window of each network, and the longest text the
//! network takes for a reply kind in answer to a message.
//!
//! The window here is the one [`crate::reply::plan_reply`] enforces (it asks this module), so the
//! composer's countdown and the server's refusal cannot disagree.

use crate::message::{ConversationKind, Message};
use crate::network::Network;
use crate::reply::{
    channel_for, ReplyContext, ReplyKind, EXTENDED_WINDOW_SECS, STANDARD_WINDOW_SECS,
};
use crate::time::Timestamp;

/// Where a direct-message conversation stands in its network's reply window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DmWindow {
    /// Messages go as usual until `closes_at` (Messenger: then with the human-agent tag).
    Open {
        /// When the standard window ends.
        closes_at: Timestamp,
        /// Messenger: after `closes_at`, messages still go with the human-agent tag until then.
        tagged_until: Option<Timestamp>,
    },
    /// Messenger between 24 hours and 7 days: messages go with the human-agent tag until
    /// `closes_at`.
    HumanAgent {
        /// When the tagged window ends too.
        closes_at: Timestamp,
    },
    /// No direct message reaches the customer until they write again.
    Closed {
        /// When it closed; `None` when the customer never wrote in the conversation.
        closed_at: Option<Timestamp>,
    },
}

impl DmWindow {
    /// True while a direct message may be sent.
    pub fn is_open(self) -> bool {
        !matches!(self, DmWindow::Closed { .. })
    }
}

/// The reply window of a direct-message conversation on `network` whose customer last wrote at
/// `last_customer_message_at`, as of `now`: Messenger 24 hours, then 7 days with the
/// human-agent tag; Instagram 24 hours; X has none (`None`).
pub fn dm_window(
    network: Network,
    last_customer_message_at: Option<Timestamp>,
    now: Timestamp,
) -> Option<DmWindow> {
    let standard = |at: Timestamp| at.plus_secs(STANDARD_WINDOW_SECS);
    let extended = |at: Timestamp| at.plus_secs(EXTENDED_WINDOW_SECS);
    // Whole seconds, as the networks count them.
    let within = |at: Timestamp, secs: i64| now.secs_since(at) <= secs;
    let window = match (network, last_customer_message_at) {
        (Network::X, _) => return None,
        (_, None) => DmWindow::Closed { closed_at: None },
        (Network::Facebook, Some(at)) if within(at, STANDARD_WINDOW_SECS) => DmWindow::Open {
            closes_at: standard(at),
            tagged_until: Some(extended(at)),
        },
        (Network::Facebook, Some(at)) if within(at, EXTENDED_WINDOW_SECS) => DmWindow::HumanAgent {
            closes_at: extended(at),
        },
        (Network::Facebook, Some(at)) => DmWindow::Closed {
            closed_at: Some(extended(at)),
        },
        (Network::Instagram, Some(at)) if within(at, STANDARD_WINDOW_SECS) => DmWindow::Open {
            closes_at: standard(at),
            tagged_until: None,
        },
        (Network::Instagram, Some(at)) => DmWindow::Closed {
            closed_at: Some(standard(at)),
        },
    };
    Some(window)
}

/// The longest text the network takes when `kind` answers `target` (`None` when the network
/// cannot carry that kind there). The limit depends on the channel alone, never on a window, so
/// it is asked with the windows open.
pub fn text_limit(network: Network, target: &Message, kind: ReplyKind) -> Option<usize> {
    let conversation = if target.kind == crate::message::MessageKind::Direct {
        ConversationKind::Dm
    } else {
        ConversationKind::Thread
    };
    let root = target.network_id.as_deref().unwrap_or_default();
    let ctx = ReplyContext {
        network,
        conversation,
        root_network_id: root,
        target: Some(target),
        last_customer_message_at: Some(target.created_at),
        private_reply_exists: false,
        now: target.created_at,
    };
    channel_for(kind, &ctx)
        .ok()
        .map(|channel| channel.max_chars())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MessageKind;
    use crate::reply::{plan_reply, Channel};
    use crate::testkit::{self, t};

    const HOUR: i64 = 3_600;

    #[test]
    fn each_network_has_its_window() {
        let last = t(0);
        let table = [
            (
                Network::Facebook,
                2 * HOUR,
                Some(DmWindow::Open {
                    closes_at: t(24 * HOUR),
                    tagged_until: Some(t(7 * 24 * HOUR)),
                }),
            ),
            (
                Network::Facebook,
                30 * HOUR,
                Some(DmWindow::HumanAgent {
                    closes_at: t(7 * 24 * HOUR),
                }),
            ),
            (
                Network::Facebook,
                8 * 24 * HOUR,
                Some(DmWindow::Closed {
                    closed_at: Some(t(7 * 24 * HOUR)),
                }),
            ),
            (
                Network::Instagram,
                24 * HOUR,
                Some(DmWindow::Open {
                    closes_at: t(24 * HOUR),
                    tagged_until: None,
                }),
            ),
            (
                Network::Instagram,
                24 * HOUR + 1,
                Some(DmWindow::Closed {
                    closed_at: Some(t(24 * HOUR)),
                }),
            ),
            (Network::X, 300 * 24 * HOUR, None),
        ];
        for (network, after, expected) in table {
            assert_eq!(
                dm_window(network, Some(last), t(after)),
                expected,
                "{network:?} {after}"
            );
        }
        assert_eq!(
            dm_window(Network::Instagram, None, t(0)),
            Some(DmWindow::Closed { closed_at: None })
        );
    }

    #[test]
    fn the_window_shown_is_the_window_enforced() {
        let dm = testkit::message(1)
            .kind(MessageKind::Direct)
            .at(t(0))
            .build();
        for network in [Network::Facebook, Network::Instagram, Network::X] {
            for after in [HOUR, 24 * HOUR, 24 * HOUR + 1, 7 * 24 * HOUR, 8 * 24 * HOUR] {
                let ctx = ReplyContext {
                    network,
                    conversation: ConversationKind::Dm,
                    root_network_id: "",
                    target: Some(&dm),
                    last_customer_message_at: Some(t(0)),
                    private_reply_exists: false,
                    now: t(after),
                };
                let planned = plan_reply(ReplyKind::Direct, "hello", &ctx);
                let open = dm_window(network, Some(t(0)), t(after)).is_none_or(DmWindow::is_open);
                assert_eq!(planned.is_ok(), open, "{network:?} {after}");
                let tagged = matches!(
                    planned.map(|p| p.channel),
                    Ok(Channel::MessengerMessage {
                        human_agent_tag: true
                    })
                );
                assert_eq!(
                    tagged,
                    matches!(
                        dm_window(network, Some(t(0)), t(after)),
                        Some(DmWindow::HumanAgent { .. })
                    ),
                    "{network:?} {after}"
                );
            }
        }
    }

    #[test]
    fn the_text_limit_is_the_channels() {
        let dm = testkit::message(1).kind(MessageKind::Direct).build();
        let comment = testkit::message(2).kind(MessageKind::Comment).build();
        let post = testkit::message(3).kind(MessageKind::Post).build();
        let table = [
            (Network::Facebook, &dm, ReplyKind::Direct, Some(2_000)),
            (Network::Facebook, &comment, ReplyKind::Reply, Some(8_000)),
            (Network::Facebook, &comment, ReplyKind::Direct, Some(2_000)),
            (Network::Instagram, &dm, ReplyKind::Direct, Some(1_000)),
            (
                Network::Instagram,
                &comment,
                ReplyKind::Comment,
                Some(2_200),
            ),
            (Network::Instagram, &post, ReplyKind::Reply, None),
            (Network::X, &post, ReplyKind::Reply, Some(280)),
            (Network::X, &dm, ReplyKind::Direct, Some(10_000)),
            (Network::X, &dm, ReplyKind::Reply, None),
        ];
        for (network, target, kind, expected) in table {
            assert_eq!(
                text_limit(network, target, kind),
                expected,
                "{network:?} {:?} {kind:?}",
                target.kind
            );
        }
    }
}
