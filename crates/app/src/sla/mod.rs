//! Service levels (PRODUCT.md §13): supervisors keep schedules and SLA policies
//! ([`settings`]); the use cases that move a case start, pause, resume and meet its targets in
//! their own unit of work ([`timers`]); a sweep records each warning and breach once, with its
//! notification ([`sweep`]). What the rules mean is `caredesk_domain::sla`.

pub mod settings;
pub mod sweep;
pub(crate) mod timers;
