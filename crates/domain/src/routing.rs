//! Inbound routing (PRODUCT.md §4): where a message from the network goes.
//!
//! The server's receive time decides whether a message arrived inside a grace period; network
//! timestamps can be late or forged.

use crate::case::{Case, CaseStatus};
use crate::event::EventKind;
use crate::message::Message;
use crate::time::Timestamp;

/// Where a customer message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Its network id was seen before: apply edits, create nothing.
    Known,
    /// It joins the customer's active case on the profile; its community item is locked.
    JoinCase,
    /// It becomes (or updates) a community item.
    Community,
}

/// Decides the route of a customer message received at `received_at`. `active_case` is the
/// case holding the customer's active slot on the profile, if any; a Done case past its grace
/// period is treated as final even if no sweep has touched it yet.
pub fn route_customer_message(
    already_stored: bool,
    active_case: Option<&Case>,
    received_at: Timestamp,
) -> Route {
    if already_stored {
        Route::Known
    } else if active_case.is_some_and(|c| c.is_active_at(received_at)) {
        Route::JoinCase
    } else {
        Route::Community
    }
}

/// Later messages of a customer whose newest case on the profile is Spam land in Community
/// marked so (PRODUCT.md §3 "Spam").
pub fn last_case_was_spam(newest_case: Option<&Case>) -> bool {
    newest_case.is_some_and(|c| c.status == CaseStatus::Spam)
}

/// The case that keeps `case` from being reopened: the newest case of the same customer and
/// profile (deleted ones are not counted by the caller), when it is another case escalated after
/// this one (PRODUCT.md §3 "Reopen").
pub fn newer_case<'a>(case: &Case, newest: Option<&'a Case>) -> Option<&'a Case> {
    newest.filter(|n| n.id != case.id && (n.created_at, n.id) > (case.created_at, case.id))
}

/// A change the network reports for a message it delivered before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageEdit {
    /// The new text.
    pub text: Option<String>,
    /// Hidden or unhidden.
    pub hidden: Option<bool>,
    /// Deleted (deletes are not undone).
    pub deleted: Option<bool>,
}

/// Applies an edit to a stored message; answers the events to record (the previous text is kept
/// in the event). Redelivered content that changes nothing records nothing.
pub fn apply_edit(message: &mut Message, edit: &MessageEdit, now: Timestamp) -> Vec<EventKind> {
    let mut events = Vec::new();
    if let Some(text) = edit.text.as_ref().filter(|t| **t != message.text) {
        let previous = std::mem::replace(&mut message.text, text.clone());
        message.edited_at = Some(now);
        events.push(EventKind::MessageEdited {
            message_id: message.id,
            previous_text: previous,
        });
    }
    if let Some(hidden) = edit.hidden.filter(|h| *h != message.hidden) {
        message.hidden = hidden;
        events.push(EventKind::MessageHidden {
            message_id: message.id,
            hidden,
        });
    }
    if edit.deleted == Some(true) && !message.deleted {
        message.deleted = true;
        events.push(EventKind::MessageDeleted {
            message_id: message.id,
        });
    }
    events
}

#[cfg(test)]
#[path = "routing_tests.rs"]
mod tests;
