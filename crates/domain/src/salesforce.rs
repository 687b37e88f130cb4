//! Salesforce as the rules see it (PRODUCT.md §7): the connection's state, the Salesforce Case
//! linked to a Care case, how a Care case maps onto Salesforce's Case fields, the 90-day window
//! for creating one, and the description made of the case's last messages.
//!
//! Salesforce's own status is shown read-only: nothing here lets it change a Care status. The
//! HTTP calls, SOQL and the wire formats live in the `networks` crate.

use serde::{Deserialize, Serialize};

use crate::case::{CaseStatus, Priority};
use crate::macros::word_enum;
use crate::network::Network;
use crate::time::Timestamp;
use crate::Refusal;

/// A Salesforce Case may be created from a Care case only while the customer's last message in
/// it is younger than this.
pub const WINDOW_DAYS: i64 = 90;
/// Salesforce's limit on `Subject`.
pub const SUBJECT_MAX_CHARS: usize = 255;
/// Salesforce's limit on `Description`.
pub const DESCRIPTION_MAX_CHARS: usize = 32_000;
/// How many of the case's last messages go into the description.
pub const DESCRIPTION_MESSAGES: usize = 20;

word_enum! {
    /// The state of the installation's Salesforce connection.
    pub enum ConnectionState {
        /// Nothing configured.
        None => "none",
        /// A token was obtained and the last call worked.
        Connected => "connected",
        /// Salesforce refused the refresh token or the session; an admin must reconnect.
        Expired => "expired",
        /// The last attempt to connect failed for another reason (the words are kept).
        Error => "error",
    }
}

/// The Salesforce Case created from a Care case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesforceCase {
    /// Salesforce's record id (`500…`).
    pub id: String,
    /// Salesforce's `CaseNumber`, once read.
    pub number: Option<String>,
    /// Where people open it in Salesforce.
    pub url: String,
    /// Salesforce's own status as last read (read-only in Care).
    pub status: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// How Care's words map onto the org's picklist values. The defaults are Salesforce's default
/// picklists; an org with restricted picklists configures its own values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// `Origin` of every case created from Care.
    pub origin: String,
    /// `Status` per Care status, in [`CaseStatus::ALL`] order.
    pub statuses: [String; 6],
    /// `Priority` per Care priority, in [`Priority::ALL`] order.
    pub priorities: [String; 4],
}

impl Default for Mapping {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Mapping {
            origin: "Web".to_owned(),
            statuses: to_array(words(&[
                "New", "Working", "Working", "Working", "Closed", "Closed",
            ])),
            priorities: to_array(words(&["High", "High", "Medium", "Low"])),
        }
    }
}

fn to_array<const N: usize>(words: Vec<String>) -> [String; N] {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, word) in out.iter_mut().zip(words) {
        *slot = word;
    }
    out
}

impl Mapping {
    /// The Salesforce `Status` for a Care status.
    pub fn status(&self, status: CaseStatus) -> &str {
        let at = CaseStatus::ALL.iter().position(|s| *s == status);
        at.map_or("", |i| self.statuses[i].as_str())
    }

    /// The Salesforce `Priority` for a Care priority.
    pub fn priority(&self, priority: Priority) -> &str {
        let at = Priority::ALL.iter().position(|p| *p == priority);
        at.map_or("", |i| self.priorities[i].as_str())
    }

    /// Reads `care=Salesforce` pairs separated by commas (`done=Closed,spam=Closed`) over the
    /// defaults; an unknown Care word or an empty value is refused.
    pub fn with_statuses(mut self, pairs: &str) -> Result<Self, Refusal> {
        for (care, value) in parse_pairs(pairs)? {
            let status: CaseStatus = care.parse()?;
            let at = CaseStatus::ALL.iter().position(|s| *s == status);
            if let Some(i) = at {
                self.statuses[i] = value;
            }
        }
        Ok(self)
    }

    /// As [`Mapping::with_statuses`], for priorities (`urgent=High`).
    pub fn with_priorities(mut self, pairs: &str) -> Result<Self, Refusal> {
        for (care, value) in parse_pairs(pairs)? {
            let priority: Priority = care.parse()?;
            let at = Priority::ALL.iter().position(|p| *p == priority);
            if let Some(i) = at {
                self.priorities[i] = value;
            }
        }
        Ok(self)
    }
}

fn parse_pairs(pairs: &str) -> Result<Vec<(String, String)>, Refusal> {
    pairs
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((care, value)) if !value.trim().is_empty() => {
                Ok((care.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(Refusal::invalid(format!(
                "{pair:?} is not a care=Salesforce pair"
            ))),
        })
        .collect()
}

/// Refuses (422 `salesforce_window`) when the customer's last message in the case is
/// [`WINDOW_DAYS`] or more days old at `now`. A case without a customer message falls back to
/// its creation time.
pub fn check_window(
    last_customer_message_at: Option<Timestamp>,
    created_at: Timestamp,
    now: Timestamp,
) -> Result<(), Refusal> {
    let last = last_customer_message_at.unwrap_or(created_at);
    let age_secs = now.secs_since(last);
    if age_secs >= WINDOW_DAYS * 86_400 {
        return Err(Refusal::SalesforceWindow {
            days: age_secs / 86_400,
        });
    }
    Ok(())
}

/// One line of the description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptLine {
    /// When it was written.
    pub at: Timestamp,
    /// Who wrote it, in words (the customer's name, the agent's name, the brand).
    pub author: String,
    /// The text.
    pub text: String,
}

/// The Case `Subject`: `[Facebook] #12 Jane Customer: first words…`, within Salesforce's limit.
pub fn subject(network: Network, case_number: i64, customer: &str, first_text: &str) -> String {
    let network = match network {
        Network::Facebook => "Facebook",
        Network::Instagram => "Instagram",
        Network::X => "X",
    };
    let first_line = first_text.lines().next().unwrap_or("").trim();
    let text = format!("[{network}] #{case_number} {customer}: {first_line}");
    truncate_chars(&text, SUBJECT_MAX_CHARS)
}

/// The Case `Description`: the escalation note, then the last [`DESCRIPTION_MESSAGES`] lines as
/// `[time] author: text`, oldest first. When too long, the oldest lines go first.
pub fn description(note: &str, lines: &[TranscriptLine]) -> String {
    let start = lines.len().saturating_sub(DESCRIPTION_MESSAGES);
    let mut rendered: Vec<String> = lines[start..]
        .iter()
        .map(|l| format!("[{}] {}: {}", minute(l.at), l.author, l.text.trim()))
        .collect();
    let head = if note.trim().is_empty() {
        String::new()
    } else {
        format!("Escalation note: {}\n\n", note.trim())
    };
    loop {
        let text = format!("{head}{}", rendered.join("\n"));
        if text.chars().count() <= DESCRIPTION_MAX_CHARS || rendered.len() <= 1 {
            return truncate_chars(&text, DESCRIPTION_MAX_CHARS);
        }
        rendered.remove(0);
    }
}

/// `2026-11-24 14:05 UTC`.
fn minute(at: Timestamp) -> String {
    let text = at.to_string();
    match (text.get(0..10), text.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => text,
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn the_window_closes_at_ninety_days() {
        let now = Timestamp::from_secs(1_000 * DAY);
        let created = Timestamp::from_secs(0);
        let cases = [
            (Some(now), true),
            (Some(now.plus_secs(-(89 * DAY))), true),
            (Some(now.plus_secs(-(90 * DAY) + 1)), true),
            (Some(now.plus_secs(-(90 * DAY))), false),
            (Some(now.plus_secs(-(400 * DAY))), false),
            (None, false),
        ];
        for (last, allowed) in cases {
            let answer = check_window(last, created, now);
            assert_eq!(answer.is_ok(), allowed, "{last:?}");
            if let Err(refusal) = answer {
                assert_eq!(refusal.code(), "salesforce_window");
            }
        }
        assert!(check_window(None, now.plus_secs(-DAY), now).is_ok());
    }

    #[test]
    fn every_care_word_has_a_default_salesforce_value() {
        let mapping = Mapping::default();
        for status in CaseStatus::ALL {
            assert!(!mapping.status(*status).is_empty(), "{status}");
        }
        for priority in Priority::ALL {
            assert!(!mapping.priority(*priority).is_empty(), "{priority}");
        }
        assert_eq!(mapping.status(CaseStatus::Done), "Closed");
        assert_eq!(mapping.status(CaseStatus::New), "New");
        assert_eq!(mapping.priority(Priority::Urgent), "High");
    }

    #[test]
    fn mappings_are_overridden_by_pairs_and_bad_pairs_are_refused() {
        let mapping = Mapping::default()
            .with_statuses("on_hold = Escalated, spam=Rejected")
            .and_then(|m| m.with_priorities("urgent=Critical"))
            .expect("valid pairs");
        assert_eq!(mapping.status(CaseStatus::OnHold), "Escalated");
        assert_eq!(mapping.status(CaseStatus::Spam), "Rejected");
        assert_eq!(mapping.status(CaseStatus::Open), "Working");
        assert_eq!(mapping.priority(Priority::Urgent), "Critical");
        for bad in ["closed=Closed", "done=", "done", "urgent=High"] {
            assert!(Mapping::default().with_statuses(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_subject_names_network_case_and_customer_within_the_limit() {
        let s = subject(Network::Instagram, 12, "Jane", "Lost parcel\nsecond line");
        assert_eq!(s, "[Instagram] #12 Jane: Lost parcel");
        let long = subject(Network::X, 1, "Jane", &"é".repeat(400));
        assert_eq!(long.chars().count(), SUBJECT_MAX_CHARS);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn the_description_keeps_the_last_lines_in_order_and_fits() {
        let line = |i: i64, text: &str| TranscriptLine {
            at: Timestamp::from_secs(1_795_000_000 + i * 60),
            author: if i % 2 == 0 { "Jane" } else { "Brand" }.to_owned(),
            text: text.to_owned(),
        };
        let lines: Vec<_> = (0..30).map(|i| line(i, &format!("message {i}"))).collect();
        let text = description("Angry about delivery", &lines);
        assert!(text.starts_with("Escalation note: Angry about delivery\n\n["));
        assert!(!text.contains("message 9\n"));
        assert!(text.contains("] Jane: message 10\n"));
        assert!(text.ends_with("] Brand: message 29"));
        assert!(text.contains(" UTC] "));

        let huge: Vec<_> = (0..5).map(|i| line(i, &"x".repeat(10_000))).collect();
        let text = description("", &huge);
        assert!(text.chars().count() <= DESCRIPTION_MAX_CHARS);
        assert!(text.ends_with('x'));
        let one = description("", &[line(0, &"y".repeat(40_000))]);
        assert_eq!(one.chars().count(), DESCRIPTION_MAX_CHARS);
    }
}
