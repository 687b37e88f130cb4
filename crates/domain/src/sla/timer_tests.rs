//! One target's timer: its states, pausing, warnings and breaches recorded once, and over
//! random sequences of actions that no counted time is lost or gained.

use proptest::prelude::*;

use super::clock::SlaClock;
use super::clock_tests::{any_instant, any_schedule, wall, weekdays_nine_to_five};
use super::policy::SlaTargetKind;
use super::schedule::ScheduleRules;
use super::timer::{next_due, SlaFired, SlaState, SlaTimer};
use crate::Timestamp;

const HOUR: i64 = 3_600;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_secs(1_790_000_000 + secs)
}

fn calendar_timer(target_secs: i64, warn_at: f64) -> SlaTimer {
    SlaTimer::start(
        SlaTargetKind::FirstResponse,
        target_secs,
        warn_at,
        &SlaClock::Calendar,
        t(0),
    )
}

#[test]
fn a_started_timer_is_running_with_its_due_times() {
    let timer = calendar_timer(HOUR, 0.8);
    assert_eq!(timer.state(), SlaState::Running);
    assert_eq!(timer.due_at, Some(t(HOUR)));
    assert_eq!(timer.warn_due_at, Some(t(2_880)));
    assert_eq!(timer.attained(), None);
    assert_eq!(
        timer.time_left_secs(&SlaClock::Calendar, t(600)),
        Some(3_000)
    );
    assert_eq!(next_due(std::slice::from_ref(&timer)), Some(t(2_880)));
}

#[test]
fn business_due_times_skip_closed_hours() {
    let paris = weekdays_nine_to_five("Europe/Paris", &[]);
    let clock = SlaClock::Business(&paris);
    let friday_four = wall("Europe/Paris", 2026, 11, 20, 16, 0);
    let timer = SlaTimer::start(
        SlaTargetKind::Resolution,
        2 * HOUR,
        0.5,
        &clock,
        friday_four,
    );
    assert_eq!(
        timer.due_at,
        Some(wall("Europe/Paris", 2026, 11, 23, 10, 0))
    );
    assert_eq!(
        timer.warn_due_at,
        Some(wall("Europe/Paris", 2026, 11, 20, 17, 0))
    );
    let saturday = wall("Europe/Paris", 2026, 11, 21, 12, 0);
    assert_eq!(timer.time_left_secs(&clock, saturday), Some(HOUR));
}

#[test]
fn a_paused_timer_is_never_due_and_resumes_with_what_is_left() {
    let clock = SlaClock::Calendar;
    let mut timer = calendar_timer(HOUR, 0.5);
    timer.pause(&clock, t(600));
    assert_eq!(timer.state(), SlaState::Paused);
    assert_eq!(
        (timer.used_secs, timer.due_at, timer.warn_due_at),
        (600, None, None)
    );
    assert_eq!(timer.fire(t(10 * HOUR)), []);
    assert_eq!(timer.time_left_secs(&clock, t(10 * HOUR)), Some(3_000));
    timer.pause(&clock, t(900));
    assert_eq!(timer.used_secs, 600, "pausing twice changes nothing");
    timer.resume(&clock, t(1_000));
    assert_eq!(timer.state(), SlaState::Running);
    assert_eq!(timer.due_at, Some(t(1_000 + 3_000)));
    assert_eq!(timer.warn_due_at, Some(t(1_000 + 1_200)));
    timer.resume(&clock, t(2_000));
    assert_eq!(
        timer.due_at,
        Some(t(4_000)),
        "resuming twice changes nothing"
    );
}

#[test]
fn warning_then_breach_are_each_recorded_once() {
    let mut timer = calendar_timer(HOUR, 0.8);
    assert_eq!(timer.fire(t(2_000)), []);
    assert_eq!(timer.fire(t(2_900)), [SlaFired::Warning]);
    assert_eq!(timer.warned_at, Some(t(2_880)));
    assert_eq!(timer.fire(t(2_950)), []);
    assert_eq!(timer.fire(t(HOUR + 5)), [SlaFired::Breach]);
    assert_eq!(timer.fire(t(HOUR + 50)), []);
    assert_eq!(timer.breached_at, Some(t(HOUR)));
    assert_eq!(timer.state(), SlaState::Breached);
    assert_eq!(timer.attained(), Some(false));
    assert_eq!(
        timer.time_left_secs(&SlaClock::Calendar, t(HOUR + 60)),
        Some(-60)
    );
    assert_eq!(next_due(std::slice::from_ref(&timer)), None);
}

#[test]
fn a_late_sweep_records_both_warning_first() {
    let mut timer = calendar_timer(HOUR, 0.8);
    assert_eq!(
        timer.fire(t(5 * HOUR)),
        [SlaFired::Warning, SlaFired::Breach]
    );
    assert_eq!(timer.fire(t(6 * HOUR)), []);
}

#[test]
fn a_timer_met_in_time_is_attained_and_never_fires() {
    let mut timer = calendar_timer(HOUR, 0.8);
    timer.meet(t(100));
    timer.meet(t(200));
    assert_eq!(timer.met_at, Some(t(100)));
    assert_eq!(timer.state(), SlaState::Met);
    assert_eq!(timer.attained(), Some(true));
    assert_eq!(timer.fire(t(10 * HOUR)), []);
    assert_eq!(timer.time_left_secs(&SlaClock::Calendar, t(300)), None);
    timer.resume(&SlaClock::Calendar, t(400));
    timer.pause(&SlaClock::Calendar, t(500));
    assert_eq!(timer.state(), SlaState::Met);
    assert_eq!((timer.due_at, timer.warn_due_at), (None, None));
}

#[test]
fn a_breached_target_met_later_stays_breached() {
    let mut timer = calendar_timer(HOUR, 0.8);
    timer.fire(t(2 * HOUR));
    timer.meet(t(3 * HOUR));
    assert_eq!(timer.state(), SlaState::Breached);
    assert_eq!(timer.met_at, Some(t(3 * HOUR)));
    assert_eq!(timer.attained(), Some(false));
}

#[test]
fn resuming_a_used_up_target_makes_it_due_at_once_and_never_again_after_the_breach() {
    let clock = SlaClock::Calendar;
    let mut timer = calendar_timer(HOUR, 0.8);
    timer.pause(&clock, t(2 * HOUR));
    timer.resume(&clock, t(3 * HOUR));
    assert_eq!(timer.due_at, Some(t(3 * HOUR)));
    assert_eq!(
        timer.fire(t(3 * HOUR)),
        [SlaFired::Warning, SlaFired::Breach]
    );
    timer.pause(&clock, t(4 * HOUR));
    timer.resume(&clock, t(5 * HOUR));
    assert_eq!((timer.due_at, timer.warn_due_at), (None, None));
    assert_eq!(timer.fire(t(9 * HOUR)), []);
}

#[test]
fn the_next_due_time_is_the_soonest_of_all_timers() {
    let early = calendar_timer(HOUR, 0.5);
    let mut paused = calendar_timer(10, 0.5);
    paused.pause(&SlaClock::Calendar, t(1));
    assert_eq!(next_due(&[paused.clone(), early]), Some(t(1_800)));
    assert_eq!(next_due(&[paused]), None);
    assert_eq!(next_due(&[]), None);
}

#[test]
fn states_and_fired_kinds_travel_as_words() {
    let words: Vec<&str> = SlaState::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(words, ["running", "paused", "met", "breached"]);
    assert_eq!(SlaFired::Warning.as_str(), "sla_warning");
    assert_eq!(SlaFired::Breach.as_str(), "sla_breached");
}

#[derive(Clone, Debug)]
enum Action {
    Pause,
    Resume,
    Fire,
    Meet,
}

fn any_actions(with_meet: bool) -> impl Strategy<Value = Vec<(Action, i64)>> {
    let action = if with_meet {
        prop_oneof![
            Just(Action::Pause),
            Just(Action::Resume),
            Just(Action::Fire),
            Just(Action::Meet)
        ]
        .boxed()
    } else {
        prop_oneof![
            Just(Action::Pause),
            Just(Action::Resume),
            Just(Action::Fire)
        ]
        .boxed()
    };
    prop::collection::vec((action, 0i64..2 * 86_400), 0..40)
}

fn any_clock_rules() -> impl Strategy<Value = Option<ScheduleRules>> {
    prop_oneof![Just(None), any_schedule().prop_map(Some)]
}

fn clock_of(rules: &Option<ScheduleRules>) -> SlaClock<'_> {
    rules
        .as_ref()
        .map_or(SlaClock::Calendar, SlaClock::Business)
}

proptest! {
    #[test]
    fn pausing_and_resuming_never_loses_or_gains_counted_time(
        rules in any_clock_rules(), start in any_instant(), target in 1i64..=5 * 86_400,
        warn_at in 0.05f64..0.95, actions in any_actions(false),
    ) {
        let clock = clock_of(&rules);
        let start = Timestamp::from_secs(start.as_secs());
        let mut timer = SlaTimer::start(SlaTargetKind::Resolution, target, warn_at, &clock, start);
        let (mut now, mut run_start, mut counted) = (start, Some(start), 0i64);
        for (action, step) in actions {
            now = now.plus_secs(step);
            match action {
                Action::Pause => {
                    if let Some(began) = run_start.take() {
                        counted += clock.counted_between(began, now);
                    }
                    timer.pause(&clock, now);
                }
                Action::Resume => {
                    run_start.get_or_insert(now);
                    timer.resume(&clock, now);
                }
                _ => {
                    timer.fire(now);
                }
            }
            prop_assert_eq!(timer.used_secs, counted);
            prop_assert_eq!(timer.running_since, run_start);
        }
        if let (Some(since), Some(due)) = (timer.running_since, timer.due_at) {
            let left = (target - counted).max(0);
            prop_assert_eq!(clock.counted_between(since, due), left);
            prop_assert_eq!(timer.time_left_secs(&clock, since), Some(target - counted));
        }
    }

    #[test]
    fn firing_records_each_kind_at_most_once_and_a_met_timer_never_fires(
        rules in any_clock_rules(), start in any_instant(), target in 1i64..=86_400,
        warn_at in 0.05f64..0.95, actions in any_actions(true),
    ) {
        let clock = clock_of(&rules);
        let mut timer = SlaTimer::start(SlaTargetKind::NextResponse, target, warn_at, &clock, start);
        let mut fired = Vec::new();
        let mut now = start;
        for (action, step) in actions {
            now = now.plus_secs(step);
            let was_met = timer.met_at.is_some();
            match action {
                Action::Pause => timer.pause(&clock, now),
                Action::Resume => timer.resume(&clock, now),
                Action::Meet => timer.meet(now),
                Action::Fire => {
                    let now_fired = timer.fire(now);
                    prop_assert!(!was_met || now_fired.is_empty());
                    let again = timer.fire(now);
                    prop_assert!(again.is_empty());
                    fired.extend(now_fired);
                }
            }
        }
        let warnings = fired.iter().filter(|f| **f == SlaFired::Warning).count();
        let breaches = fired.iter().filter(|f| **f == SlaFired::Breach).count();
        prop_assert!(warnings <= 1 && breaches <= 1);
        prop_assert_eq!(warnings == 1, timer.warned_at.is_some());
        prop_assert_eq!(breaches == 1, timer.breached_at.is_some());
        if timer.met_at.is_none() && timer.running_since.is_some() {
            // Far enough ahead every due time has passed: what is left fires, once in all.
            let later = clock.add(now, 2 * target).unwrap_or(now).plus_secs(1);
            fired.extend(timer.fire(later));
            prop_assert_eq!(fired.iter().filter(|f| **f == SlaFired::Breach).count(), 1);
            prop_assert_eq!(fired.iter().filter(|f| **f == SlaFired::Warning).count(), 1);
            prop_assert_eq!(timer.state(), SlaState::Breached);
        }
    }
}
