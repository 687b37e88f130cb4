//! Decoding rows into domain values. A value that does not decode is `Corrupt`, never skipped.

use std::str::FromStr;

use caredesk_domain::*;
use caredesk_store::StoreError;
use serde::de::DeserializeOwned;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use crate::map_error;

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

pub(crate) fn get<'r, T>(row: &'r SqliteRow, column: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(column).map_err(map_error)
}

pub(crate) fn word<T: FromStr>(row: &SqliteRow, column: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = get(row, column)?;
    text.parse()
        .map_err(|e: T::Err| StoreError::Corrupt(format!("{column}: {e}")))
}

pub(crate) fn json<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("cannot encode JSON: {e}")))
}

fn ts(row: &SqliteRow, column: &str) -> Result<Timestamp> {
    get::<i64>(row, column).map(Timestamp)
}

fn opt_ts(row: &SqliteRow, column: &str) -> Result<Option<Timestamp>> {
    Ok(get::<Option<i64>>(row, column)?.map(Timestamp))
}

pub(crate) fn priority_from_rank(rank: i64) -> Result<Priority> {
    Priority::ALL
        .iter()
        .copied()
        .find(|p| p.rank() == rank)
        .ok_or_else(|| StoreError::Corrupt(format!("priority rank {rank}")))
}

pub(crate) fn user(row: &SqliteRow, profile_ids: Vec<ProfileId>) -> Result<User> {
    Ok(User {
        id: UserId(get(row, "id")?),
        email: get(row, "email")?,
        name: get(row, "name")?,
        role: word(row, "role")?,
        care_access: word(row, "care_access")?,
        capacity: get::<i64>(row, "capacity")?.try_into().unwrap_or(0),
        active: get(row, "active")?,
        profile_ids: profile_ids.into_iter().collect(),
    })
}

pub(crate) fn network_app(row: &SqliteRow) -> Result<NetworkApp> {
    Ok(NetworkApp {
        id: NetworkAppId(get(row, "id")?),
        network: word(row, "network")?,
        name: get(row, "name")?,
        app_secret: get(row, "app_secret")?,
        verify_token: get(row, "verify_token")?,
        consumer_key: get(row, "consumer_key")?,
    })
}

pub(crate) fn profile(row: &SqliteRow) -> Result<Profile> {
    Ok(Profile {
        id: ProfileId(get(row, "id")?),
        network: word(row, "network")?,
        external_id: get(row, "external_id")?,
        name: get(row, "name")?,
        app_id: NetworkAppId(get(row, "app_id")?),
        access_token: get(row, "access_token")?,
        token_secret: get(row, "token_secret")?,
    })
}

pub(crate) fn customer(row: &SqliteRow) -> Result<Customer> {
    let salesforce: Option<String> = get(row, "salesforce")?;
    Ok(Customer {
        id: CustomerId(get(row, "id")?),
        network: word(row, "network")?,
        network_user_id: get(row, "network_user_id")?,
        details: CustomerDetails {
            display_name: get(row, "display_name")?,
            handle: get(row, "handle")?,
            avatar_url: get(row, "avatar_url")?,
            email: get(row, "email")?,
            phone: get(row, "phone")?,
            address: get(row, "address")?,
            notes: get(row, "notes")?,
            attributes: json(row, "attributes")?,
        },
        salesforce: match salesforce {
            Some(text) => {
                Some(serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            }
            None => None,
        },
    })
}

pub(crate) fn conversation(row: &SqliteRow) -> Result<Conversation> {
    Ok(Conversation {
        id: ConversationId(get(row, "id")?),
        profile_id: ProfileId(get(row, "profile_id")?),
        customer_id: CustomerId(get(row, "customer_id")?),
        kind: word(row, "kind")?,
        root_network_id: get(row, "root_network_id")?,
    })
}

pub(crate) fn message(row: &SqliteRow) -> Result<Message> {
    let delivery: Option<String> = get(row, "delivery")?;
    Ok(Message {
        id: MessageId(get(row, "id")?),
        profile_id: ProfileId(get(row, "profile_id")?),
        network_id: get(row, "network_id")?,
        kind: word(row, "kind")?,
        author: word(row, "author")?,
        customer_id: get::<Option<i64>>(row, "customer_id")?.map(CustomerId),
        sent_by: get::<Option<i64>>(row, "sent_by")?.map(UserId),
        conversation_id: get::<Option<i64>>(row, "conversation_id")?.map(ConversationId),
        parent_id: get::<Option<i64>>(row, "parent_id")?.map(MessageId),
        parent_network_id: get(row, "parent_network_id")?,
        text: get(row, "text")?,
        attachments: json(row, "attachments")?,
        created_at: ts(row, "created_at")?,
        received_at: ts(row, "received_at")?,
        edited_at: opt_ts(row, "edited_at")?,
        hidden: get(row, "hidden")?,
        deleted: get(row, "deleted")?,
        visible_only_to_customer: get(row, "visible_only_to_customer")?,
        delivery: match delivery {
            Some(w) => Some(
                w.parse()
                    .map_err(|e: refusal::UnknownWord| StoreError::Corrupt(e.to_string()))?,
            ),
            None => None,
        },
        error: get(row, "error")?,
    })
}

pub(crate) fn community_item(row: &SqliteRow) -> Result<CommunityItem> {
    Ok(CommunityItem {
        id: CommunityItemId(get(row, "id")?),
        profile_id: ProfileId(get(row, "profile_id")?),
        customer_id: CustomerId(get(row, "customer_id")?),
        kind: word(row, "kind")?,
        message_id: MessageId(get(row, "message_id")?),
        conversation_id: ConversationId(get(row, "conversation_id")?),
        status: word(row, "status")?,
        labels: json(row, "labels")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
        customer_last_case_spam: get(row, "customer_last_case_spam")?,
    })
}

pub(crate) fn case(row: &SqliteRow) -> Result<Case> {
    Ok(Case {
        id: CaseId(get(row, "id")?),
        number: get(row, "number")?,
        customer_id: CustomerId(get(row, "customer_id")?),
        profile_id: ProfileId(get(row, "profile_id")?),
        status: word(row, "status")?,
        assignee_id: get::<Option<i64>>(row, "assignee_id")?.map(UserId),
        priority: priority_from_rank(get(row, "priority_rank")?)?,
        sentiment: word(row, "sentiment")?,
        fields: json(row, "fields")?,
        note: get(row, "note")?,
        escalated_by: UserId(get(row, "escalated_by")?),
        escalated_from: MessageId(get(row, "escalated_from")?),
        created_at: ts(row, "created_at")?,
        last_customer_message_at: opt_ts(row, "last_customer_message_at")?,
        grace_until: opt_ts(row, "grace_until")?,
        holds_active_slot: get(row, "holds_active_slot")?,
        previous_case_id: get::<Option<i64>>(row, "previous_case_id")?.map(CaseId),
        version: get(row, "version")?,
        deleted: get(row, "deleted")?,
    })
}

pub(crate) fn case_field(row: &SqliteRow) -> Result<CaseField> {
    Ok(CaseField {
        id: CaseFieldId(get(row, "id")?),
        name: get(row, "name")?,
        kind: word(row, "kind")?,
        options: json(row, "options")?,
        mandatory: get(row, "mandatory")?,
        enabled: get(row, "enabled")?,
        position: get(row, "position")?,
    })
}

pub(crate) fn event(row: &SqliteRow) -> Result<caredesk_store::StoredEvent> {
    Ok(caredesk_store::StoredEvent {
        id: EventId(get(row, "id")?),
        event: Event {
            case_id: get::<Option<i64>>(row, "case_id")?.map(CaseId),
            actor: get::<Option<i64>>(row, "actor_id")?.map(UserId),
            at: ts(row, "at")?,
            kind: json(row, "data")?,
        },
    })
}
