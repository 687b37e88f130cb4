//! The service levels of one case (PRODUCT.md §13): which policy set them, in which counted
//! time, and one timer per target. The app calls these as the case moves; each answers the
//! case's new SLA state and nothing else, so the store keeps it beside the case.
//!
//! - Escalation and a priority change apply the first matching policy ([`CaseSla::apply`]).
//! - `pending` and `on_hold` pause resolution; Done meets it; Spam ends every target.
//! - A delivered reply meets first and next response; a customer message that arrives once the
//!   first response was met starts a next-response target.

use serde::{Deserialize, Serialize};

use super::clock::SlaClock;
use super::policy::{SlaPolicy, SlaTargetKind};
use super::timer::{next_due, SlaFired, SlaState, SlaTimer};
use crate::{CaseStatus, ScheduleId, SlaPolicyId, Timestamp};

/// The SLA state of one case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseSla {
    /// The policy that set the targets.
    pub policy_id: Option<SlaPolicyId>,
    /// The schedule whose business hours count (`None`: calendar time).
    pub schedule_id: Option<ScheduleId>,
    /// The next-response target of the policy, started by each customer message that waits on
    /// the desk.
    pub next_response_secs: Option<i64>,
    /// The policy's warning share.
    pub warn_at: f64,
    /// One timer per target, in the order first response, next response, resolution.
    pub timers: Vec<SlaTimer>,
}

/// One target as lists and the case show it (API.md: `sla` of a case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShownTarget {
    /// Which target.
    pub target: SlaTargetKind,
    /// When it is (or was) due: `None` while paused and once met.
    pub due_at: Option<Timestamp>,
    /// Running, paused, met or breached.
    pub state: SlaState,
    /// When its warning share was used, once it was.
    pub warned_at: Option<Timestamp>,
    /// When it was met.
    pub met_at: Option<Timestamp>,
    /// When it was missed.
    pub breached_at: Option<Timestamp>,
}

impl ShownTarget {
    /// The target a badge shows of a case: among those still counting, a missed one first,
    /// then one at risk, then the soonest due.
    pub fn most_urgent(targets: &[ShownTarget]) -> Option<&ShownTarget> {
        targets
            .iter()
            .filter(|t| t.due_at.is_some())
            .min_by_key(|t| (t.breached_at.is_none(), t.warned_at.is_none(), t.due_at))
    }
}

/// A warning or breach recorded by a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaFiring {
    /// Which target.
    pub target: SlaTargetKind,
    /// Warning or breach.
    pub fired: SlaFired,
    /// When it was due (the event's time).
    pub at: Timestamp,
}

impl CaseSla {
    /// The targets of `policy` for a case escalated at `escalated_at` in `status`, or, when the
    /// case had targets already (a priority change), the same timers measured against the new
    /// policy's targets: time already counted stays counted, a target the new policy lacks
    /// ends, one it adds starts now. `None` when no policy applies.
    pub fn apply(
        current: Option<&CaseSla>,
        policy: Option<&SlaPolicy>,
        clock: &SlaClock<'_>,
        status: CaseStatus,
        now: Timestamp,
    ) -> Option<CaseSla> {
        let policy = policy?;
        let mut timers = Vec::new();
        for kind in [SlaTargetKind::FirstResponse, SlaTargetKind::Resolution] {
            let Some(secs) = policy.targets.secs(kind) else {
                continue;
            };
            let kept = current.and_then(|c| c.timer(kind)).cloned();
            timers.push(match kept {
                Some(timer) => retarget(timer, secs, policy.warn_at, clock, now),
                None => SlaTimer::start(kind, secs, policy.warn_at, clock, now),
            });
        }
        if let Some(secs) = policy.targets.next_response_secs {
            if let Some(timer) = current.and_then(|c| c.timer(SlaTargetKind::NextResponse)) {
                timers.push(retarget(timer.clone(), secs, policy.warn_at, clock, now));
            }
        }
        timers.sort_by_key(|t| order(t.kind));
        let mut sla = CaseSla {
            policy_id: Some(policy.id),
            schedule_id: policy.schedule_id,
            next_response_secs: policy.targets.next_response_secs,
            warn_at: policy.warn_at,
            timers,
        };
        sla.follow_status(status, clock, now);
        Some(sla)
    }

    /// The timer of a target, when the case has one.
    pub fn timer(&self, kind: SlaTargetKind) -> Option<&SlaTimer> {
        self.timers.iter().find(|t| t.kind == kind)
    }

    /// The case's status changed to `status`: resolution pauses in `pending` and `on_hold`,
    /// runs in `new` and `open`, is met by Done; Spam ends every target; a Done case's response
    /// targets stop counting.
    pub fn follow_status(&mut self, status: CaseStatus, clock: &SlaClock<'_>, now: Timestamp) {
        match status {
            CaseStatus::New | CaseStatus::Open => {
                for timer in &mut self.timers {
                    timer.resume(clock, now);
                }
            }
            CaseStatus::Pending | CaseStatus::OnHold => {
                for timer in &mut self.timers {
                    if timer.kind == SlaTargetKind::Resolution {
                        timer.pause(clock, now);
                    } else {
                        timer.resume(clock, now);
                    }
                }
            }
            CaseStatus::Done => {
                for timer in &mut self.timers {
                    if timer.kind == SlaTargetKind::Resolution {
                        timer.meet(now);
                    } else {
                        timer.pause(clock, now);
                    }
                }
            }
            CaseStatus::Spam => self.timers.clear(),
        }
    }

    /// A reply of the desk was delivered at `now`: the response targets are met.
    pub fn reply_delivered(&mut self, now: Timestamp) {
        for timer in &mut self.timers {
            if timer.kind != SlaTargetKind::Resolution && timer.running_since.is_some() {
                timer.meet(now);
            }
        }
    }

    /// A customer message joined the case at `now`: once the first response was met, a new
    /// next-response target starts unless one is already running.
    pub fn customer_wrote(&mut self, clock: &SlaClock<'_>, now: Timestamp) {
        let Some(secs) = self.next_response_secs else {
            return;
        };
        let answered = self
            .timer(SlaTargetKind::FirstResponse)
            .is_none_or(|t| t.met_at.is_some());
        let waiting = self
            .timer(SlaTargetKind::NextResponse)
            .is_some_and(|t| t.met_at.is_none() && t.running_since.is_some());
        if !answered || waiting {
            return;
        }
        self.timers
            .retain(|t| t.kind != SlaTargetKind::NextResponse);
        self.timers.push(SlaTimer::start(
            SlaTargetKind::NextResponse,
            secs,
            self.warn_at,
            clock,
            now,
        ));
        self.timers.sort_by_key(|t| order(t.kind));
    }

    /// Records every warning and breach due at `now`, each once.
    pub fn fire(&mut self, now: Timestamp) -> Vec<SlaFiring> {
        let mut firings = Vec::new();
        for timer in &mut self.timers {
            for fired in timer.fire(now) {
                let at = match fired {
                    SlaFired::Warning => timer.warned_at,
                    SlaFired::Breach => timer.breached_at,
                }
                .unwrap_or(now);
                firings.push(SlaFiring {
                    target: timer.kind,
                    fired,
                    at,
                });
            }
        }
        firings
    }

    /// Each target as shown, first response first.
    pub fn shown(&self) -> Vec<ShownTarget> {
        self.timers
            .iter()
            .map(|t| {
                let open = t.met_at.is_none() && t.running_since.is_some();
                ShownTarget {
                    target: t.kind,
                    due_at: if open {
                        t.due_at.or(t.breached_at)
                    } else {
                        None
                    },
                    state: t.state(),
                    warned_at: t.warned_at,
                    met_at: t.met_at,
                    breached_at: t.breached_at,
                }
            })
            .collect()
    }

    /// When a sweep next has something to record (the index the sweep reads).
    pub fn fire_at(&self) -> Option<Timestamp> {
        next_due(&self.timers)
    }

    /// The nearest due time among targets still open and counting, breached ones included at
    /// their breach time: what `sort=sla_due` orders by.
    pub fn due_at(&self) -> Option<Timestamp> {
        self.open_timers()
            .filter_map(|t| t.due_at.or(t.breached_at))
            .min()
    }

    /// Since when the case is at risk: the earliest warning or breach a sweep recorded among
    /// targets still open and counting (`None`: not at risk). What the SLA at risk view lists.
    pub fn at_risk_from(&self) -> Option<Timestamp> {
        self.open_timers()
            .filter_map(|t| t.warned_at.or(t.breached_at))
            .min()
    }

    fn open_timers(&self) -> impl Iterator<Item = &SlaTimer> {
        self.timers
            .iter()
            .filter(|t| t.met_at.is_none() && t.running_since.is_some())
    }
}

/// The same timer measured against a new target: counted time stays, due times move.
fn retarget(
    mut timer: SlaTimer,
    target_secs: i64,
    warn_at: f64,
    clock: &SlaClock<'_>,
    now: Timestamp,
) -> SlaTimer {
    if timer.met_at.is_some() || timer.target_secs == target_secs && timer.warn_at == warn_at {
        return timer;
    }
    let running = timer.running_since.is_some();
    timer.pause(clock, now);
    timer.target_secs = target_secs;
    timer.warn_at = warn_at;
    if running {
        timer.resume(clock, now);
    }
    timer
}

fn order(kind: SlaTargetKind) -> u8 {
    match kind {
        SlaTargetKind::FirstResponse => 0,
        SlaTargetKind::NextResponse => 1,
        SlaTargetKind::Resolution => 2,
    }
}
