//! [`BulkLoad`]: multi-row `INSERT`s with the rows' own ids, in one unit of work of the backend
//! (as durable as any other), as many rows per statement as the dialect's parameter limit
//! allows. What follows a load (moving id generators, the backend's upkeep) is the backend's.

use async_trait::async_trait;
use caredesk_store::bulk::{BulkLoad, BulkRows, LastIds};
use caredesk_store::rows::to_json;
use caredesk_store::StoreError;

use crate::multi_row::{insert_rows, rows_per_statement};
use crate::queries::events::{bind_event, EVENT_INSERT};
use crate::queries::messages::{bind_message, MESSAGE_COLUMNS};
use crate::{Backend, Conn, Sql, SqlStore};

type Result<T> = std::result::Result<T, StoreError>;

/// Inserts rows of `columns` values with their given ids, `head` naming the table and columns.
async fn insert<'a, T>(
    conn: &mut Conn<'_>,
    head: &str,
    columns: usize,
    rows: &'a [T],
    bind: impl Fn(Sql<'a>, &'a T) -> Result<Sql<'a>>,
) -> Result<()> {
    let dialect = conn.dialect();
    let head = format!("{head}{} ", dialect.given_ids());
    let per_statement = rows_per_statement(dialect, columns);
    insert_rows(conn, (&head, ""), columns, per_statement, rows, bind).await
}

async fn load_rows(conn: &mut Conn<'_>, r: &BulkRows) -> Result<()> {
    let head = "INSERT INTO customers (id, network, network_user_id, display_name, handle, \
                avatar_url, email, phone, address, notes, attributes)";
    insert(conn, head, 11, &r.customers, |row, c| {
        let d = &c.details;
        Ok(row
            .bind(c.id.0)
            .bind(c.network.as_str())
            .bind(&c.network_user_id)
            .bind(&d.display_name)
            .bind(&d.handle)
            .bind(&d.avatar_url)
            .bind(&d.email)
            .bind(&d.phone)
            .bind(&d.address)
            .bind(&d.notes)
            .bind(to_json(&d.attributes)?))
    })
    .await?;
    let head = "INSERT INTO conversations (id, profile_id, customer_id, kind, root_network_id)";
    insert(conn, head, 5, &r.conversations, |row, c| {
        Ok(row
            .bind(c.id.0)
            .bind(c.profile_id.0)
            .bind(c.customer_id.0)
            .bind(c.kind.as_str())
            .bind(&c.root_network_id))
    })
    .await?;
    let head = format!("INSERT INTO messages (id, {MESSAGE_COLUMNS})");
    insert(conn, &head, 21, &r.messages, |row, m| {
        bind_message(row.bind(m.id.0), m)
    })
    .await?;
    let head = "INSERT INTO community_items (id, profile_id, customer_id, kind, message_id, \
                conversation_id, status, labels, created_at, updated_at, \
                customer_last_case_spam)";
    insert(conn, head, 11, &r.community_items, |row, i| {
        Ok(row
            .bind(i.id.0)
            .bind(i.profile_id.0)
            .bind(i.customer_id.0)
            .bind(i.kind.as_str())
            .bind(i.message_id.0)
            .bind(i.conversation_id.0)
            .bind(i.status.as_str())
            .bind(to_json(&i.labels)?)
            .bind(i.created_at.0)
            .bind(i.updated_at.0)
            .bind(i.customer_last_case_spam))
    })
    .await?;
    load_cases(conn, r).await
}

async fn load_cases(conn: &mut Conn<'_>, r: &BulkRows) -> Result<()> {
    let head = "INSERT INTO cases (id, number, customer_id, profile_id, status, assignee_id, \
                priority_rank, sentiment, fields, note, escalated_by, escalated_from, \
                created_at, last_customer_message_at, grace_until, holds_active_slot, \
                previous_case_id, version, deleted)";
    insert(conn, head, 19, &r.cases, |row, c| {
        Ok(row
            .bind(c.id.0)
            .bind(c.number)
            .bind(c.customer_id.0)
            .bind(c.profile_id.0)
            .bind(c.status.as_str())
            .bind(c.assignee_id.map(|u| u.0))
            .bind(c.priority.rank())
            .bind(c.sentiment.as_str())
            .bind(to_json(&c.fields)?)
            .bind(&c.note)
            .bind(c.escalated_by.0)
            .bind(c.escalated_from.0)
            .bind(c.created_at.0)
            .bind(c.last_customer_message_at.unwrap_or(c.created_at).0)
            .bind(c.grace_until.map(|t| t.0))
            .bind(c.holds_active_slot)
            .bind(c.previous_case_id.map(|p| p.0))
            .bind(c.version)
            .bind(c.deleted))
    })
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
    let per_statement = rows_per_statement(conn.dialect(), 3);
    let statement = (
        "INSERT INTO case_field_tokens (field_id, token, case_id) ",
        " ON CONFLICT DO NOTHING",
    );
    insert_rows(conn, statement, 3, per_statement, &tokens, |row, t| {
        Ok(row.bind(t.0).bind(&t.1).bind(t.2))
    })
    .await?;
    let per_statement = rows_per_statement(conn.dialect(), 4);
    let head = "INSERT INTO case_messages (case_id, message_id, created_at, direct) ";
    insert_rows(
        conn,
        (head, ""),
        4,
        per_statement,
        &r.case_messages,
        |row, m| {
            Ok(row
                .bind(m.case_id.0)
                .bind(m.message_id.0)
                .bind(m.created_at.0)
                .bind(m.direct))
        },
    )
    .await?;
    let per_statement = rows_per_statement(conn.dialect(), 5);
    insert_rows(
        conn,
        (EVENT_INSERT, ""),
        5,
        per_statement,
        &r.events,
        bind_event,
    )
    .await
}

#[async_trait]
impl<B: Backend> BulkLoad for SqlStore<B> {
    async fn load(&self, rows: &BulkRows) -> Result<()> {
        let mut tx = self.backend().begin().await?;
        load_rows(&mut tx.conn(), rows).await?;
        tx.commit().await
    }

    async fn last_ids(&self) -> Result<LastIds> {
        let row = Sql::new(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM customers), \
             (SELECT COALESCE(MAX(id), 0) FROM conversations), \
             (SELECT COALESCE(MAX(id), 0) FROM messages), \
             (SELECT COALESCE(MAX(id), 0) FROM community_items), \
             (SELECT COALESCE(MAX(id), 0) FROM cases), \
             (SELECT COALESCE(MAX(number), 0) FROM cases)",
        )
        .fetch_one(&mut self.backend().writer().await?.conn())
        .await?;
        Ok(LastIds {
            customer: row.at(0)?,
            conversation: row.at(1)?,
            message: row.at(2)?,
            community_item: row.at(3)?,
            case: row.at(4)?,
            case_number: row.at(5)?,
        })
    }

    async fn move_ids_past_loaded(&self) -> Result<()> {
        self.backend().move_ids_past_loaded().await
    }

    async fn finish_load(&self) -> Result<()> {
        self.backend().finish_load().await
    }

    async fn settle(&self) -> Result<()> {
        self.backend().settle().await
    }

    async fn close(&self) {
        SqlStore::close(self).await;
    }
}
