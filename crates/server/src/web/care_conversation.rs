//! The conversation of the selected case, in words: its messages, notes and activity-log
//! entries in time order with their marks and delivery states, and the composer's targets —
//! the customer messages a reply may answer, each with the reply kinds its network carries and
//! their text limits.

use caredesk_app::queries::StoredEvent;
use caredesk_domain::reply::offered_reply_kinds;
use caredesk_domain::{Author, Customer, Delivery, Message, MessageKind};

use super::attachments::{summary, views, AttachmentView};
use super::care_events::{actor_words, event_words, Names};
use super::composer::limits;
use super::words::{delivery_label, message_kind_label, time_fallback};

/// One line of the conversation: a message or an activity-log entry.
pub(crate) struct Entry {
    /// `customer`, `brand`, `note` or `event`.
    pub class: String,
    pub who: String,
    pub text: String,
    /// RFC 3339, for the `<time>` element.
    pub at: String,
    /// The time in words, for a page without its script.
    pub at_words: String,
    pub marks: Vec<String>,
    /// The delivery state's code (for its colour) and words.
    pub delivery: String,
    pub delivery_words: String,
    pub error: String,
    at_micros: i64,
    /// The message's id (empty for events).
    pub id: String,
    /// A reply the assignee may retry or cancel.
    pub retryable: bool,
    /// What the message carries beside its text.
    pub attachments: Vec<AttachmentView>,
}

/// A message a reply may answer, with the kinds the network carries for it.
pub(crate) struct Target {
    pub id: String,
    pub label: String,
    pub hidden: bool,
    /// A direct message: `direct` is a DM, not a private reply.
    pub direct: bool,
    /// The offered kinds' codes, space-separated.
    pub kinds: String,
    /// Each offered kind's text limit (`composer::limits`).
    pub limits: String,
}

/// A reply kind of the composer, with its words for public content and for direct messages.
pub(crate) struct KindChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub dm_label: &'static str,
}

/// The customer messages a reply may answer, newest first (the composer's default), each with
/// the kinds its network carries.
pub(crate) fn targets(messages: &[Message], network: caredesk_domain::Network) -> Vec<Target> {
    let mut targets: Vec<(i64, Target)> = messages
        .iter()
        .filter(|m| m.author == Author::Customer)
        .filter_map(|m| {
            let kinds = offered_reply_kinds(network, m);
            if kinds.is_empty() {
                return None;
            }
            let first_line = summary(m, 60);
            Some((
                m.created_at.0,
                Target {
                    id: m.id.to_string(),
                    label: format!("{} · {}", message_kind_label(m.kind), first_line),
                    hidden: m.hidden,
                    direct: m.kind == MessageKind::Direct,
                    kinds: kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    limits: limits(network, m, &kinds),
                },
            ))
        })
        .collect();
    targets.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    targets.into_iter().map(|(_, t)| t).collect()
}

/// The messages and the activity log, in time order; `may_retry` marks the replies whose
/// sending the viewer may retry or cancel.
pub(crate) fn entries(
    messages: &[Message],
    events: &[StoredEvent],
    customer: &Customer,
    names: &Names<'_>,
    may_retry: bool,
) -> Vec<Entry> {
    let customer_name = customer.shown_name();
    let mut entries: Vec<Entry> = messages
        .iter()
        .map(|m| {
            let mut marks = Vec::new();
            if m.hidden {
                marks.push("hidden".to_owned());
            }
            if m.deleted {
                marks.push("deleted by the customer".to_owned());
            }
            if m.edited_at.is_some() {
                marks.push("edited".to_owned());
            }
            if m.visible_only_to_customer {
                marks.push("visible only to the customer".to_owned());
            }
            if m.standby {
                marks.push("another app held the conversation".to_owned());
            }
            let who = match m.author {
                Author::Customer => customer_name.clone(),
                Author::Brand => match m.sent_by {
                    Some(_) => names.user(m.sent_by),
                    None => "Brand".to_owned(),
                },
                Author::Note => format!("Internal note · {}", names.user(m.sent_by)),
            };
            Entry {
                class: m.author.to_string(),
                who,
                text: m.text.clone(),
                at: m.created_at.to_rfc3339(),
                at_words: time_fallback(m.created_at),
                marks,
                delivery: m.delivery.map(|d| d.to_string()).unwrap_or_default(),
                delivery_words: m
                    .delivery
                    .map(delivery_label)
                    .unwrap_or_default()
                    .to_owned(),
                error: m.error.clone().unwrap_or_default(),
                at_micros: m.created_at.0,
                id: m.id.to_string(),
                retryable: may_retry
                    && matches!(
                        m.delivery,
                        Some(Delivery::Failed | Delivery::DeliveryUnknown | Delivery::Queued)
                    ),
                attachments: views(m, customer.network),
            }
        })
        .collect();
    entries.extend(events.iter().filter_map(|e| {
        Some(Entry {
            class: "event".to_owned(),
            who: actor_words(e, names),
            text: event_words(&e.event.kind, names)?,
            at: e.event.at.to_rfc3339(),
            at_words: time_fallback(e.event.at),
            marks: Vec::new(),
            delivery: String::new(),
            delivery_words: String::new(),
            error: String::new(),
            at_micros: e.event.at.0,
            id: String::new(),
            retryable: false,
            attachments: Vec::new(),
        })
    }));
    entries.sort_by_key(|e| e.at_micros);
    entries
}
