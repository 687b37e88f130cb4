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
    /// Delivery state of a brand reply we send.
    pub delivery: Option<Delivery>,
    /// The network's words when a send failed.
    pub error: Option<String>,
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
