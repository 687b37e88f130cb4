//! Property tests over random sequences of actions on a small world (see `world_model`): one
//! active case per (customer, profile); status changes come only from the assignee or from the
//! rules of assignment, inbound messages and escalations; spam never reopens by itself; every
//! accepted action answers exactly its events and every refused one changes nothing.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::case::{Case, CaseStatus};
use crate::world_model::World;

const DAY: i64 = 86_400;

/// `None` as an actor means "the case's assignee" (agent user 1 when unassigned), so that
/// status changes get accepted often.
type Who = Option<usize>;

/// As an assignment target: the acting user.
const SELF: usize = usize::MAX;

#[derive(Clone, Debug)]
enum Action {
    Advance {
        scale: u8,
        amount: i64,
    },
    Inbound {
        pair: usize,
    },
    Escalate {
        pair: usize,
        actor: usize,
        assignee: Option<usize>,
        old: bool,
    },
    Assign {
        case: usize,
        actor: Who,
        target: Option<usize>,
        stale: Option<bool>,
    },
    SetStatus {
        case: usize,
        actor: Who,
        to: CaseStatus,
        stale: Option<bool>,
    },
    Reopen {
        case: usize,
        actor: Who,
        stale: Option<bool>,
    },
    Reply {
        case: usize,
        actor: Who,
        to: Option<CaseStatus>,
    },
    Fill {
        case: usize,
        actor: usize,
        filled: bool,
    },
    Delete {
        case: usize,
        actor: usize,
        stale: Option<bool>,
    },
    Sweep,
    Deactivate,
    SetGrace(usize),
}

const GRACE_PERIODS: [i64; 5] = [0, 1, 600, 3_600, 5 * DAY];

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![3 => Just(None), 2 => (0..6usize).prop_map(Some)]
}

fn stale() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![2 => Just(None), 2 => Just(Some(false)), 1 => Just(Some(true))]
}

/// Done, the status with the most rules, comes up most.
fn status() -> impl Strategy<Value = CaseStatus> {
    prop_oneof![3 => Just(CaseStatus::Done), 4 => prop::sample::select(CaseStatus::ALL.to_vec())]
}

/// A case index counted from the newest case, mostly the newest.
fn case_index() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(0usize), 2 => 0..8usize]
}

fn action() -> impl Strategy<Value = Action> {
    let scale = prop_oneof![2 => Just(0u8), 1 => 1..4u8];
    let target = prop::option::weighted(0.8, prop_oneof![2 => Just(SELF), 1 => 0..6usize]);
    let assignee = prop::option::weighted(0.8, 0..6usize);
    prop_oneof![
        5 => (scale, 0..20 * DAY)
            .prop_map(|(scale, amount)| Action::Advance { scale, amount }),
        4 => (0..4usize).prop_map(|pair| Action::Inbound { pair }),
        3 => (0..4usize, 0..6usize, assignee, any::<bool>())
            .prop_map(|(pair, actor, assignee, old)| {
                Action::Escalate { pair, actor, assignee, old }
            }),
        3 => (case_index(), who(), target, stale())
            .prop_map(|(case, actor, target, stale)| Action::Assign { case, actor, target, stale }),
        4 => (case_index(), who(), status(), stale())
            .prop_map(|(case, actor, to, stale)| Action::SetStatus { case, actor, to, stale }),
        2 => (case_index(), who(), stale())
            .prop_map(|(case, actor, stale)| Action::Reopen { case, actor, stale }),
        2 => (case_index(), who(), prop::option::of(status()))
            .prop_map(|(case, actor, to)| Action::Reply { case, actor, to }),
        2 => (case_index(), 0..6usize, prop::bool::weighted(0.8))
            .prop_map(|(case, actor, filled)| Action::Fill { case, actor, filled }),
        1 => (case_index(), 0..6usize, stale())
            .prop_map(|(case, actor, stale)| Action::Delete { case, actor, stale }),
        2 => Just(Action::Sweep),
        1 => Just(Action::Deactivate),
        1 => (0..GRACE_PERIODS.len()).prop_map(Action::SetGrace),
    ]
}

/// (customers, profiles, grace period, a mandatory field blocks Done) and the actions.
type Setup = (i64, i64, usize, bool);

fn scenario() -> impl Strategy<Value = (Setup, Vec<Action>)> {
    let grace = prop_oneof![1 => 0..2usize, 3 => 2..GRACE_PERIODS.len()];
    let setup = (1..=2i64, 1..=2i64, grace, any::<bool>());
    (setup, prop::collection::vec(action(), 1..100))
}

fn advance_secs(scale: u8, amount: i64, grace: i64) -> i64 {
    match scale {
        0 => amount % 120,
        // Right around the end of a grace period started a moment ago.
        1 => (grace + amount % 11 - 5).max(0),
        2 => amount % (2 * grace + 2),
        _ => amount,
    }
}

/// The user index acting: the given one, or the case's assignee (agent 1 when unassigned).
fn resolve(w: &World, case: &Case, actor: Who) -> usize {
    actor.unwrap_or_else(|| {
        w.users
            .iter()
            .position(|u| Some(u.id) == case.assignee_id)
            .unwrap_or(1)
    })
}

/// May `action` move a case from `before` to `after`'s status? (`actor`: the resolved user.)
fn transition_allowed(
    w: &World,
    action: &Action,
    actor: Option<usize>,
    before: &Case,
    after: &Case,
) -> bool {
    use CaseStatus::*;
    let by_assignee = actor.is_some_and(|a| Some(w.users[a].id) == before.assignee_id);
    let (from, to) = (before.status, after.status);
    match action {
        Action::SetStatus { .. } => {
            by_assignee && to != New && (from.is_in_progress() || (from == Done && to == Spam))
        }
        Action::Reply { .. } => {
            by_assignee && from.is_in_progress() && matches!(to, Pending | OnHold)
        }
        Action::Reopen { .. } => by_assignee && from.is_closed() && to == Open,
        Action::Assign { .. } => {
            (from == New && to == Open && after.assignee_id.is_some())
                || (from.counts_as_load() && to == New && after.assignee_id.is_none())
        }
        Action::Inbound { .. } | Action::Escalate { .. } => {
            (from == Pending && to == Open)
                || (from == Done && before.is_active_at(w.now) && matches!(to, Open | New))
        }
        Action::Deactivate => from.counts_as_load() && to == New && after.assignee_id.is_none(),
        _ => false,
    }
}

/// Applies `action`: answers the cases it may change and, for a case action, the acting user.
fn apply(w: &mut World, action: &Action) -> (Vec<usize>, Option<usize>) {
    let case = match *action {
        Action::Advance { scale, amount } => {
            w.now = w.now.plus_secs(advance_secs(scale, amount, w.grace));
            return (Vec::new(), None);
        }
        Action::SetGrace(g) => {
            w.grace = GRACE_PERIODS[g];
            return (Vec::new(), None);
        }
        Action::Inbound { pair } => return (w.inbound(pair), None),
        Action::Escalate {
            pair,
            actor,
            assignee,
            old,
        } => return (w.escalate(pair, actor, assignee, old), None),
        Action::Sweep => return (w.sweep(), None),
        Action::Deactivate => return (w.deactivate(), None),
        Action::Assign { case, .. }
        | Action::SetStatus { case, .. }
        | Action::Reopen { case, .. }
        | Action::Reply { case, .. }
        | Action::Fill { case, .. }
        | Action::Delete { case, .. } => case,
    };
    let Some(i) = w.pick(case) else {
        return (Vec::new(), None);
    };
    let actor = match *action {
        Action::Assign {
            actor,
            target,
            stale,
            ..
        } => {
            let me = resolve(w, &w.cases[i], actor);
            w.assign(i, me, target.map(|t| if t == SELF { me } else { t }), stale);
            me
        }
        Action::SetStatus {
            actor, to, stale, ..
        } => {
            let me = resolve(w, &w.cases[i], actor);
            w.set_status(i, me, to, stale);
            me
        }
        Action::Reopen { actor, stale, .. } => {
            let me = resolve(w, &w.cases[i], actor);
            w.reopen(i, me, stale);
            me
        }
        Action::Reply { actor, to, .. } => {
            let me = resolve(w, &w.cases[i], actor);
            w.reply(i, me, to);
            me
        }
        Action::Fill { actor, filled, .. } => {
            w.fill(i, actor, filled);
            actor
        }
        Action::Delete { actor, stale, .. } => {
            w.delete(i, actor, stale);
            actor
        }
        _ => return (Vec::new(), None),
    };
    (vec![i], Some(actor))
}

fn step(w: &mut World, action: &Action) {
    let before = w.cases.clone();
    let (touched, actor) = apply(w, action);
    for (i, was) in before.iter().enumerate() {
        let now = &w.cases[i];
        if !touched.contains(&i) {
            assert_eq!(
                now, was,
                "{action:?} changed case #{} it does not concern",
                was.number
            );
        }
        if now.status != was.status {
            assert!(
                transition_allowed(w, action, actor, was, now),
                "{action:?} moved case #{} from {} to {}",
                was.number,
                was.status,
                now.status
            );
        }
        if was.status == CaseStatus::Spam {
            if matches!(action, Action::Inbound { .. } | Action::Escalate { .. }) {
                assert_eq!(
                    now, was,
                    "a customer message or escalation changed a spam case"
                );
            }
            if !matches!(action, Action::Reopen { .. }) {
                assert_eq!(
                    now.status,
                    CaseStatus::Spam,
                    "a spam case left spam by {action:?}"
                );
            }
        }
    }
    w.check_invariants();
}

fn run(setup: Setup, actions: &[Action]) -> World {
    let (customers, profiles, grace, mandatory) = setup;
    let mut w = World::new(customers, profiles, GRACE_PERIODS[grace]);
    w.fields[0].mandatory = mandatory;
    for action in actions {
        step(&mut w, action);
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn random_action_sequences_keep_every_rule((setup, actions) in scenario()) {
        run(setup, &actions);
    }
}

/// Guards the property above against a model that refuses (or accepts) everything: over a fixed
/// set of random sequences, every action is seen both accepted and refused, and every path of
/// routing and escalation is taken.
#[test]
fn the_model_exercises_every_action_and_path() {
    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<&'static str, u32> = BTreeMap::new();
    for _ in 0..300 {
        let (setup, actions) = scenario().new_tree(&mut runner).unwrap().current();
        for tag in run(setup, &actions).tags {
            *seen.entry(tag).or_default() += 1;
        }
    }
    let expected = [
        "assign:accepted",
        "assign:refused",
        "set_status:accepted",
        "set_status:refused",
        "reopen:accepted",
        "reopen:refused",
        "reply:accepted",
        "reply:refused",
        "fill:accepted",
        "fill:refused",
        "delete:accepted",
        "delete:refused",
        "inbound:joined",
        "inbound:reopened",
        "inbound:community",
        "escalate:appended",
        "escalate:reopened",
        "escalate:opened",
        "escalate:opened_after_expiry",
        "escalate:refused",
        "sweep:expired",
    ];
    for tag in expected {
        assert!(
            seen.get(tag).copied().unwrap_or(0) > 0,
            "never seen: {tag}; seen: {seen:?}"
        );
    }
}
