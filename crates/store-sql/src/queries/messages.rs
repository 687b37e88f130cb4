//! Customers, conversations, messages and community items.

use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};
use caredesk_store::StoreError;

use super::Result;
use crate::{Conn, Sql};

pub(crate) async fn customer(conn: &mut Conn<'_>, id: CustomerId) -> Result<Option<Customer>> {
    Sql::new("SELECT * FROM customers WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::customer)
        .await
}

pub(crate) async fn customer_by_network_id(
    conn: &mut Conn<'_>,
    network: Network,
    user_id: &str,
) -> Result<Option<Customer>> {
    Sql::new("SELECT * FROM customers WHERE network = $1 AND network_user_id = $2")
        .bind(network.as_str())
        .bind(user_id)
        .optional(conn, rows::customer)
        .await
}

pub(crate) async fn insert_customer(
    conn: &mut Conn<'_>,
    network: Network,
    user_id: &str,
    d: &CustomerDetails,
) -> Result<Customer> {
    Sql::new(
        "INSERT INTO customers (network, network_user_id, display_name, handle, avatar_url, \
         email, phone, address, notes, attributes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (network, network_user_id) DO NOTHING",
    )
    .bind(network.as_str())
    .bind(user_id)
    .bind(&d.display_name)
    .bind(&d.handle)
    .bind(&d.avatar_url)
    .bind(&d.email)
    .bind(&d.phone)
    .bind(&d.address)
    .bind(&d.notes)
    .bind(to_json(&d.attributes)?)
    .execute(conn)
    .await?;
    customer_by_network_id(conn, network, user_id)
        .await?
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn fill_customer_names(
    conn: &mut Conn<'_>,
    id: CustomerId,
    display_name: &str,
    handle: &str,
) -> Result<()> {
    Sql::new(
        "UPDATE customers SET \
         display_name = CASE WHEN display_name = '' THEN $1 ELSE display_name END, \
         handle = CASE WHEN handle = '' THEN $2 ELSE handle END \
         WHERE id = $3 AND (display_name = '' OR handle = '')",
    )
    .bind(display_name)
    .bind(handle)
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn update_customer(conn: &mut Conn<'_>, c: &Customer) -> Result<()> {
    let d = &c.details;
    let salesforce = c.salesforce.as_ref().map(to_json).transpose()?;
    Sql::new(
        "UPDATE customers SET display_name = $1, handle = $2, avatar_url = $3, email = $4, \
         phone = $5, address = $6, notes = $7, attributes = $8, salesforce = $9, \
         agent_edited = $10 WHERE id = $11",
    )
    .bind(&d.display_name)
    .bind(&d.handle)
    .bind(&d.avatar_url)
    .bind(&d.email)
    .bind(&d.phone)
    .bind(&d.address)
    .bind(&d.notes)
    .bind(to_json(&d.attributes)?)
    .bind(salesforce)
    .bind(to_json(&c.agent_edited)?)
    .bind(c.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn conversation_for(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    customer: CustomerId,
    kind: ConversationKind,
    root: &str,
) -> Result<Conversation> {
    // One statement when the conversation is new; a second reads the existing one.
    let created = Sql::new(
        "INSERT INTO conversations (profile_id, customer_id, kind, root_network_id) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (profile_id, customer_id, kind, root_network_id) DO NOTHING RETURNING *",
    )
    .bind(profile.0)
    .bind(customer.0)
    .bind(kind.as_str())
    .bind(root)
    .optional(conn, rows::conversation)
    .await?;
    if let Some(created) = created {
        return Ok(created);
    }
    Sql::new(
        "SELECT * FROM conversations WHERE profile_id = $1 AND customer_id = $2 AND kind = $3 \
         AND root_network_id = $4",
    )
    .bind(profile.0)
    .bind(customer.0)
    .bind(kind.as_str())
    .bind(root)
    .one(conn, rows::conversation)
    .await
}

pub(crate) async fn conversation(
    conn: &mut Conn<'_>,
    id: ConversationId,
) -> Result<Option<Conversation>> {
    Sql::new("SELECT * FROM conversations WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::conversation)
        .await
}

/// The columns a message is read from (`rows::message`), each after `alias` (`"m."`, or `""`
/// for none). Never `*`: on PostgreSQL a message row also keeps its search words, which only
/// the search index reads and which would double what every read of messages carries.
pub fn message_columns(alias: &str) -> String {
    const COLUMNS: [&str; 21] = [
        "id",
        "profile_id",
        "network_id",
        "kind",
        "author",
        "customer_id",
        "sent_by",
        "conversation_id",
        "parent_id",
        "parent_network_id",
        "text",
        "attachments",
        "created_at",
        "received_at",
        "edited_at",
        "hidden",
        "standby",
        "deleted",
        "visible_only_to_customer",
        "delivery",
        "error",
    ];
    COLUMNS
        .iter()
        .map(|c| format!("{alias}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn message(conn: &mut Conn<'_>, id: MessageId) -> Result<Option<Message>> {
    Sql::new(format!(
        "SELECT {} FROM messages WHERE id = $1",
        message_columns("")
    ))
    .bind(id.0)
    .optional(conn, rows::message)
    .await
}

pub(crate) async fn messages(conn: &mut Conn<'_>, ids: &[MessageId]) -> Result<Vec<Message>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ids.iter().map(|m| m.0).collect();
    let among = conn.dialect().any_of("id", 1);
    Sql::new(format!(
        "SELECT {} FROM messages WHERE {among}",
        message_columns("")
    ))
    .bind(ids)
    .all(conn, rows::message)
    .await
}

pub(crate) async fn message_by_network_id(
    conn: &mut Conn<'_>,
    profile: ProfileId,
    network_id: &str,
) -> Result<Option<Message>> {
    Sql::new(format!(
        "SELECT {} FROM messages WHERE profile_id = $1 AND network_id = $2",
        message_columns("")
    ))
    .bind(profile.0)
    .bind(network_id)
    .optional(conn, rows::message)
    .await
}

/// The columns of a new message ([`NewMessage`]), in the order [`bind_new_message`] binds them.
/// The others start as the schema's defaults: never edited, deleted or failed.
macro_rules! new_message_columns {
    () => {
        "profile_id, network_id, kind, author, customer_id, sent_by, conversation_id, \
         parent_id, parent_network_id, text, attachments, created_at, received_at, hidden, \
         visible_only_to_customer, delivery, standby"
    };
}

/// The columns of a message but its id, in the order [`bind_message`] binds them.
pub(crate) const MESSAGE_COLUMNS: &str =
    concat!(new_message_columns!(), ", edited_at, deleted, error");

/// Binds the columns a message and a new message share, from either (their fields have the same
/// names and types).
macro_rules! bind_written {
    ($statement:expr, $m:expr) => {
        $statement
            .bind($m.profile_id.0)
            .bind(&$m.network_id)
            .bind($m.kind.as_str())
            .bind($m.author.as_str())
            .bind($m.customer_id.map(|c| c.0))
            .bind($m.sent_by.map(|u| u.0))
            .bind($m.conversation_id.map(|c| c.0))
            .bind($m.parent_id.map(|p| p.0))
            .bind(&$m.parent_network_id)
            .bind(&$m.text)
            .bind(to_json(&$m.attachments)?)
            .bind($m.created_at.0)
            .bind($m.received_at.0)
            .bind($m.hidden)
            .bind($m.visible_only_to_customer)
            .bind($m.delivery.map(|d| d.as_str()))
            .bind($m.standby)
    };
}

/// Binds the values of [`MESSAGE_COLUMNS`].
pub(crate) fn bind_message<'a>(statement: Sql<'a>, m: &'a Message) -> Result<Sql<'a>> {
    Ok(bind_written!(statement, m)
        .bind(m.edited_at.map(|t| t.0))
        .bind(m.deleted)
        .bind(&m.error))
}

/// Binds the values of the columns of a new message.
fn bind_new_message<'a>(statement: Sql<'a>, m: &'a NewMessage) -> Result<Sql<'a>> {
    Ok(bind_written!(statement, m))
}

pub(crate) async fn insert_message(conn: &mut Conn<'_>, m: &NewMessage) -> Result<Message> {
    let insert = Sql::new(concat!(
        "INSERT INTO messages (",
        new_message_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         RETURNING id"
    ));
    let id: i64 = bind_new_message(insert, m)?.scalar(conn).await?;
    Ok(m.clone().stored_as(MessageId(id)))
}

pub(crate) async fn update_message(conn: &mut Conn<'_>, m: &Message) -> Result<()> {
    Sql::new(
        "UPDATE messages SET network_id = $1, text = $2, edited_at = $3, hidden = $4, \
         deleted = $5, visible_only_to_customer = $6, delivery = $7, error = $8 WHERE id = $9",
    )
    .bind(&m.network_id)
    .bind(&m.text)
    .bind(m.edited_at.map(|t| t.0))
    .bind(m.hidden)
    .bind(m.deleted)
    .bind(m.visible_only_to_customer)
    .bind(m.delivery.map(|d| d.as_str()))
    .bind(&m.error)
    .bind(m.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn last_customer_message(
    conn: &mut Conn<'_>,
    conversation: ConversationId,
) -> Result<Option<Message>> {
    Sql::new(format!(
        "SELECT {} FROM messages WHERE conversation_id = $1 AND author = 'customer' \
         ORDER BY created_at DESC, id DESC LIMIT 1",
        message_columns("")
    ))
    .bind(conversation.0)
    .optional(conn, rows::message)
    .await
}

pub(crate) async fn private_reply_exists(conn: &mut Conn<'_>, target: MessageId) -> Result<bool> {
    let n: i64 = Sql::new(
        "SELECT COUNT(*) FROM messages m \
         WHERE m.parent_id = $1 AND m.author = 'brand' AND m.kind = 'direct' \
         AND m.sent_by IS NOT NULL AND m.delivery NOT IN ('cancelled', 'failed')",
    )
    .bind(target.0)
    .scalar(conn)
    .await?;
    Ok(n > 0)
}

pub(crate) async fn community_item(
    conn: &mut Conn<'_>,
    id: CommunityItemId,
) -> Result<Option<CommunityItem>> {
    Sql::new("SELECT * FROM community_items WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::community_item)
        .await
}

pub(crate) async fn dm_thread_item(
    conn: &mut Conn<'_>,
    conversation: ConversationId,
) -> Result<Option<CommunityItem>> {
    Sql::new("SELECT * FROM community_items WHERE conversation_id = $1 AND kind = 'dm_thread'")
        .bind(conversation.0)
        .optional(conn, rows::community_item)
        .await
}

pub(crate) async fn update_community_item(conn: &mut Conn<'_>, i: &CommunityItem) -> Result<()> {
    Sql::new(
        "UPDATE community_items SET message_id = $1, status = $2, labels = $3, updated_at = $4, \
         customer_last_case_spam = $5 WHERE id = $6",
    )
    .bind(i.message_id.0)
    .bind(i.status.as_str())
    .bind(to_json(&i.labels)?)
    .bind(i.updated_at.0)
    .bind(i.customer_last_case_spam)
    .bind(i.id.0)
    .execute(conn)
    .await?;
    Ok(())
}
