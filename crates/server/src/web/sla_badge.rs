//! The SLA badge of a case (UI.md "SLA"): the most urgent target still counting, with its due
//! time written by the browser as the time left ("in 12 min") or, once missed, how long ago;
//! grey while running, amber once at risk, red once missed.

use caredesk_domain::sla::{ShownTarget, SlaTargetKind};

/// What a list row or the case pane shows of a case's targets; empty when none counts.
#[derive(Clone, Debug, Default)]
pub(crate) struct SlaBadge {
    /// "First reply", "Next reply", "Resolution"; "… overdue" once missed.
    pub label: String,
    /// The due time (RFC 3339); empty when there is no badge.
    pub due: String,
    /// `until` while due, `ago` once missed.
    pub format: &'static str,
    /// `ok`, `risk` or `late`.
    pub tone: &'static str,
}

impl SlaBadge {
    /// The badge of these targets.
    pub(crate) fn of(targets: &[ShownTarget]) -> SlaBadge {
        let Some(target) = ShownTarget::most_urgent(targets) else {
            return SlaBadge::default();
        };
        let name = match target.target {
            SlaTargetKind::FirstResponse => "First reply",
            SlaTargetKind::NextResponse => "Next reply",
            SlaTargetKind::Resolution => "Resolution",
        };
        let due = target.due_at.map(|t| t.to_rfc3339()).unwrap_or_default();
        if target.breached_at.is_some() {
            SlaBadge {
                label: format!("{name} overdue"),
                due,
                format: "ago",
                tone: "late",
            }
        } else {
            SlaBadge {
                label: format!("{name} due"),
                due,
                format: "until",
                tone: if target.warned_at.is_some() {
                    "risk"
                } else {
                    "ok"
                },
            }
        }
    }
}
