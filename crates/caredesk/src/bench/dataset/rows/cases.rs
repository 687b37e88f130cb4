//! The cases of the data set: one case of a customer in its status, with its messages, its
//! active slot and grace period, and the activity log a case in that status would have.

use caredesk_domain::*;
use caredesk_store::bulk::{BulkRows, CaseMessage};

use rand::rngs::StdRng;
use rand::Rng;

use std::collections::BTreeMap;

use super::super::{Newest, GRACE_SECS};
use super::{at, Generator, Run, Thread};

impl Generator<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn case(
        &mut self,
        rows: &mut BulkRows,
        j: u64,
        id: CaseId,
        thread: &Thread,
        run: &Run,
        state: Option<Newest>,
        agent: Option<UserId>,
        previous: Option<CaseId>,
        rng: &mut StdRng,
    ) {
        let created = at(self.plan.case_created_secs(j));
        let done_secs = run.end_secs + 3_600;
        let (status, holds, grace) = match state {
            Some(Newest::Due) => (CaseStatus::Done, true, Some(at(done_secs + GRACE_SECS))),
            Some(Newest::InProgress(status, _)) => (status, true, None),
            None if rng.gen_range(0..10) == 0 => (CaseStatus::Spam, false, None),
            None => (CaseStatus::Done, false, Some(at(done_secs + GRACE_SECS))),
        };
        let mut fields = BTreeMap::new();
        if rng.gen_range(0..2) == 0 {
            let options = &self.cast.topic.1;
            let topic = options[rng.gen_range(0..options.len())].clone();
            fields.insert(self.cast.topic.0, FieldValue::Text(topic));
        }
        if rng.gen_range(0..10) < 3 {
            let order = format!("NW-{:06}", rng.gen_range(0..1_000_000));
            fields.insert(self.cast.order, FieldValue::Text(order));
        }
        let priority = [
            Priority::Urgent,
            Priority::High,
            Priority::Medium,
            Priority::Medium,
            Priority::Low,
        ][rng.gen_range(0..5)];
        let sentiment = [
            Sentiment::None,
            Sentiment::Negative,
            Sentiment::Neutral,
            Sentiment::Positive,
        ][rng.gen_range(0..4)];
        let escalated_by = self.cast.supervisor;
        rows.cases.push(Case {
            id,
            number: id.0,
            customer_id: thread.customer,
            profile_id: thread.profile,
            status,
            assignee_id: agent,
            priority,
            sentiment,
            fields,
            note: String::new(),
            escalated_by,
            escalated_from: run.first_customer,
            created_at: created,
            last_customer_message_at: run.last_customer.map(|(_, t)| t),
            grace_until: grace,
            holds_active_slot: holds,
            previous_case_id: previous,
            version: 1 + i64::from(agent.is_some()) + i64::from(status != CaseStatus::Open),
            deleted: false,
        });
        rows.case_messages
            .extend(run.ids.iter().map(|(message, created_at)| CaseMessage {
                case_id: id,
                message_id: *message,
                created_at: *created_at,
                direct: run.dm,
            }));
        let by = Some(escalated_by);
        let kind = EventKind::Escalated {
            message_id: run.first_customer,
            note: String::new(),
        };
        rows.events.push(Event::of_case(id, by, created, kind));
        if agent.is_some() {
            let assigned = EventKind::Assigned {
                from: None,
                to: agent,
                automatic: false,
            };
            rows.events
                .push(Event::of_case(id, by, created.plus_secs(60), assigned));
        }
        if !matches!(status, CaseStatus::New | CaseStatus::Open) {
            let changed = EventKind::StatusChanged {
                from: CaseStatus::Open,
                to: status,
            };
            rows.events
                .push(Event::of_case(id, agent, at(done_secs), changed));
        }
        if let (Some(until), false) = (grace, holds) {
            let expired = EventKind::GraceExpired;
            rows.events.push(Event::of_case(id, None, until, expired));
        }
    }
}
