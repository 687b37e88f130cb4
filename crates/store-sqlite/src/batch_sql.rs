//! The batch statements of ingest on SQLite: each binds its keys or rows as one JSON array read
//! with `json_each`, so a batch of any size is one statement (case states two); an empty batch
//! runs none.

use std::borrow::Cow;

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::rows::to_json;
use caredesk_store::StoreError;
use caredesk_store_sql::{BatchSql, NewCustomer, Sql};
use serde_json::{json, Value};

use crate::Sqlite;

type Result<T> = std::result::Result<T, StoreError>;

/// `sql` with the JSON array `rows` as its one parameter; none without rows.
fn with_rows(sql: impl Into<Cow<'static, str>>, rows: Vec<Value>) -> Option<Sql<'static>> {
    if rows.is_empty() {
        return None;
    }
    Some(Sql::new(sql).bind(Value::Array(rows).to_string()))
}

/// `json_extract(k.value, '$[0]'), …` for the first `n` elements of each row.
fn elements(n: usize) -> String {
    (0..n)
        .map(|i| format!("json_extract(k.value, '$[{i}]')"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Conversation keys as `json_each` rows: profile, customer, kind, root network id.
fn conversation_key_rows(keys: &[ConversationKey]) -> Vec<Value> {
    keys.iter()
        .map(|k| {
            json!([
                k.profile.0,
                k.customer.0,
                k.kind.as_str(),
                k.root_network_id
            ])
        })
        .collect()
}

/// The columns of a case other than the time of the customer's last message and the version
/// hold the values of the row `k` of `json_each`.
const OTHER_STATE_UNCHANGED: &str = "cases.status = json_extract(k.value, '$[1]') \
     AND cases.assignee_id IS json_extract(k.value, '$[2]') \
     AND cases.priority_rank = json_extract(k.value, '$[3]') \
     AND cases.sentiment = json_extract(k.value, '$[4]') \
     AND cases.grace_until IS json_extract(k.value, '$[6]') \
     AND cases.holds_active_slot = json_extract(k.value, '$[7]') \
     AND cases.deleted = json_extract(k.value, '$[9]')";

impl BatchSql for Sqlite {
    fn customers_by_network_ids<'a>(&self, keys: &'a [(Network, String)]) -> Option<Sql<'a>> {
        let keys = keys.iter().map(|(n, u)| json!([n.as_str(), u])).collect();
        let sql = "SELECT c.* FROM json_each($1) k JOIN customers c \
                   ON c.network = json_extract(k.value, '$[0]') \
                   AND c.network_user_id = json_extract(k.value, '$[1]')";
        with_rows(sql, keys)
    }

    fn messages_by_network_ids<'a>(&self, keys: &'a [(ProfileId, String)]) -> Option<Sql<'a>> {
        let keys = keys.iter().map(|(p, id)| json!([p.0, id])).collect();
        let sql = "SELECT m.* FROM json_each($1) k JOIN messages m \
                   ON m.profile_id = json_extract(k.value, '$[0]') \
                   AND m.network_id = json_extract(k.value, '$[1]')";
        with_rows(sql, keys)
    }

    fn conversations_by_keys<'a>(&self, keys: &'a [ConversationKey]) -> Option<Sql<'a>> {
        let sql = "SELECT c.* FROM json_each($1) k JOIN conversations c \
                   ON c.profile_id = json_extract(k.value, '$[0]') \
                   AND c.customer_id = json_extract(k.value, '$[1]') \
                   AND c.kind = json_extract(k.value, '$[2]') \
                   AND c.root_network_id = json_extract(k.value, '$[3]')";
        with_rows(sql, conversation_key_rows(keys))
    }

    fn dm_thread_items<'a>(&self, conversations: &'a [ConversationId]) -> Option<Sql<'a>> {
        let keys = conversations.iter().map(|c| json!(c.0)).collect();
        let sql = "SELECT i.*, m.created_at AS shown_at FROM json_each($1) k \
                   JOIN community_items i ON i.conversation_id = k.value AND i.kind = 'dm_thread' \
                   JOIN messages m ON m.id = i.message_id";
        with_rows(sql, keys)
    }

    fn active_cases_of<'a>(&self, customers: &'a [CustomerId]) -> Option<Sql<'a>> {
        let keys = customers.iter().map(|c| json!(c.0)).collect();
        let sql = "SELECT c.* FROM json_each($1) k JOIN cases c \
                   ON c.customer_id = k.value AND c.holds_active_slot = 1";
        with_rows(sql, keys)
    }

    fn newest_cases_of<'a>(&self, keys: &'a [(CustomerId, ProfileId)]) -> Option<Sql<'a>> {
        let keys = keys.iter().map(|(c, p)| json!([c.0, p.0])).collect();
        let sql = "SELECT c.* FROM json_each($1) k JOIN cases c ON c.id = ( \
                   SELECT n.id FROM cases n WHERE n.customer_id = json_extract(k.value, '$[0]') \
                   AND n.profile_id = json_extract(k.value, '$[1]') AND n.deleted = FALSE \
                   ORDER BY n.created_at DESC, n.id DESC LIMIT 1)";
        with_rows(sql, keys)
    }

    fn create_customers<'a>(&self, new: &'a [NewCustomer]) -> Result<Option<Sql<'a>>> {
        let rows = new
            .iter()
            .map(|(network, user, d, lookup)| {
                Ok(json!([
                    network.as_str(),
                    user,
                    d.display_name,
                    d.handle,
                    d.avatar_url,
                    d.email,
                    d.phone,
                    d.address,
                    d.notes,
                    to_json(&d.attributes)?,
                    lookup.map(|(_, due)| due.0),
                    lookup.map(|(profile, _)| profile.0),
                ]))
            })
            .collect::<Result<Vec<_>>>()?;
        // `WHERE true` tells SQLite the ON CONFLICT belongs to the INSERT, not to a join.
        let sql = format!(
            "INSERT INTO customers (network, network_user_id, display_name, handle, avatar_url, \
             email, phone, address, notes, attributes, lookup_due_at, lookup_profile_id) \
             SELECT {} FROM json_each($1) k WHERE true \
             ON CONFLICT (network, network_user_id) DO NOTHING RETURNING *",
            elements(12)
        );
        Ok(with_rows(sql, rows))
    }

    fn create_conversations<'a>(&self, keys: &'a [ConversationKey]) -> Result<Option<Sql<'a>>> {
        let sql = format!(
            "INSERT INTO conversations (profile_id, customer_id, kind, root_network_id) \
             SELECT {} FROM json_each($1) k WHERE true \
             ON CONFLICT (profile_id, customer_id, kind, root_network_id) DO NOTHING RETURNING *",
            elements(4)
        );
        Ok(with_rows(sql, conversation_key_rows(keys)))
    }

    fn insert_messages<'a>(&self, messages: &'a [Message]) -> Result<Vec<Sql<'a>>> {
        let rows = messages
            .iter()
            .map(|m| {
                Ok(json!([
                    m.id.0,
                    m.profile_id.0,
                    m.network_id,
                    m.kind.as_str(),
                    m.author.as_str(),
                    m.customer_id.map(|c| c.0),
                    m.sent_by.map(|u| u.0),
                    m.conversation_id.map(|c| c.0),
                    m.parent_id.map(|p| p.0),
                    m.parent_network_id,
                    m.text,
                    to_json(&m.attachments)?,
                    m.created_at.0,
                    m.received_at.0,
                    m.edited_at.map(|t| t.0),
                    m.hidden,
                    m.deleted,
                    m.visible_only_to_customer,
                    m.delivery.map(|d| d.as_str()),
                    m.error,
                    m.standby,
                ]))
            })
            .collect::<Result<Vec<_>>>()?;
        let sql = format!(
            "INSERT INTO messages (id, profile_id, network_id, kind, author, customer_id, \
             sent_by, conversation_id, parent_id, parent_network_id, text, attachments, \
             created_at, received_at, edited_at, hidden, deleted, visible_only_to_customer, \
             delivery, error, standby) SELECT {} FROM json_each($1) k ORDER BY k.key",
            elements(21)
        );
        Ok(with_rows(sql, rows).into_iter().collect())
    }

    fn insert_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>> {
        let rows = items
            .iter()
            .map(|i| {
                Ok(json!([
                    i.id.0,
                    i.profile_id.0,
                    i.customer_id.0,
                    i.kind.as_str(),
                    i.message_id.0,
                    i.conversation_id.0,
                    i.status.as_str(),
                    to_json(&i.labels)?,
                    i.created_at.0,
                    i.updated_at.0,
                    i.customer_last_case_spam,
                ]))
            })
            .collect::<Result<Vec<_>>>()?;
        let sql = format!(
            "INSERT INTO community_items (id, profile_id, customer_id, kind, message_id, \
             conversation_id, status, labels, created_at, updated_at, customer_last_case_spam) \
             SELECT {} FROM json_each($1) k ORDER BY k.key",
            elements(11)
        );
        Ok(with_rows(sql, rows).into_iter().collect())
    }

    fn update_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>> {
        let rows = items
            .iter()
            .map(|i| {
                Ok(json!([
                    i.id.0,
                    i.message_id.0,
                    i.status.as_str(),
                    to_json(&i.labels)?,
                    i.updated_at.0,
                    i.customer_last_case_spam,
                ]))
            })
            .collect::<Result<Vec<_>>>()?;
        let sql = "UPDATE community_items SET message_id = json_extract(k.value, '$[1]'), \
                   status = json_extract(k.value, '$[2]'), labels = json_extract(k.value, '$[3]'), \
                   updated_at = json_extract(k.value, '$[4]'), \
                   customer_last_case_spam = json_extract(k.value, '$[5]') \
                   FROM json_each($1) k WHERE community_items.id = json_extract(k.value, '$[0]')";
        Ok(with_rows(sql, rows).into_iter().collect())
    }

    /// Two statements. SQLite rewrites the entries of every index that holds a column a
    /// statement assigns, whether its value changed or not, and most changes move only the
    /// time of the customer's last message and the version (a message joining its case): the
    /// first statement assigns only those, to the cases whose other columns keep their values;
    /// the second assigns everything, to the others.
    fn update_case_states<'a>(&self, cases: &'a [&'a Case]) -> Result<Vec<Sql<'a>>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Value> = cases
            .iter()
            .map(|c| {
                json!([
                    c.id.0,
                    c.status.as_str(),
                    c.assignee_id.map(|u| u.0),
                    c.priority.rank(),
                    c.sentiment.as_str(),
                    c.last_customer_message_at.unwrap_or(c.created_at).0,
                    c.grace_until.map(|t| t.0),
                    c.holds_active_slot,
                    c.version,
                    c.deleted,
                ])
            })
            .collect();
        let json = Value::Array(rows).to_string();
        let narrow = format!(
            "UPDATE cases SET last_customer_message_at = json_extract(k.value, '$[5]'), \
             version = json_extract(k.value, '$[8]') \
             FROM json_each($1) k WHERE cases.id = json_extract(k.value, '$[0]') \
             AND {OTHER_STATE_UNCHANGED}"
        );
        let whole = format!(
            "UPDATE cases SET status = json_extract(k.value, '$[1]'), \
             assignee_id = json_extract(k.value, '$[2]'), \
             priority_rank = json_extract(k.value, '$[3]'), \
             sentiment = json_extract(k.value, '$[4]'), \
             last_customer_message_at = json_extract(k.value, '$[5]'), \
             grace_until = json_extract(k.value, '$[6]'), \
             holds_active_slot = json_extract(k.value, '$[7]'), \
             version = json_extract(k.value, '$[8]'), deleted = json_extract(k.value, '$[9]') \
             FROM json_each($1) k WHERE cases.id = json_extract(k.value, '$[0]') \
             AND NOT ({OTHER_STATE_UNCHANGED})"
        );
        Ok(vec![
            Sql::new(narrow).bind(json.clone()),
            Sql::new(whole).bind(json),
        ])
    }

    fn add_case_messages<'a>(&self, pairs: &'a [(CaseId, MessageId)]) -> Result<Vec<Sql<'a>>> {
        let rows = pairs.iter().map(|(c, m)| json!([c.0, m.0])).collect();
        let sql = "INSERT OR IGNORE INTO case_messages (case_id, message_id, created_at, direct) \
                   SELECT json_extract(k.value, '$[0]'), m.id, m.created_at, m.kind = 'direct' \
                   FROM json_each($1) k JOIN messages m ON m.id = json_extract(k.value, '$[1]') \
                   ORDER BY k.key";
        Ok(with_rows(sql, rows).into_iter().collect())
    }
}
