//! Escalating a community item to Care (PRODUCT.md §3 "One active case per customer and
//! profile"): a new case, or the message joins the customer's active case on that profile.

use std::collections::BTreeMap;

use crate::case::{validate_text, Case, CaseStatus, Priority, Sentiment, MAX_NOTE_CHARS};
use crate::case_field::{CaseField, FieldValue};
use crate::event::EventKind;
use crate::ids::{CaseFieldId, CaseId, CustomerId, MessageId, ProfileId, UserId};
use crate::message::Message;
use crate::policy;
use crate::time::Timestamp;
use crate::user::User;
use crate::Refusal;

/// What the escalation dialog sends, field values still as JSON.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EscalationRequest {
    /// The escalation note (may be empty).
    pub note: String,
    /// Requested priority (default medium).
    pub priority: Option<Priority>,
    /// Requested field values.
    pub fields: BTreeMap<CaseFieldId, serde_json::Value>,
    /// Requested assignee.
    pub assignee_id: Option<UserId>,
}

/// A case to be stored; the store gives it an id and a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCase {
    /// The customer.
    pub customer_id: CustomerId,
    /// The profile.
    pub profile_id: ProfileId,
    /// New, or open with an assignee.
    pub status: CaseStatus,
    /// The assignee given at once.
    pub assignee_id: Option<UserId>,
    /// Priority.
    pub priority: Priority,
    /// Checked field values.
    pub fields: BTreeMap<CaseFieldId, FieldValue>,
    /// The escalation note.
    pub note: String,
    /// Who escalated.
    pub escalated_by: UserId,
    /// From which message.
    pub escalated_from: MessageId,
    /// Now.
    pub created_at: Timestamp,
    /// Receive time of the customer's latest message in the conversation.
    pub last_customer_message_at: Option<Timestamp>,
    /// The previous case of this customer and profile.
    pub previous_case_id: Option<CaseId>,
}

impl NewCase {
    /// The stored case, once the store has given it an id and a number.
    pub fn into_case(self, id: CaseId, number: i64) -> Case {
        Case {
            id,
            number,
            customer_id: self.customer_id,
            profile_id: self.profile_id,
            status: self.status,
            assignee_id: self.assignee_id,
            priority: self.priority,
            sentiment: Sentiment::None,
            fields: self.fields,
            note: self.note,
            escalated_by: self.escalated_by,
            escalated_from: self.escalated_from,
            created_at: self.created_at,
            last_customer_message_at: self.last_customer_message_at,
            grace_until: None,
            holds_active_slot: true,
            previous_case_id: self.previous_case_id,
            version: 1,
            deleted: false,
        }
    }

    /// The events of a new case.
    pub fn opening_events(&self) -> Vec<EventKind> {
        let mut events = vec![EventKind::Escalated {
            message_id: self.escalated_from,
            note: self.note.clone(),
        }];
        if self.assignee_id.is_some() {
            events.push(EventKind::Assigned {
                from: None,
                to: self.assignee_id,
                automatic: false,
            });
        }
        events
    }
}

/// The longest escalation note.
pub const MAX_ESCALATION_NOTE_CHARS: usize = MAX_NOTE_CHARS;

/// Checks who escalates what: a member of the message's profile, a message not deleted, a
/// note of sensible length. Runs before the active case is looked for.
pub fn check_escalation(actor: &User, message: &Message, note: &str) -> Result<(), Refusal> {
    policy::require_profile_member(actor, message.profile_id)?;
    if message.deleted {
        return Err(Refusal::MessageDeleted);
    }
    if !note.is_empty() {
        validate_text("note", note, MAX_ESCALATION_NOTE_CHARS)?;
    }
    Ok(())
}

/// Plans a new case for an escalation when the customer has no active case on the profile.
#[allow(clippy::too_many_arguments)]
pub fn open_case(
    actor: &User,
    message: &Message,
    customer_id: CustomerId,
    request: &EscalationRequest,
    assignee: Option<&User>,
    fields: &[CaseField],
    previous_case_id: Option<CaseId>,
    last_customer_message_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<NewCase, Refusal> {
    check_escalation(actor, message, &request.note)?;
    if let Some(user) = assignee {
        policy::require_eligible_assignee(user, message.profile_id)?;
    }
    if request.assignee_id.is_some() != assignee.is_some() {
        return Err(Refusal::invalid("the assignee does not exist"));
    }
    let values = parse_field_values(fields, &request.fields)?;
    Ok(NewCase {
        customer_id,
        profile_id: message.profile_id,
        status: if assignee.is_some() {
            CaseStatus::Open
        } else {
            CaseStatus::New
        },
        assignee_id: assignee.map(|u| u.id),
        priority: request.priority.unwrap_or(Priority::Medium),
        fields: values,
        note: request.note.clone(),
        escalated_by: actor.id,
        escalated_from: message.id,
        created_at: now,
        last_customer_message_at,
        previous_case_id,
    })
}

/// Checks requested values against the enabled field definitions; unknown or disabled
/// fields are refused.
pub fn parse_field_values(
    fields: &[CaseField],
    requested: &BTreeMap<CaseFieldId, serde_json::Value>,
) -> Result<BTreeMap<CaseFieldId, FieldValue>, Refusal> {
    let mut values = BTreeMap::new();
    for (id, value) in requested {
        if value.is_null() {
            continue;
        }
        let field = fields
            .iter()
            .find(|f| f.id == *id && f.enabled)
            .ok_or_else(|| Refusal::invalid(format!("unknown case field {id}")))?;
        values.insert(*id, field.parse_value(value)?);
    }
    Ok(values)
}

#[cfg(test)]
#[path = "escalation_tests.rs"]
mod tests;
