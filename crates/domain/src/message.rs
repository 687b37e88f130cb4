//! Messages, conversations and the delivery states of brand replies.

use serde::{Deserialize, Serialize};

use crate::attachment::Attachment;
use crate::ids::{ConversationId, CustomerId, MessageId, ProfileId, UserId};
use crate::macros::word_enum;
use crate::time::Timestamp;

word_enum! {
    /// What a message is on its network.
    pub enum MessageKind {
        /// A post on the brand's page or a customer's wall post.
        Post => "post",
        /// A comment under a post.
        Comment => "comment",
        /// A reply to a comment or post.
        Reply => "reply",
        /// A post or comment that tags the brand (X mentions, Facebook Page and Instagram
        /// mentions).
        Mention => "mention",
        /// A Facebook rating or recommendation with its text.
        Review => "review",
        /// A direct message.
        Direct => "direct",
        /// An internal note of Care (never sent).
        Note => "note",
    }
}

word_enum! {
    /// Who wrote a message.
    pub enum Author {
        Customer => "customer",
        Brand => "brand",
        Note => "note",
    }
}

word_enum! {
    /// Where a brand reply is on its way out (PRODUCT.md §5).
    pub enum Delivery {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        DeliveryUnknown => "delivery_unknown",
        Cancelled => "cancelled",
    }
}

impl Delivery {
    /// A reply in these states may be retried or cancelled by a person.
    pub fn may_retry_or_cancel(self) -> bool {
        matches!(
            self,
            Delivery::Failed | Delivery::DeliveryUnknown | Delivery::Queued
        )
    }
}

word_enum! {
    /// The two shapes of conversation.
    pub enum ConversationKind {
        /// A direct-message thread between the customer and the profile.
        Dm => "dm",
        /// The customer's comments and the brand's replies under one post.
        Thread => "thread",
    }
}

/// A conversation between one customer and one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Its id.
    pub id: ConversationId,
    /// The brand's profile.
    pub profile_id: ProfileId,
    /// The customer.
    pub customer_id: CustomerId,
    /// DM thread or comment thread.
    pub kind: ConversationKind,
    /// For a comment thread: the network id of the post it hangs under; empty for DMs.
    pub root_network_id: String,
}

/// One piece of content: inbound, a brand reply, or an internal note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: MessageId,
    /// The profile it was sent to or from (notes: the case's profile).
    pub profile_id: ProfileId,
    /// The network's id; `None` for notes and for replies not yet sent.
    pub network_id: Option<String>,
    /// Post, comment, reply, mention, direct or note.
    pub kind: MessageKind,
    /// Customer, brand or note.
    pub author: Author,
    /// The customer it is from or to.
    pub customer_id: Option<CustomerId>,
    /// The user who wrote a brand reply or note.
    pub sent_by: Option<UserId>,
    /// Its conversation (notes have none).
    pub conversation_id: Option<ConversationId>,
    /// The stored message it answers.
    pub parent_id: Option<MessageId>,
    /// The network id of what it answers, as the network gave it.
    pub parent_network_id: Option<String>,
    /// The text.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// When it was written, per the network (or our clock for our own).
    pub created_at: Timestamp,
    /// When our server received (or stored) it: decides grace periods.
    pub received_at: Timestamp,
    /// When its text last changed.
    pub edited_at: Option<Timestamp>,
    /// Hidden on the network.
    pub hidden: bool,
    /// Deleted on the network.
    pub deleted: bool,
    /// A reply to hidden content that only its customer sees.
    pub visible_only_to_customer: bool,
    /// Arrived while another app (a bot, say) held the conversation (Meta's standby channel).
    pub standby: bool,
    /// Delivery state of a brand reply we send.
    pub delivery: Option<Delivery>,
    /// The network's words when a send failed.
    pub error: Option<String>,
}

/// A message not stored yet: a [`Message`] but its id and what only happens to a stored one
/// (an edit, a deletion, a failed send). The store answers it with its id ([`Self::stored_as`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// The profile it was sent to or from (notes: the case's profile).
    pub profile_id: ProfileId,
    /// The network's id; `None` for notes and for replies not yet sent.
    pub network_id: Option<String>,
    /// Post, comment, reply, mention, direct or note.
    pub kind: MessageKind,
    /// Customer, brand or note.
    pub author: Author,
    /// The customer it is from or to.
    pub customer_id: Option<CustomerId>,
    /// The user who wrote a brand reply or note.
    pub sent_by: Option<UserId>,
    /// Its conversation (notes have none).
    pub conversation_id: Option<ConversationId>,
    /// The stored message it answers.
    pub parent_id: Option<MessageId>,
    /// The network id of what it answers, as the network gave it.
    pub parent_network_id: Option<String>,
    /// The text.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// When it was written, per the network (or our clock for our own).
    pub created_at: Timestamp,
    /// When our server received (or stored) it: decides grace periods.
    pub received_at: Timestamp,
    /// Hidden on the network.
    pub hidden: bool,
    /// A reply to hidden content that only its customer sees.
    pub visible_only_to_customer: bool,
    /// Arrived while another app (a bot, say) held the conversation (Meta's standby channel).
    pub standby: bool,
    /// Delivery state of a brand reply we send.
    pub delivery: Option<Delivery>,
}

impl NewMessage {
    /// A message of `kind` by `author` on `profile`, written and received at `at`, with
    /// nothing else: no network id, customer, sender, conversation, parent, attachments or
    /// delivery, and not hidden. Callers name what differs with struct-update syntax.
    pub fn written(
        profile: ProfileId,
        kind: MessageKind,
        author: Author,
        text: impl Into<String>,
        at: Timestamp,
    ) -> NewMessage {
        NewMessage {
            profile_id: profile,
            network_id: None,
            kind,
            author,
            customer_id: None,
            sent_by: None,
            conversation_id: None,
            parent_id: None,
            parent_network_id: None,
            text: text.into(),
            attachments: Vec::new(),
            created_at: at,
            received_at: at,
            hidden: false,
            visible_only_to_customer: false,
            standby: false,
            delivery: None,
        }
    }

    /// An internal note by `actor` on a case of `customer` on `case_profile`, written at `at`.
    pub fn note(
        case_profile: ProfileId,
        customer: CustomerId,
        actor: UserId,
        text: impl Into<String>,
        at: Timestamp,
    ) -> NewMessage {
        NewMessage {
            customer_id: Some(customer),
            sent_by: Some(actor),
            ..NewMessage::written(case_profile, MessageKind::Note, Author::Note, text, at)
        }
    }

    /// The message as stored under `id`: never edited, deleted or failed yet.
    pub fn stored_as(self, id: MessageId) -> Message {
        Message {
            id,
            profile_id: self.profile_id,
            network_id: self.network_id,
            kind: self.kind,
            author: self.author,
            customer_id: self.customer_id,
            sent_by: self.sent_by,
            conversation_id: self.conversation_id,
            parent_id: self.parent_id,
            parent_network_id: self.parent_network_id,
            text: self.text,
            attachments: self.attachments,
            created_at: self.created_at,
            received_at: self.received_at,
            edited_at: None,
            hidden: self.hidden,
            deleted: false,
            visible_only_to_customer: self.visible_only_to_customer,
            standby: self.standby,
            delivery: self.delivery,
            error: None,
        }
    }
}

/// Whether another app (a bot, say) held the conversation when the customer last wrote: their
/// newest message by the network's time arrived on standby (Meta's handover protocol). The desk
/// says so beside the composer, since that app may answer too.
pub fn held_by_another_app(messages: &[Message]) -> bool {
    messages
        .iter()
        .filter(|m| m.is_from_customer())
        .max_by_key(|m| (m.created_at, m.id))
        .is_some_and(|m| m.standby)
}

impl Message {
    /// True for messages a customer wrote.
    pub fn is_from_customer(&self) -> bool {
        self.author == Author::Customer
    }

    /// Public content (anything but DMs and notes).
    pub fn is_public(&self) -> bool {
        !matches!(self.kind, MessageKind::Direct | MessageKind::Note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_stored_unedited_with_its_writer_and_customer() {
        let at = Timestamp(10);
        let note = NewMessage::note(ProfileId(1), CustomerId(2), UserId(3), "call back", at)
            .stored_as(MessageId(4));
        assert_eq!(note.id, MessageId(4));
        assert_eq!((note.kind, note.author), (MessageKind::Note, Author::Note));
        assert_eq!(
            (note.customer_id, note.sent_by),
            (Some(CustomerId(2)), Some(UserId(3)))
        );
        assert_eq!((note.created_at, note.received_at), (at, at));
        assert_eq!((&note.network_id, note.conversation_id), (&None, None));
        assert!(!note.deleted && note.edited_at.is_none() && note.error.is_none());
        assert!(!note.is_public());
    }

    #[test]
    fn the_customers_newest_message_says_whether_another_app_holds_the_thread() {
        let at = |secs: i64, standby: bool, author: Author, id: i64| {
            NewMessage {
                standby,
                ..NewMessage::written(
                    ProfileId(1),
                    MessageKind::Direct,
                    author,
                    "hi",
                    Timestamp::from_secs(secs),
                )
            }
            .stored_as(MessageId(id))
        };
        let table = [
            (vec![], false),
            (vec![at(10, true, Author::Customer, 1)], true),
            (
                vec![
                    at(10, true, Author::Customer, 1),
                    at(20, false, Author::Customer, 2),
                ],
                false,
            ),
            (
                vec![
                    at(20, true, Author::Customer, 2),
                    at(10, false, Author::Customer, 1),
                ],
                true,
            ),
            (
                vec![
                    at(10, true, Author::Customer, 1),
                    at(30, false, Author::Brand, 3),
                ],
                true,
            ),
        ];
        for (messages, held) in table {
            assert_eq!(held_by_another_app(&messages), held, "{messages:?}");
        }
    }
}
