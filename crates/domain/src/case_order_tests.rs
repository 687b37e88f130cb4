//! PRODUCT.md §2 and §3: a change sent with a stale version is refused, and every case action
//! checks in the order 404 (not visible), 403 (not allowed), 409 (conflict), 422 (broken rule).

use super::*;
use crate::case_field::FieldKind;
use crate::testkit::*;

const GRACE: i64 = 5 * 86_400;

#[test]
fn stale_expected_version_is_refused() {
    type Action = fn(&mut Case, Act<'_>) -> Result<Vec<EventKind>, Refusal>;
    let actions: [(&str, CaseStatus, Action); 8] = [
        ("set status", CaseStatus::Open, |c, a| {
            c.set_status(a, CaseStatus::Pending, &[], GRACE)
        }),
        ("assign", CaseStatus::Open, |c, a| {
            c.assign(a, Some(&colleague()))
        }),
        ("unassign", CaseStatus::Open, |c, a| c.assign(a, None)),
        ("edit", CaseStatus::Open, |c, a| {
            c.edit(
                a,
                &CaseEdit {
                    priority: Some(Priority::Low),
                    ..CaseEdit::default()
                },
            )
        }),
        ("note", CaseStatus::Open, |c, a| {
            c.add_note(a, "checked the order").map(|()| vec![])
        }),
        ("reply", CaseStatus::Open, |c, a| c.accept_reply(a, None)),
        ("delete", CaseStatus::Open, |c, a| c.delete(a)),
        ("reopen", CaseStatus::Spam, |c, a| c.reopen(a, None)),
    ];
    // The supervisor is the assignee, so every action is allowed to them.
    let boss = supervisor();
    for (name, status, run) in actions {
        let make = || case().status(status).assignee(&boss).version(7).build();
        for seen in [6, 8] {
            let mut c = make();
            let before = c.clone();
            let got = run(&mut c, act_v(&boss, t(1), seen));
            assert_eq!(
                got,
                Err(Refusal::StaleCase {
                    expected: seen,
                    current: 7
                }),
                "{name}"
            );
            assert_eq!(got.unwrap_err().code(), "stale_case");
            assert_eq!(c, before, "a stale {name} changed the case");
        }
        for expected in [Some(7), None] {
            let mut c = make();
            let a = Act {
                actor: &boss,
                now: t(1),
                expected_version: expected,
            };
            assert!(run(&mut c, a).is_ok(), "{name} with {expected:?}");
            assert_eq!(c.version, 8, "{name} raises the version");
        }
    }
}

#[test]
fn set_status_checks_404_then_403_then_409_then_422() {
    let c = case().open_for(&agent()).version(3).build();
    let fields = [field(1, FieldKind::Text, true)];
    let run = |c: &Case, actor: &User, version: i64, to: CaseStatus| {
        let mut c = c.clone();
        c.set_status(act_v(actor, t(1), version), to, &fields, GRACE)
            .map_err(|r| r.code())
    };
    assert_eq!(
        run(&c, &agent_elsewhere(), 1, CaseStatus::New),
        Err("not_found")
    );
    assert_eq!(
        run(&c, &other_agent(), 1, CaseStatus::New),
        Err("not_assignee")
    );
    assert_eq!(run(&c, &agent(), 1, CaseStatus::New), Err("stale_case"));
    assert_eq!(run(&c, &agent(), 1, CaseStatus::Done), Err("stale_case"));
    assert_eq!(
        run(&c, &agent(), 3, CaseStatus::New),
        Err("validation_failed")
    );
    assert_eq!(
        run(&c, &agent(), 3, CaseStatus::Done),
        Err("mandatory_field_missing")
    );
    let done = case()
        .open_for(&agent())
        .done_until(t(9))
        .version(3)
        .build();
    assert_eq!(
        run(&done, &agent(), 3, CaseStatus::New),
        Err("conflict"),
        "409 before 422"
    );
}

#[test]
fn assign_checks_404_then_403_then_409_then_422() {
    let c = case().open_for(&agent()).version(3).build();
    let bad_target = community_agent();
    let run = |actor: &User, version: i64, target: Option<&User>| {
        let mut c = c.clone();
        let got = c
            .assign(act_v(actor, t(1), version), target)
            .map(drop)
            .map_err(|r| r.code());
        if got.is_err() {
            assert_eq!(c.version, 3, "a refused assignment changed the case");
        }
        got
    };
    assert_eq!(
        run(&agent_elsewhere(), 1, Some(&bad_target)),
        Err("not_found")
    );
    assert_eq!(run(&other_agent(), 1, Some(&bad_target)), Err("forbidden"));
    assert_eq!(run(&supervisor(), 1, Some(&bad_target)), Err("stale_case"));
    assert_eq!(run(&agent(), 1, None), Err("stale_case"));
    assert_eq!(
        run(&supervisor(), 3, Some(&bad_target)),
        Err("validation_failed")
    );
    assert_eq!(run(&supervisor(), 3, Some(&colleague())), Ok(()));
}

#[test]
fn reopen_reply_delete_and_note_check_in_the_same_order() {
    let done = case()
        .open_for(&agent())
        .done_until(t(9))
        .version(3)
        .build();
    let reopen = |actor: &User, version: i64| {
        done.clone()
            .reopen(act_v(actor, t(1), version), Some(4))
            .map_err(|r| r.code())
    };
    assert_eq!(reopen(&agent_elsewhere(), 1), Err("not_found"));
    assert_eq!(reopen(&supervisor(), 1), Err("not_assignee"));
    assert_eq!(reopen(&agent(), 1), Err("stale_case"));
    assert_eq!(reopen(&agent(), 3), Err("newer_case_exists"));

    let reply = |c: &Case, version: i64, to: CaseStatus| {
        c.clone()
            .accept_reply(act_v(&agent(), t(1), version), Some(to))
            .map_err(|r| r.code())
    };
    assert_eq!(reply(&done, 1, CaseStatus::Done), Err("stale_case"));
    assert_eq!(
        reply(&done, 3, CaseStatus::Done),
        Err("case_closed"),
        "409 before 422"
    );
    let open = case().open_for(&agent()).version(3).build();
    assert_eq!(reply(&open, 3, CaseStatus::Done), Err("validation_failed"));

    let delete = |actor: &User| {
        open.clone()
            .delete(act_v(actor, t(1), 1))
            .map_err(|r| r.code())
    };
    assert_eq!(delete(&community_agent()), Err("not_found"));
    assert_eq!(delete(&agent()), Err("forbidden"));
    assert_eq!(delete(&supervisor()), Err("stale_case"));

    let note = |version: i64| open.clone().add_note(act_v(&agent(), t(1), version), " ");
    assert_eq!(note(1).map_err(|r| r.code()), Err("stale_case"));
    assert_eq!(note(3).map_err(|r| r.code()), Err("validation_failed"));
}
