//! PRODUCT.md §2: who sees which case and who may do what with it.

use super::*;
use crate::case::{Case, CaseEdit, CaseStatus, Priority};
use crate::escalation::check_escalation;
use crate::testkit::*;
use crate::user::{CareAccess, Role};

const OK: &str = "ok";
const NF: &str = "not_found";
const NA: &str = "not_assignee";
const FB: &str = "forbidden";

/// The columns of the permission matrix.
fn actors() -> [(&'static str, User); 8] {
    [
        ("community agent", community_agent()),
        ("agent assigned", agent()),
        ("agent not assigned", other_agent()),
        ("agent not connected", agent_elsewhere()),
        ("supervisor", supervisor()),
        ("supervisor not connected", supervisor_elsewhere()),
        ("admin", admin()),
        ("deactivated assignee", deactivated(agent())),
    ]
}

type Action = fn(&User, &mut Case) -> Result<(), Refusal>;

/// An action, the case it is tried on, and the answer expected by each column.
type Row = (&'static str, fn() -> Case, Action, [&'static str; 8]);

fn open_of_agent() -> Case {
    case().open_for(&agent()).build()
}

fn done_of_agent() -> Case {
    case().open_for(&agent()).done_until(t(1_000)).build()
}

fn unassigned_new() -> Case {
    case().build()
}

fn see(u: &User, c: &mut Case) -> Result<(), Refusal> {
    require_case_visible(u, c)
}

fn edit_priority(u: &User, c: &mut Case) -> Result<(), Refusal> {
    let edit = CaseEdit {
        priority: Some(Priority::High),
        ..CaseEdit::default()
    };
    c.edit(act(u, t(10)), &edit).map(drop)
}

fn add_note(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.add_note(act(u, t(10)), "called them")
}

fn set_pending(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.set_status(act(u, t(10)), CaseStatus::Pending, &[], 60)
        .map(drop)
}

fn reply(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.accept_reply(act(u, t(10)), Some(CaseStatus::Pending))
        .map(drop)
}

fn reopen(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.reopen(act(u, t(10)), None).map(drop)
}

fn take(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.assign(act(u, t(10)), Some(u)).map(drop)
}

fn give_to_colleague(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.assign(act(u, t(10)), Some(&colleague())).map(drop)
}

fn unassign(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.assign(act(u, t(10)), None).map(drop)
}

fn delete(u: &User, c: &mut Case) -> Result<(), Refusal> {
    c.delete(act(u, t(10))).map(drop)
}

fn escalate(u: &User, _: &mut Case) -> Result<(), Refusal> {
    check_escalation(u, &message(1).build(), "")
}

#[test]
fn permission_matrix_of_case_actions() {
    // Columns: community agent, agent assigned, agent not assigned, agent not connected,
    // supervisor, supervisor not connected, admin, deactivated assignee.
    #[rustfmt::skip]
    let rows: [Row; 12] = [
        ("see",                open_of_agent,  see,               [NF, OK, OK, NF, OK, NF, OK, NF]),
        ("edit priority",      open_of_agent,  edit_priority,     [NF, OK, OK, NF, OK, NF, OK, NF]),
        ("add note",           open_of_agent,  add_note,          [NF, OK, OK, NF, OK, NF, OK, NF]),
        ("set status",         open_of_agent,  set_pending,       [NF, OK, NA, NF, NA, NF, NA, NF]),
        ("reply",              open_of_agent,  reply,             [NF, OK, NA, NF, NA, NF, NA, NF]),
        ("reopen",             done_of_agent,  reopen,            [NF, OK, NA, NF, NA, NF, NA, NF]),
        ("assign to self",     open_of_agent,  take,              [NF, OK, OK, NF, OK, NF, OK, NF]),
        ("give an open case",  open_of_agent,  give_to_colleague, [NF, FB, FB, NF, OK, NF, OK, NF]),
        ("give a new case",    unassigned_new, give_to_colleague, [NF, OK, OK, NF, OK, NF, OK, NF]),
        ("unassign",           open_of_agent,  unassign,          [NF, OK, FB, NF, OK, NF, OK, NF]),
        ("delete",             open_of_agent,  delete,            [NF, FB, FB, NF, OK, NF, OK, NF]),
        ("escalate",           open_of_agent,  escalate,          [OK, OK, OK, NF, OK, NF, OK, NF]),
    ];
    for (action, make_case, run, expected) in rows {
        for ((who, user), want) in actors().into_iter().zip(expected) {
            let mut case = make_case();
            let before = case.clone();
            let got = run(&user, &mut case);
            let code = got.as_ref().map_or_else(Refusal::code, |()| OK);
            assert_eq!(code, want, "{action} by {who}");
            if got.is_err() {
                assert_eq!(case, before, "a refused {action} by {who} changed the case");
            }
        }
    }
}

#[test]
fn deleted_cases_are_404_for_everyone() {
    let deleted = case().open_for(&agent()).deleted().build();
    for (who, user) in actors() {
        assert_eq!(
            require_case_visible(&user, &deleted),
            Err(Refusal::NotFound),
            "{who}"
        );
        assert_eq!(
            require_assignee(&user, &deleted),
            Err(Refusal::NotFound),
            "{who}"
        );
        assert_eq!(
            require_may_delete(&user, &deleted),
            Err(Refusal::NotFound),
            "{who}"
        );
        assert_eq!(
            check_assign(&user, &deleted, Some(&user)),
            Err(Refusal::NotFound),
            "{who}"
        );
    }
}

#[test]
fn agents_may_open_any_case_of_their_profiles_in_any_status() {
    for status in CaseStatus::ALL {
        let c = case().status(*status).assignee(&colleague()).build();
        assert_eq!(require_case_visible(&other_agent(), &c), Ok(()), "{status}");
        assert_eq!(
            require_case_visible(&agent_elsewhere(), &c),
            Err(Refusal::NotFound)
        );
    }
}

#[test]
fn a_case_is_visible_only_to_care_users_connected_to_its_profile() {
    let elsewhere = case().profile(P2).open_for(&agent_elsewhere()).build();
    let table = [
        (agent_elsewhere(), true),
        (supervisor_elsewhere(), true),
        (admin(), true),
        (agent(), false),
        (supervisor(), false),
        (user(10, Role::Member, CareAccess::None, &[P2]), false),
    ];
    for (user, visible) in table {
        let want = if visible {
            Ok(())
        } else {
            Err(Refusal::NotFound)
        };
        assert_eq!(
            require_case_visible(&user, &elsewhere),
            want,
            "user {}",
            user.id
        );
    }
}

#[test]
fn agent_may_unassign_only_themselves() {
    let mine = case().open_for(&agent()).build();
    assert_eq!(check_assign(&agent(), &mine, None), Ok(()));
    let theirs = case().open_for(&colleague()).build();
    assert_eq!(
        check_assign(&agent(), &theirs, None),
        Err(Refusal::Forbidden("agents may unassign only themselves"))
    );
    let nobodys = case().build();
    assert_eq!(
        check_assign(&agent(), &nobodys, None).map_err(|r| r.code()),
        Err(FB)
    );
}

#[test]
fn agents_give_only_new_cases_to_others() {
    for status in CaseStatus::ALL {
        let mut builder = case().status(*status);
        if *status != CaseStatus::New {
            builder = builder.assignee(&agent());
        }
        let c = builder.build();
        let got = check_assign(&agent(), &c, Some(&colleague()));
        if *status == CaseStatus::New {
            assert_eq!(got, Ok(()), "{status}");
        } else {
            assert_eq!(
                got,
                Err(Refusal::Forbidden(
                    "agents may give only New cases to others"
                ))
            );
        }
    }
}

#[test]
fn agents_take_any_case_they_can_open_even_one_assigned_to_someone_else() {
    for status in CaseStatus::ALL {
        let c = case().status(*status).assignee(&colleague()).build();
        assert_eq!(
            check_assign(&agent(), &c, Some(&agent())),
            Ok(()),
            "{status}"
        );
    }
}

#[test]
fn supervisors_and_admins_assign_and_unassign_anyone() {
    for boss in [supervisor(), admin()] {
        for status in CaseStatus::ALL {
            let c = case().status(*status).assignee(&agent()).build();
            assert_eq!(
                check_assign(&boss, &c, Some(&colleague())),
                Ok(()),
                "{status}"
            );
            assert_eq!(check_assign(&boss, &c, None), Ok(()), "{status}");
            assert_eq!(check_assign(&boss, &c, Some(&boss)), Ok(()), "{status}");
        }
    }
}

#[test]
fn assignee_must_be_active_care_user_connected_to_profile() {
    let table = [
        ("agent of the profile", agent(), true),
        ("supervisor of the profile", supervisor(), true),
        ("admin without granted profiles", admin(), true),
        ("community agent", community_agent(), false),
        ("agent of another profile", agent_elsewhere(), false),
        (
            "supervisor of another profile",
            supervisor_elsewhere(),
            false,
        ),
        ("deactivated agent", deactivated(colleague()), false),
        ("deactivated admin", deactivated(admin()), false),
    ];
    let c = case().build();
    for (who, target, ok) in table {
        let got = require_eligible_assignee(&target, P1);
        assert_eq!(got.is_ok(), ok, "{who}");
        if let Err(refusal) = got {
            assert_eq!(refusal.code(), "validation_failed", "{who}");
        }
        // The same rule, through the assignment a supervisor makes.
        assert_eq!(
            check_assign(&supervisor(), &c, Some(&target)).is_ok(),
            ok,
            "{who}"
        );
    }
}

#[test]
fn not_visible_answers_404_before_not_allowed_403_and_before_an_ineligible_target_422() {
    let c = case().open_for(&agent()).build();
    // Not connected, asking for something an agent could not do anyway, with a bad target.
    let got = check_assign(&agent_elsewhere(), &c, Some(&community_agent()));
    assert_eq!(got, Err(Refusal::NotFound));
    // Visible but not allowed (an open case to someone else), with a bad target: 403 first.
    let got = check_assign(&other_agent(), &c, Some(&community_agent()));
    assert_eq!(got.map_err(|r| r.code()), Err(FB));
    assert_eq!(
        require_may_delete(&community_agent(), &c),
        Err(Refusal::NotFound)
    );
}

#[test]
fn assigning_past_capacity_is_allowed() {
    let mut full = colleague();
    full.capacity = 0;
    let mut c = case().build();
    assert!(c.assign(act(&supervisor(), t(1)), Some(&full)).is_ok());
    assert_eq!(c.assignee_id, Some(full.id));
}

#[test]
fn only_supervisors_and_admins_delete() {
    let c = case().open_for(&agent()).build();
    assert_eq!(require_may_delete(&supervisor(), &c), Ok(()));
    assert_eq!(require_may_delete(&admin(), &c), Ok(()));
    assert_eq!(
        require_may_delete(&agent(), &c).map_err(|r| r.code()),
        Err(FB)
    );
}

#[test]
fn community_work_is_open_to_any_active_user_connected_to_the_profile() {
    let table = [
        (community_agent(), P1, true),
        (agent(), P1, true),
        (supervisor(), P1, true),
        (admin(), P2, true),
        (community_agent(), P2, false),
        (deactivated(community_agent()), P1, false),
    ];
    for (user, profile, ok) in table {
        let want = if ok { Ok(()) } else { Err(Refusal::NotFound) };
        assert_eq!(
            require_profile_member(&user, profile),
            want,
            "{} on {profile}",
            user.id
        );
    }
}

#[test]
fn settings_are_for_active_supervisors_and_user_admin_for_active_admins() {
    let table = [
        (community_agent(), false, false),
        (agent(), false, false),
        (supervisor(), true, false),
        (supervisor_elsewhere(), true, false),
        (admin(), true, true),
        (deactivated(supervisor()), false, false),
        (deactivated(admin()), false, false),
    ];
    for (user, may_supervise, may_administer) in table {
        assert_eq!(
            require_supervisor(&user).is_ok(),
            may_supervise,
            "supervise {}",
            user.id
        );
        assert_eq!(
            require_admin(&user).is_ok(),
            may_administer,
            "administer {}",
            user.id
        );
        if let Err(refusal) = require_supervisor(&user) {
            assert_eq!(refusal.code(), FB);
        }
    }
}

#[test]
fn supervisors_grant_only_their_own_profiles_and_never_on_an_admin() {
    let table = [
        (supervisor(), agent(), vec![P1], true),
        (supervisor(), agent(), vec![P2], false),
        (supervisor(), agent(), vec![P1, P2], false),
        (supervisor(), admin(), vec![P1], false),
        (supervisor(), supervisor_elsewhere(), vec![P1], true),
        (agent(), other_agent(), vec![P1], false),
        (admin(), agent(), vec![P1, P2], true),
        (admin(), admin(), vec![P2], true),
    ];
    for (actor, target, profiles, ok) in table {
        let got = check_connection_change(&actor, &target, &profiles);
        assert_eq!(
            got.is_ok(),
            ok,
            "{} changes {} on {profiles:?}",
            actor.id,
            target.id
        );
        if let Err(refusal) = got {
            assert_eq!(refusal.code(), FB);
        }
    }
}

#[test]
fn admins_change_anything_about_a_user_and_supervisors_only_capacity_and_their_profiles() {
    let (admin, supervisor, agent) = (admin(), supervisor(), agent());
    let own = supervisor.profile_ids.iter().copied().collect::<Vec<_>>();
    // (actor, target, admin fields, connections changed, expected)
    type Row<'a> = (
        &'a User,
        &'a User,
        bool,
        Vec<ProfileId>,
        Result<(), &'a str>,
    );
    let table: Vec<Row<'_>> = vec![
        (&admin, &agent, true, vec![], Ok(())),
        (&admin, &supervisor, false, vec![ProfileId(99)], Ok(())),
        (&supervisor, &agent, false, own.clone(), Ok(())),
        (&supervisor, &agent, true, vec![], Err("forbidden")),
        (
            &supervisor,
            &agent,
            false,
            vec![ProfileId(99)],
            Err("forbidden"),
        ),
        (&supervisor, &admin, false, vec![], Err("forbidden")),
        (&agent, &agent, false, vec![], Err("forbidden")),
    ];
    for (actor, target, admin_fields, profiles, expected) in table {
        let got = check_user_change(actor, target, admin_fields, &profiles).map_err(|r| r.code());
        assert_eq!(got, expected, "{} changing {}", actor.name, target.name);
    }
}

#[test]
fn admins_are_stored_as_supervisors_whatever_was_asked() {
    for asked in [CareAccess::None, CareAccess::Agent, CareAccess::Supervisor] {
        assert_eq!(
            stored_care_access(Role::Admin, asked),
            CareAccess::Supervisor
        );
        assert_eq!(stored_care_access(Role::Member, asked), asked);
    }
}

#[test]
fn account_details_are_for_admins_and_the_user_themself() {
    let table = [
        (admin(), agent(), true),
        (admin(), admin(), true),
        (agent(), agent(), true),
        (agent(), other_agent(), false),
        (supervisor(), agent(), false),
        (supervisor(), admin(), false),
        (community_agent(), supervisor(), false),
    ];
    for (viewer, user, sees) in table {
        assert_eq!(
            sees_account_details(&viewer, &user),
            sees,
            "{} looking at {}",
            viewer.id,
            user.id
        );
    }
}

#[test]
fn only_admins_and_the_profiles_supervisors_change_its_auto_assignment() {
    let want = [FB, FB, FB, FB, OK, FB, OK, FB];
    for ((who, user), want) in actors().into_iter().zip(want) {
        let got = require_may_route(&user, P1).map_err(|r| r.code());
        let got = got.err().unwrap_or(OK);
        assert_eq!(got, want, "{who}");
    }
}
