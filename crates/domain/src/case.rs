//! The case and its state machine (PRODUCT.md §3).
//!
//! Each action checks, in order, visibility (404), permission (403), the caller's
//! `expected_version` and the case's state (409), then the rules on values (422); when accepted
//! it changes the case and answers the events to record. The version rises with every change an
//! agent would act on; the grace-expiry sweep and delivery updates leave it alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case_field::{first_missing_mandatory, CaseField, FieldValue};
use crate::event::EventKind;
use crate::ids::{CaseFieldId, CaseId, CustomerId, MessageId, ProfileId, UserId};
use crate::policy;
use crate::time::Timestamp;
use crate::user::User;
use crate::Refusal;

pub use crate::case_status::{CaseStatus, Priority, Sentiment};
/// A case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Its id.
    pub id: CaseId,
    /// `#1`, `#2`, … per installation.
    pub number: i64,
    /// The customer.
    pub customer_id: CustomerId,
    /// The profile.
    pub profile_id: ProfileId,
    /// The status.
    pub status: CaseStatus,
    /// Who owns it.
    pub assignee_id: Option<UserId>,
    /// Priority.
    pub priority: Priority,
    /// Sentiment.
    pub sentiment: Sentiment,
    /// Case-field values.
    pub fields: BTreeMap<CaseFieldId, FieldValue>,
    /// The escalation note.
    pub note: String,
    /// Who escalated it.
    pub escalated_by: UserId,
    /// The message it was escalated from.
    pub escalated_from: MessageId,
    /// Created.
    pub created_at: Timestamp,
    /// Receive time of the customer's last message in the case.
    pub last_customer_message_at: Option<Timestamp>,
    /// End of the grace period after Done.
    pub grace_until: Option<Timestamp>,
    /// True while the case is active: in progress, or Done and not yet final. Stored, and
    /// unique per (customer, profile) in the schema.
    pub holds_active_slot: bool,
    /// The previous case of the same customer and profile.
    pub previous_case_id: Option<CaseId>,
    /// Rises with every change an agent would act on.
    pub version: i64,
    /// Deleted cases appear nowhere.
    pub deleted: bool,
}

/// Who acts, when, and on the strength of which version of the case.
#[derive(Clone, Copy, Debug)]
pub struct Act<'a> {
    /// The acting user.
    pub actor: &'a User,
    /// The clock's now.
    pub now: Timestamp,
    /// The version the actor last saw, if they sent one.
    pub expected_version: Option<i64>,
}

/// What an edit of priority, sentiment and fields asks for; `None` leaves a part alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseEdit {
    /// New priority.
    pub priority: Option<Priority>,
    /// New sentiment.
    pub sentiment: Option<Sentiment>,
    /// Field values to merge; `None` clears one. Already checked against the definitions.
    pub fields: BTreeMap<CaseFieldId, Option<FieldValue>>,
}

impl Case {
    /// Active at `t`: in progress, or Done with `t` before the end of its grace period.
    pub fn is_active_at(&self, t: Timestamp) -> bool {
        if self.deleted || !self.holds_active_slot {
            return false;
        }
        match self.status {
            CaseStatus::Done => self.grace_until.is_some_and(|g| t < g),
            status => status.is_in_progress(),
        }
    }

    /// Finalises a Done case whose grace period has passed: the slot is released and the
    /// expiry is recorded, dated at `grace_until`. The version stays.
    pub fn expire_grace_if_due(&mut self, now: Timestamp) -> Option<(Timestamp, EventKind)> {
        let until = self.grace_until.filter(|_| self.grace_due(now))?;
        self.holds_active_slot = false;
        Some((until, EventKind::GraceExpired))
    }

    /// Whether this is a Done case whose grace period has passed by `now`, still holding its
    /// slot ([`Case::expire_grace_if_due`] finalises it).
    pub fn grace_due(&self, now: Timestamp) -> bool {
        self.status == CaseStatus::Done
            && self.holds_active_slot
            && self.grace_until.is_some_and(|until| until <= now)
    }

    /// Refuses with `StaleCase` when the caller saw another version than the current one.
    pub fn check_version(&self, expected: Option<i64>) -> Result<(), Refusal> {
        match expected {
            Some(v) if v != self.version => Err(Refusal::StaleCase {
                expected: v,
                current: self.version,
            }),
            _ => Ok(()),
        }
    }

    pub(crate) fn bump(&mut self) {
        self.version += 1;
    }

    /// Assigns the case to `target`, or unassigns it (`None`).
    ///
    /// New becomes open on assignment; open, pending and on hold become new when unassigned;
    /// reassigning and (un)assigning a closed case keep the status.
    pub fn assign(
        &mut self,
        act: Act<'_>,
        target: Option<&User>,
    ) -> Result<Vec<EventKind>, Refusal> {
        policy::check_assign_permission(act.actor, self, target.map(|t| t.id))?;
        self.check_version(act.expected_version)?;
        if let Some(target) = target {
            policy::require_eligible_assignee(target, self.profile_id)?;
        }
        let to = target.map(|t| t.id);
        if to == self.assignee_id {
            return Ok(Vec::new());
        }
        let mut events = vec![EventKind::Assigned {
            from: self.assignee_id,
            to,
            automatic: false,
        }];
        let from_status = self.status;
        self.status = match (self.status, to) {
            (CaseStatus::New, Some(_)) => CaseStatus::Open,
            (s, None) if s.counts_as_load() => CaseStatus::New,
            (s, _) => s,
        };
        if self.status != from_status {
            events.push(EventKind::StatusChanged {
                from: from_status,
                to: self.status,
            });
        }
        self.assignee_id = to;
        self.bump();
        Ok(events)
    }

    /// The assignee sets the status. Setting the current status records nothing; `new` cannot
    /// be set; done and spam are left only by reopen, except done → spam.
    pub fn set_status(
        &mut self,
        act: Act<'_>,
        to: CaseStatus,
        fields: &[CaseField],
        grace_period_secs: i64,
    ) -> Result<Vec<EventKind>, Refusal> {
        policy::require_assignee(act.actor, self)?;
        self.check_version(act.expected_version)?;
        if to == self.status {
            return Ok(Vec::new());
        }
        if !self.status.may_change_to(to) {
            return Err(if self.status.is_closed() {
                Refusal::Conflict(format!(
                    "a {} case is left only by reopening it",
                    self.status
                ))
            } else {
                Refusal::invalid("the status new cannot be set; unassign the case instead")
            });
        }
        if to == CaseStatus::Done {
            if let Some(field) = first_missing_mandatory(fields, &self.fields) {
                return Err(Refusal::MandatoryFieldMissing {
                    field: field.name.clone(),
                });
            }
        }
        Ok(self.change_status(to, act.now, grace_period_secs))
    }

    /// Applies a status change that the rules allowed (also used by replies).
    fn change_status(
        &mut self,
        to: CaseStatus,
        now: Timestamp,
        grace_period_secs: i64,
    ) -> Vec<EventKind> {
        let from = self.status;
        self.status = to;
        match to {
            CaseStatus::Done => {
                let until = now.plus_secs(grace_period_secs);
                self.grace_until = Some(until);
                self.holds_active_slot = grace_period_secs > 0;
            }
            CaseStatus::Spam => {
                self.grace_until = None;
                self.holds_active_slot = false;
            }
            _ => {}
        }
        self.bump();
        vec![EventKind::StatusChanged { from, to }]
    }

    /// The assignee reopens a done or spam case, when no newer case of the same customer and
    /// profile exists (`newer_case`: its number).
    pub fn reopen(
        &mut self,
        act: Act<'_>,
        newer_case: Option<i64>,
    ) -> Result<Vec<EventKind>, Refusal> {
        policy::require_assignee(act.actor, self)?;
        self.check_version(act.expected_version)?;
        if !self.status.is_closed() {
            return Err(Refusal::Conflict(format!(
                "a {} case is not closed",
                self.status
            )));
        }
        if let Some(case_number) = newer_case {
            return Err(Refusal::NewerCaseExists { case_number });
        }
        let from = self.status;
        self.status = CaseStatus::Open;
        self.grace_until = None;
        self.holds_active_slot = true;
        self.bump();
        Ok(vec![EventKind::Reopened { from }])
    }

    /// A customer message received at `t` joins this case, which must be active at `t`.
    ///
    /// Done (inside grace) reopens: to open with an active assignee, else new; pending becomes
    /// open; other statuses stay.
    pub fn receive_customer_message(
        &mut self,
        message_id: MessageId,
        t: Timestamp,
        assignee_active: bool,
    ) -> Vec<EventKind> {
        let mut events = vec![EventKind::MessageReceived { message_id }];
        match self.status {
            CaseStatus::Done => {
                let to = if self.assignee_id.is_some() && assignee_active {
                    CaseStatus::Open
                } else {
                    self.assignee_id = None;
                    CaseStatus::New
                };
                self.status = to;
                self.grace_until = None;
                self.holds_active_slot = true;
                events.push(EventKind::AutoReopened { message_id, to });
            }
            CaseStatus::Pending => {
                self.status = CaseStatus::Open;
                events.push(EventKind::StatusChanged {
                    from: CaseStatus::Pending,
                    to: CaseStatus::Open,
                });
            }
            _ => {}
        }
        if self.last_customer_message_at.is_none_or(|last| last < t) {
            self.last_customer_message_at = Some(t);
        }
        self.bump();
        events
    }

    /// An escalation of `message_id` joined this active case: the message joins like a
    /// customer message (reopening a Done case), the note is kept as an internal note, the
    /// requested priority and assignee are ignored.
    pub fn append_escalation(
        &mut self,
        message_id: MessageId,
        message_received_at: Timestamp,
        note: &str,
        assignee_active: bool,
    ) -> Vec<EventKind> {
        let mut events = vec![EventKind::EscalationAppended {
            message_id,
            note: note.to_owned(),
        }];
        let joined =
            self.receive_customer_message(message_id, message_received_at, assignee_active);
        // The message may be older than the case's latest; the join itself is what changed.
        events.extend(
            joined
                .into_iter()
                .filter(|e| !matches!(e, EventKind::MessageReceived { .. })),
        );
        events
    }
}

/// The longest note or reply text we store.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// Checks a free text is not blank and not over `max` characters.
pub fn validate_text(what: &str, text: &str, max: usize) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::invalid(format!("{what} must not be empty")));
    }
    if text.chars().count() > max {
        return Err(Refusal::invalid(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
#[path = "case_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "case_life_tests.rs"]
mod life_tests;

#[cfg(test)]
#[path = "case_grace_tests.rs"]
mod grace_tests;

#[cfg(test)]
#[path = "case_order_tests.rs"]
mod order_tests;
