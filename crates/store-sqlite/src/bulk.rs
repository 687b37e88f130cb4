//! [`BulkLoad`] on SQLite: multi-row `INSERT`s in one `BEGIN IMMEDIATE` transaction on the
//! writer connection, as durable as any other unit of work. `INTEGER PRIMARY KEY` ids and case
//! numbers (`MAX + 1`) carry on from the loaded rows by themselves.

use async_trait::async_trait;
use caredesk_store::bulk::{BulkLoad, BulkRows, LastIds};
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::rows::{to_json, Result};
use crate::{map_error, SqliteStore};

/// SQLite accepts up to 32,766 parameters in one statement.
const MAX_PARAMETERS: usize = 32_000;

/// Inserts `rows` with one statement per chunk that fits the parameter limit.
async fn insert<'r, T: 'r>(
    conn: &mut SqliteConnection,
    head: &str,
    columns: usize,
    rows: impl IntoIterator<Item = T>,
    mut bind: impl FnMut(&mut Separated<'_, 'r, Sqlite, &'static str>, T),
) -> Result<()> {
    let per_statement = (MAX_PARAMETERS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk = rows.by_ref().take(per_statement);
        let mut builder: QueryBuilder<'r, Sqlite> = QueryBuilder::new(head);
        builder.push_values(chunk, |mut b, row| bind(&mut b, row));
        builder
            .build()
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

async fn load_rows(conn: &mut SqliteConnection, r: &BulkRows) -> Result<()> {
    let attributes = r
        .customers
        .iter()
        .map(|c| to_json(&c.details.attributes))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO customers (id, network, network_user_id, display_name, handle, avatar_url, \
         email, phone, address, notes, attributes) ",
        11,
        r.customers.iter().zip(&attributes),
        |b, (c, attributes)| {
            let d = &c.details;
            b.push_bind(c.id.0)
                .push_bind(c.network.as_str())
                .push_bind(&c.network_user_id)
                .push_bind(&d.display_name)
                .push_bind(&d.handle)
                .push_bind(&d.avatar_url)
                .push_bind(&d.email)
                .push_bind(&d.phone)
                .push_bind(&d.address)
                .push_bind(&d.notes)
                .push_bind(attributes);
        },
    )
    .await?;
    insert(
        conn,
        "INSERT INTO conversations (id, profile_id, customer_id, kind, root_network_id) ",
        5,
        &r.conversations,
        |b, c| {
            b.push_bind(c.id.0)
                .push_bind(c.profile_id.0)
                .push_bind(c.customer_id.0)
                .push_bind(c.kind.as_str())
                .push_bind(&c.root_network_id);
        },
    )
    .await?;
    let attachments = r
        .messages
        .iter()
        .map(|m| to_json(&m.attachments))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO messages (id, profile_id, network_id, kind, author, customer_id, sent_by, \
         conversation_id, parent_id, parent_network_id, text, attachments, created_at, received_at, \
         edited_at, hidden, deleted, visible_only_to_customer, delivery, error) ",
        20,
        r.messages.iter().zip(&attachments),
        |b, (m, attachments)| {
            b.push_bind(m.id.0)
                .push_bind(m.profile_id.0)
                .push_bind(&m.network_id)
                .push_bind(m.kind.as_str())
                .push_bind(m.author.as_str())
                .push_bind(m.customer_id.map(|c| c.0))
                .push_bind(m.sent_by.map(|u| u.0))
                .push_bind(m.conversation_id.map(|c| c.0))
                .push_bind(m.parent_id.map(|p| p.0))
                .push_bind(&m.parent_network_id)
                .push_bind(&m.text)
                .push_bind(attachments)
                .push_bind(m.created_at.0)
                .push_bind(m.received_at.0)
                .push_bind(m.edited_at.map(|t| t.0))
                .push_bind(m.hidden)
                .push_bind(m.deleted)
                .push_bind(m.visible_only_to_customer)
                .push_bind(m.delivery.map(|d| d.as_str()))
                .push_bind(&m.error);
        },
    )
    .await?;
    let labels = r
        .community_items
        .iter()
        .map(|i| to_json(&i.labels))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO community_items (id, profile_id, customer_id, kind, message_id, \
         conversation_id, status, labels, created_at, updated_at, customer_last_case_spam) ",
        11,
        r.community_items.iter().zip(&labels),
        |b, (i, labels)| {
            b.push_bind(i.id.0)
                .push_bind(i.profile_id.0)
                .push_bind(i.customer_id.0)
                .push_bind(i.kind.as_str())
                .push_bind(i.message_id.0)
                .push_bind(i.conversation_id.0)
                .push_bind(i.status.as_str())
                .push_bind(labels)
                .push_bind(i.created_at.0)
                .push_bind(i.updated_at.0)
                .push_bind(i.customer_last_case_spam);
        },
    )
    .await?;
    load_cases(conn, r).await
}

async fn load_cases(conn: &mut SqliteConnection, r: &BulkRows) -> Result<()> {
    let fields = r
        .cases
        .iter()
        .map(|c| to_json(&c.fields))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO cases (id, number, customer_id, profile_id, status, assignee_id, \
         priority_rank, sentiment, fields, note, escalated_by, escalated_from, created_at, \
         last_customer_message_at, grace_until, holds_active_slot, previous_case_id, version, \
         deleted) ",
        19,
        r.cases.iter().zip(&fields),
        |b, (c, fields)| {
            b.push_bind(c.id.0)
                .push_bind(c.number)
                .push_bind(c.customer_id.0)
                .push_bind(c.profile_id.0)
                .push_bind(c.status.as_str())
                .push_bind(c.assignee_id.map(|u| u.0))
                .push_bind(c.priority.rank())
                .push_bind(c.sentiment.as_str())
                .push_bind(fields)
                .push_bind(&c.note)
                .push_bind(c.escalated_by.0)
                .push_bind(c.escalated_from.0)
                .push_bind(c.created_at.0)
                .push_bind(c.last_customer_message_at.unwrap_or(c.created_at).0)
                .push_bind(c.grace_until.map(|t| t.0))
                .push_bind(c.holds_active_slot)
                .push_bind(c.previous_case_id.map(|p| p.0))
                .push_bind(c.version)
                .push_bind(c.deleted);
        },
    )
    .await?;
    let tokens: Vec<(i64, String, i64)> = r
        .cases
        .iter()
        .flat_map(|c| {
            c.fields.iter().flat_map(move |(field, value)| {
                value
                    .filter_tokens()
                    .into_iter()
                    .map(move |token| (field.0, token, c.id.0))
            })
        })
        .collect();
    insert(
        conn,
        "INSERT OR IGNORE INTO case_field_tokens (field_id, token, case_id) ",
        3,
        &tokens,
        |b, (field, token, case)| {
            b.push_bind(*field).push_bind(token).push_bind(*case);
        },
    )
    .await?;
    insert(
        conn,
        "INSERT INTO case_messages (case_id, message_id, created_at, direct) ",
        4,
        &r.case_messages,
        |b, m| {
            b.push_bind(m.case_id.0)
                .push_bind(m.message_id.0)
                .push_bind(m.created_at.0)
                .push_bind(m.direct);
        },
    )
    .await?;
    let data = r
        .events
        .iter()
        .map(|e| to_json(&e.kind))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO events (case_id, actor_id, kind, data, at) ",
        5,
        r.events.iter().zip(data),
        |b, (e, data)| {
            b.push_bind(e.case_id.map(|c| c.0))
                .push_bind(e.actor.map(|u| u.0))
                .push_bind(e.kind.name())
                .push_bind(data)
                .push_bind(e.at.0);
        },
    )
    .await
}

#[async_trait]
impl BulkLoad for SqliteStore {
    async fn load(&self, rows: &BulkRows) -> Result<()> {
        let mut tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(map_error)?;
        load_rows(&mut tx, rows).await?;
        tx.commit().await.map_err(map_error)
    }

    async fn last_ids(&self) -> Result<LastIds> {
        let row: (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM customers), \
             (SELECT COALESCE(MAX(id), 0) FROM conversations), \
             (SELECT COALESCE(MAX(id), 0) FROM messages), \
             (SELECT COALESCE(MAX(id), 0) FROM community_items), \
             (SELECT COALESCE(MAX(id), 0) FROM cases), \
             (SELECT COALESCE(MAX(number), 0) FROM cases)",
        )
        .fetch_one(&self.writer)
        .await
        .map_err(map_error)?;
        Ok(LastIds {
            customer: row.0,
            conversation: row.1,
            message: row.2,
            community_item: row.3,
            case: row.4,
            case_number: row.5,
        })
    }

    async fn move_ids_past_loaded(&self) -> Result<()> {
        // Ids and numbers continue from MAX on their own.
        Ok(())
    }

    async fn finish_load(&self) -> Result<()> {
        // Fold the log into the file so a copy
        // of the file alone is the whole database.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await
            .map_err(map_error)?;
        Ok(())
    }

    async fn close(&self) {
        SqliteStore::close(self).await;
    }
}
