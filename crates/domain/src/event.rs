//! Events: immutable records of what happened, the activity log of cases and the audit log.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::case::{CaseStatus, Priority, Sentiment};
use crate::ids::{
    CaseFieldId, CaseId, CommunityItemId, CustomerId, MessageId, NotificationId, ProfileId, UserId,
};
use crate::message::Delivery;
use crate::notification::NotificationKind;
use crate::sla::SlaTargetKind;
use crate::time::Timestamp;

/// What happened. Serialized with its name under `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A community item was escalated into a new case.
    Escalated { message_id: MessageId, note: String },
    /// An escalation joined the customer's active case instead of opening a new one.
    EscalationAppended { message_id: MessageId, note: String },
    /// The assignee changed: by the actor, or by auto-assignment (`automatic`, no actor).
    Assigned {
        from: Option<UserId>,
        to: Option<UserId>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        automatic: bool,
    },
    /// The status changed (by a person, or by a customer message when the actor is empty).
    StatusChanged { from: CaseStatus, to: CaseStatus },
    /// A customer message inside the grace period reopened a Done case.
    AutoReopened {
        message_id: MessageId,
        to: CaseStatus,
    },
    /// The assignee reopened a closed case.
    Reopened { from: CaseStatus },
    /// The grace period ended; the case is final. Dated at `grace_until`.
    GraceExpired,
    /// The priority changed.
    PriorityChanged { from: Priority, to: Priority },
    /// The sentiment changed.
    SentimentChanged { from: Sentiment, to: Sentiment },
    /// A case field value changed (`null` = empty).
    FieldChanged {
        field_id: CaseFieldId,
        from: Value,
        to: Value,
    },
    /// A customer's details were edited.
    CustomerEdited {
        customer_id: CustomerId,
        fields: Vec<String>,
    },
    /// A customer message joined the case.
    MessageReceived { message_id: MessageId },
    /// A brand message made on the network directly joined the case.
    BrandMessageReceived { message_id: MessageId },
    /// A message's text changed on the network; the previous text is kept here.
    MessageEdited {
        message_id: MessageId,
        previous_text: String,
    },
    /// A message was hidden or unhidden on the network.
    MessageHidden { message_id: MessageId, hidden: bool },
    /// A message was deleted on the network.
    MessageDeleted { message_id: MessageId },
    /// The desk kept a copy of a message's attachment (`kept`), or gave up on it.
    AttachmentKept { message_id: MessageId, kept: bool },
    /// An internal note was added.
    NoteAdded { message_id: MessageId },
    /// A reply was accepted and queued.
    ReplyQueued { message_id: MessageId },
    /// A reply's delivery state changed.
    ReplyDelivery {
        message_id: MessageId,
        delivery: Delivery,
    },
    /// The case was deleted.
    Deleted,
    /// A service-level target of the case reached its warning share. Dated when it was due.
    SlaWarning { target: SlaTargetKind },
    /// A service-level target of the case passed its due time. Dated when it was due.
    SlaBreached { target: SlaTargetKind },
    /// The customer was linked to Salesforce records.
    SalesforceLinked { customer_id: CustomerId },
    /// A Salesforce Case was created from the case.
    SalesforceCaseCreated { salesforce_id: String },
    /// Salesforce's own status of the linked Case changed (read from Salesforce; the Care
    /// status is left alone).
    SalesforceStatusChanged { from: Option<String>, to: String },
    /// A community item arrived or changed (new message, status, labels).
    ItemChanged {
        item_id: CommunityItemId,
        profile_id: ProfileId,
    },
    /// A user was notified (`notification`) of what happened to a case. Kept off the case's
    /// activity log (the event names no case), it carries the notification to its recipient
    /// on the live stream.
    Notified {
        notification_id: NotificationId,
        recipient: UserId,
        notification: NotificationKind,
        notified_case_id: CaseId,
        case_number: i64,
    },
    /// An admin or supervisor changed something installation-wide (users, apps, profiles,
    /// settings, case fields). `what` names it, `id` is the thing's id.
    Admin { what: String, id: String },
}

impl EventKind {
    /// True when the change must reach a linked Salesforce Case (its status or priority).
    pub fn changes_salesforce_case(&self) -> bool {
        matches!(
            self,
            EventKind::StatusChanged { .. }
                | EventKind::AutoReopened { .. }
                | EventKind::Reopened { .. }
                | EventKind::PriorityChanged { .. }
        )
    }

    /// The event's name, as stored and filtered on (`status_changed`, …).
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("kind").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default()
    }
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The case it belongs to, if any.
    pub case_id: Option<CaseId>,
    /// Who did it; `None` for customers, networks and the system.
    pub actor: Option<UserId>,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// An event of a case.
    pub fn of_case(case_id: CaseId, actor: Option<UserId>, at: Timestamp, kind: EventKind) -> Self {
        Event {
            case_id: Some(case_id),
            actor,
            at,
            kind,
        }
    }

    /// The same change by no one on each of `cases`, or on the installation's log when there is
    /// none (what the network or a background job changed about a message or a customer).
    pub fn on_cases_or_log(cases: &[CaseId], at: Timestamp, kind: EventKind) -> Vec<Self> {
        if cases.is_empty() {
            return vec![Event {
                case_id: None,
                actor: None,
                at,
                kind,
            }];
        }
        cases
            .iter()
            .map(|c| Event::of_case(*c, None, at, kind.clone()))
            .collect()
    }

    /// An installation-wide event (audit log).
    pub fn admin(actor: Option<UserId>, at: Timestamp, what: &str, id: impl ToString) -> Self {
        Event {
            case_id: None,
            actor,
            at,
            kind: EventKind::Admin {
                what: what.to_owned(),
                id: id.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_words() {
        assert_eq!(EventKind::GraceExpired.name(), "grace_expired");
        let k = EventKind::StatusChanged {
            from: CaseStatus::Open,
            to: CaseStatus::Done,
        };
        assert_eq!(k.name(), "status_changed");
    }

    #[test]
    fn a_change_goes_on_each_case_or_once_on_the_log() {
        let kind = EventKind::GraceExpired;
        let at = Timestamp(5);
        let on_two = Event::on_cases_or_log(&[CaseId(1), CaseId(2)], at, kind.clone());
        let cases: Vec<Option<CaseId>> = on_two.iter().map(|e| e.case_id).collect();
        assert_eq!(cases, [Some(CaseId(1)), Some(CaseId(2))]);
        assert!(on_two.iter().all(|e| e.actor.is_none() && e.at == at));
        let on_log = Event::on_cases_or_log(&[], at, kind);
        assert_eq!(on_log.len(), 1);
        assert_eq!(on_log[0].case_id, None);
    }
}
