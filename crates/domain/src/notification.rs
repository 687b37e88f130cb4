//! Notifications (PRODUCT.md §12 "Mentions and notifications"): who hears of what happened to
//! a case, personally. A case assigned to you by someone else, a mention in an internal note,
//! your case reopened by its customer's message during grace, a reply of yours that failed for
//! good, and (written by the SLA timers) a warning or breach on your case. Each is derived here
//! from what the use case already decided (its events, the note's mentions, the reply's
//! delivery), so every path that causes one notifies alike; the actor never notifies themself.
//! A notification travels on the live stream as a `notified` event without a case, so it never
//! joins the case's activity log and only its recipient hears of it (`policy::live`).

use crate::case::Case;
use crate::event::{Event, EventKind};
use crate::ids::{CaseId, NotificationId, UserId};
use crate::macros::word_enum;
use crate::message::{Delivery, Message};
use crate::policy;
use crate::refusal::Refusal;
use crate::time::Timestamp;
use crate::user::User;

word_enum! {
    /// What a notification tells its recipient.
    pub enum NotificationKind {
        Assigned => "assigned",
        Mentioned => "mentioned",
        Reopened => "reopened",
        ReplyFailed => "reply_failed",
        SlaWarning => "sla_warning",
        SlaBreached => "sla_breached",
    }
}

/// A notification to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotification {
    /// Who is told.
    pub recipient: UserId,
    /// What happened.
    pub kind: NotificationKind,
    /// The case it happened to.
    pub case_id: CaseId,
    /// Who did it; `None` for customers, networks and timers.
    pub actor: Option<UserId>,
    /// When.
    pub at: Timestamp,
}

impl NewNotification {
    /// A notification to `recipient`, or `None` when they are the actor (nobody is told of
    /// what they did themself).
    pub fn to(
        recipient: UserId,
        kind: NotificationKind,
        case_id: CaseId,
        actor: Option<UserId>,
        at: Timestamp,
    ) -> Option<NewNotification> {
        (actor != Some(recipient)).then_some(NewNotification {
            recipient,
            kind,
            case_id,
            actor,
            at,
        })
    }

    /// The live stream's record of this notification once stored as `id` on case `number`.
    pub fn event(&self, id: NotificationId, case_number: i64) -> Event {
        Event {
            case_id: None,
            actor: self.actor,
            at: self.at,
            kind: EventKind::Notified {
                notification_id: id,
                recipient: self.recipient,
                notification: self.kind,
                notified_case_id: self.case_id,
                case_number,
            },
        }
    }
}

/// A stored notification, with its case's number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Its id.
    pub id: NotificationId,
    /// Who is told.
    pub recipient: UserId,
    /// What happened.
    pub kind: NotificationKind,
    /// The case.
    pub case_id: CaseId,
    /// The case's number.
    pub case_number: i64,
    /// Who did it.
    pub actor: Option<UserId>,
    /// When it happened.
    pub created_at: Timestamp,
    /// When its recipient read it.
    pub read_at: Option<Timestamp>,
}

/// What a case's events tell its people: `assigned` to the new assignee (not when they took
/// it themself), `reopened` to the assignee of a Done case a customer's message reopened,
/// `sla_warning` and `sla_breached` to the assignee of a case whose target is at risk or missed.
pub fn of_case_events(case: &Case, events: &[Event]) -> Vec<NewNotification> {
    of_events(case.id, case.assignee_id, events)
}

/// [`of_case_events`] for a case known only by its id and assignee (what the SLA sweep reads).
pub fn of_events(
    case_id: CaseId,
    assignee: Option<UserId>,
    events: &[Event],
) -> Vec<NewNotification> {
    events
        .iter()
        .filter(|e| e.case_id == Some(case_id))
        .filter_map(|event| {
            let (recipient, kind) = match &event.kind {
                EventKind::Assigned { to: Some(to), .. } => (*to, NotificationKind::Assigned),
                EventKind::AutoReopened { .. } => (assignee?, NotificationKind::Reopened),
                EventKind::SlaWarning { .. } => (assignee?, NotificationKind::SlaWarning),
                EventKind::SlaBreached { .. } => (assignee?, NotificationKind::SlaBreached),
                _ => return None,
            };
            NewNotification::to(recipient, kind, case_id, event.actor, event.at)
        })
        .collect()
}

/// Whether `user` may be mentioned on `case`: whoever can open it (the `@` picker offers them).
pub fn may_mention(user: &User, case: &Case) -> bool {
    policy::require_case_visible(user, case).is_ok()
}

/// The `mentioned` notifications of a note `actor` writes on `case` naming `mentioned` (each
/// once; the actor naming themself is no one to tell). Every one named must be able to open
/// the case, else the note is refused naming those who cannot.
pub fn of_mentions(
    actor: &User,
    case: &Case,
    mentioned: &[User],
    at: Timestamp,
) -> Result<Vec<NewNotification>, Refusal> {
    let shut_out: Vec<&str> = mentioned
        .iter()
        .filter(|u| !may_mention(u, case))
        .map(|u| u.name.as_str())
        .collect();
    if !shut_out.is_empty() {
        return Err(Refusal::invalid(format!(
            "mention_ids: {} cannot open case #{}",
            shut_out.join(", "),
            case.number
        )));
    }
    let mut notifications: Vec<NewNotification> = Vec::new();
    for user in mentioned {
        if notifications.iter().any(|n| n.recipient == user.id) {
            continue;
        }
        notifications.extend(NewNotification::to(
            user.id,
            NotificationKind::Mentioned,
            case.id,
            Some(actor.id),
            at,
        ));
    }
    Ok(notifications)
}

/// `reply_failed` to the agent who wrote `reply`, once it failed for good, on the case that
/// holds it.
pub fn of_delivery(reply: &Message, case: CaseId, at: Timestamp) -> Option<NewNotification> {
    if reply.delivery != Some(Delivery::Failed) {
        return None;
    }
    NewNotification::to(
        reply.sent_by?,
        NotificationKind::ReplyFailed,
        case,
        None,
        at,
    )
}

#[cfg(test)]
#[path = "notification_tests.rs"]
mod tests;
