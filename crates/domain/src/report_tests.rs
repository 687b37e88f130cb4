//! Reports: the lines of a cohort by each grouping, the SLA outcomes, the date range's checks and
//! the CSV cells (quoted, defused against spreadsheet formulas).

use std::collections::BTreeMap;

use crate::report::*;
use crate::sla::{CaseSla, SlaClock, SlaConditions, SlaPolicy, SlaTargets};
use crate::{CaseId, CaseStatus, Network, Priority, ProfileId, SlaPolicyId, Timestamp, UserId};

const DAY: i64 = 86_400;

fn at(day: i64, secs: i64) -> Timestamp {
    // 2026-12-01T00:00:00Z
    Timestamp::from_secs(1_796_083_200 + day * DAY + secs)
}

fn case(n: i64, day: i64) -> ReportCase {
    ReportCase {
        id: CaseId(n),
        number: n,
        created_at: at(day, 3_600),
        status: CaseStatus::Open,
        priority: Priority::Medium,
        assignee_id: Some(UserId(1)),
        profile_id: ProfileId(1),
        network: Network::Facebook,
        first_reply_at: None,
        done_at: None,
        reopened: 0,
        sla: None,
        fields: BTreeMap::new(),
    }
}

fn sla_met(breach: bool) -> CaseSla {
    let policy = SlaPolicy {
        id: SlaPolicyId(1),
        name: "p".into(),
        position: 1,
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response_secs: Some(600),
            ..SlaTargets::default()
        },
        warn_at: 0.5,
        schedule_id: None,
    };
    let mut sla = CaseSla::apply(
        None,
        Some(&policy),
        &SlaClock::Calendar,
        CaseStatus::New,
        at(0, 0),
    )
    .expect("applies");
    if breach {
        sla.fire(at(0, 700));
    }
    sla.reply_delivered(at(0, 800));
    sla
}

#[test]
fn lines_count_the_cohort_by_each_grouping() {
    let mut a = case(1, 0);
    a.first_reply_at = Some(a.created_at.plus_secs(60));
    a.status = CaseStatus::Done;
    a.done_at = Some(a.created_at.plus_secs(600));
    a.reopened = 2;
    a.sla = Some(sla_met(false));
    let mut b = case(2, 0);
    b.first_reply_at = Some(b.created_at.plus_secs(300));
    b.assignee_id = None;
    b.sla = Some(sla_met(true));
    let mut c = case(3, 1);
    c.network = Network::X;
    c.profile_id = ProfileId(2);
    c.done_at = Some(c.created_at.plus_secs(50));
    let cases = [a, b, c];
    let lines = |group_by| {
        let mut tally = ReportTally::default();
        for c in &cases {
            tally.add(c, group_by);
        }
        tally.lines()
    };
    let days = lines(GroupBy::Day);
    assert_eq!(
        days.iter()
            .map(|l| (l.key.as_str(), l.escalated))
            .collect::<Vec<_>>(),
        [("2026-12-01", 2), ("2026-12-02", 1)]
    );
    let first = &days[0];
    assert_eq!((first.done, first.reopened), (1, 1));
    assert_eq!(first.first_response.median, Some(60));
    assert_eq!(first.first_response.p90, Some(300));
    assert_eq!(first.resolution.median, Some(600));
    assert_eq!((first.sla_attained, first.sla_breached), (1, 1));
    assert_eq!(
        days[1].resolution.median, None,
        "a case not Done now has no resolution time"
    );
    let agents: Vec<String> = lines(GroupBy::Agent).into_iter().map(|l| l.key).collect();
    assert_eq!(agents, ["", "1"], "the unassigned are a line of their own");
    let networks: Vec<(String, i64)> = lines(GroupBy::Network)
        .into_iter()
        .map(|l| (l.key, l.escalated))
        .collect();
    assert_eq!(networks, [("facebook".into(), 2), ("x".into(), 1)]);
    assert_eq!(lines(GroupBy::Profile).len(), 2);
}

#[test]
fn sla_outcomes() {
    let mut c = case(1, 0);
    assert_eq!(c.sla_outcome(), SlaOutcome::None);
    c.sla = Some(sla_met(false));
    assert_eq!(c.sla_outcome(), SlaOutcome::Attained);
    c.sla = Some(sla_met(true));
    assert_eq!(c.sla_outcome(), SlaOutcome::Breached);
    let mut running = sla_met(false);
    running.timers[0].met_at = None;
    c.sla = Some(running);
    assert_eq!(c.sla_outcome(), SlaOutcome::Running);
}

#[test]
fn ranges_are_whole_utc_days_and_bad_ones_are_refused_by_field() {
    let range = ReportRange::parse("2026-12-01", "2026-12-02").expect("a range");
    assert_eq!(range.from, at(0, 0));
    assert_eq!(range.until, at(2, 0));
    for (from, to, field) in [
        ("2026-13-01", "2026-12-02", "from"),
        ("2026-12-01", "yesterday", "to"),
        ("2026-12-05", "2026-12-01", "to"),
        ("2024-01-01", "2026-12-01", "to"),
    ] {
        let refused = ReportRange::parse(from, to).expect_err("refused");
        assert!(
            refused.to_string().starts_with(field),
            "{from} {to}: {refused}"
        );
    }
}

#[test]
fn csv_cells_are_quoted_and_defused() {
    let table = [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+1", "'+1"),
        ("@sum", "'@sum"),
    ];
    for (text, cell) in table {
        assert_eq!(csv_cell(text), cell, "{text}");
    }
    let mut c = case(7, 0);
    c.fields
        .insert("3".into(), serde_json::json!(["Refund", "Delivery"]));
    let names = [("3".to_owned(), "Topic, main".to_owned())];
    assert!(csv_header(&names).ends_with(",sla,\"Topic, main\"\r\n"));
    let line = csv_line(&c, &names);
    assert!(
        line.starts_with("7,2026-12-01T01:00:00.000000Z,open,medium,1,1,facebook,"),
        "{line}"
    );
    assert!(line.ends_with(",0,,Refund; Delivery\r\n"), "{line}");
}
