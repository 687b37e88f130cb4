//! Who the customer is (PRODUCT.md §11): Messenger and Instagram direct messages name their
//! author only by a page-scoped id, so the desk asks the Graph API who the person is after the
//! commit. This module owns the rules of that look-up: which messages call for one, when a
//! customer is due again (never looked up, or more than a day ago when they write again), how
//! failures back off and give up, and how an answer meets the customer's details (it replaces
//! what the network said before, never a detail an agent set by hand).

use serde::{Deserialize, Serialize};

use crate::backoff::Backoff;
use crate::customer::{field, Customer, MAX_SHORT};
use crate::ids::ProfileId;
use crate::message::MessageKind;
use crate::network::Network;
use crate::time::Timestamp;

/// A customer is asked about again at most this often, and only when they write again.
pub const REFRESH_SECS: i64 = 86_400;

/// Look-ups tried this many times without an answer give up until the next refresh.
pub const MAX_LOOKUP_ATTEMPTS: u32 = 5;

/// The pause before each next attempt, by attempts made so far (a rate limit or an outage of
/// the Graph API lasts minutes to hours).
pub const LOOKUP_BACKOFF: Backoff = Backoff {
    pauses_secs: &[60, 600, 3_600, 21_600],
    max_attempts: MAX_LOOKUP_ATTEMPTS,
};

/// Where asking the network about a customer stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    /// When the last look-up ended (answered, gone, or given up): a refresh counts from here.
    pub looked_up_at: Option<Timestamp>,
    /// When the next attempt is due (`None`: nothing to do).
    pub due_at: Option<Timestamp>,
    /// Attempts made since the look-up was queued.
    pub attempts: u32,
    /// What the last attempt met, when it was not an answer.
    pub error: Option<String>,
    /// The profile whose token asks (page-scoped ids are answered only for their page).
    pub profile_id: Option<ProfileId>,
}

/// What one attempt came to, as far as the customer's row is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupResult {
    /// The network answered who the person is.
    Answered,
    /// Never to be answered (an unknown id, a refused permission): not tried again until the
    /// next refresh.
    GaveUp(String),
    /// May work later: tried again after the backoff.
    Failed(String),
}

/// Whether a message of `kind` on `network` names its author only by id, so that the desk asks
/// the network who they are: Messenger and Instagram direct messages. Comments carry names, and
/// X sends whole user objects.
pub fn asks_network(network: Network, kind: MessageKind) -> bool {
    matches!(network, Network::Facebook | Network::Instagram) && kind == MessageKind::Direct
}

/// The last look-up at or before which a customer writing at `now` is asked about again.
pub fn refresh_before(now: Timestamp) -> Timestamp {
    now.plus_secs(-REFRESH_SECS)
}

impl Lookup {
    /// Whether a new message at `now` calls for a look-up: none is waiting, and the customer
    /// was never looked up or last more than a day ago.
    pub fn wanted(&self, now: Timestamp) -> bool {
        self.due_at.is_none() && self.looked_up_at.is_none_or(|at| at < refresh_before(now))
    }

    /// Queues a look-up with `profile`'s token, due at `now`.
    pub fn queue(&mut self, profile: ProfileId, now: Timestamp) {
        self.due_at = Some(now);
        self.profile_id = Some(profile);
        self.attempts = 0;
        self.error = None;
    }

    /// Records what the attempt just made came to (`attempts` counts it): done, or due again
    /// after the backoff, given up after [`MAX_LOOKUP_ATTEMPTS`].
    pub fn record(&mut self, result: LookupResult, now: Timestamp) {
        match result {
            LookupResult::Answered => {
                self.error = None;
                self.done(now);
            }
            LookupResult::GaveUp(why) => {
                self.error = Some(why);
                self.done(now);
            }
            LookupResult::Failed(why) => {
                self.error = Some(why);
                self.due_at = next_attempt(self.attempts, now);
                if self.due_at.is_none() {
                    self.looked_up_at = Some(now);
                }
            }
        }
    }

    fn done(&mut self, now: Timestamp) {
        self.looked_up_at = Some(now);
        self.due_at = None;
    }
}

/// When to try again after `attempts` failed look-ups, or `None` once they are used up.
pub fn next_attempt(attempts: u32, now: Timestamp) -> Option<Timestamp> {
    LOOKUP_BACKOFF.next_attempt(attempts, now)
}

/// Puts the network's answer into the customer's details: a name or handle it gives replaces
/// what the network said before (a payload, an earlier look-up), except a detail an agent set
/// by hand; an empty one leaves the detail alone. Answers the names of the details changed.
pub fn apply_answer(customer: &mut Customer, name: &str, handle: &str) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let handle = handle.trim().trim_start_matches('@');
    let details = &mut customer.details;
    for (field, own, new) in [
        (field::DISPLAY_NAME, &mut details.display_name, name),
        (field::HANDLE, &mut details.handle, handle),
    ] {
        let new: String = new.trim().chars().take(MAX_SHORT).collect();
        if new.is_empty() || *own == new || customer.agent_edited.contains(field) {
            continue;
        }
        *own = new;
        changed.push(field);
    }
    changed
}

/// Whether the network's picture of the customer is to be kept as theirs: not when an agent set
/// the picture by hand.
pub fn wants_avatar(customer: &Customer) -> bool {
    !customer.agent_edited.contains(field::AVATAR_URL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::CustomerDetails;
    use crate::ids::CustomerId;

    const DAY: i64 = REFRESH_SECS;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_secs(1_000_000 + secs)
    }

    #[test]
    fn only_messenger_and_instagram_direct_messages_ask_the_network() {
        let table = [
            (Network::Facebook, MessageKind::Direct, true),
            (Network::Instagram, MessageKind::Direct, true),
            (Network::X, MessageKind::Direct, false),
            (Network::Facebook, MessageKind::Comment, false),
            (Network::Instagram, MessageKind::Comment, false),
            (Network::Facebook, MessageKind::Mention, false),
        ];
        for (network, kind, asks) in table {
            assert_eq!(asks_network(network, kind), asks, "{network} {kind:?}");
        }
    }

    #[test]
    fn a_customer_is_due_when_never_looked_up_or_a_day_has_passed_and_none_waits() {
        let now = at(10 * DAY);
        let state = |looked_up_at: Option<i64>, due_at: Option<i64>| Lookup {
            looked_up_at: looked_up_at.map(at),
            due_at: due_at.map(at),
            ..Lookup::default()
        };
        let table = [
            (state(None, None), true, "never looked up"),
            (state(Some(10 * DAY - 60), None), false, "a minute ago"),
            (state(Some(9 * DAY), None), false, "exactly a day ago"),
            (state(Some(9 * DAY - 1), None), true, "more than a day ago"),
            (state(None, Some(10 * DAY)), false, "one waits already"),
            (
                state(Some(DAY), Some(10 * DAY)),
                false,
                "one waits (refresh)",
            ),
        ];
        for (lookup, wanted, what) in table {
            assert_eq!(lookup.wanted(now), wanted, "{what}");
        }
    }

    #[test]
    fn queueing_starts_a_fresh_series_of_attempts_with_the_profiles_token() {
        let mut lookup = Lookup {
            attempts: 5,
            error: Some("old".into()),
            looked_up_at: Some(at(0)),
            ..Lookup::default()
        };
        lookup.queue(ProfileId(3), at(DAY * 2));
        assert_eq!(lookup.due_at, Some(at(DAY * 2)));
        assert_eq!(lookup.profile_id, Some(ProfileId(3)));
        assert_eq!((lookup.attempts, lookup.error.as_deref()), (0, None));
        assert!(!lookup.wanted(at(DAY * 2)), "queued once");
    }

    #[test]
    fn failures_back_off_then_give_up_until_the_next_refresh() {
        let now = at(0);
        let mut lookup = Lookup::default();
        lookup.queue(ProfileId(1), now);
        let mut pauses = Vec::new();
        for attempt in 1..=MAX_LOOKUP_ATTEMPTS {
            lookup.attempts = attempt;
            lookup.record(LookupResult::Failed("503".into()), now);
            pauses.push(lookup.due_at.map(|due| due.secs_since(now)));
        }
        assert_eq!(
            pauses,
            vec![Some(60), Some(600), Some(3_600), Some(21_600), None]
        );
        assert_eq!(lookup.looked_up_at, Some(now), "a refresh counts from here");
        assert_eq!(lookup.error.as_deref(), Some("503"));
        assert!(!lookup.wanted(at(DAY)));
        assert!(lookup.wanted(at(DAY + 1)));
    }

    #[test]
    fn an_answer_or_a_refusal_ends_the_look_up_at_once() {
        let table = [
            (LookupResult::Answered, None),
            (
                LookupResult::GaveUp("unknown id".into()),
                Some("unknown id"),
            ),
        ];
        for (result, error) in table {
            let mut lookup = Lookup::default();
            lookup.queue(ProfileId(1), at(0));
            lookup.attempts = 1;
            lookup.record(result, at(5));
            assert_eq!(lookup.due_at, None);
            assert_eq!(lookup.looked_up_at, Some(at(5)));
            assert_eq!(lookup.error.as_deref(), error);
        }
    }

    fn customer(name: &str, handle: &str, edited: &[&str]) -> Customer {
        Customer {
            id: CustomerId(1),
            network: Network::Instagram,
            network_user_id: "9000".into(),
            details: CustomerDetails {
                display_name: name.into(),
                handle: handle.into(),
                ..CustomerDetails::default()
            },
            salesforce: None,
            agent_edited: edited.iter().map(|f| (*f).to_owned()).collect(),
            lookup: Lookup::default(),
        }
    }

    #[test]
    fn an_answer_replaces_what_the_network_said_but_never_what_an_agent_typed() {
        let table = [
            (
                customer("", "", &[]),
                ("Ann Lee", "ann"),
                ("Ann Lee", "ann"),
            ),
            (
                customer("Old Name", "old", &[]),
                ("Ann Lee", "@ann"),
                ("Ann Lee", "ann"),
            ),
            (
                customer("Typed", "old", &["display_name"]),
                ("Ann Lee", "ann"),
                ("Typed", "ann"),
            ),
            (
                customer("", "typed", &["handle", "email"]),
                ("Ann Lee", "ann"),
                ("Ann Lee", "typed"),
            ),
            (customer("Ann", "ann", &[]), (" ", ""), ("Ann", "ann")),
        ];
        for (mut own, (name, handle), (shown_name, shown_handle)) in table {
            let before = own.details.clone();
            let changed = apply_answer(&mut own, name, handle);
            assert_eq!(
                (
                    own.details.display_name.as_str(),
                    own.details.handle.as_str()
                ),
                (shown_name, shown_handle),
                "{before:?} <- {name:?} {handle:?}"
            );
            assert_eq!(changed, before.changed_fields(&own.details));
        }
    }

    #[test]
    fn an_answer_is_cut_to_the_length_of_a_detail() {
        let mut own = customer("", "", &[]);
        apply_answer(&mut own, &"n".repeat(MAX_SHORT + 10), "");
        assert_eq!(own.details.display_name.chars().count(), MAX_SHORT);
        assert!(own.details.validate().is_ok());
    }

    #[test]
    fn a_picture_an_agent_set_is_kept() {
        assert!(wants_avatar(&customer("", "", &["display_name"])));
        assert!(!wants_avatar(&customer("", "", &["avatar_url"])));
    }
}
