//! What a fake posted: one record per accepted reply, so tests can check each call's body and
//! count how often a text went out.

/// The kind of call that posted a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SendKind {
    /// `POST /{object-id}/comments` by a Facebook Page.
    FacebookComment,
    /// `POST /{page-id}/messages` to `recipient.comment_id` (Facebook or Instagram).
    PrivateReply,
    /// `POST /{page-id}/messages` to `recipient.id` by a Facebook Page.
    MessengerMessage,
    /// `POST /{ig-comment-id}/replies`.
    InstagramCommentReply,
    /// `POST /{ig-media-id}/comments` by an Instagram account.
    InstagramMediaComment,
    /// `POST /{ig-user-id}/messages` to `recipient.id`.
    InstagramDirect,
    /// `POST /2/tweets` with `reply.in_reply_to_tweet_id`.
    XReply,
    /// `POST /2/tweets` without a post to answer.
    XPost,
    /// `POST /2/dm_conversations/with/{participant_id}/messages`.
    XDirect,
}

/// One reply a fake accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentReply {
    /// The call.
    pub kind: SendKind,
    /// The page or account that posted it.
    pub profile: String,
    /// The object answered (post, comment, media, post on X), or the recipient of a direct
    /// message.
    pub target: String,
    /// The customer it reaches, when the fake knows them.
    pub customer: Option<String>,
    /// The text.
    pub text: String,
    /// The id the fake gave it.
    pub network_id: String,
    /// The Send API's `messaging_type`, if given.
    pub messaging_type: Option<String>,
    /// The Send API's `tag`, if given.
    pub tag: Option<String>,
    /// False when the fake posted it but dropped the connection instead of answering.
    pub answered: bool,
    /// The file it carried, if any.
    pub file: Option<SentFile>,
}

/// A file a reply carried, as the fake received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentFile {
    /// The form field it came in (`filedata`, `source`, `media`).
    pub field: String,
    /// Its file name.
    pub filename: Option<String>,
    /// Its announced content type.
    pub content_type: Option<String>,
    /// Its size in bytes.
    pub size: usize,
    /// The type the call named (the Send API's `attachment.type`, X's `media_category`).
    pub named_type: Option<String>,
    /// Where the fake serves it back (the URL its echo carries).
    pub url: String,
}
