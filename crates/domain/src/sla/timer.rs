//! One SLA target's timer (PRODUCT.md §13): started when the target begins, paused while its
//! time does not count (a resolution target in `pending` or `on_hold`), met by the event that
//! ends it, and swept for its warning and its breach, each recorded exactly once.
//!
//! A running timer carries its due times so that the store can index them and a sweep can find
//! what is due; a paused or met timer has none and is never swept.
//!
//! States: a target met before its due time is `met`; a target that breached stays `breached`
//! even if it is met later (its `met_at` is then set too). Attainment is "met and never
//! breached": unknown while the timer is open, and false as soon as it breaches, since nothing
//! can change that any more.

use serde::{Deserialize, Serialize};

use super::clock::SlaClock;
use super::policy::SlaTargetKind;
use crate::macros::word_enum;
use crate::Timestamp;

word_enum! {
    /// Where a target's timer is.
    pub enum SlaState {
        Running => "running",
        Paused => "paused",
        Met => "met",
        Breached => "breached",
    }
}

word_enum! {
    /// What a sweep records for a timer (the words are the notification kinds).
    pub enum SlaFired {
        /// The warning share of the target has been used.
        Warning => "sla_warning",
        /// The whole target has been used.
        Breach => "sla_breached",
    }
}

/// One target's timer. Counted seconds are whole seconds; the sub-second part of each running
/// stretch is dropped when it is paused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaTimer {
    /// What it measures.
    pub kind: SlaTargetKind,
    /// The target, in counted seconds.
    pub target_secs: i64,
    /// The share of the target after which a warning is recorded.
    pub warn_at: f64,
    /// When it started.
    pub started_at: Timestamp,
    /// Counted seconds used before the current run.
    pub used_secs: i64,
    /// When the current run began; `None` while paused.
    pub running_since: Option<Timestamp>,
    /// When the breach is due; `None` while paused, once met, or once the breach is recorded.
    pub due_at: Option<Timestamp>,
    /// When the warning is due; `None` while paused, once met, or once recorded.
    pub warn_due_at: Option<Timestamp>,
    /// When the warning was due (recorded by a sweep).
    pub warned_at: Option<Timestamp>,
    /// When the target was met.
    pub met_at: Option<Timestamp>,
    /// When the target was due and passed (recorded by a sweep).
    pub breached_at: Option<Timestamp>,
}

impl SlaTimer {
    /// A running timer from `now`, with its due times in `clock`'s counted time.
    pub fn start(
        kind: SlaTargetKind,
        target_secs: i64,
        warn_at: f64,
        clock: &SlaClock<'_>,
        now: Timestamp,
    ) -> Self {
        let mut timer = SlaTimer {
            kind,
            target_secs,
            warn_at,
            started_at: now,
            used_secs: 0,
            running_since: Some(now),
            due_at: None,
            warn_due_at: None,
            warned_at: None,
            met_at: None,
            breached_at: None,
        };
        timer.schedule_due_times(clock, now);
        timer
    }

    /// Met if met before any breach; breached once a breach is recorded; else running or paused.
    pub fn state(&self) -> SlaState {
        if self.breached_at.is_some() {
            SlaState::Breached
        } else if self.met_at.is_some() {
            SlaState::Met
        } else if self.running_since.is_some() {
            SlaState::Running
        } else {
            SlaState::Paused
        }
    }

    /// Whether the target was attained (met and never breached): `None` while it is neither
    /// met nor breached.
    pub fn attained(&self) -> Option<bool> {
        if self.breached_at.is_some() {
            Some(false)
        } else {
            self.met_at.map(|_| true)
        }
    }

    /// The counted seconds of the warning share, rounded, within `0..=target_secs`.
    pub fn warn_secs(&self) -> i64 {
        let share = if self.warn_at.is_finite() {
            self.warn_at.clamp(0.0, 1.0)
        } else {
            1.0
        };
        // A target is at most a year of seconds, far inside f64's exact integers.
        ((self.target_secs as f64) * share).round() as i64
    }

    /// Stops counting: the run's counted time joins `used_secs` and nothing is due. Does nothing
    /// when paused or met.
    pub fn pause(&mut self, clock: &SlaClock<'_>, now: Timestamp) {
        if self.met_at.is_some() {
            return;
        }
        let Some(since) = self.running_since.take() else {
            return;
        };
        self.used_secs = self
            .used_secs
            .saturating_add(clock.counted_between(since, now));
        self.due_at = None;
        self.warn_due_at = None;
    }

    /// Counts again from `now`; a target already used up is due at once. Does nothing when
    /// running or met.
    pub fn resume(&mut self, clock: &SlaClock<'_>, now: Timestamp) {
        if self.met_at.is_some() || self.running_since.is_some() {
            return;
        }
        self.running_since = Some(now);
        self.schedule_due_times(clock, now);
    }

    /// The target is met at `now`: nothing more is due. Does nothing when already met.
    /// `running_since` is kept, so that the counted time up to `met_at` can still be worked out
    /// (`used_secs` plus the last run's counted seconds).
    pub fn meet(&mut self, now: Timestamp) {
        if self.met_at.is_some() {
            return;
        }
        self.met_at = Some(now);
        self.due_at = None;
        self.warn_due_at = None;
    }

    /// Records what is due at `now`, each at most once in the timer's life: the warning first,
    /// then the breach. A met timer fires nothing. The stamps are the due times, so a late
    /// sweep does not move them.
    pub fn fire(&mut self, now: Timestamp) -> Vec<SlaFired> {
        let mut fired = Vec::new();
        if self.met_at.is_some() {
            return fired;
        }
        if let Some(due) = self.warn_due_at.filter(|due| *due <= now) {
            self.warn_due_at = None;
            if self.warned_at.is_none() && self.breached_at.is_none() {
                self.warned_at = Some(due);
                fired.push(SlaFired::Warning);
            }
        }
        if let Some(due) = self.due_at.filter(|due| *due <= now) {
            self.due_at = None;
            self.warn_due_at = None;
            if self.breached_at.is_none() {
                self.breached_at = Some(due);
                fired.push(SlaFired::Breach);
            }
        }
        fired
    }

    /// Counted seconds left at `now` (negative once over), for the badge; `None` once met.
    pub fn time_left_secs(&self, clock: &SlaClock<'_>, now: Timestamp) -> Option<i64> {
        if self.met_at.is_some() {
            return None;
        }
        let running = self
            .running_since
            .map_or(0, |since| clock.counted_between(since, now));
        Some(
            self.target_secs
                .saturating_sub(self.used_secs)
                .saturating_sub(running),
        )
    }

    /// Sets the due times of a run starting at `now`, leaving out what was already recorded.
    fn schedule_due_times(&mut self, clock: &SlaClock<'_>, now: Timestamp) {
        self.due_at = if self.breached_at.is_none() {
            clock.add(now, self.target_secs.saturating_sub(self.used_secs))
        } else {
            None
        };
        self.warn_due_at = if self.warned_at.is_none() && self.breached_at.is_none() {
            clock.add(now, self.warn_secs().saturating_sub(self.used_secs))
        } else {
            None
        };
    }
}

/// The soonest due time (warning or breach) of some timers: what the sweep index and
/// `sort=sla_due` use.
pub fn next_due(timers: &[SlaTimer]) -> Option<Timestamp> {
    timers
        .iter()
        .flat_map(|timer| [timer.due_at, timer.warn_due_at])
        .flatten()
        .min()
}
