//! The actions of the model world: each asks the domain and checks the answer against an
//! oracle written from PRODUCT.md §2–§3.

use super::{check, eligible, sees, Want, World, DEACTIVATED, FIELD};
use crate::case::{Act, CaseEdit, CaseStatus};
use crate::case_field::FieldValue;
use crate::event::EventKind;
use crate::ids::UserId;
use crate::routing::{route_customer_message, Route};

impl World {
    /// A new customer message of `pair` arrives now. Answers the cases it touched.
    pub(crate) fn inbound(&mut self, pair: usize) -> Vec<usize> {
        let key = self.pair(pair);
        let m = self.new_message(pair);
        let holder = self.slot_holder(key);
        let route = route_customer_message(false, holder.map(|i| &self.cases[i]), m.received_at);
        let any_active = self
            .cases
            .iter()
            .any(|c| Self::key(c) == key && c.is_active_at(self.now));
        assert_eq!(
            route == Route::JoinCase,
            any_active,
            "routing disagrees with the active case"
        );
        match (route, holder) {
            (Route::JoinCase, Some(i)) => {
                let before = self.cases[i].clone();
                let (mut events, to) = self.joining(&before, m.id);
                events.insert(0, EventKind::MessageReceived { message_id: m.id });
                let active = self.assignee_active(&before);
                let reopens = before.status == CaseStatus::Done;
                self.tag(reopens, "inbound:reopened", "inbound:joined");
                let got = self.cases[i].receive_customer_message(m.id, m.received_at, active);
                check(
                    Want::Accepted { events, bump: true },
                    Ok(got),
                    &before,
                    &self.cases[i],
                );
                assert_eq!(self.cases[i].status, to);
                assert_eq!(self.cases[i].last_customer_message_at, Some(self.now));
                vec![i]
            }
            (Route::Community, _) => {
                self.tags.push("inbound:community");
                self.community.push((pair % 4, m));
                Vec::new()
            }
            (route, holder) => panic!("route {route:?} with holder {holder:?}"),
        }
    }

    pub(crate) fn assign(
        &mut self,
        i: usize,
        actor: usize,
        target: Option<usize>,
        stale: Option<bool>,
    ) {
        let actor = self.users[actor % self.users.len()].clone();
        let target = target.map(|a| self.users[a % self.users.len()].clone());
        let before = self.cases[i].clone();
        let allowed = actor.is_supervisor()
            || match &target {
                Some(u) => u.id == actor.id || before.status == CaseStatus::New,
                None => before.assignee_id == Some(actor.id),
            };
        let to = target.as_ref().map(|u| u.id);
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if !allowed {
            Want::Refused("forbidden")
        } else if stale == Some(true) {
            Want::Refused("stale_case")
        } else if target
            .as_ref()
            .is_some_and(|u| !eligible(u, before.profile_id))
        {
            Want::Refused("validation_failed")
        } else if to == before.assignee_id {
            Want::Accepted {
                events: Vec::new(),
                bump: false,
            }
        } else {
            let status = match (before.status, to) {
                (CaseStatus::New, Some(_)) => CaseStatus::Open,
                (s, None) if s.counts_as_load() => CaseStatus::New,
                (s, _) => s,
            };
            let mut events = vec![EventKind::Assigned {
                from: before.assignee_id,
                to,
                automatic: false,
            }];
            if status != before.status {
                events.push(EventKind::StatusChanged {
                    from: before.status,
                    to: status,
                });
            }
            Want::Accepted { events, bump: true }
        };
        let act = Act {
            actor: &actor,
            now: self.now,
            expected_version: Self::expected_version(&before, stale),
        };
        let got = self.cases[i].assign(act, target.as_ref());
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "assign:accepted", "assign:refused");
    }

    pub(crate) fn set_status(
        &mut self,
        i: usize,
        actor: usize,
        to: CaseStatus,
        stale: Option<bool>,
    ) {
        let actor = self.users[actor % self.users.len()].clone();
        let before = self.cases[i].clone();
        let from = before.status;
        let value = before.fields.get(&FIELD);
        let filled = !self.fields[0].mandatory
            || matches!(value, Some(FieldValue::Text(s)) if !s.trim().is_empty());
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if before.assignee_id != Some(actor.id) {
            Want::Refused("not_assignee")
        } else if stale == Some(true) {
            Want::Refused("stale_case")
        } else if to == from {
            Want::Accepted {
                events: Vec::new(),
                bump: false,
            }
        } else if from.is_closed() && !(from == CaseStatus::Done && to == CaseStatus::Spam) {
            Want::Refused("conflict")
        } else if to == CaseStatus::New {
            Want::Refused("validation_failed")
        } else if to == CaseStatus::Done && !filled {
            Want::Refused("mandatory_field_missing")
        } else {
            Want::Accepted {
                events: vec![EventKind::StatusChanged { from, to }],
                bump: true,
            }
        };
        let act = Act {
            actor: &actor,
            now: self.now,
            expected_version: Self::expected_version(&before, stale),
        };
        let got = self.cases[i].set_status(act, to, &self.fields, self.grace);
        let changed = got.as_ref().is_ok_and(|e| !e.is_empty());
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "set_status:accepted", "set_status:refused");
        let after = &self.cases[i];
        if changed {
            assert_eq!(after.status, to);
            if to == CaseStatus::Done {
                assert_eq!(after.grace_until, Some(self.now.plus_secs(self.grace)));
                assert_eq!(after.holds_active_slot, self.grace > 0);
            }
        }
    }

    pub(crate) fn reopen(&mut self, i: usize, actor: usize, stale: Option<bool>) {
        let actor = self.users[actor % self.users.len()].clone();
        let before = self.cases[i].clone();
        let newer = self
            .latest_case(Self::key(&before), before.number)
            .map(|c| c.number);
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if before.assignee_id != Some(actor.id) {
            Want::Refused("not_assignee")
        } else if stale == Some(true) {
            Want::Refused("stale_case")
        } else if before.status.is_in_progress() {
            Want::Refused("conflict")
        } else if newer.is_some() {
            Want::Refused("newer_case_exists")
        } else {
            Want::Accepted {
                events: vec![EventKind::Reopened {
                    from: before.status,
                }],
                bump: true,
            }
        };
        let act = Act {
            actor: &actor,
            now: self.now,
            expected_version: Self::expected_version(&before, stale),
        };
        let got = self.cases[i].reopen(act, newer);
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "reopen:accepted", "reopen:refused");
    }

    pub(crate) fn reply(&mut self, i: usize, actor: usize, to: Option<CaseStatus>) {
        let actor = self.users[actor % self.users.len()].clone();
        let before = self.cases[i].clone();
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if before.assignee_id != Some(actor.id) {
            Want::Refused("not_assignee")
        } else if before.status.is_closed() {
            Want::Refused("case_closed")
        } else if to.is_some_and(|s| !matches!(s, CaseStatus::Pending | CaseStatus::OnHold)) {
            Want::Refused("validation_failed")
        } else {
            let events = match to {
                Some(to) if to != before.status => vec![EventKind::StatusChanged {
                    from: before.status,
                    to,
                }],
                _ => Vec::new(),
            };
            Want::Accepted { events, bump: true }
        };
        let got = self.cases[i].accept_reply(
            Act {
                actor: &actor,
                now: self.now,
                expected_version: None,
            },
            to,
        );
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "reply:accepted", "reply:refused");
    }

    pub(crate) fn fill(&mut self, i: usize, actor: usize, filled: bool) {
        let actor = self.users[actor % self.users.len()].clone();
        let before = self.cases[i].clone();
        let value = filled.then(|| FieldValue::Text("order 1".into()));
        let edit = CaseEdit {
            fields: [(FIELD, value.clone())].into(),
            ..CaseEdit::default()
        };
        let old = before.fields.get(&FIELD).cloned();
        let json = |v: &Option<FieldValue>| {
            v.as_ref()
                .map_or(serde_json::Value::Null, FieldValue::to_json)
        };
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if old == value {
            Want::Accepted {
                events: Vec::new(),
                bump: false,
            }
        } else {
            let events = vec![EventKind::FieldChanged {
                field_id: FIELD,
                from: json(&old),
                to: json(&value),
            }];
            Want::Accepted { events, bump: true }
        };
        let got = self.cases[i].edit(
            Act {
                actor: &actor,
                now: self.now,
                expected_version: None,
            },
            &edit,
        );
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "fill:accepted", "fill:refused");
    }

    pub(crate) fn delete(&mut self, i: usize, actor: usize, stale: Option<bool>) {
        let actor = self.users[actor % self.users.len()].clone();
        let before = self.cases[i].clone();
        let want = if !sees(&actor, &before) {
            Want::Refused("not_found")
        } else if !actor.is_supervisor() {
            Want::Refused("forbidden")
        } else if stale == Some(true) {
            Want::Refused("stale_case")
        } else {
            Want::Accepted {
                events: vec![EventKind::Deleted],
                bump: true,
            }
        };
        let act = Act {
            actor: &actor,
            now: self.now,
            expected_version: Self::expected_version(&before, stale),
        };
        let got = self.cases[i].delete(act);
        let accepted = check(want, got, &before, &self.cases[i]);
        self.tag(accepted, "delete:accepted", "delete:refused");
    }

    /// The expiry sweep over every case. Answers the cases it touched.
    pub(crate) fn sweep(&mut self) -> Vec<usize> {
        let now = self.now;
        let mut touched = Vec::new();
        let mut expired = false;
        for (i, c) in self.cases.iter_mut().enumerate() {
            let before = c.clone();
            let due = c.status == CaseStatus::Done
                && c.holds_active_slot
                && c.grace_until.is_some_and(|g| g <= now);
            let got = c.expire_grace_if_due(now);
            assert_eq!(
                got,
                due.then(|| (before.grace_until.unwrap_or(now), EventKind::GraceExpired))
            );
            let mut expected = before.clone();
            expected.holds_active_slot &= !due;
            assert_eq!(
                *c, expected,
                "the sweep changes nothing but the slot, not the version"
            );
            touched.push(i);
            expired |= due;
        }
        if expired {
            self.tags.push("sweep:expired");
        }
        touched
    }

    /// Deactivates user `DEACTIVATED`, unassigning their cases. Answers the cases it touched.
    pub(crate) fn deactivate(&mut self) -> Vec<usize> {
        let id: UserId = self.users[DEACTIVATED].id;
        self.users[DEACTIVATED].active = false;
        let mut touched = Vec::new();
        for (i, c) in self
            .cases
            .iter_mut()
            .enumerate()
            .filter(|(_, c)| c.assignee_id == Some(id))
        {
            let before = c.clone();
            let events = c.unassign_deactivated();
            let to = if before.status.counts_as_load() {
                CaseStatus::New
            } else {
                before.status
            };
            let mut want = vec![EventKind::Assigned {
                from: Some(id),
                to: None,
                automatic: false,
            }];
            if to != before.status {
                want.push(EventKind::StatusChanged {
                    from: before.status,
                    to,
                });
            }
            assert_eq!(events, want);
            assert_eq!(
                (c.status, c.assignee_id, c.version),
                (to, None, before.version + 1)
            );
            touched.push(i);
        }
        touched
    }
}
