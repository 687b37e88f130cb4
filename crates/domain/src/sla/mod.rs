//! Service levels (PRODUCT.md §13) as pure functions: business-hours schedules, counted time in
//! calendar or business hours, SLA policies and which one applies to a case, and the timer of one
//! target with its warning and breach, each recorded once.
//!
//! The store keeps schedules, policies and timers; the app starts, pauses, resumes and meets
//! timers as cases move, and sweeps due times. Every rule about what counts lives here.

pub mod case_sla;
pub mod clock;
pub mod policy;
pub mod schedule;
pub mod timer;

#[cfg(test)]
mod case_sla_tests;
#[cfg(test)]
mod clock_tests;
#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod schedule_tests;
#[cfg(test)]
mod timer_tests;

pub use case_sla::{CaseSla, ShownTarget, SlaFiring};
pub use clock::SlaClock;
pub use policy::{
    check_condition_profiles, first_match, CheckedSlaPolicy, SlaConditions, SlaPolicy,
    SlaPolicyDraft, SlaTargetKind, SlaTargets,
};
pub use schedule::{OpenInterval, Schedule, ScheduleDraft, ScheduleRules};
pub use timer::{next_due, SlaFired, SlaState, SlaTimer};
