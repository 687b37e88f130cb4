//! Community inbox items: one per inbound public message, one per DM thread.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{CommunityItemId, ConversationId, CustomerId, MessageId, ProfileId};
use crate::macros::word_enum;
use crate::time::Timestamp;
use crate::Refusal;

word_enum! {
    /// The Community team's own status of an item.
    pub enum CommunityStatus {
        None => "none",
        InProgress => "in_progress",
        NoAction => "no_action",
        Done => "done",
    }
}

word_enum! {
    /// What an item stands for.
    pub enum ItemKind {
        /// One inbound public message.
        Message => "message",
        /// A whole DM thread, showing its latest inbound message.
        DmThread => "dm_thread",
    }
}

/// A Community inbox item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityItem {
    /// Its id.
    pub id: CommunityItemId,
    /// The profile it came to.
    pub profile_id: ProfileId,
    /// The customer who wrote it.
    pub customer_id: CustomerId,
    /// Message or DM thread.
    pub kind: ItemKind,
    /// The message (for a DM thread: its latest inbound message).
    pub message_id: MessageId,
    /// The conversation of that message.
    pub conversation_id: ConversationId,
    /// Community status.
    pub status: CommunityStatus,
    /// Labels.
    pub labels: BTreeSet<String>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed (new message, status, labels).
    pub updated_at: Timestamp,
    /// The customer's last case was marked spam when this arrived.
    pub customer_last_case_spam: bool,
}

impl CommunityItem {
    /// A new inbound DM resets the thread's item status; the item shows it when it is the
    /// thread's newest by the network's time (`newest`), so a message delivered late never
    /// hides a later one.
    pub fn receive_direct_message(&mut self, message: MessageId, newest: bool, now: Timestamp) {
        if newest {
            self.message_id = message;
        }
        self.status = CommunityStatus::None;
        self.updated_at = now;
    }
}

/// A community item not stored yet: its status starts at none, with no labels, last changed
/// when created. The store answers it with its id ([`Self::stored_as`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    /// The profile it came to.
    pub profile_id: ProfileId,
    /// The customer who wrote it.
    pub customer_id: CustomerId,
    /// Message or DM thread.
    pub kind: ItemKind,
    /// The message (for a DM thread: its latest inbound message).
    pub message_id: MessageId,
    /// The conversation of that message.
    pub conversation_id: ConversationId,
    /// Created.
    pub created_at: Timestamp,
    /// The customer's last case was marked spam when this arrived.
    pub customer_last_case_spam: bool,
}

impl NewItem {
    /// The item as stored under `id`.
    pub fn stored_as(self, id: CommunityItemId) -> CommunityItem {
        CommunityItem {
            id,
            profile_id: self.profile_id,
            customer_id: self.customer_id,
            kind: self.kind,
            message_id: self.message_id,
            conversation_id: self.conversation_id,
            status: CommunityStatus::None,
            labels: BTreeSet::new(),
            created_at: self.created_at,
            updated_at: self.created_at,
            customer_last_case_spam: self.customer_last_case_spam,
        }
    }
}

/// Checks labels given by a Community agent.
pub fn validate_labels(labels: &BTreeSet<String>) -> Result<(), Refusal> {
    if labels.len() > 50 {
        return Err(Refusal::invalid("at most 50 labels"));
    }
    if labels
        .iter()
        .any(|l| l.trim().is_empty() || l.chars().count() > 100)
    {
        return Err(Refusal::invalid("labels must be 1 to 100 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_direct_message_resets_the_thread_item_status() {
        let mut item = CommunityItem {
            id: CommunityItemId(1),
            profile_id: ProfileId(1),
            customer_id: CustomerId(1),
            kind: ItemKind::DmThread,
            message_id: MessageId(1),
            conversation_id: ConversationId(1),
            status: CommunityStatus::Done,
            labels: BTreeSet::new(),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
            customer_last_case_spam: false,
        };
        item.receive_direct_message(MessageId(2), true, Timestamp(10));
        assert_eq!(item.status, CommunityStatus::None);
        assert_eq!(item.message_id, MessageId(2));
        item.status = CommunityStatus::Done;
        item.receive_direct_message(MessageId(3), false, Timestamp(11));
        assert_eq!(
            item.status,
            CommunityStatus::None,
            "a late message still asks for a look"
        );
        assert_eq!(
            item.message_id,
            MessageId(2),
            "the newest message stays shown"
        );
    }

    #[test]
    fn a_new_item_starts_without_status_or_labels() {
        let item = NewItem {
            profile_id: ProfileId(1),
            customer_id: CustomerId(2),
            kind: ItemKind::Message,
            message_id: MessageId(3),
            conversation_id: ConversationId(4),
            created_at: Timestamp(5),
            customer_last_case_spam: true,
        }
        .stored_as(CommunityItemId(6));
        assert_eq!(item.id, CommunityItemId(6));
        assert_eq!(item.status, CommunityStatus::None);
        assert!(item.labels.is_empty());
        assert_eq!(item.updated_at, item.created_at);
        assert!(item.customer_last_case_spam);
    }

    #[test]
    fn labels_must_be_short_and_not_blank() {
        let good: BTreeSet<String> = ["billing".to_string()].into();
        assert!(validate_labels(&good).is_ok());
        let blank: BTreeSet<String> = [" ".to_string()].into();
        assert!(validate_labels(&blank).is_err());
    }
}
