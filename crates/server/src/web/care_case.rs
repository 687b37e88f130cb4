//! The selected case of the Care page: its conversation (messages, notes and the activity log in
//! time order, with marks and delivery states in words), the composer with the targets a reply
//! may answer and the kinds each one allows, and the case panel's Case, Customer and History
//! tabs, with what the viewer may not do explained in words.

use caredesk_domain::reply::{offered_reply_kinds, ReplyKind};
use caredesk_domain::{
    policy, Author, Case, CaseStatus, Customer, Delivery, Message, MessageKind, User,
};
use caredesk_store::{UserWithLoad, Viewer};

use super::care_events::{actor_words, event_words, Names};
use super::forms::{choices, Choice};
use super::words::{
    delivery_label, message_kind_label, priority_label, reply_kind_label, status_label,
    time_fallback,
};
use crate::AppState;

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
}

/// A reply kind of the composer, with its words for public content and for direct messages.
pub(crate) struct KindChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub dm_label: &'static str,
}

/// A case field with its value in words.
pub(crate) struct FieldLine {
    pub id: String,
    pub name: String,
    /// text, number, date, select, multiselect or checkbox.
    pub kind: String,
    pub value: String,
    pub options: Vec<Choice>,
    pub checked: bool,
    pub mandatory: bool,
}

/// An earlier case of the customer.
pub(crate) struct Earlier {
    pub number: i64,
    pub status_label: &'static str,
    pub created: String,
    pub created_words: String,
    pub current: bool,
}

/// A conversation of the customer, for the History tab.
pub(crate) struct Thread {
    pub kind: &'static str,
    pub count: i64,
    pub last: String,
    pub last_words: String,
}

/// The selected case.
pub(crate) struct Open {
    pub id: String,
    pub number: i64,
    pub version: i64,
    pub status: String,
    pub status_label: &'static str,
    pub customer_name: String,
    pub assignee_name: String,
    pub entries: Vec<Entry>,
    pub targets: Vec<Target>,
    pub kinds: Vec<KindChoice>,
    pub can_reply: bool,
    pub reply_reason: String,
    pub can_status: bool,
    pub status_reason: String,
    /// Done or Spam: the status is left only by reopening.
    pub closed: bool,
    pub is_assignee: bool,
    /// For a Done case in grace: when it stops reopening on a customer message.
    pub grace: String,
    pub grace_words: String,
    pub assignees: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub sentiments: Vec<Choice>,
    pub fields: Vec<FieldLine>,
    pub customer: Customer,
    pub network: &'static str,
    pub history: Vec<Earlier>,
    pub conversations: Vec<Thread>,
    pub salesforce: super::care_salesforce::SalesforceTab,
}

/// A readable failure; the cause is logged.
pub(crate) fn failure(error: &impl std::fmt::Display, what: &str) -> String {
    tracing::error!(%error, "web: {what} could not be read");
    format!("{what} cannot be shown right now.")
}

/// Why `user` may not reply on `case`, if they may not (the domain's `Case::accept_reply`
/// refuses a closed case and anyone but the assignee).
fn reply_refusal(user: &User, case: &Case, names: &Names<'_>) -> Option<String> {
    if case.status.is_closed() {
        return Some(format!(
            "Case is {} — reopen to reply",
            status_label(case.status)
        ));
    }
    assignee_refusal(user, case, names, "act")
}

/// Why `user` may not act as the assignee of `case`, if they may not.
fn assignee_refusal(user: &User, case: &Case, names: &Names<'_>, act: &str) -> Option<String> {
    policy::require_assignee(user, case).err()?;
    match case.assignee_id {
        Some(_) => Some(format!(
            "Assigned to {} — assign to yourself to {act}",
            names.user(case.assignee_id)
        )),
        None => Some(format!("Unassigned — assign to yourself to {act}")),
    }
}

/// The statuses the status select offers: a closed case shows where it may go without reopening
/// (Done → Spam), an open one every status but New, which is never set directly.
fn status_choices(status: CaseStatus) -> Vec<Choice> {
    let offered: &[(&str, &str)] = match status {
        CaseStatus::Done => &[("done", "Done"), ("spam", "Spam")],
        CaseStatus::Spam => &[("spam", "Spam")],
        CaseStatus::New => &[
            ("new", "New"),
            ("open", "Open"),
            ("pending", "Pending"),
            ("on_hold", "On hold"),
            ("done", "Done"),
            ("spam", "Spam"),
        ],
        _ => &[
            ("open", "Open"),
            ("pending", "Pending"),
            ("on_hold", "On hold"),
            ("done", "Done"),
            ("spam", "Spam"),
        ],
    };
    choices(offered.iter().copied(), status.as_str())
}

/// The customer messages a reply may answer, newest first (the composer's default), each with
/// the kinds its network carries.
fn targets(messages: &[Message], network: caredesk_domain::Network) -> Vec<Target> {
    let mut targets: Vec<(i64, Target)> = messages
        .iter()
        .filter(|m| m.author == Author::Customer)
        .filter_map(|m| {
            let kinds = offered_reply_kinds(network, m);
            if kinds.is_empty() {
                return None;
            }
            let first_line: String = m
                .text
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect();
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
                },
            ))
        })
        .collect();
    targets.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    targets.into_iter().map(|(_, t)| t).collect()
}

fn entries(
    messages: &[Message],
    events: &[caredesk_store::StoredEvent],
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
        })
    }));
    entries.sort_by_key(|e| e.at_micros);
    entries
}

fn field_lines(case: &Case, fields: &[caredesk_domain::CaseField]) -> Vec<FieldLine> {
    let mut enabled: Vec<&caredesk_domain::CaseField> =
        fields.iter().filter(|f| f.enabled).collect();
    enabled.sort_by_key(|f| f.position);
    enabled
        .into_iter()
        .map(|f| {
            let value = case
                .fields
                .get(&f.id)
                .map(|v| match v.to_json() {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            FieldLine {
                id: f.id.to_string(),
                kind: f.kind.to_string(),
                options: f
                    .options
                    .iter()
                    .map(|o| Choice {
                        value: o.clone(),
                        label: o.clone(),
                        selected: *o == value,
                    })
                    .collect(),
                checked: value == "true",
                mandatory: f.mandatory,
                value,
                name: f.name.clone(),
            }
        })
        .collect()
}

fn assignee_choices(case: &Case, users: &[UserWithLoad]) -> Vec<Choice> {
    let mut assignees = vec![Choice {
        value: String::new(),
        label: "Unassigned".to_owned(),
        selected: case.assignee_id.is_none(),
    }];
    assignees.extend(
        users
            .iter()
            .filter(|u| {
                u.user.active
                    && u.user.care_access() != caredesk_domain::CareAccess::None
                    && u.user.connected_to(case.profile_id)
            })
            .map(|u| Choice {
                value: u.user.id.to_string(),
                label: format!(
                    "{} ({}/{}){}",
                    u.user.name,
                    u.load,
                    u.user.capacity,
                    if u.load > i64::from(u.user.capacity) {
                        " over capacity"
                    } else {
                        ""
                    }
                ),
                selected: case.assignee_id == Some(u.user.id),
            }),
    );
    assignees
}

/// Reads and words the case `user` opened.
pub(crate) async fn open_case(
    state: &AppState,
    user: &User,
    case: Case,
    users: &[UserWithLoad],
) -> Result<Open, String> {
    let store = state.app.store();
    let customer = store
        .customer(case.customer_id)
        .await
        .map_err(|e| failure(&e, "The customer"))?
        .ok_or_else(|| "The customer of this case is not known.".to_owned())?;
    let mut messages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .case_messages(case.id, cursor.as_deref(), 200)
            .await
            .map_err(|e| failure(&e, "The conversation"))?;
        messages.extend(page.items);
        match page.next_cursor {
            Some(next) if messages.len() < 2_000 => cursor = Some(next),
            _ => break,
        }
    }
    let events = store
        .case_events(case.id)
        .await
        .map_err(|e| failure(&e, "The activity log"))?;
    let all_fields = store
        .case_fields()
        .await
        .map_err(|e| failure(&e, "The case fields"))?;
    let names = Names {
        users,
        fields: &all_fields,
    };
    let mine = case.assignee_id == Some(user.id) && !case.status.is_closed();
    let viewer = Viewer::of(user).ok_or_else(|| "Cases are for Care users.".to_owned())?;
    let now = state.app.now();
    let history = store
        .customer_cases(case.customer_id, &viewer.profiles, None, 20)
        .await
        .map_err(|e| failure(&e, "The history"))?
        .items
        .iter()
        .map(|r| Earlier {
            number: r.case.number,
            status_label: status_label(r.case.status),
            created: r.case.created_at.to_rfc3339(),
            created_words: time_fallback(r.case.created_at),
            current: r.case.id == case.id,
        })
        .collect();
    let conversations = store
        .customer_conversations(case.customer_id, &viewer.profiles, None, 20)
        .await
        .map_err(|e| failure(&e, "The history"))?
        .items
        .iter()
        .map(|s| Thread {
            kind: match s.conversation.kind {
                caredesk_domain::ConversationKind::Dm => "Direct messages",
                caredesk_domain::ConversationKind::Thread => "Comments under a post",
            },
            count: s.message_count,
            last: s.last_message_at.to_rfc3339(),
            last_words: time_fallback(s.last_message_at),
        })
        .collect();
    let reply = reply_refusal(user, &case, &names);
    let status_refusal = assignee_refusal(
        user,
        &case,
        &names,
        if case.status.is_closed() {
            "reopen"
        } else {
            "act"
        },
    );
    let (grace, grace_words) = match (case.status, case.grace_until) {
        (CaseStatus::Done, Some(until)) if until > now => {
            (until.to_rfc3339(), time_fallback(until))
        }
        _ => (String::new(), String::new()),
    };
    Ok(Open {
        id: case.id.to_string(),
        number: case.number,
        version: case.version,
        status: case.status.to_string(),
        status_label: status_label(case.status),
        customer_name: customer.shown_name(),
        assignee_name: names.user(case.assignee_id),
        entries: entries(&messages, &events, &customer, &names, mine),
        targets: targets(&messages, customer.network),
        kinds: [ReplyKind::Reply, ReplyKind::Comment, ReplyKind::Direct]
            .into_iter()
            .map(|k| KindChoice {
                value: k.as_str(),
                label: reply_kind_label(k, false),
                dm_label: reply_kind_label(k, true),
            })
            .collect(),
        can_reply: reply.is_none(),
        reply_reason: reply.unwrap_or_default(),
        can_status: status_refusal.is_none(),
        status_reason: status_refusal.unwrap_or_default(),
        closed: case.status.is_closed(),
        is_assignee: case.assignee_id == Some(user.id),
        grace,
        grace_words,
        assignees: assignee_choices(&case, users),
        statuses: status_choices(case.status),
        priorities: [
            caredesk_domain::Priority::Urgent,
            caredesk_domain::Priority::High,
            caredesk_domain::Priority::Medium,
            caredesk_domain::Priority::Low,
        ]
        .into_iter()
        .map(|p| Choice {
            value: p.to_string(),
            label: priority_label(p).to_owned(),
            selected: p == case.priority,
        })
        .collect(),
        sentiments: choices(
            [
                ("positive", "Positive"),
                ("neutral", "Neutral"),
                ("negative", "Negative"),
                ("none", "None"),
            ],
            &case.sentiment.to_string(),
        ),
        fields: field_lines(&case, &all_fields),
        network: customer.network.label(),
        salesforce: super::care_salesforce::tab(state, &case, &customer, now).await,
        customer,
        history,
        conversations,
    })
}
