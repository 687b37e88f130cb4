//! Counted time (PRODUCT.md §13): an SLA target counts either calendar time or only the open
//! hours of a schedule. This module answers "when will N counted seconds have passed?", "how
//! many counted seconds lie between two instants?" and "does time count now?".
//!
//! Business time is the union of each non-holiday local date's open intervals, turned into
//! instants with jiff's *compatible* disambiguation (a wall time in a DST gap is read with the
//! offset before the gap, one in a fold as its earlier occurrence). The three answers are built on
//! the same sequence of spans, so they always agree with one another. Work goes day by day over
//! open intervals, so a 30-day target costs a few dozen conversions.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::schedule::{OpenInterval, ScheduleRules, MINUTES_PER_DAY};
use crate::Timestamp;

const MICROS_PER_SEC: i64 = 1_000_000;
/// How far ahead `add` looks before giving up (ten years of local dates, leap days included).
const HORIZON_DAYS: i32 = 3_653;

/// How an SLA target's time passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaClock<'a> {
    /// Every second counts.
    Calendar,
    /// Only the schedule's open hours on non-holiday local dates count.
    Business(&'a ScheduleRules),
}

impl SlaClock<'_> {
    /// The instant at which `secs` counted seconds have passed since `start`. Adding zero (or
    /// less) is `start` itself. `None` when that instant lies more than ten years of local dates
    /// away (a schedule whose open days are all holidays) or outside the representable range.
    ///
    /// With business hours the answer always lies inside an open span or exactly at its end.
    pub fn add(&self, start: Timestamp, secs: i64) -> Option<Timestamp> {
        if secs <= 0 {
            return Some(start);
        }
        let mut remaining = secs.checked_mul(MICROS_PER_SEC)?;
        match self {
            SlaClock::Calendar => start.0.checked_add(remaining).map(Timestamp),
            SlaClock::Business(rules) => {
                let last_date = local_date(rules.zone(), start)?
                    .checked_add(horizon())
                    .ok()?;
                for span in Spans::new(rules, start, last_date)? {
                    let from = span.start.max(start.0);
                    let available = span.end - from;
                    if remaining <= available {
                        return Some(Timestamp(from + remaining));
                    }
                    remaining -= available;
                }
                None
            }
        }
    }

    /// Counted seconds in `[from, to)`, rounded down; 0 when `to` is not after `from`.
    pub fn counted_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        let micros = match self {
            SlaClock::Calendar => to.0 - from.0,
            SlaClock::Business(rules) => counted_micros(rules, from, to),
        };
        micros.div_euclid(MICROS_PER_SEC)
    }

    /// True when time counts at `at` (inside an open span; a span's end is outside it).
    pub fn is_counting(&self, at: Timestamp) -> bool {
        match self {
            SlaClock::Calendar => true,
            SlaClock::Business(rules) => {
                let first = local_date(rules.zone(), at)
                    .and_then(|date| date.tomorrow().ok())
                    .and_then(|last_date| Spans::new(rules, at, last_date))
                    .and_then(|mut spans| spans.next());
                first.is_some_and(|span| span.start <= at.0)
            }
        }
    }
}

fn horizon() -> jiff::Span {
    jiff::Span::new().days(HORIZON_DAYS)
}

fn counted_micros(rules: &ScheduleRules, from: Timestamp, to: Timestamp) -> i64 {
    let Some(last_date) = local_date(rules.zone(), to).and_then(|d| d.tomorrow().ok()) else {
        return 0;
    };
    let Some(spans) = Spans::new(rules, from, last_date) else {
        return 0;
    };
    spans
        .take_while(|span| span.start < to.0)
        .map(|span| span.end.min(to.0) - span.start.max(from.0))
        .filter(|micros| *micros > 0)
        .sum()
}

/// The local date of an instant in a zone; `None` outside jiff's range.
fn local_date(zone: &TimeZone, at: Timestamp) -> Option<Date> {
    let instant = jiff::Timestamp::from_microsecond(at.0).ok()?;
    Some(zone.to_datetime(instant).date())
}

/// A stretch of counted time, `[start, end)` in microseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OpenSpan {
    start: i64,
    end: i64,
}

/// The open spans of a schedule that end after a given instant, in order and disjoint, up to
/// and including a last local date.
///
/// Generation starts two local dates before the instant so that the spans are the same whatever
/// instant a caller starts from: each span is cut to begin no earlier than the end of the one
/// before it, which matters only when a DST gap moves wall times past one another.
struct Spans<'a> {
    rules: &'a ScheduleRules,
    after: i64,
    date: Date,
    last_date: Date,
    previous_end: i64,
    pending: std::vec::IntoIter<OpenSpan>,
}

impl<'a> Spans<'a> {
    fn new(rules: &'a ScheduleRules, after: Timestamp, last_date: Date) -> Option<Self> {
        let first_date = local_date(rules.zone(), after)?
            .checked_sub(jiff::Span::new().days(2))
            .ok()?;
        Some(Spans {
            rules,
            after: after.0,
            date: first_date,
            last_date,
            previous_end: i64::MIN,
            pending: Vec::new().into_iter(),
        })
    }

    /// The spans of the current date, disjoint from earlier ones; then moves to the next date.
    fn spans_of_next_date(&mut self) -> Option<Vec<OpenSpan>> {
        if self.date > self.last_date {
            return None;
        }
        let date = self.date;
        self.date = date.tomorrow().ok()?;
        if self.rules.is_holiday(date) {
            return Some(Vec::new());
        }
        let zone = self.rules.zone();
        let mut spans: Vec<OpenSpan> = self
            .rules
            .open_intervals(date.weekday())
            .iter()
            .filter_map(|interval| span_of(zone, date, *interval))
            .collect();
        spans.sort_by_key(|span| span.start);
        let mut kept = Vec::with_capacity(spans.len());
        for span in spans {
            let start = span.start.max(self.previous_end);
            if span.end > start {
                kept.push(OpenSpan {
                    start,
                    end: span.end,
                });
                self.previous_end = span.end;
            }
        }
        Some(kept)
    }
}

impl Iterator for Spans<'_> {
    type Item = OpenSpan;

    fn next(&mut self) -> Option<OpenSpan> {
        loop {
            if let Some(span) = self.pending.find(|span| span.end > self.after) {
                return Some(span);
            }
            self.pending = self.spans_of_next_date()?.into_iter();
        }
    }
}

/// One wall-clock interval of a date as instants; `None` when it is empty after conversion.
fn span_of(zone: &TimeZone, date: Date, interval: OpenInterval) -> Option<OpenSpan> {
    let start = wall_instant(zone, date, interval.start_minute)?;
    let end = wall_instant(zone, date, interval.end_minute)?;
    (end > start).then_some(OpenSpan { start, end })
}

/// The instant of a wall-clock minute of a local date (1440 is the next date's midnight), in
/// microseconds, using jiff's compatible disambiguation for gaps and folds.
fn wall_instant(zone: &TimeZone, date: Date, minute: u16) -> Option<i64> {
    let (date, minute) = if minute >= MINUTES_PER_DAY {
        (date.tomorrow().ok()?, minute - MINUTES_PER_DAY)
    } else {
        (date, minute)
    };
    let hour = i8::try_from(minute / 60).ok()?;
    let minute = i8::try_from(minute % 60).ok()?;
    let wall = date.to_datetime(Time::new(hour, minute, 0, 0).ok()?);
    let instant = zone.to_ambiguous_timestamp(wall).compatible().ok()?;
    Some(instant.as_microsecond())
}
