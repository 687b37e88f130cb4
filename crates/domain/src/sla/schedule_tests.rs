//! Schedule rules: every refusal names its field, touching intervals merge, and the rules
//! travel as the API's JSON shape both ways.

use jiff::civil::{date, Weekday};
use serde_json::json;

use super::schedule::{OpenInterval, Schedule, ScheduleDraft, ScheduleRules};
use crate::ids::ScheduleId;
use crate::Refusal;

fn draft(body: serde_json::Value) -> ScheduleDraft {
    serde_json::from_value(body).expect("a draft body")
}

fn office_hours() -> serde_json::Value {
    json!({
        "name": "Office",
        "time_zone": "Europe/Paris",
        "hours": {"mon": [["09:00", "17:00"]], "fri": [["09:00", "12:00"], ["13:00", "17:00"]]},
        "holidays": ["2026-12-25"]
    })
}

fn with(field: &str, value: serde_json::Value) -> ScheduleDraft {
    let mut body = office_hours();
    body[field] = value;
    draft(body)
}

#[test]
fn a_well_formed_draft_is_accepted() {
    let rules = draft(office_hours()).check().expect("valid");
    assert_eq!(rules.time_zone.as_str(), "Europe/Paris");
    let interval = |start_minute, end_minute| OpenInterval {
        start_minute,
        end_minute,
    };
    assert_eq!(rules.open_intervals(Weekday::Monday), [interval(540, 1020)]);
    assert_eq!(
        rules.open_intervals(Weekday::Friday),
        [interval(540, 720), interval(780, 1020)]
    );
    assert!(rules.open_intervals(Weekday::Sunday).is_empty());
    assert!(rules.is_holiday(date(2026, 12, 25)));
    assert!(!rules.is_holiday(date(2026, 12, 24)));
}

#[test]
fn each_bad_field_is_refused_by_name() {
    let long_name = "n".repeat(101);
    let too_many_holidays: Vec<String> = (0..1001)
        .map(|i| {
            let day = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i))
                .expect("a date");
            day.to_string()
        })
        .collect();
    let table: Vec<(ScheduleDraft, &str)> = vec![
        (with("name", json!("   ")), "name:"),
        (with("name", json!(long_name)), "name:"),
        (with("time_zone", json!("Mars/Base")), "time_zone:"),
        (with("time_zone", json!("")), "time_zone:"),
        (
            with("hours", json!({"monday": [["09:00", "17:00"]]})),
            "hours:",
        ),
        (
            with("hours", json!({"mon": [["9:00", "17:00"]]})),
            "hours.mon:",
        ),
        (
            with("hours", json!({"tue": [["09:00", "17:60"]]})),
            "hours.tue:",
        ),
        (
            with("hours", json!({"mon": [["24:00", "24:00"]]})),
            "hours.mon:",
        ),
        (
            with("hours", json!({"mon": [["09:00", "24:01"]]})),
            "hours.mon:",
        ),
        (
            with("hours", json!({"mon": [["09h00", "17:00"]]})),
            "hours.mon:",
        ),
        (
            with("hours", json!({"wed": [["17:00", "09:00"]]})),
            "hours.wed:",
        ),
        (
            with("hours", json!({"mon": [["09:00", "09:00"]]})),
            "hours.mon:",
        ),
        (
            with(
                "hours",
                json!({"sun": [["09:00", "12:00"], ["11:00", "17:00"]]}),
            ),
            "hours.sun:",
        ),
        (with("hours", json!({})), "hours:"),
        (with("hours", json!({"mon": []})), "hours:"),
        (with("holidays", json!(["2026-02-30"])), "holidays:"),
        (with("holidays", json!(["2026-2-3"])), "holidays:"),
        (with("holidays", json!(["25/12/2026"])), "holidays:"),
        (with("holidays", json!(too_many_holidays)), "holidays:"),
    ];
    for (draft, field) in table {
        let refusal = draft.check().expect_err(field);
        assert!(matches!(refusal, Refusal::Validation(_)), "{refusal:?}");
        assert!(
            refusal.to_string().starts_with(field),
            "{field} {refusal} {draft:?}"
        );
    }
}

#[test]
fn touching_intervals_merge_and_a_day_may_end_at_midnight() {
    let rules = with(
        "hours",
        json!({"sat": [["12:00", "24:00"], ["00:00", "06:00"], ["06:00", "12:00"]]}),
    )
    .check()
    .expect("valid");
    assert_eq!(
        rules.open_intervals(Weekday::Saturday),
        [OpenInterval {
            start_minute: 0,
            end_minute: 1440
        }]
    );
}

#[test]
fn repeated_holidays_are_kept_once() {
    let rules = with(
        "holidays",
        json!(["2026-12-25", "2026-12-25", "2026-01-01"]),
    )
    .check()
    .expect("valid");
    let holidays: Vec<String> = rules.holidays().iter().map(|d| d.to_string()).collect();
    assert_eq!(holidays, ["2026-01-01", "2026-12-25"]);
}

#[test]
fn the_rules_are_written_in_the_api_shape_and_read_back_unchanged() {
    let rules = draft(office_hours()).check().expect("valid");
    let written: serde_json::Value = serde_json::from_str(&rules.to_json()).expect("json");
    assert_eq!(
        written,
        json!({
            "time_zone": "Europe/Paris",
            "hours": {
                "mon": [["09:00", "17:00"]], "tue": [], "wed": [], "thu": [],
                "fri": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": [], "sun": []
            },
            "holidays": ["2026-12-25"]
        })
    );
    assert_eq!(
        ScheduleRules::from_json(&rules.to_json()),
        Ok(rules.clone())
    );
    let via_serde: ScheduleRules = serde_json::from_value(written).expect("rules");
    assert_eq!(via_serde, rules);
}

#[test]
fn stored_rules_are_checked_again_on_read() {
    let table = [
        (
            r#"{"time_zone":"Nowhere/Land","hours":{"mon":[["09:00","17:00"]]}}"#,
            "time_zone:",
        ),
        (
            r#"{"time_zone":"UTC","hours":{"mon":[["17:00","09:00"]]}}"#,
            "hours.mon:",
        ),
        (r#"{"time_zone":"UTC","hours":{}}"#, "hours:"),
        ("not json", "schedule:"),
    ];
    for (text, field) in table {
        let refusal = ScheduleRules::from_json(text).expect_err(text);
        assert!(refusal.to_string().starts_with(field), "{refusal}");
    }
}

#[test]
fn a_schedule_is_shown_flat_and_round_trips_through_its_draft() {
    let body = office_hours();
    let checked = draft(body.clone());
    let schedule = Schedule {
        id: ScheduleId(7),
        name: checked.trimmed_name().to_owned(),
        rules: checked.check().expect("valid"),
    };
    let shown = serde_json::to_value(&schedule).expect("json");
    assert_eq!(shown["id"], json!("7"));
    assert_eq!(shown["name"], json!("Office"));
    assert_eq!(shown["time_zone"], json!("Europe/Paris"));
    assert_eq!(shown["hours"]["fri"], body["hours"]["fri"]);
    assert_eq!(shown["holidays"], json!(["2026-12-25"]));
    assert_eq!(schedule.to_draft().check(), Ok(schedule.rules.clone()));
    assert_eq!(schedule.to_draft(), checked);
}
