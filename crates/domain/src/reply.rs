//! How a reply travels on each network, and the platform limits checked before it is queued
//! (PRODUCT.md §5).

use serde::{Deserialize, Serialize};

use crate::attachment::AttachmentKind;
use crate::macros::word_enum;
use crate::message::{ConversationKind, Message, MessageKind};
use crate::network::Network;
use crate::reply_limits::{dm_window, DmWindow};
use crate::time::Timestamp;
use crate::Refusal;

word_enum! {
    /// What the agent asked for.
    pub enum ReplyKind {
        /// A reply to a chosen message.
        Reply => "reply",
        /// A comment on the conversation's parent post.
        Comment => "comment",
        /// A direct message, or a private reply to a public comment.
        Direct => "direct",
    }
}

/// How the reply is carried by the network. Stored with the outbox row; the sender turns it into
/// the network's request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum Channel {
    /// Facebook: a comment under a post or comment (`POST /{object-id}/comments`).
    FacebookComment { parent_network_id: String },
    /// Facebook Messenger message; with the human-agent tag between 24 hours and 7 days.
    MessengerMessage { human_agent_tag: bool },
    /// Facebook or Instagram private reply to a public comment (once, within 7 days).
    PrivateReply { comment_network_id: String },
    /// Instagram: a reply to a top-level comment.
    InstagramCommentReply { comment_network_id: String },
    /// Instagram: a comment on the media.
    InstagramMediaComment { media_network_id: String },
    /// Instagram direct message (within 24 hours).
    InstagramDirect,
    /// X: a post in reply to a post.
    XReply { in_reply_to_network_id: String },
    /// X direct message.
    XDirect,
}

impl Channel {
    /// True for channels whose content only the customer sees.
    pub fn is_private(&self) -> bool {
        matches!(
            self,
            Channel::MessengerMessage { .. }
                | Channel::PrivateReply { .. }
                | Channel::InstagramDirect
                | Channel::XDirect
        )
    }

    /// The longest text the network takes on this channel, in characters.
    pub fn max_chars(&self) -> usize {
        match self {
            Channel::FacebookComment { .. } => 8_000,
            Channel::MessengerMessage { .. } | Channel::PrivateReply { .. } => 2_000,
            Channel::InstagramCommentReply { .. } | Channel::InstagramMediaComment { .. } => 2_200,
            Channel::InstagramDirect => 1_000,
            Channel::XReply { .. } => 280,
            Channel::XDirect => 10_000,
        }
    }
}

/// What the domain knows of a file an agent sends with a reply (an upload in the media store).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileFacts<'a> {
    /// Picture, GIF, video, sound or file.
    pub kind: AttachmentKind,
    /// Its content type, by its bytes.
    pub mime: &'a str,
    /// Its size in bytes.
    pub size: u64,
}

const MIB: u64 = 1024 * 1024;

impl Channel {
    /// Whether the network carries text and a file in one message on this channel. Messenger
    /// and Instagram direct messages carry one or the other (a reply with both becomes two
    /// messages, the file first); a private reply is a single message, so it cannot.
    pub fn carries_text_with_file(&self) -> bool {
        !matches!(
            self,
            Channel::MessengerMessage { .. }
                | Channel::InstagramDirect
                | Channel::PrivateReply { .. }
        )
    }

    /// Refuses a file the network does not take on this channel (422 `platform_limit` naming
    /// the limit): its kind, or its size.
    pub fn check_file(&self, file: &FileFacts<'_>) -> Result<(), Refusal> {
        use AttachmentKind::{Audio, File, Gif, Image, Video};
        let (allowed, words): (&[(AttachmentKind, u64)], &str) = match self {
            Channel::FacebookComment { .. } => (
                &[(Image, 4 * MIB), (Gif, 4 * MIB)],
                "a Facebook comment carries one picture of at most 4 MB",
            ),
            Channel::MessengerMessage { .. } | Channel::PrivateReply { .. } => (
                &[
                    (Image, 25 * MIB),
                    (Gif, 25 * MIB),
                    (Video, 25 * MIB),
                    (Audio, 25 * MIB),
                    (File, 25 * MIB),
                ],
                "Messenger takes files of at most 25 MB",
            ),
            Channel::InstagramDirect => (
                &[
                    (Image, 8 * MIB),
                    (Gif, 8 * MIB),
                    (Video, 25 * MIB),
                    (Audio, 25 * MIB),
                ],
                "Instagram direct messages carry pictures of at most 8 MB, or video and sound \
                 of at most 25 MB",
            ),
            Channel::InstagramCommentReply { .. } | Channel::InstagramMediaComment { .. } => {
                (&[], "Instagram comments carry text only")
            }
            Channel::XReply { .. } | Channel::XDirect => (
                &[(Image, 5 * MIB), (Gif, 15 * MIB)],
                "X takes pictures of at most 5 MB and GIFs of at most 15 MB here",
            ),
        };
        match allowed.iter().find(|(kind, _)| *kind == file.kind) {
            Some((_, max)) if file.size <= *max => Ok(()),
            _ => Err(Refusal::PlatformLimit(words.to_owned())),
        }
    }
}

/// What the domain needs to know to plan a reply.
#[derive(Clone, Copy, Debug)]
pub struct ReplyContext<'a> {
    /// The profile's network.
    pub network: Network,
    /// DM thread or comment thread.
    pub conversation: ConversationKind,
    /// A comment thread's post or media id (X: the conversation's root post).
    pub root_network_id: &'a str,
    /// The message answered (`in_reply_to`), when given.
    pub target: Option<&'a Message>,
    /// Network time of the customer's last message in the conversation.
    pub last_customer_message_at: Option<Timestamp>,
    /// A private reply to the target comment was already sent or queued.
    pub private_reply_exists: bool,
    /// Now.
    pub now: Timestamp,
}

/// A reply the network can carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyPlan {
    /// How it travels.
    pub channel: Channel,
    /// Answers hidden content: only that customer will see it.
    pub visible_only_to_customer: bool,
}

const DAY_SECS: i64 = 86_400;
/// Messenger and Instagram standard messaging window.
pub const STANDARD_WINDOW_SECS: i64 = DAY_SECS;
/// Messenger human-agent window, and the private-reply window.
pub const EXTENDED_WINDOW_SECS: i64 = 7 * DAY_SECS;

/// Decides how `kind` travels on the network, or refuses it: 409 for a deleted target, 422
/// `unsupported_reply_kind` for what the network cannot carry, 422 `platform_limit` for a
/// limit, 422 `validation_failed` for empty text or a missing target.
pub fn plan_reply(
    kind: ReplyKind,
    text: &str,
    ctx: &ReplyContext<'_>,
) -> Result<ReplyPlan, Refusal> {
    plan_reply_with_file(kind, text, None, ctx)
}

/// [`plan_reply`] for a reply that may carry a file: the text may then be empty, and the file
/// must be one the channel takes ([`Channel::check_file`]); on a channel that carries text or
/// a file but not both ([`Channel::carries_text_with_file`]), the caller sends them apart.
pub fn plan_reply_with_file(
    kind: ReplyKind,
    text: &str,
    file: Option<&FileFacts<'_>>,
    ctx: &ReplyContext<'_>,
) -> Result<ReplyPlan, Refusal> {
    if ctx.target.is_some_and(|t| t.deleted) {
        return Err(Refusal::MessageDeleted);
    }
    if text.trim().is_empty() && file.is_none() {
        return Err(Refusal::invalid("text must not be empty"));
    }
    let channel = channel_for(kind, ctx)?;
    let chars = text.chars().count();
    if chars > channel.max_chars() {
        return Err(Refusal::PlatformLimit(format!(
            "text length: at most {} characters on this channel, got {chars}",
            channel.max_chars()
        )));
    }
    if let Some(file) = file {
        channel.check_file(file)?;
        let both = !text.trim().is_empty();
        if both && matches!(channel, Channel::PrivateReply { .. }) {
            return Err(Refusal::PlatformLimit(
                "a private reply is one message: text or one file, not both".into(),
            ));
        }
    }
    let visible_only_to_customer = kind == ReplyKind::Reply && ctx.target.is_some_and(|t| t.hidden);
    Ok(ReplyPlan {
        channel,
        visible_only_to_customer,
    })
}

/// The reply kinds the network can carry in answer to `target`, in the order a composer offers
/// them: `direct` alone for a direct message; for public content a reply (on Instagram only to
/// a top-level comment), a comment on the post, and a private reply (X: a direct message).
/// Nothing for a deleted message or a note. Windows and the one-private-reply rule are checked
/// when the reply is planned ([`plan_reply`]).
pub fn offered_reply_kinds(network: Network, target: &Message) -> Vec<ReplyKind> {
    if target.deleted || target.network_id.is_none() {
        return Vec::new();
    }
    match target.kind {
        MessageKind::Note => Vec::new(),
        MessageKind::Direct => vec![ReplyKind::Direct],
        MessageKind::Post
        | MessageKind::Comment
        | MessageKind::Reply
        | MessageKind::Mention
        | MessageKind::Review => {
            let reply = network != Network::Instagram || target.kind == MessageKind::Comment;
            let mut kinds = Vec::with_capacity(3);
            if reply {
                kinds.push(ReplyKind::Reply);
            }
            kinds.push(ReplyKind::Comment);
            kinds.push(ReplyKind::Direct);
            kinds
        }
    }
}

/// How `kind` travels in `ctx`, or why it cannot (its window closed, a private reply already
/// sent, a kind the network does not carry there); the text is not looked at.
pub fn channel_for(kind: ReplyKind, ctx: &ReplyContext<'_>) -> Result<Channel, Refusal> {
    match kind {
        ReplyKind::Reply => reply_channel(ctx),
        ReplyKind::Comment => comment_channel(ctx),
        ReplyKind::Direct => direct_channel(ctx),
    }
}

fn unsupported(why: &str) -> Refusal {
    Refusal::UnsupportedReplyKind(why.to_owned())
}

fn target_network_id(target: &Message) -> Result<&str, Refusal> {
    target
        .network_id
        .as_deref()
        .ok_or_else(|| unsupported("the chosen message has not reached the network yet"))
}

fn reply_channel(ctx: &ReplyContext<'_>) -> Result<Channel, Refusal> {
    if ctx.conversation == ConversationKind::Dm {
        return Err(unsupported(
            "reply is not available in direct-message threads; use direct",
        ));
    }
    let target = ctx
        .target
        .ok_or_else(|| Refusal::invalid("in_reply_to is required for reply"))?;
    let id = target_network_id(target)?.to_owned();
    Ok(match ctx.network {
        Network::Facebook => Channel::FacebookComment {
            parent_network_id: id,
        },
        Network::Instagram => {
            if target.kind != MessageKind::Comment {
                return Err(unsupported(
                    "Instagram takes replies to top-level comments only",
                ));
            }
            Channel::InstagramCommentReply {
                comment_network_id: id,
            }
        }
        Network::X => Channel::XReply {
            in_reply_to_network_id: id,
        },
    })
}

fn comment_channel(ctx: &ReplyContext<'_>) -> Result<Channel, Refusal> {
    if ctx.conversation == ConversationKind::Dm || ctx.root_network_id.is_empty() {
        return Err(unsupported(
            "a direct-message thread has no post to comment on",
        ));
    }
    let root = ctx.root_network_id.to_owned();
    Ok(match ctx.network {
        Network::Facebook => Channel::FacebookComment {
            parent_network_id: root,
        },
        Network::Instagram => Channel::InstagramMediaComment {
            media_network_id: root,
        },
        Network::X => Channel::XReply {
            in_reply_to_network_id: root,
        },
    })
}

fn direct_channel(ctx: &ReplyContext<'_>) -> Result<Channel, Refusal> {
    let public_target = ctx.target.filter(|t| t.is_public());
    if ctx.network == Network::X {
        return Ok(Channel::XDirect);
    }
    if let Some(target) = public_target {
        if ctx.private_reply_exists {
            return Err(Refusal::PlatformLimit(
                "one private reply per comment".into(),
            ));
        }
        if ctx.now.secs_since(target.created_at) > EXTENDED_WINDOW_SECS {
            return Err(Refusal::PlatformLimit(
                "private replies are possible within 7 days of the comment".into(),
            ));
        }
        return Ok(Channel::PrivateReply {
            comment_network_id: target_network_id(target)?.to_owned(),
        });
    }
    if ctx.conversation != ConversationKind::Dm {
        return Err(Refusal::invalid(
            "direct in a comment thread needs in_reply_to, the comment to answer privately",
        ));
    }
    // X returned above: only Messenger and Instagram have a window.
    let facebook = ctx.network == Network::Facebook;
    match dm_window(ctx.network, ctx.last_customer_message_at, ctx.now) {
        Some(DmWindow::Open { .. }) if facebook => Ok(Channel::MessengerMessage {
            human_agent_tag: false,
        }),
        Some(DmWindow::HumanAgent { .. }) => Ok(Channel::MessengerMessage {
            human_agent_tag: true,
        }),
        Some(DmWindow::Open { .. }) => Ok(Channel::InstagramDirect),
        _ if facebook => Err(Refusal::PlatformLimit(
            "Messenger messages are possible within 7 days of the customer's last message".into(),
        )),
        _ => Err(Refusal::PlatformLimit(
            "Instagram messages are possible within 24 hours of the customer's last message".into(),
        )),
    }
}

#[cfg(test)]
#[path = "reply_tests.rs"]
mod tests;
