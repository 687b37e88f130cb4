//! Row shapes that reads answer and writes take, beyond the domain's own entities.

use std::collections::BTreeSet;

use caredesk_domain::{
    CareAccess, CaseId, CaseStatus, CommunityItem, Event, EventId, Network, ProfileId, Role,
    Timestamp, User, UserId,
};
use serde::Serialize;

/// One page of a keyset-paged list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page from the rows of a query that asked for `limit + 1`: the extra row only tells
    /// that another page follows, starting after the last row kept.
    pub fn from_overfetched(
        mut rows: Vec<T>,
        limit: usize,
        cursor_of: impl Fn(&T) -> crate::Cursor,
    ) -> Page<T> {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more {
            rows.last().map(|last| cursor_of(last).encode())
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

/// A user as the user list shows it: with their current load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserWithLoad {
    /// The user.
    pub user: User,
    /// Cases assigned to them in open, pending or on hold.
    pub load: i64,
    /// What they say of their presence.
    pub presence_choice: caredesk_domain::availability::PresenceChoice,
    /// The last use of any of their live sessions.
    pub last_activity: Option<Timestamp>,
    /// When a case was last assigned to them.
    pub last_assigned_at: Option<Timestamp>,
}

/// A user's sign-in record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// The argon2id hash of their password (PHC string).
    pub password_hash: String,
}

/// A case as lists show it, with the customer's name for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseRow {
    /// The case.
    pub case: caredesk_domain::Case,
    /// The customer's display name.
    pub customer_name: String,
    /// The customer's handle.
    pub customer_handle: String,
    /// The customer's network.
    pub network: Network,
    /// The customer's id on that network.
    pub customer_user_id: String,
}

/// A stored event with its id (ids grow in commit order within a backend's change log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    /// Its id.
    pub id: EventId,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

/// The case that locks a community item, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CaseBadge {
    /// The case.
    pub id: CaseId,
    /// Its number.
    pub number: i64,
    /// Its status.
    pub status: CaseStatus,
}

/// A community item with what the inbox shows about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemRow {
    /// The item.
    pub item: CommunityItem,
    /// Its message (for a DM thread: the latest inbound one).
    pub message: caredesk_domain::Message,
    /// Who wrote it.
    pub customer: caredesk_domain::Customer,
    /// The active case (new, open, pending, on hold) holding its message: the item is locked.
    pub locking_case: Option<CaseBadge>,
    /// The customer's active case on the item's profile ("customer has case #N").
    pub customer_case: Option<CaseBadge>,
}

/// Which events an audit read wants; `None` places no condition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Events of this case (deleted ones included).
    pub case_id: Option<caredesk_domain::CaseId>,
    /// Events this user caused.
    pub actor: Option<caredesk_domain::UserId>,
    /// Events of this kind (`status_changed`, `signed_in`, …).
    pub kind: Option<String>,
}

/// A conversation as the History tab lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation: caredesk_domain::Conversation,
    /// The network time of its latest message.
    pub last_message_at: caredesk_domain::Timestamp,
    /// How many messages it holds.
    pub message_count: i64,
}

/// Where a live stream stands in the change log: `(commit order key, event id)`. On SQLite the
/// key is always 0 (the single writer commits in id order); on PostgreSQL it is the writing
/// transaction's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChangeCursor {
    /// Commit-order key.
    pub tx: i64,
    /// Event id.
    pub id: i64,
}

impl ChangeCursor {
    /// The SSE event id, `tx:id`.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.tx, self.id)
    }

    /// Reads an SSE `Last-Event-ID`.
    pub fn decode(text: &str) -> Option<ChangeCursor> {
        let (tx, id) = text.trim().split_once(':')?;
        Some(ChangeCursor {
            tx: tx.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// A committed change, with the profile of its case when it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where it stands in the log.
    pub cursor: ChangeCursor,
    /// The event.
    pub event: StoredEvent,
    /// The profile of the event's case.
    pub case_profile: Option<ProfileId>,
    /// The number of the event's case.
    pub case_number: Option<i64>,
}

/// What a grace sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Cases made final.
    pub expired: u64,
}

/// Data for a new user, with the password already hashed. A new user is active, and sees times
/// in the browser's zone until they choose one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// Sign-in e-mail, unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Admin or member.
    pub role: Role,
    /// Care access as stored.
    pub care_access: CareAccess,
    /// How many active cases they should carry.
    pub capacity: u32,
    /// The profiles they are connected to.
    pub profile_ids: BTreeSet<ProfileId>,
    /// argon2id PHC string.
    pub password_hash: String,
}

impl NewUser {
    /// The user as stored under `id` (the password hash is never part of a [`User`]).
    pub fn stored_as(self, id: UserId) -> User {
        User {
            id,
            email: self.email,
            name: self.name,
            role: self.role,
            care_access: self.care_access,
            capacity: self.capacity,
            active: true,
            profile_ids: self.profile_ids,
            time_zone: None,
        }
    }
}

/// Messages as a case's conversation shows them.
pub type MessagePage = Page<caredesk_domain::Message>;

/// A page of a case's messages, with how many older direct messages the 500-message window of
/// a DM conversation leaves out (0 when it leaves out none).
#[derive(Clone, Debug, PartialEq)]
pub struct CaseMessages {
    /// The page.
    pub page: MessagePage,
    /// Direct messages older than the window.
    pub older_hidden: i64,
}

/// A sign-in session as stored: the bearer token itself is never stored, only its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// Its id.
    pub id: i64,
    /// Who signed in.
    pub user_id: UserId,
    /// The token that cookie-authenticated unsafe requests must echo.
    pub csrf_token: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last used (updated at most once a minute).
    pub last_seen_at: Timestamp,
    /// True once signed out or revoked.
    pub revoked: bool,
}

impl std::fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSession")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("revoked", &self.revoked)
            .finish()
    }
}

/// A session to store, created and last seen at `at`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    /// Who signed in.
    pub user_id: UserId,
    /// The hex SHA-256 of the bearer token.
    pub token_hash: String,
    /// The CSRF token.
    pub csrf_token: String,
    /// When it was created.
    pub at: Timestamp,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("user_id", &self.user_id)
            .field("token_hash", &"<redacted>")
            .field("csrf_token", &"<redacted>")
            .field("at", &self.at)
            .finish()
    }
}

/// A reply's row in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The reply.
    pub message_id: caredesk_domain::MessageId,
    /// How it travels (the domain's `reply::Channel`, as JSON).
    pub channel: serde_json::Value,
    /// Calls started so far.
    pub attempts: u32,
    /// When the next call may start.
    pub next_attempt_at: Timestamp,
    /// Set while a call is in flight (committed before it starts).
    pub sending_since: Option<Timestamp>,
}

/// What the store knows about a profile's health: what the networks last said and how its
/// replies are doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSignals {
    /// The profile.
    pub profile_id: ProfileId,
    /// When the network last refused its token (cleared by a successful send or a new token).
    pub token_rejected_at: Option<Timestamp>,
    /// The network's words then.
    pub token_error: Option<String>,
    /// When a webhook delivery for it last arrived (kept to the minute).
    pub last_webhook_at: Option<Timestamp>,
    /// Replies queued or being sent.
    pub replies_waiting: i64,
    /// When the oldest of them was queued.
    pub oldest_waiting_since: Option<Timestamp>,
    /// Replies that failed or whose delivery is unknown, waiting for a person.
    pub replies_stuck: i64,
}
