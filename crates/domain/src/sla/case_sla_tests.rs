//! A case's service levels as it moves: the policy applied, pauses by status, replies meeting
//! response targets, next response started by the customer, and each firing recorded once.

use super::case_sla::{CaseSla, ShownTarget};
use super::clock::SlaClock;
use super::policy::{SlaConditions, SlaPolicy, SlaTargetKind, SlaTargets};
use super::timer::{SlaFired, SlaState};
use crate::{CaseStatus, SlaPolicyId, Timestamp};

const MIN: i64 = 60;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_secs(1_790_000_000 + secs)
}

fn policy(first: Option<i64>, next: Option<i64>, resolution: Option<i64>) -> SlaPolicy {
    SlaPolicy {
        id: SlaPolicyId(7),
        name: "Standard".into(),
        position: 1,
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response_secs: first,
            next_response_secs: next,
            resolution_secs: resolution,
        },
        warn_at: 0.5,
        schedule_id: None,
    }
}

fn escalated(policy: &SlaPolicy) -> CaseSla {
    CaseSla::apply(
        None,
        Some(policy),
        &SlaClock::Calendar,
        CaseStatus::New,
        t(0),
    )
    .expect("a policy applies")
}

fn state(sla: &CaseSla, kind: SlaTargetKind) -> Option<SlaState> {
    sla.timer(kind).map(|t| t.state())
}

#[test]
fn no_policy_sets_no_targets() {
    assert_eq!(
        CaseSla::apply(None, None, &SlaClock::Calendar, CaseStatus::New, t(0)),
        None
    );
}

#[test]
fn escalation_starts_first_response_and_resolution_but_not_next_response() {
    let sla = escalated(&policy(Some(10 * MIN), Some(5 * MIN), Some(60 * MIN)));
    let kinds: Vec<_> = sla.timers.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [SlaTargetKind::FirstResponse, SlaTargetKind::Resolution]
    );
    assert_eq!(sla.policy_id, Some(SlaPolicyId(7)));
    assert_eq!(sla.fire_at(), Some(t(5 * MIN)), "first response's warning");
    assert_eq!(sla.due_at(), Some(t(10 * MIN)));
    assert_eq!(sla.at_risk_from(), None, "nothing recorded yet");
}

#[test]
fn statuses_pause_meet_and_end_targets() {
    let clock = SlaClock::Calendar;
    let mut sla = escalated(&policy(Some(10 * MIN), None, Some(60 * MIN)));
    let table = [
        (CaseStatus::Pending, SlaState::Running, SlaState::Paused),
        (CaseStatus::Open, SlaState::Running, SlaState::Running),
        (CaseStatus::OnHold, SlaState::Running, SlaState::Paused),
        (CaseStatus::Done, SlaState::Paused, SlaState::Met),
    ];
    for (i, (status, first, resolution)) in table.into_iter().enumerate() {
        let now = t(i64::try_from(i).expect("small") * MIN);
        sla.follow_status(status, &clock, now);
        assert_eq!(
            state(&sla, SlaTargetKind::FirstResponse),
            Some(first),
            "{status}"
        );
        assert_eq!(
            state(&sla, SlaTargetKind::Resolution),
            Some(resolution),
            "{status}"
        );
    }
    assert_eq!(sla.due_at(), None, "nothing open counts once Done");
    sla.follow_status(CaseStatus::Spam, &clock, t(10 * MIN));
    assert!(sla.timers.is_empty());
}

#[test]
fn time_in_pending_does_not_count_towards_resolution() {
    let clock = SlaClock::Calendar;
    let mut sla = escalated(&policy(None, None, Some(60 * MIN)));
    sla.follow_status(CaseStatus::Pending, &clock, t(10 * MIN));
    sla.follow_status(CaseStatus::Open, &clock, t(40 * MIN));
    assert_eq!(sla.due_at(), Some(t(90 * MIN)), "30 paused minutes added");
}

#[test]
fn a_delivered_reply_meets_first_response_then_the_customer_starts_next_response() {
    let clock = SlaClock::Calendar;
    let mut sla = escalated(&policy(Some(10 * MIN), Some(5 * MIN), Some(60 * MIN)));
    sla.customer_wrote(&clock, t(MIN));
    assert!(
        sla.timer(SlaTargetKind::NextResponse).is_none(),
        "still waiting on the first response"
    );
    sla.reply_delivered(t(2 * MIN));
    assert_eq!(
        state(&sla, SlaTargetKind::FirstResponse),
        Some(SlaState::Met)
    );
    assert_eq!(
        state(&sla, SlaTargetKind::Resolution),
        Some(SlaState::Running)
    );
    sla.customer_wrote(&clock, t(3 * MIN));
    sla.customer_wrote(&clock, t(4 * MIN));
    let next = sla.timer(SlaTargetKind::NextResponse).expect("started");
    assert_eq!(
        next.started_at,
        t(3 * MIN),
        "a second message restarts nothing"
    );
    assert_eq!(next.due_at, Some(t(8 * MIN)));
    sla.reply_delivered(t(6 * MIN));
    assert_eq!(
        state(&sla, SlaTargetKind::NextResponse),
        Some(SlaState::Met)
    );
    sla.customer_wrote(&clock, t(20 * MIN));
    let again = sla.timer(SlaTargetKind::NextResponse).expect("again");
    assert_eq!(again.started_at, t(20 * MIN));
    assert_eq!(sla.timers.len(), 3, "one timer per target");
}

#[test]
fn warnings_and_breaches_fire_once_at_their_due_times() {
    let mut sla = escalated(&policy(Some(10 * MIN), None, Some(60 * MIN)));
    assert!(sla.fire(t(4 * MIN)).is_empty());
    let fired: Vec<_> = sla
        .fire(t(30 * MIN))
        .into_iter()
        .map(|f| (f.target, f.fired, f.at))
        .collect();
    assert_eq!(
        fired,
        [
            (SlaTargetKind::FirstResponse, SlaFired::Warning, t(5 * MIN)),
            (SlaTargetKind::FirstResponse, SlaFired::Breach, t(10 * MIN)),
            (SlaTargetKind::Resolution, SlaFired::Warning, t(30 * MIN)),
        ]
    );
    assert!(sla.fire(t(30 * MIN)).is_empty(), "recorded once");
    assert_eq!(sla.fire_at(), Some(t(60 * MIN)));
    assert_eq!(
        sla.due_at(),
        Some(t(10 * MIN)),
        "the breached target sorts first"
    );
    assert_eq!(sla.at_risk_from(), Some(t(5 * MIN)));
}

#[test]
fn the_badge_shows_a_missed_target_first_then_one_at_risk_then_the_soonest() {
    let mut sla = escalated(&policy(Some(10 * MIN), None, Some(60 * MIN)));
    let badge = |sla: &CaseSla| {
        let shown = sla.shown();
        ShownTarget::most_urgent(&shown).map(|t| (t.target, t.state))
    };
    assert_eq!(
        badge(&sla),
        Some((SlaTargetKind::FirstResponse, SlaState::Running))
    );
    sla.fire(t(11 * MIN));
    assert_eq!(
        badge(&sla),
        Some((SlaTargetKind::FirstResponse, SlaState::Breached))
    );
    sla.reply_delivered(t(12 * MIN));
    assert_eq!(
        badge(&sla),
        Some((SlaTargetKind::Resolution, SlaState::Running))
    );
    sla.follow_status(CaseStatus::Done, &SlaClock::Calendar, t(13 * MIN));
    assert_eq!(badge(&sla), None, "nothing counts once Done");
}

#[test]
fn a_priority_change_measures_counted_time_against_the_new_targets() {
    let clock = SlaClock::Calendar;
    let sla = escalated(&policy(Some(60 * MIN), None, Some(240 * MIN)));
    let urgent = SlaPolicy {
        id: SlaPolicyId(8),
        ..policy(Some(15 * MIN), None, None)
    };
    let moved = CaseSla::apply(
        Some(&sla),
        Some(&urgent),
        &clock,
        CaseStatus::New,
        t(5 * MIN),
    )
    .expect("applies");
    assert_eq!(moved.policy_id, Some(SlaPolicyId(8)));
    assert_eq!(
        moved.timers.len(),
        1,
        "resolution ended with the old policy"
    );
    let first = moved
        .timer(SlaTargetKind::FirstResponse)
        .expect("first response");
    assert_eq!(first.started_at, t(0), "the same timer");
    assert_eq!(first.due_at, Some(t(15 * MIN)));
}
