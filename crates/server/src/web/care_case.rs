//! The selected case of the Care page, in words: what `App::case_page_reads` read for it, made
//! into the conversation (`care_conversation`), the composer with the kinds each target allows
//! and the reply window (`composer`),
//! and the case panel's Case, Customer, History and Salesforce tabs (`care_panel`,
//! `care_salesforce`). Whether the viewer holds the case (and so may retry its replies) and the
//! grace countdown are the domain's answers (`policy::reads`).

use caredesk_app::queries::{CaseScreen, UserView};
use caredesk_domain::policy::reads::{grace_countdown, holds_case};
use caredesk_domain::reply::ReplyKind;
use caredesk_domain::{ConversationKind, Customer, Priority, Timestamp, User};

use super::care_conversation::{entries, targets, Entry, KindChoice, Target};
use super::care_events::Names;
use super::care_panel::{
    assignee_choices, assignee_refusal, field_lines, reply_refusal, status_choices, Earlier,
    FieldLine, Thread,
};
use super::composer::{window_notice, WindowNotice};
use super::forms::{choices, Choice};
use super::words::{priority_label, reply_kind_label, status_label, time_fallback};

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
    /// Where the direct messages stand in the network's reply window.
    pub window: Option<WindowNotice>,
    pub can_reply: bool,
    pub reply_reason: String,
    /// Another app held the conversation when the customer last wrote.
    pub standby: bool,
    pub can_status: bool,
    pub status_reason: String,
    /// Done or Spam: the status is left only by reopening.
    pub closed: bool,
    pub is_assignee: bool,
    /// For a Done case in grace: when it stops reopening on a customer message.
    pub grace: String,
    pub grace_words: String,
    /// The most urgent service-level target.
    pub sla: super::sla_badge::SlaBadge,
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

/// The case `user` opened, in words, as of `now`.
pub(crate) fn open_case(
    user: &User,
    screen: CaseScreen,
    users: &[UserView],
    now: Timestamp,
) -> Open {
    let CaseScreen {
        case,
        customer,
        messages,
        events,
        fields: all_fields,
        history,
        conversations,
        salesforce,
        sla,
    } = screen;
    let names = Names {
        users,
        fields: &all_fields,
    };
    let history = history
        .iter()
        .map(|r| Earlier {
            number: r.case.number,
            status_label: status_label(r.case.status),
            created: r.case.created_at.to_rfc3339(),
            created_words: time_fallback(r.case.created_at),
            current: r.case.id == case.id,
        })
        .collect();
    let conversations = conversations
        .iter()
        .map(|s| Thread {
            kind: match s.conversation.kind {
                ConversationKind::Dm => "Direct messages",
                ConversationKind::Thread => "Comments under a post",
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
    let (grace, grace_words) = grace_countdown(&case, now).map_or_else(Default::default, |until| {
        (until.to_rfc3339(), time_fallback(until))
    });
    Open {
        id: case.id.to_string(),
        number: case.number,
        version: case.version,
        status: case.status.to_string(),
        status_label: status_label(case.status),
        customer_name: customer.shown_name(),
        assignee_name: names.user(case.assignee_id),
        entries: entries(
            &messages,
            &events,
            &customer,
            &names,
            holds_case(user, &case),
        ),
        targets: targets(&messages, customer.network),
        window: window_notice(
            customer.network,
            &messages,
            now,
            "Internal notes, assignment and status changes still work.",
        ),
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
        standby: caredesk_domain::message::held_by_another_app(&messages),
        can_status: status_refusal.is_none(),
        status_reason: status_refusal.unwrap_or_default(),
        closed: case.status.is_closed(),
        is_assignee: case.assignee_id == Some(user.id),
        grace,
        grace_words,
        sla: super::sla_badge::SlaBadge::of(&sla),
        assignees: assignee_choices(&case, users),
        statuses: status_choices(case.status),
        priorities: [
            Priority::Urgent,
            Priority::High,
            Priority::Medium,
            Priority::Low,
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
        salesforce: super::care_salesforce::tab(&salesforce, &case, &customer, now),
        customer,
        history,
        conversations,
    }
}
