//! The selected item of the Community page: its conversation (the newest 500 messages, without
//! internal notes), the composer, which offers only the reply kinds the network carries for the
//! chosen message (with their text limits and the reply window of direct messages) and says why
//! it is disabled when the item is held by a Care case, and the item's status, labels and
//! badges.

use caredesk_app::queries::{ItemRow, UserView};
use caredesk_domain::reply::{offered_reply_kinds, ReplyKind};
use caredesk_domain::{Author, Delivery, Message, MessageKind};

use super::attachments::{summary, views, AttachmentView};
use super::community::STATUSES;
use super::community_list::{badge, item_kind_words, shown_handle, Badge};
use super::composer::{limits, window_notice, WindowNotice};
use super::forms::{choices, Choice};
use super::words::{
    community_status_label, delivery_label, message_kind_label, reply_kind_label, time_fallback,
};
use super::WebUser;
use crate::AppState;

/// How many messages of a conversation the thread shows (the newest ones).
const THREAD_MESSAGES: usize = 500;

/// One message of the selected item's conversation.
pub(crate) struct Entry {
    pub(crate) id: String,
    /// `customer`, `brand` or `note`.
    pub(crate) class: String,
    pub(crate) who: String,
    pub(crate) kind: &'static str,
    pub(crate) text: String,
    pub(crate) at: String,
    pub(crate) at_fallback: String,
    pub(crate) marks: Vec<&'static str>,
    /// The delivery state's code (for its colour) and words; empty for customer messages.
    pub(crate) delivery: String,
    pub(crate) delivery_label: &'static str,
    pub(crate) error: String,
    pub(crate) retryable: bool,
    /// The item's own message.
    pub(crate) current: bool,
    /// What the message carries beside its text.
    pub(crate) attachments: Vec<AttachmentView>,
}

/// A message the composer may answer.
pub(crate) struct Target {
    pub(crate) id: String,
    /// Its kind in words, its time (and that time in words for a page without its script) and
    /// its first words: the script writes the time again in the viewer's zone.
    pub(crate) kind: &'static str,
    pub(crate) at: String,
    pub(crate) at_fallback: String,
    pub(crate) excerpt: String,
    /// The reply kinds the network carries for it, space-separated.
    pub(crate) kinds: String,
    /// Each offered kind's text limit (`composer::limits`).
    pub(crate) limits: String,
    pub(crate) hidden: bool,
    pub(crate) direct: bool,
    pub(crate) selected: bool,
}

/// A reply kind of the composer.
pub(crate) struct KindOption {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    /// For `direct`: its words for a direct message and for public content.
    pub(crate) dm_label: &'static str,
    pub(crate) public_label: &'static str,
    pub(crate) shown: bool,
    pub(crate) selected: bool,
}

/// The selected item.
pub(crate) struct Open {
    pub(crate) id: String,
    pub(crate) profile_id: String,
    pub(crate) profile_name: String,
    pub(crate) customer: String,
    pub(crate) handle: String,
    pub(crate) network: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) status: String,
    pub(crate) status_label: &'static str,
    pub(crate) statuses: Vec<Choice>,
    pub(crate) labels: Vec<String>,
    pub(crate) badge: Option<Badge>,
    pub(crate) customer_case: Option<Badge>,
    pub(crate) spam: bool,
    pub(crate) locked: bool,
    pub(crate) entries: Vec<Entry>,
    /// Older messages exist that the thread does not show.
    pub(crate) truncated: bool,
    pub(crate) targets: Vec<Target>,
    pub(crate) kinds: Vec<KindOption>,
    /// Where the direct messages stand in the network's reply window.
    pub(crate) window: Option<WindowNotice>,
    /// Why the composer is disabled (empty: it is not).
    pub(crate) reply_reason: String,
    pub(crate) hidden_warning: bool,
    /// Replies in flight: the page looks again until they settle.
    pub(crate) in_flight: bool,
}

fn user_name(users: &[UserView], id: Option<caredesk_domain::UserId>) -> String {
    id.and_then(|id| users.iter().find(|u| u.user.id == id))
        .map_or_else(|| "a colleague".to_owned(), |u| u.user.name.clone())
}

fn entry(m: &Message, row: &ItemRow, users: &[UserView], may_retry: bool) -> Entry {
    let mut marks = Vec::new();
    if m.hidden {
        marks.push("hidden");
    }
    if m.deleted {
        marks.push("deleted by the customer");
    }
    if m.edited_at.is_some() {
        marks.push("edited");
    }
    if m.visible_only_to_customer {
        marks.push("visible only to the customer");
    }
    if m.standby {
        marks.push("another app held the conversation");
    }
    let who = match m.author {
        Author::Customer => row.customer.shown_name(),
        Author::Brand => match m.sent_by {
            Some(_) => format!("Brand · {}", user_name(users, m.sent_by)),
            None => "Brand".to_owned(),
        },
        Author::Note => "Internal note".to_owned(),
    };
    Entry {
        id: m.id.to_string(),
        class: m.author.to_string(),
        who,
        kind: message_kind_label(m.kind),
        text: m.text.clone(),
        at: m.created_at.to_rfc3339(),
        at_fallback: time_fallback(m.created_at),
        marks,
        delivery: m.delivery.map(|d| d.to_string()).unwrap_or_default(),
        delivery_label: m.delivery.map(delivery_label).unwrap_or_default(),
        error: m.error.clone().unwrap_or_default(),
        retryable: may_retry
            && m.author == Author::Brand
            && m.delivery.is_some_and(Delivery::may_retry_or_cancel),
        current: m.id == row.item.message_id,
        attachments: views(m, row.customer.network),
    }
}

const KINDS: [ReplyKind; 3] = [ReplyKind::Reply, ReplyKind::Comment, ReplyKind::Direct];

/// The item `who` selected, in words: its thread, composer and actions.
pub(crate) async fn open_item(
    state: &AppState,
    who: &WebUser,
    r: &ItemRow,
    profile_name: String,
    users: &[UserView],
) -> Result<Open, String> {
    let care = who.user.has_care_access();
    let thread = state
        .app
        .community_thread(&who.user, r, THREAD_MESSAGES)
        .await
        .map_err(|error| {
            tracing::error!(%error, "web: a community conversation could not be read");
            "The conversation cannot be shown right now.".to_owned()
        })?;
    let (messages, truncated) = (thread.messages, thread.truncated);
    let network = r.customer.network;
    let locked = r.locking_case.is_some();
    // A reply held by a case in progress is retried or cancelled from Care.
    let entries: Vec<Entry> = messages
        .iter()
        .map(|m| entry(m, r, users, !locked))
        .collect();
    let in_flight = messages.iter().any(|m| {
        m.author == Author::Brand
            && matches!(m.delivery, Some(Delivery::Queued | Delivery::Sending))
    });
    // The customer's messages the network lets us answer, newest first; the item's own
    // message is chosen when it is one of them, else the newest.
    let mut answerable: Vec<(&Message, Vec<ReplyKind>)> = messages
        .iter()
        .rev()
        .filter(|m| m.author == Author::Customer)
        .map(|m| (m, offered_reply_kinds(network, m)))
        .filter(|(_, kinds)| !kinds.is_empty())
        .collect();
    if answerable.is_empty() {
        // The item's message may be older than the messages shown.
        if r.message.author == Author::Customer {
            let kinds = offered_reply_kinds(network, &r.message);
            if !kinds.is_empty() {
                answerable.push((&r.message, kinds));
            }
        }
    }
    let chosen = answerable
        .iter()
        .position(|(m, _)| m.id == r.item.message_id)
        .unwrap_or(0);
    let targets: Vec<Target> = answerable
        .iter()
        .enumerate()
        .map(|(i, (m, kinds))| Target {
            id: m.id.to_string(),
            kind: message_kind_label(m.kind),
            at: m.created_at.to_rfc3339(),
            at_fallback: time_fallback(m.created_at),
            excerpt: summary(m, 60),
            kinds: kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            limits: limits(network, m, kinds),
            hidden: m.hidden,
            direct: m.kind == MessageKind::Direct,
            selected: i == chosen,
        })
        .collect();
    let default = answerable.get(chosen);
    let default_direct = default.is_some_and(|(m, _)| m.kind == MessageKind::Direct);
    let first_kind = default.and_then(|(_, kinds)| kinds.first().copied());
    let kinds = KINDS
        .iter()
        .map(|&kind| KindOption {
            value: kind.as_str(),
            label: reply_kind_label(kind, default_direct),
            dm_label: reply_kind_label(kind, true),
            public_label: reply_kind_label(kind, false),
            shown: default.is_some_and(|(_, offered)| offered.contains(&kind)),
            selected: first_kind == Some(kind),
        })
        .collect();
    let reply_reason = match (&r.locking_case, default) {
        (Some(case), _) => format!("Held by Care case #{} — replies go from Care", case.number),
        (None, None) => "Nothing here can be answered: the customer's messages are deleted \
                         or the network takes no reply to them"
            .to_owned(),
        (None, Some(_)) => String::new(),
    };
    let hidden_warning =
        first_kind == Some(ReplyKind::Reply) && default.is_some_and(|(m, _)| m.hidden);
    let d = &r.customer.details;
    Ok(Open {
        id: r.item.id.to_string(),
        profile_id: r.item.profile_id.to_string(),
        profile_name,
        customer: r.customer.shown_name(),
        handle: shown_handle(&d.display_name, &d.handle),
        network: network.label(),
        kind: item_kind_words(r),
        status: r.item.status.to_string(),
        status_label: community_status_label(r.item.status),
        statuses: choices(STATUSES.iter().skip(1).copied(), &r.item.status.to_string()),
        labels: r.item.labels.iter().cloned().collect(),
        badge: r.locking_case.as_ref().map(|b| badge(b, care)),
        customer_case: r.customer_case.as_ref().map(|b| badge(b, care)),
        spam: r.item.customer_last_case_spam,
        locked,
        entries,
        truncated,
        targets,
        kinds,
        window: window_notice(
            network,
            &messages,
            state.app.now(),
            "Status, labels and escalation to Care still work.",
        ),
        reply_reason,
        hidden_warning,
        in_flight,
    })
}
