//! [`BulkLoad`] on PostgreSQL: multi-row `INSERT`s (ids given, `OVERRIDING SYSTEM VALUE`) in
//! one transaction, committed with `synchronous_commit=on` like any unit of work. Finishing
//! moves the identity sequences and the case-number counter past the loaded rows and analyzes
//! the tables (what autovacuum would do a little later).

use async_trait::async_trait;
use caredesk_store::bulk::{BulkLoad, BulkRows, LastIds};
use sqlx::query_builder::Separated;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::rows::{to_json, Result};
use crate::{map_error, PgStore};

/// PostgreSQL accepts up to 65,535 parameters in one statement.
const MAX_PARAMETERS: usize = 65_000;

/// Inserts `rows` with one statement per chunk that fits the parameter limit.
async fn insert<'r, T: 'r>(
    conn: &mut PgConnection,
    head: &str,
    tail: &str,
    columns: usize,
    rows: impl IntoIterator<Item = T>,
    mut bind: impl FnMut(&mut Separated<'_, 'r, Postgres, &'static str>, T),
) -> Result<()> {
    let per_statement = (MAX_PARAMETERS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk = rows.by_ref().take(per_statement);
        let mut builder: QueryBuilder<'r, Postgres> = QueryBuilder::new(head);
        builder.push_values(chunk, |mut b, row| bind(&mut b, row));
        builder.push(tail);
        builder
            .build()
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

async fn load_rows(conn: &mut PgConnection, r: &BulkRows) -> Result<()> {
    let attributes = r
        .customers
        .iter()
        .map(|c| to_json(&c.details.attributes))
        .collect::<Result<Vec<_>>>()?;
    insert(
        conn,
        "INSERT INTO customers (id, network, network_user_id, display_name, handle, avatar_url, \
         email, phone, address, notes, attributes) OVERRIDING SYSTEM VALUE ",
        "",
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
        "INSERT INTO conversations (id, profile_id, customer_id, kind, root_network_id) OVERRIDING SYSTEM VALUE ",
        "",
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
         edited_at, hidden, deleted, visible_only_to_customer, delivery, error) OVERRIDING SYSTEM VALUE ",
        "",
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
         conversation_id, status, labels, created_at, updated_at, customer_last_case_spam) OVERRIDING SYSTEM VALUE ",
        "",
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

async fn load_cases(conn: &mut PgConnection, r: &BulkRows) -> Result<()> {
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
         deleted) OVERRIDING SYSTEM VALUE ",
        "",
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
        "INSERT INTO case_field_tokens (field_id, token, case_id) ",
        " ON CONFLICT DO NOTHING",
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
        "",
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
        "",
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

/// The tables whose identity column takes the loaded ids.
const IDENTITIES: [&str; 5] = [
    "customers",
    "conversations",
    "messages",
    "community_items",
    "cases",
];

#[async_trait]
impl BulkLoad for PgStore {
    async fn load(&self, rows: &BulkRows) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
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
        .fetch_one(&self.pool)
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
        for table in IDENTITIES {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))
            .execute(&self.pool)
            .await
            .map_err(map_error)?;
        }
        sqlx::query(
            "UPDATE case_number_counter SET last = (SELECT COALESCE(MAX(number), 0) FROM cases)",
        )
        .execute(&self.pool)
        .await
        .map_err(map_error)?;
        Ok(())
    }

    async fn finish_load(&self) -> Result<()> {
        self.move_ids_past_loaded().await?;
        // A table that was just loaded is not yet what a running installation's tables are
        // after autovacuum: no page is marked all-visible, so no index-only scan is possible,
        // and the first reads set each row's hint bits and write the pages back. The tallies
        // moved once per loaded case and hold a hundred times their live size in dead
        // versions, which every count would read: VACUUM FULL gives those pages back. Each
        // VACUUM runs alone (outside a transaction, hence the simple protocol); ANALYZE
        // refreshes the statistics.
        for sql in ["VACUUM (FULL) case_tallies", "VACUUM (ANALYZE)"] {
            sqlx::raw_sql(sql)
                .execute(&self.pool)
                .await
                .map_err(map_error)?;
        }
        Ok(())
    }

    async fn close(&self) {
        PgStore::close(self).await;
    }
}
