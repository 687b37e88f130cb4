//! The case's activity log in words, as the small centred lines of the conversation: who did
//! what ("set Order number to 1234", "changed the status from Open to Done"), with names for
//! users and case fields instead of ids, and the values as people read them.

use caredesk_app::queries::{StoredEvent, UserView};
use caredesk_domain::sla::SlaTargetKind;
use caredesk_domain::{CaseField, EventKind, UserId};
use serde_json::Value;

use super::words::{priority_label, sentiment_label, status_label};

/// Names of users and case fields, for the words of the log.
pub(crate) struct Names<'a> {
    /// Every user (names of actors and assignees).
    pub users: &'a [UserView],
    /// Every case field, enabled or not (old events may name a field switched off since).
    pub fields: &'a [CaseField],
}

impl Names<'_> {
    /// A user's name, "someone" for one not known.
    pub fn user(&self, id: Option<UserId>) -> String {
        match id {
            None => String::new(),
            Some(id) => self
                .users
                .iter()
                .find(|u| u.user.id == id)
                .map_or_else(|| "someone".to_owned(), |u| u.user.name.clone()),
        }
    }

    fn field(&self, id: caredesk_domain::CaseFieldId) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| "a case field".to_owned(), |f| f.name.clone())
    }
}

/// A case-field value as people read it: text as is, lists joined, booleans as yes/no.
fn value_words(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(value_words).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A customer detail's name as people read it.
fn detail_words(name: &str) -> &str {
    match name {
        "display_name" => "name",
        "avatar_url" => "picture",
        "email" => "e-mail",
        other => other,
    }
}

/// What happened, in words, or `None` for events the conversation shows otherwise (messages,
/// replies, notes) or not at all.
pub(crate) fn event_words(kind: &EventKind, names: &Names<'_>) -> Option<String> {
    Some(match kind {
        EventKind::Escalated { .. } => "escalated the conversation to Care".to_owned(),
        EventKind::EscalationAppended { .. } => {
            "escalated another message; it joined this case".to_owned()
        }
        EventKind::Assigned {
            to: Some(to),
            automatic: true,
            ..
        } => format!(
            "assigned the case automatically to {}",
            names.user(Some(*to))
        ),
        EventKind::Assigned { to: Some(to), .. } => {
            format!("assigned the case to {}", names.user(Some(*to)))
        }
        EventKind::Assigned { to: None, .. } => "unassigned the case".to_owned(),
        EventKind::StatusChanged { from, to } => format!(
            "changed the status from {} to {}",
            status_label(*from),
            status_label(*to)
        ),
        EventKind::AutoReopened { to, .. } => format!(
            "a customer message reopened the case ({})",
            status_label(*to)
        ),
        EventKind::Reopened { from } => format!("reopened the case from {}", status_label(*from)),
        EventKind::GraceExpired => "the grace period ended; the case is final".to_owned(),
        EventKind::PriorityChanged { from, to } => format!(
            "changed the priority from {} to {}",
            priority_label(*from),
            priority_label(*to)
        ),
        EventKind::SentimentChanged { from, to } => format!(
            "changed the sentiment from {} to {}",
            sentiment_label(*from),
            sentiment_label(*to)
        ),
        EventKind::FieldChanged { field_id, from, to } => {
            let field = names.field(*field_id);
            match (value_words(from), value_words(to)) {
                (_, to) if to.is_empty() => format!("cleared {field}"),
                (from, to) if from.is_empty() => format!("set {field} to {to}"),
                (from, to) => format!("changed {field} from {from} to {to}"),
            }
        }
        EventKind::CustomerEdited { fields, .. } => {
            let fields: Vec<&str> = fields.iter().map(|f| detail_words(f)).collect();
            format!("edited the customer's {}", fields.join(", "))
        }
        EventKind::MessageEdited { .. } => "the customer edited a message".to_owned(),
        EventKind::MessageHidden { hidden: true, .. } => "a message was hidden".to_owned(),
        EventKind::MessageHidden { hidden: false, .. } => "a message was unhidden".to_owned(),
        EventKind::MessageDeleted { .. } => "the customer deleted a message".to_owned(),
        EventKind::Deleted => "deleted the case".to_owned(),
        EventKind::SalesforceLinked { .. } => "linked the customer in Salesforce".to_owned(),
        EventKind::SalesforceCaseCreated { salesforce_id } => {
            format!("created Salesforce Case {salesforce_id}")
        }
        EventKind::SalesforceStatusChanged { from, to } => match from {
            Some(from) => format!("the status in Salesforce changed from {from} to {to}"),
            None => format!("the status in Salesforce is {to}"),
        },
        EventKind::SlaWarning { target } => {
            format!("the {} target is at risk", target_words(*target))
        }
        EventKind::SlaBreached { target } => {
            format!("the {} target was missed", target_words(*target))
        }
        EventKind::MessageReceived { .. }
        | EventKind::AttachmentKept { .. }
        | EventKind::BrandMessageReceived { .. }
        | EventKind::NoteAdded { .. }
        | EventKind::ReplyQueued { .. }
        | EventKind::ReplyDelivery { .. }
        | EventKind::ItemChanged { .. }
        | EventKind::Notified { .. }
        | EventKind::Admin { .. } => return None,
    })
}

/// A service-level target in words.
pub(crate) fn target_words(target: SlaTargetKind) -> &'static str {
    match target {
        SlaTargetKind::FirstResponse => "first response",
        SlaTargetKind::NextResponse => "next response",
        SlaTargetKind::Resolution => "resolution",
    }
}

/// Who the log names as the actor of `event`: the user, or "caredesk" for the system and the
/// customer's own doings.
pub(crate) fn actor_words(event: &StoredEvent, names: &Names<'_>) -> String {
    match event.event.actor {
        Some(_) => names.user(event.event.actor),
        None => "caredesk".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::{CaseFieldId, CaseStatus, FieldKind};
    use serde_json::json;

    fn field() -> CaseField {
        CaseField {
            id: CaseFieldId(7),
            name: "Order number".to_owned(),
            kind: FieldKind::Text,
            options: Vec::new(),
            mandatory: false,
            enabled: true,
            position: 0,
        }
    }

    #[test]
    fn the_log_names_fields_values_and_statuses_in_words() {
        let fields = [field()];
        let names = Names {
            users: &[],
            fields: &fields,
        };
        let cases = [
            (
                EventKind::FieldChanged {
                    field_id: CaseFieldId(7),
                    from: Value::Null,
                    to: json!("A-1234"),
                },
                "set Order number to A-1234",
            ),
            (
                EventKind::FieldChanged {
                    field_id: CaseFieldId(7),
                    from: json!("A-1"),
                    to: json!("A-2"),
                },
                "changed Order number from A-1 to A-2",
            ),
            (
                EventKind::FieldChanged {
                    field_id: CaseFieldId(7),
                    from: json!(["a", "b"]),
                    to: Value::Null,
                },
                "cleared Order number",
            ),
            (
                EventKind::StatusChanged {
                    from: CaseStatus::OnHold,
                    to: CaseStatus::Done,
                },
                "changed the status from On hold to Done",
            ),
            (
                EventKind::Assigned {
                    from: None,
                    to: Some(caredesk_domain::UserId(9)),
                    automatic: true,
                },
                "assigned the case automatically to someone",
            ),
            (
                EventKind::CustomerEdited {
                    customer_id: caredesk_domain::CustomerId(1),
                    fields: vec!["display_name".into(), "email".into()],
                },
                "edited the customer's name, e-mail",
            ),
        ];
        for (kind, expected) in cases {
            assert_eq!(event_words(&kind, &names).as_deref(), Some(expected));
        }
        assert_eq!(
            event_words(
                &EventKind::NoteAdded {
                    message_id: caredesk_domain::MessageId(1)
                },
                &names
            ),
            None
        );
    }
}
