//! Decoding stored rows into domain values, shared by every backend.
//!
//! Both backends store the same columns under the same names (times and ids as 64-bit integers,
//! words as text, JSON as text); a backend implements [`Columns`] for its row type and these
//! decoders do the rest. A value that does not decode is `Corrupt`, never skipped.

use std::str::FromStr;

use caredesk_domain::*;
use serde::de::DeserializeOwned;

use crate::{OutboxEntry, ProfileSignals, StoreError, StoredEvent, StoredSession};

mod salesforce;

pub use salesforce::*;

type Result<T> = std::result::Result<T, StoreError>;

/// Typed access to the columns of one row, by name.
pub trait Columns {
    /// A non-null integer.
    fn int(&self, column: &str) -> Result<i64>;
    /// A nullable integer.
    fn opt_int(&self, column: &str) -> Result<Option<i64>>;
    /// Non-null text.
    fn text(&self, column: &str) -> Result<String>;
    /// Nullable text.
    fn opt_text(&self, column: &str) -> Result<Option<String>>;
    /// A boolean.
    fn flag(&self, column: &str) -> Result<bool>;
}

/// A word column parsed into its enum.
pub fn word<T: FromStr>(row: &dyn Columns, column: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    parse_word(&row.text(column)?, column)
}

fn parse_word<T: FromStr>(text: &str, column: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| StoreError::Corrupt(format!("{column}: {e}")))
}

/// A JSON text column.
pub fn json<T: DeserializeOwned>(row: &dyn Columns, column: &str) -> Result<T> {
    parse_json(&row.text(column)?, column)
}

/// A JSON text parsed; `column` names it in the error.
pub fn parse_json<T: DeserializeOwned>(text: &str, column: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

/// Encodes a value as JSON text for storing.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("cannot encode JSON: {e}")))
}

fn ts(row: &dyn Columns, column: &str) -> Result<Timestamp> {
    row.int(column).map(Timestamp)
}

fn opt_ts(row: &dyn Columns, column: &str) -> Result<Option<Timestamp>> {
    Ok(row.opt_int(column)?.map(Timestamp))
}

/// The priority stored as its sort rank.
pub fn priority_from_rank(rank: i64) -> Result<Priority> {
    Priority::ALL
        .iter()
        .copied()
        .find(|p| p.rank() == rank)
        .ok_or_else(|| StoreError::Corrupt(format!("priority rank {rank}")))
}

/// A user, with the profiles read separately.
pub fn user(row: &dyn Columns, profile_ids: Vec<ProfileId>) -> Result<User> {
    Ok(User {
        id: UserId(row.int("id")?),
        email: row.text("email")?,
        name: row.text("name")?,
        role: word(row, "role")?,
        care_access: word(row, "care_access")?,
        capacity: u32::try_from(row.int("capacity")?)
            .map_err(|e| StoreError::Corrupt(format!("capacity: {e}")))?,
        active: row.flag("active")?,
        profile_ids: profile_ids.into_iter().collect(),
        time_zone: row.opt_text("time_zone")?.map(TimeZoneName::stored),
    })
}

/// A network app.
pub fn network_app(row: &dyn Columns) -> Result<NetworkApp> {
    Ok(NetworkApp {
        id: NetworkAppId(row.int("id")?),
        network: word(row, "network")?,
        name: row.text("name")?,
        app_secret: row.text("app_secret")?,
        verify_token: row.text("verify_token")?,
        consumer_key: row.text("consumer_key")?,
    })
}

/// A profile.
pub fn profile(row: &dyn Columns) -> Result<Profile> {
    Ok(Profile {
        id: ProfileId(row.int("id")?),
        network: word(row, "network")?,
        external_id: row.text("external_id")?,
        name: row.text("name")?,
        app_id: NetworkAppId(row.int("app_id")?),
        access_token: row.text("access_token")?,
        token_secret: row.text("token_secret")?,
        auto_assign: row.flag("auto_assign")?,
    })
}

/// A customer.
pub fn customer(row: &dyn Columns) -> Result<Customer> {
    Ok(Customer {
        id: CustomerId(row.int("id")?),
        network: word(row, "network")?,
        network_user_id: row.text("network_user_id")?,
        details: CustomerDetails {
            display_name: row.text("display_name")?,
            handle: row.text("handle")?,
            avatar_url: row.text("avatar_url")?,
            email: row.text("email")?,
            phone: row.text("phone")?,
            address: row.text("address")?,
            notes: row.text("notes")?,
            attributes: json(row, "attributes")?,
        },
        salesforce: row
            .opt_text("salesforce")?
            .map(|t| parse_json(&t, "salesforce"))
            .transpose()?,
        agent_edited: json(row, "agent_edited")?,
        lookup: caredesk_domain::lookup::Lookup {
            looked_up_at: opt_ts(row, "looked_up_at")?,
            due_at: opt_ts(row, "lookup_due_at")?,
            attempts: u32::try_from(row.int("lookup_attempts")?).unwrap_or(u32::MAX),
            error: row.opt_text("lookup_error")?,
            profile_id: row.opt_int("lookup_profile_id")?.map(ProfileId),
        },
    })
}

/// A conversation.
pub fn conversation(row: &dyn Columns) -> Result<Conversation> {
    Ok(Conversation {
        id: ConversationId(row.int("id")?),
        profile_id: ProfileId(row.int("profile_id")?),
        customer_id: CustomerId(row.int("customer_id")?),
        kind: word(row, "kind")?,
        root_network_id: row.text("root_network_id")?,
    })
}

/// A message, brand reply or note.
pub fn message(row: &dyn Columns) -> Result<Message> {
    Ok(Message {
        id: MessageId(row.int("id")?),
        profile_id: ProfileId(row.int("profile_id")?),
        network_id: row.opt_text("network_id")?,
        kind: word(row, "kind")?,
        author: word(row, "author")?,
        customer_id: row.opt_int("customer_id")?.map(CustomerId),
        sent_by: row.opt_int("sent_by")?.map(UserId),
        conversation_id: row.opt_int("conversation_id")?.map(ConversationId),
        parent_id: row.opt_int("parent_id")?.map(MessageId),
        parent_network_id: row.opt_text("parent_network_id")?,
        text: row.text("text")?,
        attachments: json(row, "attachments")?,
        created_at: ts(row, "created_at")?,
        received_at: ts(row, "received_at")?,
        edited_at: opt_ts(row, "edited_at")?,
        hidden: row.flag("hidden")?,
        standby: row.flag("standby")?,
        deleted: row.flag("deleted")?,
        visible_only_to_customer: row.flag("visible_only_to_customer")?,
        delivery: row
            .opt_text("delivery")?
            .map(|w| parse_word(&w, "delivery"))
            .transpose()?,
        error: row.opt_text("error")?,
    })
}

/// A community item.
pub fn dm_thread_item(row: &dyn Columns) -> Result<(CommunityItem, Timestamp)> {
    Ok((community_item(row)?, ts(row, "shown_at")?))
}

/// A community item.
pub fn community_item(row: &dyn Columns) -> Result<CommunityItem> {
    Ok(CommunityItem {
        id: CommunityItemId(row.int("id")?),
        profile_id: ProfileId(row.int("profile_id")?),
        customer_id: CustomerId(row.int("customer_id")?),
        kind: word(row, "kind")?,
        message_id: MessageId(row.int("message_id")?),
        conversation_id: ConversationId(row.int("conversation_id")?),
        status: word(row, "status")?,
        labels: json(row, "labels")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
        customer_last_case_spam: row.flag("customer_last_case_spam")?,
    })
}

/// A case.
pub fn case(row: &dyn Columns) -> Result<Case> {
    Ok(Case {
        id: CaseId(row.int("id")?),
        number: row.int("number")?,
        customer_id: CustomerId(row.int("customer_id")?),
        profile_id: ProfileId(row.int("profile_id")?),
        status: word(row, "status")?,
        assignee_id: row.opt_int("assignee_id")?.map(UserId),
        priority: priority_from_rank(row.int("priority_rank")?)?,
        sentiment: word(row, "sentiment")?,
        fields: json(row, "fields")?,
        note: row.text("note")?,
        escalated_by: UserId(row.int("escalated_by")?),
        escalated_from: MessageId(row.int("escalated_from")?),
        created_at: ts(row, "created_at")?,
        last_customer_message_at: opt_ts(row, "last_customer_message_at")?,
        grace_until: opt_ts(row, "grace_until")?,
        holds_active_slot: row.flag("holds_active_slot")?,
        previous_case_id: row.opt_int("previous_case_id")?.map(CaseId),
        version: row.int("version")?,
        deleted: row.flag("deleted")?,
    })
}

/// A case-field definition.
pub fn case_field(row: &dyn Columns) -> Result<CaseField> {
    Ok(CaseField {
        id: CaseFieldId(row.int("id")?),
        name: row.text("name")?,
        kind: word(row, "kind")?,
        options: json(row, "options")?,
        mandatory: row.flag("mandatory")?,
        enabled: row.flag("enabled")?,
        position: row.int("position")?,
    })
}

/// An event of the log.
pub fn event(row: &dyn Columns) -> Result<StoredEvent> {
    Ok(StoredEvent {
        id: EventId(row.int("id")?),
        event: Event {
            case_id: row.opt_int("case_id")?.map(CaseId),
            actor: row.opt_int("actor_id")?.map(UserId),
            at: ts(row, "at")?,
            kind: json(row, "data")?,
        },
    })
}

/// A sign-in session (revoked when `revoked_at` is set).
pub fn session(row: &dyn Columns) -> Result<StoredSession> {
    Ok(StoredSession {
        id: row.int("id")?,
        user_id: UserId(row.int("user_id")?),
        csrf_token: row.text("csrf_token")?,
        created_at: ts(row, "created_at")?,
        last_seen_at: ts(row, "last_seen_at")?,
        revoked: row.opt_int("revoked_at")?.is_some(),
    })
}

/// A media row.
pub fn media(row: &dyn Columns) -> Result<caredesk_domain::media::Media> {
    let message = match row.opt_int("message_id")? {
        Some(id) => Some((
            MessageId(id),
            u32::try_from(row.int("position")?).unwrap_or(0),
        )),
        None => None,
    };
    Ok(caredesk_domain::media::Media {
        id: MediaId(row.int("id")?),
        message,
        customer_id: row.opt_int("customer_id")?.map(CustomerId),
        profile_id: row.opt_int("profile_id")?.map(ProfileId),
        uploaded_by: row.opt_int("uploaded_by")?.map(UserId),
        network: row
            .opt_text("network")?
            .map(|n| parse_word(&n, "network"))
            .transpose()?,
        kind: AttachmentKind::from_stored(&row.text("kind")?),
        network_url: row.opt_text("network_url")?,
        mime: row.opt_text("mime")?,
        size: row.opt_int("size")?,
        filename: row.opt_text("filename")?,
        object_key: row.opt_text("object_key")?,
        state: word(row, "state")?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        due_at: opt_ts(row, "due_at")?,
        error: row.opt_text("error")?,
        created_at: ts(row, "created_at")?,
    })
}

/// A mention waiting to be looked up.
pub fn mention_lookup(row: &dyn Columns) -> Result<caredesk_domain::mention::MentionLookup> {
    Ok(caredesk_domain::mention::MentionLookup {
        id: row.int("id")?,
        profile_id: ProfileId(row.int("profile_id")?),
        post_id: row.text("post_id")?,
        comment_id: Some(row.text("comment_id")?).filter(|c| !c.is_empty()),
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        due_at: opt_ts(row, "due_at")?,
        error: row.opt_text("error")?,
    })
}

/// A reply's outbox row.
pub fn outbox_entry(row: &dyn Columns) -> Result<OutboxEntry> {
    Ok(OutboxEntry {
        message_id: MessageId(row.int("message_id")?),
        channel: json(row, "channel")?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: ts(row, "next_attempt_at")?,
        sending_since: opt_ts(row, "sending_since")?,
    })
}

/// A profile's health signals (the profile's columns plus the outbox counts).
pub fn profile_signals(row: &dyn Columns) -> Result<ProfileSignals> {
    Ok(ProfileSignals {
        profile_id: ProfileId(row.int("id")?),
        token_rejected_at: opt_ts(row, "token_rejected_at")?,
        token_error: row.opt_text("token_error")?,
        last_webhook_at: opt_ts(row, "last_webhook_at")?,
        replies_waiting: row.int("replies_waiting")?,
        oldest_waiting_since: opt_ts(row, "oldest_waiting_since")?,
        replies_stuck: row.int("replies_stuck")?,
    })
}
