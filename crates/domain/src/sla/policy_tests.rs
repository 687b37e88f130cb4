//! SLA policies: checking a draft, matching conditions, the first match in order, and whose
//! profiles a supervisor may name.

use proptest::prelude::*;
use serde_json::json;

use super::policy::{
    check_condition_profiles, first_match, SlaConditions, SlaPolicy, SlaPolicyDraft, SlaTargetKind,
    SlaTargets, DEFAULT_WARN_AT,
};
use crate::case_status::Priority;
use crate::ids::{ProfileId, ScheduleId, SlaPolicyId};
use crate::network::Network;
use crate::user::tests::user;
use crate::user::{CareAccess, Role};
use crate::Refusal;

fn draft(body: serde_json::Value) -> SlaPolicyDraft {
    serde_json::from_value(body).expect("a policy body")
}

fn with(field: &str, value: serde_json::Value) -> SlaPolicyDraft {
    let mut body = json!({"name": "VIP", "targets": {"first_response_secs": 3600}});
    body[field] = value;
    draft(body)
}

#[test]
fn a_minimal_draft_gets_the_default_warning_share_and_any_conditions() {
    let checked = with("name", json!("  VIP  ")).check().expect("valid");
    assert_eq!(checked.name, "VIP");
    assert_eq!(checked.warn_at, DEFAULT_WARN_AT);
    assert_eq!(checked.conditions, SlaConditions::default());
    assert_eq!(
        checked.targets.secs(SlaTargetKind::FirstResponse),
        Some(3600)
    );
    assert_eq!(checked.targets.secs(SlaTargetKind::Resolution), None);
    assert_eq!(checked.schedule_id, None);
}

#[test]
fn each_bad_field_is_refused_by_name() {
    let table = [
        (with("name", json!(" ")), "name:"),
        (with("name", json!("n".repeat(101))), "name:"),
        (with("targets", json!({})), "targets:"),
        (
            with("targets", json!({"first_response_secs": 0})),
            "targets.first_response_secs:",
        ),
        (
            with("targets", json!({"next_response_secs": -5})),
            "targets.next_response_secs:",
        ),
        (
            with("targets", json!({"resolution_secs": 365 * 86_400 + 1})),
            "targets.resolution_secs:",
        ),
        (with("warn_at", json!(0)), "warn_at:"),
        (with("warn_at", json!(1)), "warn_at:"),
        (with("warn_at", json!(-0.2)), "warn_at:"),
    ];
    for (draft, field) in table {
        let refusal = draft.check().expect_err(field);
        assert!(matches!(refusal, Refusal::Validation(_)), "{refusal:?}");
        assert!(refusal.to_string().starts_with(field), "{field}: {refusal}");
    }
    let not_finite = SlaPolicyDraft {
        warn_at: Some(f64::NAN),
        ..with("name", json!("VIP"))
    };
    assert!(not_finite.check().is_err());
}

#[test]
fn repeated_condition_entries_are_removed() {
    let checked = with(
        "conditions",
        json!({"profile_ids": ["2", 1, "2"], "networks": ["x", "x"], "priorities": ["low", "urgent", "low"]}),
    )
    .check()
    .expect("valid");
    assert_eq!(checked.conditions.profile_ids, [ProfileId(1), ProfileId(2)]);
    assert_eq!(checked.conditions.networks, [Network::X]);
    assert_eq!(
        checked.conditions.priorities,
        [Priority::Urgent, Priority::Low]
    );
}

fn policy(id: i64, position: i64, conditions: serde_json::Value) -> SlaPolicy {
    let mut body = json!({"name": format!("P{id}"), "targets": {"resolution_secs": 86_400}});
    body["conditions"] = conditions;
    let checked = draft(body).check().expect("valid");
    SlaPolicy::from_checked(SlaPolicyId(id), position, checked)
}

#[test]
fn the_first_matching_policy_by_position_then_id_applies() {
    let policies = [
        policy(1, 5, json!({})),
        policy(2, 1, json!({"priorities": ["urgent"]})),
        policy(3, 1, json!({"networks": ["x"], "profile_ids": [7]})),
        policy(4, 0, json!({"profile_ids": [9]})),
    ];
    let table = [
        (ProfileId(7), Network::X, Priority::Urgent, Some(2)),
        (ProfileId(7), Network::X, Priority::Low, Some(3)),
        (ProfileId(8), Network::X, Priority::Low, Some(1)),
        (ProfileId(9), Network::Facebook, Priority::Urgent, Some(4)),
        (ProfileId(7), Network::Instagram, Priority::High, Some(1)),
    ];
    for (profile, network, priority, expected) in table {
        let found = first_match(&policies, profile, network, priority).map(|p| p.id.0);
        assert_eq!(found, expected, "{profile} {network} {priority}");
    }
    assert!(first_match(
        &policies[1..3],
        ProfileId(8),
        Network::Facebook,
        Priority::Low
    )
    .is_none());
}

#[test]
fn supervisors_name_only_their_own_profiles_and_admins_any() {
    let supervisor = user(1, Role::Member, CareAccess::Supervisor, &[1, 2]);
    let admin = user(2, Role::Admin, CareAccess::None, &[]);
    let conditions = |ids: &[i64]| SlaConditions {
        profile_ids: ids.iter().map(|id| ProfileId(*id)).collect(),
        ..SlaConditions::default()
    };
    assert_eq!(
        check_condition_profiles(&supervisor, &conditions(&[1, 2])),
        Ok(())
    );
    assert_eq!(
        check_condition_profiles(&supervisor, &conditions(&[])),
        Ok(())
    );
    let refusal = check_condition_profiles(&supervisor, &conditions(&[2, 3])).expect_err("3");
    assert_eq!(
        refusal.to_string(),
        "conditions.profile_ids: profile 3 is not one of yours"
    );
    assert_eq!(
        check_condition_profiles(&admin, &conditions(&[3, 4])),
        Ok(())
    );
}

#[test]
fn a_policy_is_shown_in_the_api_shape_and_round_trips_through_its_draft() {
    let mut stored = policy(3, 2, json!({"networks": ["facebook"]}));
    stored.schedule_id = Some(ScheduleId(4));
    let shown = serde_json::to_value(&stored).expect("json");
    assert_eq!(
        shown,
        json!({
            "id": "3", "name": "P3", "position": 2,
            "conditions": {"profile_ids": [], "networks": ["facebook"], "priorities": []},
            "targets": {"first_response_secs": null, "next_response_secs": null, "resolution_secs": 86400},
            "warn_at": 0.8, "schedule_id": "4"
        })
    );
    let again = SlaPolicy::from_checked(
        stored.id,
        stored.position,
        stored.to_draft().check().expect("valid"),
    );
    assert_eq!(again, stored);
}

fn any_targets() -> impl Strategy<Value = SlaTargets> {
    let target = prop::option::of(-10i64..=400 * 86_400);
    (target.clone(), target.clone(), target).prop_map(|(first, next, resolution)| SlaTargets {
        first_response_secs: first,
        next_response_secs: next,
        resolution_secs: resolution,
    })
}

proptest! {
    #[test]
    fn a_checked_policy_has_only_targets_in_range_and_at_least_one(targets in any_targets()) {
        let draft = SlaPolicyDraft { targets, ..with("name", json!("Any")) };
        let in_range = |secs: Option<i64>| secs.is_none_or(|s| (1..=365 * 86_400).contains(&s));
        let expect_ok = SlaTargetKind::ALL.iter().all(|k| in_range(targets.secs(*k)))
            && SlaTargetKind::ALL.iter().any(|k| targets.secs(*k).is_some());
        prop_assert_eq!(draft.check().is_ok(), expect_ok);
    }
}
