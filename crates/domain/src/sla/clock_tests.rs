//! Counted time: the business clock against known weeks (weekends, holidays, DST changes,
//! midnight ends), and its invariants over random zones, schedules and holidays.

use jiff::civil::date;
use proptest::prelude::*;
use serde_json::json;

use super::clock::SlaClock;
use super::schedule::{ScheduleDraft, ScheduleRules};
use crate::Timestamp;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Rules from a zone and an `hours` object, with holidays.
pub(super) fn rules(zone: &str, hours: serde_json::Value, holidays: &[&str]) -> ScheduleRules {
    let draft: ScheduleDraft = serde_json::from_value(json!({
        "name": "Test", "time_zone": zone, "hours": hours, "holidays": holidays
    }))
    .expect("a draft");
    draft.check().expect("valid rules")
}

/// Monday to Friday, 09:00 to 17:00.
pub(super) fn weekdays_nine_to_five(zone: &str, holidays: &[&str]) -> ScheduleRules {
    let day = json!([["09:00", "17:00"]]);
    let hours = json!({"mon": day, "tue": day, "wed": day, "thu": day, "fri": day});
    rules(zone, hours, holidays)
}

/// Every day, the same intervals.
fn every_day(zone: &str, intervals: serde_json::Value) -> ScheduleRules {
    let hours: serde_json::Map<String, serde_json::Value> =
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .map(|day| ((*day).to_owned(), intervals.clone()))
            .collect();
    rules(zone, serde_json::Value::Object(hours), &[])
}

/// The instant of a wall-clock time in a zone.
pub(super) fn wall(zone: &str, y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
    let zoned = date(y, mo, d)
        .at(h, mi, 0, 0)
        .in_tz(zone)
        .expect("a zoned time");
    Timestamp(zoned.timestamp().as_microsecond())
}

#[test]
fn a_friday_afternoon_start_is_due_on_monday_morning() {
    let paris = weekdays_nine_to_five("Europe/Paris", &[]);
    let clock = SlaClock::Business(&paris);
    // 2026-11-20 is a Friday.
    let start = wall("Europe/Paris", 2026, 11, 20, 16, 0);
    let due = clock.add(start, 2 * HOUR);
    assert_eq!(due, Some(wall("Europe/Paris", 2026, 11, 23, 10, 0)));
    assert_eq!(
        clock.counted_between(start, wall("Europe/Paris", 2026, 11, 23, 10, 0)),
        2 * HOUR
    );
}

#[test]
fn holidays_are_skipped() {
    let paris = weekdays_nine_to_five("Europe/Paris", &["2026-11-23", "2026-11-24"]);
    let clock = SlaClock::Business(&paris);
    let start = wall("Europe/Paris", 2026, 11, 20, 16, 0);
    assert_eq!(
        clock.add(start, 2 * HOUR),
        Some(wall("Europe/Paris", 2026, 11, 25, 10, 0))
    );
    assert!(!clock.is_counting(wall("Europe/Paris", 2026, 11, 23, 10, 0)));
    assert!(clock.is_counting(wall("Europe/Paris", 2026, 11, 25, 9, 0)));
}

#[test]
fn a_working_day_keeps_its_length_across_dst_changes() {
    // Europe/Paris changes on 2026-03-29 and 2026-10-25; America/New_York on 2026-03-08 and
    // 2026-11-01; all at night, outside a 09:00-17:00 day.
    let table = [
        ("Europe/Paris", (2026, 3, 29)),
        ("Europe/Paris", (2026, 10, 25)),
        ("America/New_York", (2026, 3, 8)),
        ("America/New_York", (2026, 11, 1)),
    ];
    for (zone, (y, m, d)) in table {
        let schedule = every_day(zone, json!([["09:00", "17:00"]]));
        let clock = SlaClock::Business(&schedule);
        let sunday = date(y, m, d);
        let saturday = sunday.yesterday().expect("a date");
        let monday = sunday.tomorrow().expect("a date");
        let at = |day: jiff::civil::Date, h| wall(zone, day.year(), day.month(), day.day(), h, 0);
        assert_eq!(
            clock.add(at(saturday, 12), 8 * HOUR),
            Some(at(sunday, 12)),
            "{zone} {sunday}"
        );
        assert_eq!(
            clock.counted_between(at(sunday, 0), at(monday, 0)),
            8 * HOUR
        );
    }
}

#[test]
fn a_whole_day_schedule_counts_the_short_and_the_long_day_as_they_are() {
    let table = [
        ("Europe/Paris", (2026, 3, 29), 23 * HOUR),
        ("Europe/Paris", (2026, 10, 25), 25 * HOUR),
        ("America/New_York", (2026, 3, 8), 23 * HOUR),
        ("America/New_York", (2026, 11, 1), 25 * HOUR),
        ("Australia/Lord_Howe", (2026, 4, 5), 24 * HOUR + HOUR / 2),
        ("UTC", (2026, 3, 29), 24 * HOUR),
    ];
    for (zone, (y, m, d), counted) in table {
        let schedule = every_day(zone, json!([["00:00", "24:00"]]));
        let clock = SlaClock::Business(&schedule);
        let start = wall(zone, y, m, d, 0, 0);
        let end = wall(zone, y, m, d + 1, 0, 0);
        assert_eq!(clock.counted_between(start, end), counted, "{zone}");
        assert_eq!(clock.add(start, counted), Some(end), "{zone}");
    }
}

#[test]
fn an_interval_that_starts_in_a_dst_gap_starts_when_the_gap_ends() {
    // 02:30 does not exist in Paris on 2026-03-29; read with the offset before the gap it is
    // 03:30 summer time, so 02:30-04:00 counts 30 minutes that day.
    let schedule = rules("Europe/Paris", json!({"sun": [["02:30", "04:00"]]}), &[]);
    let clock = SlaClock::Business(&schedule);
    let day_start = wall("Europe/Paris", 2026, 3, 29, 0, 0);
    let day_end = wall("Europe/Paris", 2026, 3, 30, 0, 0);
    assert_eq!(clock.counted_between(day_start, day_end), HOUR / 2);
    assert_eq!(
        clock.add(day_start, 60),
        Some(wall("Europe/Paris", 2026, 3, 29, 3, 31))
    );
}

#[test]
fn a_wall_time_in_a_dst_fold_is_its_earlier_occurrence() {
    // 02:00-03:00 happens twice in Paris on 2026-10-25; 02:30 is read as the first (summer)
    // one, so 02:30-04:00 counts two and a half hours that day.
    let schedule = rules("Europe/Paris", json!({"sun": [["02:30", "04:00"]]}), &[]);
    let clock = SlaClock::Business(&schedule);
    let day_start = wall("Europe/Paris", 2026, 10, 25, 0, 0);
    let day_end = wall("Europe/Paris", 2026, 10, 26, 0, 0);
    assert_eq!(clock.counted_between(day_start, day_end), 5 * HOUR / 2);
    let first_half_past_two = Timestamp::parse_rfc3339("2026-10-25T00:30:00Z").expect("time");
    assert_eq!(
        clock.add(day_start, 1),
        Some(first_half_past_two.plus_secs(1))
    );
}

#[test]
fn an_interval_may_end_at_midnight_and_a_due_time_may_fall_on_it() {
    let schedule = rules(
        "Europe/Paris",
        json!({"sat": [["20:00", "24:00"]], "sun": [["00:00", "02:00"]]}),
        &[],
    );
    let clock = SlaClock::Business(&schedule);
    let saturday_late = wall("Europe/Paris", 2026, 11, 21, 23, 0);
    let midnight = wall("Europe/Paris", 2026, 11, 22, 0, 0);
    assert_eq!(clock.add(saturday_late, HOUR), Some(midnight));
    assert_eq!(
        clock.add(saturday_late, 2 * HOUR),
        Some(wall("Europe/Paris", 2026, 11, 22, 1, 0))
    );
    assert!(clock.is_counting(midnight));
    let sunday_close = wall("Europe/Paris", 2026, 11, 22, 2, 0);
    assert!(!clock.is_counting(sunday_close));
    assert!(clock.is_counting(Timestamp(sunday_close.0 - 1)));
}

#[test]
fn outside_open_hours_nothing_counts() {
    let paris = weekdays_nine_to_five("Europe/Paris", &[]);
    let clock = SlaClock::Business(&paris);
    let table = [
        (wall("Europe/Paris", 2026, 11, 20, 8, 59), false),
        (wall("Europe/Paris", 2026, 11, 20, 9, 0), true),
        (wall("Europe/Paris", 2026, 11, 20, 16, 59), true),
        (wall("Europe/Paris", 2026, 11, 20, 17, 0), false),
        (wall("Europe/Paris", 2026, 11, 21, 12, 0), false),
    ];
    for (at, counting) in table {
        assert_eq!(clock.is_counting(at), counting, "{at}");
    }
    let saturday = wall("Europe/Paris", 2026, 11, 21, 0, 0);
    assert_eq!(
        clock.counted_between(saturday, saturday.plus_secs(2 * DAY)),
        0
    );
    assert_eq!(clock.counted_between(saturday.plus_secs(DAY), saturday), 0);
}

#[test]
fn a_target_that_can_never_be_reached_is_none_and_the_calendar_is_plain_addition() {
    let all_mondays_off: Vec<String> = (0..600)
        .map(|week| {
            date(2026, 11, 23)
                .checked_add(jiff::Span::new().weeks(week))
                .expect("a date")
                .to_string()
        })
        .collect();
    let holidays: Vec<&str> = all_mondays_off.iter().map(String::as_str).collect();
    let schedule = rules("UTC", json!({"mon": [["09:00", "10:00"]]}), &holidays);
    let start = wall("UTC", 2026, 11, 20, 0, 0);
    assert_eq!(SlaClock::Business(&schedule).add(start, 1), None);
    assert_eq!(SlaClock::Business(&schedule).add(start, 0), Some(start));
    assert_eq!(
        SlaClock::Calendar.add(start, DAY),
        Some(start.plus_secs(DAY))
    );
    assert_eq!(SlaClock::Calendar.add(start, i64::MAX), None);
    assert_eq!(
        SlaClock::Calendar.counted_between(start, start.plus_secs(DAY)),
        DAY
    );
    assert!(SlaClock::Calendar.is_counting(start));
}

const ZONES: [&str; 4] = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "UTC",
];

/// A random schedule: each day up to two disjoint intervals on a quarter-hour grid (some at
/// night, across DST changes), at least one open day, up to 30 holidays in 2026-2027.
pub(super) fn any_schedule() -> impl Strategy<Value = ScheduleRules> {
    let day = prop::collection::btree_set(0u16..=96, 0..=4);
    (
        prop::sample::select(ZONES.to_vec()),
        prop::collection::vec(day, 7),
        prop::collection::vec(0i64..730, 0..30),
    )
        .prop_map(|(zone, days, holiday_offsets)| {
            let keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let mut hours = serde_json::Map::new();
            let mut open_minutes = 0;
            for (key, points) in keys.iter().zip(days) {
                let points: Vec<u16> = points.into_iter().map(|q| q * 15).collect();
                open_minutes += points.chunks_exact(2).map(|p| p[1] - p[0]).sum::<u16>();
                let intervals: Vec<serde_json::Value> = points
                    .chunks_exact(2)
                    .map(|pair| json!([hhmm(pair[0]), hhmm(pair[1])]))
                    .collect();
                if !intervals.is_empty() {
                    hours.insert((*key).to_owned(), json!(intervals));
                }
            }
            if open_minutes < 8 * 60 {
                // Enough open time that every target of the tests is reached within ten years.
                hours.insert("mon".to_owned(), json!([["09:00", "17:00"]]));
            }
            let holidays: Vec<String> = holiday_offsets
                .iter()
                .map(|days| {
                    date(2026, 1, 1)
                        .checked_add(jiff::Span::new().days(*days))
                        .expect("a date")
                        .to_string()
                })
                .collect();
            let holidays: Vec<&str> = holidays.iter().map(String::as_str).collect();
            rules(zone, serde_json::Value::Object(hours), &holidays)
        })
}

fn hhmm(minute: u16) -> String {
    super::schedule::minute_text(minute)
}

/// An instant in 2026-2027, with a sub-second part.
pub(super) fn any_instant() -> impl Strategy<Value = Timestamp> {
    let first = wall("UTC", 2026, 1, 1, 0, 0).0;
    (0i64..2 * 365 * DAY * 1_000_000).prop_map(move |offset| Timestamp(first + offset))
}

proptest! {
    #[test]
    fn a_due_time_lies_in_open_hours_and_counts_exactly_the_target(
        schedule in any_schedule(), start in any_instant(), secs in 1i64..=30 * DAY,
    ) {
        let clock = SlaClock::Business(&schedule);
        let due = clock.add(start, secs).expect("reachable");
        prop_assert!(due > start);
        // Inside an open span, or exactly at its end: the instant before it counts.
        prop_assert!(clock.is_counting(Timestamp(due.0 - 1)));
        prop_assert_eq!(clock.counted_between(start, due), secs);
        prop_assert_eq!(clock.add(start, 0), Some(start));
        prop_assert_eq!(clock.add(start, -secs), Some(start));
    }

    #[test]
    fn adding_is_monotonic_and_splitting_neither_loses_nor_gains_time(
        schedule in any_schedule(), start in any_instant(),
        a in 0i64..=10 * DAY, b in 0i64..=10 * DAY,
    ) {
        let clock = SlaClock::Business(&schedule);
        let after_a = clock.add(start, a).expect("reachable");
        let after_ab = clock.add(start, a + b).expect("reachable");
        prop_assert!(after_a <= after_ab);
        let split = clock.add(after_a, b).expect("reachable");
        prop_assert_eq!(clock.counted_between(start, split), a + b);
        prop_assert_eq!(split, after_ab);
        prop_assert_eq!(
            clock.counted_between(start, after_a) + clock.counted_between(after_a, split),
            a + b
        );
    }

    #[test]
    fn the_calendar_clock_is_plain_addition(start in any_instant(), secs in 0i64..=365 * DAY) {
        let clock = SlaClock::Calendar;
        prop_assert_eq!(clock.add(start, secs), Some(start.plus_secs(secs)));
        prop_assert_eq!(clock.counted_between(start, start.plus_secs(secs)), secs);
    }

    #[test]
    fn counting_between_two_instants_adds_up_over_any_cut(
        schedule in any_schedule(), from in any_instant(), cut in 0i64..=5 * DAY, rest in 0i64..=5 * DAY,
    ) {
        let clock = SlaClock::Business(&schedule);
        let middle = from.plus_secs(cut);
        let to = middle.plus_secs(rest);
        let whole = clock.counted_between(from, to);
        let parts = clock.counted_between(from, middle) + clock.counted_between(middle, to);
        // Each part rounds down to whole seconds, so the parts may lose at most one second.
        prop_assert!(whole - parts == 0 || whole - parts == 1, "{} vs {}", whole, parts);
        prop_assert!(whole <= to.secs_since(from));
    }
}
