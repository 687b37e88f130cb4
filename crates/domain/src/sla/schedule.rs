//! Business-hours schedules (PRODUCT.md §13): a time zone, open hours for each weekday and
//! holiday dates, checked once when a supervisor writes them and again whenever they are read
//! back from storage, so the SLA clock only ever counts in well-formed hours.
//!
//! Hours are local wall-clock times in the schedule's zone, written `HH:MM`; `24:00` may end a
//! day. Intervals of one day that touch are merged; intervals that overlap are refused, since an
//! overlap is almost always a typing mistake. A day that is missing is closed.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::ids::ScheduleId;
use crate::time_zone::TimeZoneName;
use crate::Refusal;

/// The keys of `hours`, Monday first (the index is jiff's Monday-zero weekday offset).
pub const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// The longest schedule name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The most holiday dates one schedule may list.
pub const MAX_HOLIDAYS: usize = 1_000;
/// The most open intervals in one day (after merging touching ones).
pub const MAX_INTERVALS_PER_DAY: usize = 48;
/// Minutes in a local day; an interval may end here (`24:00`).
pub const MINUTES_PER_DAY: u16 = 1_440;

/// One open interval of a local day, `[start_minute, end_minute)` in minutes from midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpenInterval {
    /// Minutes from local midnight at which counting starts (0..1440).
    pub start_minute: u16,
    /// Minutes from local midnight at which counting stops (after the start, at most 1440).
    pub end_minute: u16,
}

/// A schedule as the API receives it (`POST /api/v1/schedules`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ScheduleDraft {
    /// A name for supervisors to pick it by.
    pub name: String,
    /// An IANA zone such as `Europe/Paris`.
    pub time_zone: String,
    /// Open intervals per day key (`mon`..`sun`), each `["HH:MM", "HH:MM"]`.
    #[serde(default)]
    pub hours: BTreeMap<String, Vec<[String; 2]>>,
    /// Dates `YYYY-MM-DD` on which nothing counts.
    #[serde(default)]
    pub holidays: Vec<String>,
}

impl ScheduleDraft {
    /// Checks every field, naming the first bad one, and answers the rules the clock counts in.
    /// The name is checked here too; store [`ScheduleDraft::trimmed_name`].
    pub fn check(&self) -> Result<ScheduleRules, Refusal> {
        check_name(&self.name)?;
        ScheduleRules::from_parts(&self.time_zone, &self.hours, &self.holidays)
    }

    /// The name as it is stored: without surrounding white space.
    pub fn trimmed_name(&self) -> &str {
        self.name.trim()
    }
}

/// A schedule's checked rules: what the SLA clock counts in. Built only by
/// [`ScheduleDraft::check`] and [`ScheduleRules::from_json`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RulesText")]
pub struct ScheduleRules {
    /// The zone the hours are read in. Its rules were looked up when the rules were checked;
    /// to change the zone, check a new draft rather than assigning this field.
    pub time_zone: TimeZoneName,
    /// Open intervals per weekday, Monday first, sorted and disjoint.
    weekly: [Vec<OpenInterval>; 7],
    /// Local dates on which nothing counts.
    holidays: BTreeSet<Date>,
    /// The zone's rules, looked up once when the rules were checked.
    zone: TimeZone,
}

impl ScheduleRules {
    /// Reads rules written by [`ScheduleRules::to_json`], checking them again.
    pub fn from_json(text: &str) -> Result<Self, Refusal> {
        let parts: RulesText = serde_json::from_str(text)
            .map_err(|e| Refusal::invalid(format!("schedule: unreadable rules: {e}")))?;
        ScheduleRules::try_from(parts)
    }

    /// The rules as one JSON text, in the API's shape (for a single storage column).
    pub fn to_json(&self) -> String {
        // Writing strings and lists into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The open intervals of a weekday, sorted and disjoint (empty when closed).
    pub fn open_intervals(&self, weekday: Weekday) -> &[OpenInterval] {
        let index = usize::try_from(weekday.to_monday_zero_offset()).unwrap_or(0);
        self.weekly.get(index).map_or(&[], Vec::as_slice)
    }

    /// The holiday dates, in order.
    pub fn holidays(&self) -> &BTreeSet<Date> {
        &self.holidays
    }

    /// True when nothing counts on this local date.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.contains(&date)
    }

    /// The zone's rules for converting wall-clock times.
    pub(crate) fn zone(&self) -> &TimeZone {
        &self.zone
    }

    fn from_parts(
        time_zone: &str,
        hours: &BTreeMap<String, Vec<[String; 2]>>,
        holidays: &[String],
    ) -> Result<Self, Refusal> {
        let time_zone = TimeZoneName::parse(time_zone)?;
        let zone = jiff::tz::db()
            .get(time_zone.as_str())
            .map_err(|_| Refusal::invalid("time_zone: not in the time-zone database"))?;
        Ok(ScheduleRules {
            time_zone,
            weekly: check_hours(hours)?,
            holidays: check_holidays(holidays)?,
            zone,
        })
    }
}

impl Serialize for ScheduleRules {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("ScheduleRules", 3)?;
        out.serialize_field("time_zone", &self.time_zone)?;
        out.serialize_field("hours", &WeeklyHoursText(&self.weekly))?;
        let holidays: Vec<String> = self.holidays.iter().map(Date::to_string).collect();
        out.serialize_field("holidays", &holidays)?;
        out.end()
    }
}

/// A stored schedule, as the API shows it: `{id, name, time_zone, hours, holidays}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Its id.
    pub id: ScheduleId,
    /// Its name.
    pub name: String,
    /// What the clock counts in.
    #[serde(flatten)]
    pub rules: ScheduleRules,
}

impl Schedule {
    /// The schedule as a draft, for applying a partial change and checking the result.
    pub fn to_draft(&self) -> ScheduleDraft {
        let hours = DAY_KEYS
            .iter()
            .zip(&self.rules.weekly)
            .filter(|(_, intervals)| !intervals.is_empty())
            .map(|(day, intervals)| ((*day).to_owned(), interval_texts(intervals)))
            .collect();
        ScheduleDraft {
            name: self.name.clone(),
            time_zone: self.rules.time_zone.to_string(),
            hours,
            holidays: self.rules.holidays.iter().map(Date::to_string).collect(),
        }
    }
}

/// The stored and sent shape of the rules, before checking.
#[derive(Deserialize)]
struct RulesText {
    time_zone: String,
    #[serde(default)]
    hours: BTreeMap<String, Vec<[String; 2]>>,
    #[serde(default)]
    holidays: Vec<String>,
}

impl TryFrom<RulesText> for ScheduleRules {
    type Error = Refusal;
    fn try_from(parts: RulesText) -> Result<Self, Refusal> {
        ScheduleRules::from_parts(&parts.time_zone, &parts.hours, &parts.holidays)
    }
}

/// Writes every day, Monday first, closed days as `[]`.
struct WeeklyHoursText<'a>(&'a [Vec<OpenInterval>; 7]);

impl Serialize for WeeklyHoursText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            DAY_KEYS
                .iter()
                .zip(self.0)
                .map(|(day, intervals)| (*day, interval_texts(intervals))),
        )
    }
}

fn interval_texts(intervals: &[OpenInterval]) -> Vec<[String; 2]> {
    intervals
        .iter()
        .map(|i| [minute_text(i.start_minute), minute_text(i.end_minute)])
        .collect()
}

fn check_name(name: &str) -> Result<(), Refusal> {
    let chars = name.trim().chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(Refusal::invalid(format!(
            "name: must be 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

fn check_hours(
    hours: &BTreeMap<String, Vec<[String; 2]>>,
) -> Result<[Vec<OpenInterval>; 7], Refusal> {
    let mut weekly: [Vec<OpenInterval>; 7] = Default::default();
    for (day, texts) in hours {
        let index = DAY_KEYS.iter().position(|k| k == day).ok_or_else(|| {
            Refusal::invalid(format!(
                "hours: {day:?} is not a day; use mon, tue, wed, thu, fri, sat or sun"
            ))
        })?;
        if let Some(slot) = weekly.get_mut(index) {
            *slot = check_day(day, texts)?;
        }
    }
    if weekly.iter().all(Vec::is_empty) {
        return Err(Refusal::invalid("hours: the schedule has no open hours"));
    }
    Ok(weekly)
}

/// Parses one day's intervals, refusing bad times, empty or overlapping intervals, and merging
/// intervals that touch.
fn check_day(day: &str, texts: &[[String; 2]]) -> Result<Vec<OpenInterval>, Refusal> {
    let refuse = |why: String| Refusal::invalid(format!("hours.{day}: {why}"));
    let mut intervals = Vec::with_capacity(texts.len());
    for [start, end] in texts {
        let start_minute = parse_minute(start, false).ok_or_else(|| refuse(bad_time(start)))?;
        let end_minute = parse_minute(end, true).ok_or_else(|| refuse(bad_time(end)))?;
        if end_minute <= start_minute {
            return Err(refuse(format!(
                "the interval {start}-{end} must end after it starts"
            )));
        }
        intervals.push(OpenInterval {
            start_minute,
            end_minute,
        });
    }
    intervals.sort();
    let mut merged: Vec<OpenInterval> = Vec::with_capacity(intervals.len());
    for next in intervals {
        match merged.last_mut() {
            Some(last) if next.start_minute < last.end_minute => {
                return Err(refuse(format!(
                    "the intervals {}-{} and {}-{} overlap",
                    minute_text(last.start_minute),
                    minute_text(last.end_minute),
                    minute_text(next.start_minute),
                    minute_text(next.end_minute)
                )));
            }
            Some(last) if next.start_minute == last.end_minute => {
                last.end_minute = next.end_minute;
            }
            _ => merged.push(next),
        }
    }
    if merged.len() > MAX_INTERVALS_PER_DAY {
        return Err(refuse(format!(
            "at most {MAX_INTERVALS_PER_DAY} intervals a day"
        )));
    }
    Ok(merged)
}

fn bad_time(text: &str) -> String {
    format!("{text:?} is not a time HH:MM (00:00 to 23:59, or 24:00 to end a day)")
}

/// `HH:MM` as minutes from midnight; `24:00` only when `is_end`.
fn parse_minute(text: &str, is_end: bool) -> Option<u16> {
    let [h1, h2, b':', m1, m2] = text.as_bytes() else {
        return None;
    };
    let hour = two_digits(*h1, *h2)?;
    let minute = two_digits(*m1, *m2)?;
    if is_end && hour == 24 && minute == 0 {
        return Some(MINUTES_PER_DAY);
    }
    (hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

fn two_digits(tens: u8, ones: u8) -> Option<u16> {
    (tens.is_ascii_digit() && ones.is_ascii_digit())
        .then(|| u16::from(tens - b'0') * 10 + u16::from(ones - b'0'))
}

/// Minutes from midnight as `HH:MM` (1440 is `24:00`).
pub fn minute_text(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn check_holidays(holidays: &[String]) -> Result<BTreeSet<Date>, Refusal> {
    if holidays.len() > MAX_HOLIDAYS {
        return Err(Refusal::invalid(format!(
            "holidays: at most {MAX_HOLIDAYS} dates"
        )));
    }
    holidays
        .iter()
        .map(|text| {
            parse_date(text).ok_or_else(|| {
                Refusal::invalid(format!("holidays: {text:?} is not a date YYYY-MM-DD"))
            })
        })
        .collect()
}

/// A real calendar date written exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
        return None;
    };
    let year = i16::try_from(two_digits(*y1, *y2)? * 100 + two_digits(*y3, *y4)?).ok()?;
    let month = i8::try_from(two_digits(*m1, *m2)?).ok()?;
    let day = i8::try_from(two_digits(*d1, *d2)?).ok()?;
    Date::new(year, month, day).ok()
}
