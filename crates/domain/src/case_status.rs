//! The words a case is described by: its status, priority and sentiment.

use crate::macros::word_enum;

word_enum! {
    /// Where a case is in its life.
    pub enum CaseStatus {
        New => "new",
        Open => "open",
        Pending => "pending",
        OnHold => "on_hold",
        Done => "done",
        Spam => "spam",
    }
}

impl CaseStatus {
    /// New, open, pending and on hold: Care is working on it; its community items are locked.
    pub fn is_in_progress(self) -> bool {
        matches!(
            self,
            CaseStatus::New | CaseStatus::Open | CaseStatus::Pending | CaseStatus::OnHold
        )
    }

    /// Done and spam: left only through reopen.
    pub fn is_closed(self) -> bool {
        !self.is_in_progress()
    }

    /// Whether a status change may take a case from `self` to `to` (its own status included):
    /// `new` is never set directly, and done and spam are left only by reopening, except
    /// done → spam.
    pub fn may_change_to(self, to: CaseStatus) -> bool {
        to == self
            || (to != CaseStatus::New
                && (!self.is_closed() || (self == CaseStatus::Done && to == CaseStatus::Spam)))
    }

    /// The statuses a case has while it is someone's load.
    pub fn counts_as_load(self) -> bool {
        matches!(
            self,
            CaseStatus::Open | CaseStatus::Pending | CaseStatus::OnHold
        )
    }
}

word_enum! {
    /// How urgent a case is.
    pub enum Priority {
        Urgent => "urgent",
        High => "high",
        Medium => "medium",
        Low => "low",
    }
}

impl Priority {
    /// Sort rank: urgent first.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Urgent => 0,
            Priority::High => 1,
            Priority::Medium => 2,
            Priority::Low => 3,
        }
    }
}

word_enum! {
    /// The customer's mood as an agent judges it.
    pub enum Sentiment {
        Positive => "positive",
        Neutral => "neutral",
        Negative => "negative",
        None => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::{self, Done, New, OnHold, Open, Pending, Spam};

    #[test]
    fn a_status_change_never_sets_new_and_leaves_done_only_for_spam() {
        let reachable = |from: CaseStatus| -> Vec<CaseStatus> {
            CaseStatus::ALL
                .iter()
                .copied()
                .filter(|to| from.may_change_to(*to))
                .collect()
        };
        assert_eq!(reachable(New), [New, Open, Pending, OnHold, Done, Spam]);
        for from in [Open, Pending, OnHold] {
            assert_eq!(
                reachable(from),
                [Open, Pending, OnHold, Done, Spam],
                "{from}"
            );
        }
        assert_eq!(reachable(Done), [Done, Spam]);
        assert_eq!(reachable(Spam), [Spam]);
    }
}
