//! Typed identifiers: a `CaseId` can never be passed where a `UserId` is meant.

use crate::macros::id_types;

id_types!(
    /// A network app (Meta app, X app).
    NetworkAppId,
    /// A connected social profile (Facebook Page, Instagram account, X account).
    ProfileId,
    /// A user of the desk.
    UserId,
    /// A customer: one person on one network.
    CustomerId,
    /// A stored message, brand reply or internal note.
    MessageId,
    /// A conversation thread between one customer and one profile.
    ConversationId,
    /// A community inbox item.
    CommunityItemId,
    /// A case.
    CaseId,
    /// A custom case field definition.
    CaseFieldId,
    /// An event of the activity log.
    EventId,
    /// A file in the media store (an attachment's copy, an upload, an avatar).
    MediaId,
    /// A saved reply (shared, or one Care user's own).
    SavedReplyId,
    /// A notification of one user.
    NotificationId,
    /// A business-hours schedule that SLA targets may count in.
    ScheduleId,
    /// An SLA policy.
    SlaPolicyId,
);
