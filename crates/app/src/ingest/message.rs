//! What a network delivers, before and after it is known which profile it reached: a
//! [`NetworkMessage`] is a message as its network describes it (what the network adapters
//! emit, inside a delivery's updates, with no id of the desk's); an [`InboundMessage`] is one
//! addressed to a known profile (the form in-process callers, the demo and tests, hand to
//! [`App::ingest`](crate::App::ingest)). [`IngestOutcome`] says where a message went.

use caredesk_domain::*;

/// Who wrote an inbound message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InboundAuthor {
    /// A customer, as the network describes them.
    Customer {
        /// The network's user id.
        network_user_id: String,
        /// Their name.
        display_name: String,
        /// Their handle.
        handle: String,
    },
    /// The brand itself (an echo of our send, or a reply made on the network directly), to
    /// the customer with this network user id.
    Brand {
        /// The customer the message is addressed to.
        customer_network_user_id: String,
    },
    /// The brand answering in public without naming the customer (a Page's or Instagram
    /// account's own comment): the customer is the author of the message it answers.
    BrandInThread,
}

impl InboundAuthor {
    /// The network user id of the customer a message is from or to, when it names one (the
    /// brand's public answers name none).
    fn customer_user_id(&self) -> Option<&str> {
        match self {
            InboundAuthor::Customer {
                network_user_id, ..
            } => Some(network_user_id),
            InboundAuthor::Brand {
                customer_network_user_id,
            } => Some(customer_network_user_id),
            InboundAuthor::BrandInThread => None,
        }
    }
}

/// A message as its network delivered it, network-neutral: the profile it reached travels
/// beside it, as the network names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkMessage {
    /// The network's id of the message.
    pub network_id: String,
    /// Post, comment, reply, mention or direct.
    pub kind: MessageKind,
    /// Who wrote it.
    pub author: InboundAuthor,
    /// The network id of what it answers.
    pub parent_network_id: Option<String>,
    /// For public messages, the post it hangs under (its own id for a post or mention).
    pub root_network_id: Option<String>,
    /// The text.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// The network's creation time.
    pub created_at: Timestamp,
    /// Hidden on arrival.
    pub hidden: bool,
    /// Arrived while another app (a bot, say) holds the thread (Meta's `standby`).
    pub standby: bool,
}

impl NetworkMessage {
    /// The network user id of the customer the message is from or to, when it names one (the
    /// brand's public answers name none).
    pub fn customer_user_id(&self) -> Option<&str> {
        self.author.customer_user_id()
    }

    /// The message, addressed to the profile it reached.
    pub fn to_profile(self, profile_id: ProfileId) -> InboundMessage {
        InboundMessage {
            profile_id,
            network_id: self.network_id,
            kind: self.kind,
            author: self.author,
            parent_network_id: self.parent_network_id,
            root_network_id: self.root_network_id,
            text: self.text,
            attachments: self.attachments,
            created_at: self.created_at,
            hidden: self.hidden,
            standby: self.standby,
        }
    }
}

/// A message for a known profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
    /// The profile it reached.
    pub profile_id: ProfileId,
    /// The network's id of the message.
    pub network_id: String,
    /// Post, comment, reply, mention or direct.
    pub kind: MessageKind,
    /// Who wrote it.
    pub author: InboundAuthor,
    /// The network id of what it answers.
    pub parent_network_id: Option<String>,
    /// For public messages, the post it hangs under (its own id for a post or mention).
    pub root_network_id: Option<String>,
    /// The text.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// The network's creation time.
    pub created_at: Timestamp,
    /// Hidden on arrival.
    pub hidden: bool,
    /// Arrived while another app (a bot, say) holds the thread (Meta's `standby`).
    pub standby: bool,
}

impl InboundMessage {
    /// The network user id of the customer the message is from or to, when it names one (the
    /// brand's public answers name none).
    pub fn customer_user_id(&self) -> Option<&str> {
        self.author.customer_user_id()
    }

    /// The profile, and the message as its network describes it.
    pub fn into_parts(self) -> (ProfileId, NetworkMessage) {
        let message = NetworkMessage {
            network_id: self.network_id,
            kind: self.kind,
            author: self.author,
            parent_network_id: self.parent_network_id,
            root_network_id: self.root_network_id,
            text: self.text,
            attachments: self.attachments,
            created_at: self.created_at,
            hidden: self.hidden,
            standby: self.standby,
        };
        (self.profile_id, message)
    }
}

impl From<InboundMessage> for NetworkMessage {
    fn from(inbound: InboundMessage) -> Self {
        inbound.into_parts().1
    }
}

/// What ingesting a message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Seen before: edits applied, nothing created.
    Known(MessageId),
    /// Joined the active case.
    JoinedCase { message: MessageId, case: CaseId },
    /// Became or updated a community item.
    Community {
        message: MessageId,
        item: CommunityItemId,
    },
    /// The network's echo of a reply we sent: the reply is confirmed as sent, nothing new is
    /// stored.
    Confirmed(MessageId),
    /// A brand comment that answers no message we know: nothing to track, nothing stored.
    Unrelated,
    /// A brand message stored in its conversation (and case, when it answers one).
    Brand {
        message: MessageId,
        case: Option<CaseId>,
    },
}
