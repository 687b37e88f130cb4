//! A small installation driven through the domain's functions, the way the store and the app
//! would: 1–2 customers, 1–2 profiles, users of every role, a fake clock. Each action asks the
//! domain and checks its answer against an independent oracle; `world_model_tests` runs random
//! sequences of actions and checks the invariants after every step.

use crate::case::{Case, CaseStatus};
use crate::case_field::{CaseField, FieldKind};
use crate::escalation::{check_escalation, open_case, EscalationRequest};
use crate::event::EventKind;
use crate::ids::{CaseFieldId, CaseId, CustomerId, MessageId, ProfileId};
use crate::message::Message;
use crate::testkit::{field, message, t, user};
use crate::time::Timestamp;
use crate::user::{CareAccess, Role, User};
use crate::Refusal;

/// The mandatory field that blocks Done until filled.
pub(crate) const FIELD: CaseFieldId = CaseFieldId(1);
/// The user that `Action::Deactivate` deactivates.
pub(crate) const DEACTIVATED: usize = 2;

/// What the oracle expects of an action.
#[derive(Debug)]
pub(crate) enum Want {
    Refused(&'static str),
    /// Accepted with these events; `bump`: the version rises by one.
    Accepted {
        events: Vec<EventKind>,
        bump: bool,
    },
}

/// A user visible to the oracle: computed from the spec, not from `policy`.
fn sees(u: &User, c: &Case) -> bool {
    !c.deleted && u.active && u.care_access() != CareAccess::None && u.connected_to(c.profile_id)
}

fn eligible(u: &User, profile: ProfileId) -> bool {
    u.active && u.care_access() != CareAccess::None && u.connected_to(profile)
}

/// Checks the domain's answer against the oracle; a refusal must leave the case unchanged.
pub(crate) fn check(
    want: Want,
    got: Result<Vec<EventKind>, Refusal>,
    before: &Case,
    after: &Case,
) -> bool {
    let accepted = got.is_ok();
    match (want, got) {
        (Want::Refused(code), Err(refusal)) => {
            assert_eq!(
                refusal.code(),
                code,
                "refused for the wrong reason: {refusal}"
            );
            assert_eq!(after, before, "a refused action changed the case");
        }
        (Want::Accepted { events, bump }, Ok(got)) => {
            assert_eq!(got, events, "wrong events");
            assert_eq!(
                after.version,
                before.version + i64::from(bump),
                "wrong version"
            );
            if !bump {
                assert_eq!(after, before, "a no-op changed the case");
            }
        }
        (want, got) => panic!("expected {want:?}, got {got:?}"),
    }
    accepted
}

#[derive(Clone)]
pub(crate) struct World {
    pub(crate) now: Timestamp,
    pub(crate) grace: i64,
    customers: i64,
    profiles: i64,
    pub(crate) users: Vec<User>,
    pub(crate) fields: Vec<CaseField>,
    pub(crate) cases: Vec<Case>,
    /// Messages that landed in Community, with their pair.
    community: Vec<(usize, Message)>,
    next_message: i64,
    /// What happened, for the coverage test: `action:outcome`.
    pub(crate) tags: Vec<&'static str>,
}

impl World {
    pub(crate) fn new(customers: i64, profiles: i64, grace: i64) -> Self {
        let (p1, p2) = (ProfileId(1), ProfileId(2));
        let users = vec![
            user(1, Role::Member, CareAccess::None, &[p1, p2]),
            user(2, Role::Member, CareAccess::Agent, &[p1, p2]),
            user(3, Role::Member, CareAccess::Agent, &[p1]),
            user(4, Role::Member, CareAccess::Supervisor, &[p1]),
            user(5, Role::Admin, CareAccess::None, &[]),
            user(6, Role::Member, CareAccess::Agent, &[p2]),
        ];
        World {
            now: t(0),
            grace,
            customers,
            profiles,
            users,
            fields: vec![field(FIELD.0, FieldKind::Text, true)],
            cases: Vec::new(),
            community: Vec::new(),
            next_message: 1,
            tags: Vec::new(),
        }
    }

    /// Pair index → (customer, profile).
    pub(crate) fn pair(&self, pair: usize) -> (CustomerId, ProfileId) {
        let p = i64::try_from(pair % 4).unwrap_or(0);
        (
            CustomerId(1 + p % self.customers),
            ProfileId(1 + (p / 2) % self.profiles),
        )
    }

    pub(crate) fn key(c: &Case) -> (CustomerId, ProfileId) {
        (c.customer_id, c.profile_id)
    }

    fn slot_holder(&self, key: (CustomerId, ProfileId)) -> Option<usize> {
        self.cases
            .iter()
            .position(|c| Self::key(c) == key && !c.deleted && c.holds_active_slot)
    }

    fn latest_case(&self, key: (CustomerId, ProfileId), newer_than: i64) -> Option<&Case> {
        self.cases
            .iter()
            .filter(|c| Self::key(c) == key && !c.deleted && c.number > newer_than)
            .max_by_key(|c| c.number)
    }

    fn tag(&mut self, accepted: bool, ok: &'static str, refused: &'static str) {
        self.tags.push(if accepted { ok } else { refused });
    }

    /// The case `case` places back from the newest.
    pub(crate) fn pick(&self, case: usize) -> Option<usize> {
        let n = self.cases.len();
        (n > 0).then(|| n - 1 - case % n)
    }

    fn assignee_active(&self, c: &Case) -> bool {
        self.users
            .iter()
            .any(|u| Some(u.id) == c.assignee_id && u.active)
    }

    fn expected_version(c: &Case, stale: Option<bool>) -> Option<i64> {
        stale.map(|stale| if stale { c.version - 1 } else { c.version })
    }

    fn new_message(&mut self, pair: usize) -> Message {
        let (customer, profile) = self.pair(pair);
        let mut m = message(self.next_message)
            .profile(profile)
            .at(self.now)
            .build();
        m.customer_id = Some(customer);
        self.next_message += 1;
        m
    }

    /// The events and status of a customer message (or escalation) joining `before`.
    fn joining(&self, before: &Case, message_id: MessageId) -> (Vec<EventKind>, CaseStatus) {
        match before.status {
            CaseStatus::Done => {
                let to = if before.assignee_id.is_some() && self.assignee_active(before) {
                    CaseStatus::Open
                } else {
                    CaseStatus::New
                };
                (vec![EventKind::AutoReopened { message_id, to }], to)
            }
            CaseStatus::Pending => {
                let to = CaseStatus::Open;
                (
                    vec![EventKind::StatusChanged {
                        from: CaseStatus::Pending,
                        to,
                    }],
                    to,
                )
            }
            status => (Vec::new(), status),
        }
    }

    /// `actor` escalates a message of `pair` (an older Community one, or one arriving now).
    pub(crate) fn escalate(
        &mut self,
        pair: usize,
        actor: usize,
        assignee: Option<usize>,
        old: bool,
    ) -> Vec<usize> {
        let key = self.pair(pair);
        // Escalating a Community message takes it out of Community.
        let older = self.community.iter().rposition(|(p, _)| *p == pair % 4);
        let m = match older {
            Some(at) if old => self.community.remove(at).1,
            _ => self.new_message(pair),
        };
        let actor = self.users[actor % self.users.len()].clone();
        let target = assignee.map(|a| self.users[a % self.users.len()].clone());
        let note = format!("escalated by {}", actor.id);
        if let Err(refusal) = check_escalation(&actor, &m, &note) {
            assert!(
                !(actor.active && actor.connected_to(key.1)),
                "a member was refused: {refusal}"
            );
            assert_eq!(refusal, Refusal::NotFound);
            self.tags.push("escalate:refused");
            return Vec::new();
        }
        let holder = self.slot_holder(key);
        if let Some(i) = holder.filter(|i| self.cases[*i].is_active_at(self.now)) {
            let before = self.cases[i].clone();
            let (joined, to) = self.joining(&before, m.id);
            let mut events = vec![EventKind::EscalationAppended {
                message_id: m.id,
                note: note.clone(),
            }];
            events.extend(joined);
            let active = self.assignee_active(&before);
            let reopens = before.status == CaseStatus::Done;
            self.tag(reopens, "escalate:reopened", "escalate:appended");
            let got = self.cases[i].append_escalation(m.id, m.received_at, &note, active);
            check(
                Want::Accepted { events, bump: true },
                Ok(got),
                &before,
                &self.cases[i],
            );
            let after = &self.cases[i];
            assert_eq!(after.status, to);
            assert_eq!(
                (after.priority, after.note.as_str()),
                (before.priority, before.note.as_str())
            );
            assert!(after.last_customer_message_at >= before.last_customer_message_at);
            return vec![i];
        }
        let request = EscalationRequest {
            note: note.clone(),
            assignee_id: target.as_ref().map(|u| u.id),
            ..EscalationRequest::default()
        };
        let previous = self.latest_case(key, 0).map(|c| c.id);
        let planned = open_case(
            &actor,
            &m,
            key.0,
            &request,
            target.as_ref(),
            &self.fields,
            previous,
            Some(m.received_at),
            self.now,
        );
        let planned = match planned {
            Err(refusal) => {
                assert!(
                    target.as_ref().is_some_and(|u| !eligible(u, key.1)),
                    "refused: {refusal}"
                );
                assert_eq!(refusal.code(), "validation_failed");
                self.tags.push("escalate:refused");
                return Vec::new();
            }
            Ok(planned) => planned,
        };
        let mut touched = Vec::new();
        if let Some(i) = holder {
            // The slot is held by a Done case past its grace period: whatever touches it
            // treats it as final, and records the expiry before a new case takes the slot.
            let until = self.cases[i].grace_until;
            let expired = self.cases[i].expire_grace_if_due(self.now);
            assert_eq!(
                expired,
                until.map(|u| (u, EventKind::GraceExpired)),
                "holder not expired"
            );
            touched.push(i);
        }
        let mut events = vec![EventKind::Escalated {
            message_id: m.id,
            note,
        }];
        if let Some(u) = &target {
            events.push(EventKind::Assigned {
                from: None,
                to: Some(u.id),
                automatic: false,
            });
        }
        assert_eq!(planned.opening_events(), events);
        let number = i64::try_from(self.cases.len()).unwrap_or(0) + 1;
        let case = planned.into_case(CaseId(number), number);
        let status = if target.is_some() {
            CaseStatus::Open
        } else {
            CaseStatus::New
        };
        assert_eq!(
            (case.status, case.assignee_id, case.previous_case_id),
            (status, target.map(|u| u.id), previous)
        );
        self.cases.push(case);
        self.tags.push(if holder.is_some() {
            "escalate:opened_after_expiry"
        } else {
            "escalate:opened"
        });
        touched.push(self.cases.len() - 1);
        touched
    }

    /// At most one active case per (customer, profile), and each status in a coherent shape.
    pub(crate) fn check_invariants(&self) {
        for pair in 0..4 {
            let key = self.pair(pair);
            let of_pair = || self.cases.iter().filter(move |c| World::key(c) == key);
            let active: Vec<i64> = of_pair()
                .filter(|c| c.is_active_at(self.now))
                .map(|c| c.number)
                .collect();
            assert!(
                active.len() <= 1,
                "cases {active:?} are active at once for {key:?}"
            );
            let slots: Vec<i64> = of_pair()
                .filter(|c| !c.deleted && c.holds_active_slot)
                .map(|c| c.number)
                .collect();
            assert!(
                slots.len() <= 1,
                "cases {slots:?} hold the active slot of {key:?}"
            );
        }
        for c in &self.cases {
            let n = c.number;
            assert!(
                !(c.deleted && c.holds_active_slot),
                "deleted case #{n} holds its slot"
            );
            match c.status {
                CaseStatus::New => assert_eq!(c.assignee_id, None, "new case #{n} has an assignee"),
                s if s.counts_as_load() => {
                    assert!(c.assignee_id.is_some(), "{s} case #{n} has no assignee")
                }
                CaseStatus::Done => {
                    assert!(c.grace_until.is_some(), "done case #{n} has no grace_until")
                }
                _ => assert!(
                    !c.holds_active_slot && c.grace_until.is_none(),
                    "spam case #{n} is active"
                ),
            }
            if c.status.is_in_progress() {
                assert_eq!(
                    c.grace_until, None,
                    "case #{n} in progress keeps a grace period"
                );
                assert!(
                    c.deleted || c.holds_active_slot,
                    "case #{n} in progress lost its slot"
                );
            }
        }
    }
}

#[path = "world_model_actions.rs"]
mod actions;
