//! What Care users do to a case besides moving it through its lifecycle: edits of priority,
//! sentiment and fields, notes, replies, deletion, and unassignment of a deactivated user. Each
//! follows the same order of checks as the lifecycle actions in `case.rs`.

use crate::case::{validate_text, Act, Case, CaseEdit, MAX_NOTE_CHARS};
use crate::case_field::FieldValue;
use crate::case_status::CaseStatus;
use crate::event::EventKind;
use crate::policy;
use crate::{Refusal, User};

impl Case {
    /// A brand message made on the network directly (or a note) joined the case.
    pub fn record_joined_message(&mut self) {
        self.bump();
    }

    /// Any Care user who sees the case edits priority, sentiment and field values.
    pub fn edit(&mut self, act: Act<'_>, edit: &CaseEdit) -> Result<Vec<EventKind>, Refusal> {
        policy::require_case_visible(act.actor, self)?;
        self.check_version(act.expected_version)?;
        let mut events = Vec::new();
        if let Some(to) = edit.priority.filter(|p| *p != self.priority) {
            events.push(EventKind::PriorityChanged {
                from: self.priority,
                to,
            });
            self.priority = to;
        }
        if let Some(to) = edit.sentiment.filter(|s| *s != self.sentiment) {
            events.push(EventKind::SentimentChanged {
                from: self.sentiment,
                to,
            });
            self.sentiment = to;
        }
        for (field_id, value) in &edit.fields {
            let before = self.fields.get(field_id).cloned();
            if before == *value {
                continue;
            }
            let json = |v: &Option<FieldValue>| {
                v.as_ref()
                    .map_or(serde_json::Value::Null, FieldValue::to_json)
            };
            events.push(EventKind::FieldChanged {
                field_id: *field_id,
                from: json(&before),
                to: json(value),
            });
            match value {
                Some(v) => self.fields.insert(*field_id, v.clone()),
                None => self.fields.remove(field_id),
            };
        }
        if !events.is_empty() {
            self.bump();
        }
        Ok(events)
    }

    /// Any Care user who sees the case adds an internal note.
    pub fn add_note(&mut self, act: Act<'_>, text: &str) -> Result<(), Refusal> {
        policy::require_case_visible(act.actor, self)?;
        self.check_version(act.expected_version)?;
        validate_text("note", text, MAX_NOTE_CHARS)?;
        self.bump();
        Ok(())
    }

    /// The assignee replies; the case must not be closed. `set_status` may move it to pending
    /// or on hold in the same action. The reply itself is planned by [`crate::reply`].
    pub fn accept_reply(
        &mut self,
        act: Act<'_>,
        set_status: Option<CaseStatus>,
    ) -> Result<Vec<EventKind>, Refusal> {
        policy::require_assignee(act.actor, self)?;
        self.check_version(act.expected_version)?;
        if self.status.is_closed() {
            return Err(Refusal::CaseClosed);
        }
        if let Some(s) = set_status {
            if !matches!(s, CaseStatus::Pending | CaseStatus::OnHold) {
                return Err(Refusal::invalid(
                    "a reply may set the status to pending or on_hold only",
                ));
            }
        }
        self.bump();
        Ok(match set_status {
            Some(to) if to != self.status => {
                let from = self.status;
                self.status = to;
                vec![EventKind::StatusChanged { from, to }]
            }
            _ => Vec::new(),
        })
    }

    /// A supervisor deletes the case: it disappears everywhere and frees its slot.
    pub fn delete(&mut self, act: Act<'_>) -> Result<Vec<EventKind>, Refusal> {
        policy::require_may_delete(act.actor, self)?;
        self.check_version(act.expected_version)?;
        self.deleted = true;
        self.holds_active_slot = false;
        self.bump();
        Ok(vec![EventKind::Deleted])
    }

    /// Auto-assignment hands this New case to `to` (chosen by
    /// [`crate::availability::pick_assignee`]): it becomes open, with no actor. A case that is
    /// no longer New and unassigned is left alone (manual assignment always wins).
    pub fn assign_automatically(&mut self, to: &User) -> Vec<EventKind> {
        if self.status != CaseStatus::New || self.assignee_id.is_some() || self.deleted {
            return Vec::new();
        }
        self.assignee_id = Some(to.id);
        self.status = CaseStatus::Open;
        self.bump();
        vec![
            EventKind::Assigned {
                from: None,
                to: Some(to.id),
                automatic: true,
            },
            EventKind::StatusChanged {
                from: CaseStatus::New,
                to: CaseStatus::Open,
            },
        ]
    }

    /// The assignee was deactivated: the case is unassigned, and open, pending and on-hold
    /// cases become new.
    pub fn unassign_deactivated(&mut self) -> Vec<EventKind> {
        if self.assignee_id.is_none() {
            return Vec::new();
        }
        let mut events = vec![EventKind::Assigned {
            from: self.assignee_id,
            to: None,
            automatic: false,
        }];
        self.assignee_id = None;
        if self.status.counts_as_load() {
            events.push(EventKind::StatusChanged {
                from: self.status,
                to: CaseStatus::New,
            });
            self.status = CaseStatus::New;
        }
        self.bump();
        events
    }
}
