//! What both composers (Care's case and Community's item) show before the agent sends: the
//! longest text the network takes for each reply kind offered for a target, and where a
//! direct-message conversation stands in its network's reply window. The numbers and the
//! windows are the domain's (`reply_limits`); the page only writes them down, and
//! `assets/composer.js` counts against them as the agent types.

use caredesk_domain::reply::ReplyKind;
use caredesk_domain::reply_limits::{dm_window, text_limit, DmWindow};
use caredesk_domain::{Author, Message, MessageKind, Network, Timestamp};

use super::words::time_fallback;

/// The text limit of each kind offered for `target`, as `kind:chars` pairs separated by spaces
/// (`reply:8000 comment:8000 direct:2000`), for the composer's counter.
pub(crate) fn limits(network: Network, target: &Message, kinds: &[ReplyKind]) -> String {
    kinds
        .iter()
        .filter_map(|&kind| {
            text_limit(network, target, kind).map(|chars| format!("{}:{chars}", kind.as_str()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The reply window of the conversation's direct messages, in words.
pub(crate) struct WindowNotice {
    /// `open`, `tagged` or `closed` (its look).
    pub state: &'static str,
    /// The words before the time.
    pub lead: String,
    /// The time the window closes or closed (RFC 3339; empty when there is none to name).
    pub at: String,
    /// `until` for a time to come, empty for a moment past.
    pub format: &'static str,
    /// That time in words, for a page without its script.
    pub at_words: String,
    /// The words after the time.
    pub tail: String,
}

/// Where the direct messages among `messages` stand in the network's reply window as of `now`
/// (`None` when there are none, or the network has no window). `still` says what works when it
/// is closed.
pub(crate) fn window_notice(
    network: Network,
    messages: &[Message],
    now: Timestamp,
    still: &str,
) -> Option<WindowNotice> {
    let last_dm = messages
        .iter()
        .filter(|m| m.author == Author::Customer && m.kind == MessageKind::Direct)
        .map(|m| m.created_at)
        .max()?;
    let name = network.label();
    let notice = match dm_window(network, Some(last_dm), now)? {
        DmWindow::Open {
            closes_at,
            tagged_until,
        } => WindowNotice {
            state: "open",
            lead: "Reply window closes".to_owned(),
            at: closes_at.to_rfc3339(),
            format: "until",
            at_words: format!("at {}", time_fallback(closes_at)),
            tail: match tagged_until {
                Some(_) => " (24 hours after the customer's last message); then messages go \
                            with the human-agent tag for up to 7 days."
                    .to_owned(),
                None => " (24 hours after the customer's last message).".to_owned(),
            },
        },
        DmWindow::HumanAgent { closes_at } => WindowNotice {
            state: "tagged",
            lead: "Reply window closes".to_owned(),
            at: closes_at.to_rfc3339(),
            format: "until",
            at_words: format!("at {}", time_fallback(closes_at)),
            tail: ": the customer wrote over 24 hours ago, so messages go with the human-agent \
                   tag."
                .to_owned(),
        },
        DmWindow::Closed { closed_at } => WindowNotice {
            state: "closed",
            lead: "The reply window closed".to_owned(),
            at: closed_at.map(Timestamp::to_rfc3339).unwrap_or_default(),
            format: "",
            at_words: closed_at.map(time_fallback).unwrap_or_default(),
            tail: format!(
                ": {name} takes no direct message until the customer writes again. {still}"
            ),
        },
    };
    Some(notice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::{MessageId, NewMessage, ProfileId};

    fn message(kind: MessageKind, author: Author, at: Timestamp) -> Message {
        let mut new = NewMessage::written(ProfileId(1), kind, author, "hello", at);
        new.network_id = Some("n-1".into());
        new.stored_as(MessageId(1))
    }

    const HOUR: i64 = 3_600;

    #[test]
    fn each_kind_offered_carries_its_limit() {
        let t = Timestamp::from_secs(1_800_000_000);
        let dm = message(MessageKind::Direct, Author::Customer, t);
        let post = message(MessageKind::Post, Author::Customer, t);
        let table = [
            (
                Network::Instagram,
                &dm,
                vec![ReplyKind::Direct],
                "direct:1000",
            ),
            (
                Network::X,
                &post,
                vec![ReplyKind::Reply, ReplyKind::Comment, ReplyKind::Direct],
                "reply:280 comment:280 direct:10000",
            ),
        ];
        for (network, target, kinds, expected) in table {
            assert_eq!(limits(network, target, &kinds), expected);
        }
    }

    #[test]
    fn the_notice_follows_the_customers_last_direct_message() {
        let t = Timestamp::from_secs(1_800_000_000);
        let messages = [
            message(MessageKind::Direct, Author::Customer, t),
            message(MessageKind::Direct, Author::Brand, t.plus_secs(20 * HOUR)),
        ];
        let still = "Notes still work.";
        let open = window_notice(Network::Instagram, &messages, t.plus_secs(21 * HOUR), still)
            .expect("a window");
        assert_eq!((open.state, open.format), ("open", "until"));
        assert_eq!(open.at, t.plus_secs(24 * HOUR).to_rfc3339());
        let tagged = window_notice(Network::Facebook, &messages, t.plus_secs(30 * HOUR), still)
            .expect("a window");
        assert_eq!(tagged.state, "tagged");
        let closed = window_notice(Network::Instagram, &messages, t.plus_secs(25 * HOUR), still)
            .expect("a window");
        assert_eq!(closed.state, "closed");
        assert!(closed.tail.contains("Instagram") && closed.tail.ends_with(still));
        assert!(window_notice(Network::X, &messages, t, still).is_none());
        let public = [message(MessageKind::Comment, Author::Customer, t)];
        assert!(window_notice(Network::Instagram, &public, t, still).is_none());
    }
}
