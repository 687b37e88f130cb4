//! Search: messages and customers matched through each engine's full-text index (SQLite's
//! FTS5 tables `messages_search` and `customers_search`; PostgreSQL's GIN indexes over
//! `caredesk_search_words`), narrowed to the caller's profiles in the same statement, newest
//! first by id; then one read each for the page's customers, cases and community items.

use std::collections::HashMap;

use caredesk_domain::search::SearchTerms;
use caredesk_domain::*;
use caredesk_store::rows;
use caredesk_store::search::{CaseBrief, MessageHit, SearchQuery};
use caredesk_store::ProfileScope;

use super::Result;
use crate::{Conn, Dialect, Sql};

/// The engine's spelling of "the words of `text` hold the query bound at `$1`", with the
/// tables to read from and the key that orders the hits.
struct Matching {
    from: &'static str,
    condition: &'static str,
    key: &'static str,
}

fn messages_matching(dialect: Dialect) -> Matching {
    match dialect {
        Dialect::Sqlite => Matching {
            from: "messages_search s JOIN messages m ON m.id = s.rowid",
            condition: "messages_search MATCH $1",
            key: "s.rowid",
        },
        Dialect::Postgres => Matching {
            from: "messages m",
            condition: "caredesk_search_words(m.text) @@ caredesk_search_query($1)",
            key: "m.id",
        },
    }
}

fn customers_matching(dialect: Dialect) -> Matching {
    match dialect {
        Dialect::Sqlite => Matching {
            from: "customers_search s JOIN customers cu ON cu.id = s.rowid",
            condition: "customers_search MATCH $1",
            key: "s.rowid",
        },
        Dialect::Postgres => Matching {
            from: "customers cu",
            condition: "caredesk_search_words(cu.display_name || ' ' || cu.handle || ' ' || \
                        cu.email || ' ' || cu.phone) @@ caredesk_search_query($1)",
            key: "cu.id",
        },
    }
}

/// The query as the engine reads it: FTS5's phrases (`"late" "parc"*`), or the words for
/// `caredesk_search_query` (which folds them as the index does and makes the last a prefix).
fn engine_query(dialect: Dialect, terms: &SearchTerms) -> String {
    match dialect {
        Dialect::Sqlite => {
            let mut text = terms
                .words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ");
            text.push('*');
            text
        }
        Dialect::Postgres => terms.words.join(" "),
    }
}

/// `AND <column> among the scope's profiles`, bound at `$param` (nothing for every profile).
fn scope_condition(
    dialect: Dialect,
    column: &str,
    scope: &ProfileScope,
    param: usize,
) -> (String, Option<Vec<i64>>) {
    match scope {
        ProfileScope::All => (String::new(), None),
        ProfileScope::Only(ids) => (
            format!(" AND {}", dialect.any_of(column, param)),
            Some(ids.iter().map(|p| p.0).collect()),
        ),
    }
}

pub(crate) async fn search_messages(
    conn: &mut Conn<'_>,
    query: &SearchQuery<'_>,
) -> Result<Vec<MessageHit>> {
    let dialect = conn.dialect();
    let Matching {
        from,
        condition,
        key,
    } = messages_matching(dialect);
    let (scope, profiles) = scope_condition(dialect, "m.profile_id", query.scope, 4);
    let notes = if query.notes {
        ""
    } else {
        " AND m.author <> 'note'"
    };
    let text = format!(
        "SELECT m.* FROM {from} WHERE {condition} AND m.deleted = FALSE \
         AND {key} < $2{notes}{scope} ORDER BY {key} DESC LIMIT $3"
    );
    let mut sql = Sql::new(text)
        .bind(engine_query(dialect, query.terms))
        .bind(query.before.unwrap_or(i64::MAX))
        .bind(i64::from(query.limit));
    if let Some(profiles) = profiles {
        sql = sql.bind(profiles);
    }
    let messages = sql.all(conn, rows::message).await?;
    hits(conn, messages).await
}

/// The page's messages with their customers, cases and community items.
async fn hits(conn: &mut Conn<'_>, messages: Vec<Message>) -> Result<Vec<MessageHit>> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let dialect = conn.dialect();
    let ids: Vec<i64> = messages.iter().map(|m| m.id.0).collect();
    let customer_ids: Vec<i64> = messages
        .iter()
        .filter_map(|m| m.customer_id.map(|c| c.0))
        .collect();
    let customers: HashMap<CustomerId, Customer> = Sql::new(format!(
        "SELECT * FROM customers WHERE {}",
        dialect.any_of("id", 1)
    ))
    .bind(customer_ids)
    .all(conn, rows::customer)
    .await?
    .into_iter()
    .map(|c| (c.id, c))
    .collect();
    let mut cases: HashMap<MessageId, CaseBrief> = HashMap::new();
    let holding = Sql::new(format!(
        "SELECT cm.message_id, c.id, c.number, c.status FROM case_messages cm \
         JOIN cases c ON c.id = cm.case_id WHERE {} AND c.deleted = FALSE ORDER BY c.id",
        dialect.any_of("cm.message_id", 1)
    ))
    .bind(ids.clone())
    .all(conn, |row| {
        Ok((
            MessageId(row.int("message_id")?),
            CaseBrief {
                id: CaseId(row.int("id")?),
                number: row.int("number")?,
                status: rows::word(row, "status")?,
            },
        ))
    })
    .await?;
    // The newest case holding each message wins (ordered by id).
    cases.extend(holding);
    let conversations: Vec<i64> = messages
        .iter()
        .filter_map(|m| m.conversation_id.map(|c| c.0))
        .collect();
    let items = Sql::new(format!(
        "SELECT id, kind, message_id, conversation_id FROM community_items \
         WHERE (kind = 'message' AND {}) OR (kind = 'dm_thread' AND {})",
        dialect.any_of("message_id", 1),
        dialect.any_of("conversation_id", 2)
    ))
    .bind(ids)
    .bind(conversations)
    .all(conn, |row| {
        Ok((
            row.text("kind")? == "message",
            row.int("message_id")?,
            row.int("conversation_id")?,
            CommunityItemId(row.int("id")?),
        ))
    })
    .await?;
    let own: HashMap<i64, CommunityItemId> = items
        .iter()
        .filter(|(own, ..)| *own)
        .map(|(_, message, _, id)| (*message, *id))
        .collect();
    let threads: HashMap<i64, CommunityItemId> = items
        .iter()
        .filter(|(own, ..)| !*own)
        .map(|(_, _, conversation, id)| (*conversation, *id))
        .collect();
    Ok(messages
        .into_iter()
        .map(|message| MessageHit {
            customer: message.customer_id.and_then(|c| customers.get(&c).cloned()),
            case: cases.get(&message.id).cloned(),
            item: own.get(&message.id.0).copied().or_else(|| {
                (message.kind == MessageKind::Direct)
                    .then_some(message.conversation_id)
                    .flatten()
                    .and_then(|c| threads.get(&c.0).copied())
            }),
            message,
        })
        .collect())
}

pub(crate) async fn search_customers(
    conn: &mut Conn<'_>,
    query: &SearchQuery<'_>,
) -> Result<Vec<Customer>> {
    let dialect = conn.dialect();
    let Matching {
        from,
        condition,
        key,
    } = customers_matching(dialect);
    let (scope, profiles) = scope_condition(dialect, "cv.profile_id", query.scope, 4);
    let text = format!(
        "SELECT cu.* FROM {from} WHERE {condition} AND {key} < $2 \
         AND EXISTS (SELECT 1 FROM conversations cv WHERE cv.customer_id = cu.id{scope}) \
         ORDER BY {key} DESC LIMIT $3"
    );
    let mut sql = Sql::new(text)
        .bind(engine_query(dialect, query.terms))
        .bind(query.before.unwrap_or(i64::MAX))
        .bind(i64::from(query.limit));
    if let Some(profiles) = profiles {
        sql = sql.bind(profiles);
    }
    sql.all(conn, rows::customer).await
}

pub(crate) async fn cases_of_customers(
    conn: &mut Conn<'_>,
    customers: &[CustomerId],
    scope: &ProfileScope,
    limit: u32,
) -> Result<Vec<(CustomerId, CaseBrief)>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let dialect = conn.dialect();
    let (scope, profiles) = scope_condition(dialect, "profile_id", scope, 3);
    let mut sql = Sql::new(format!(
        "SELECT id, number, status, customer_id FROM cases WHERE {} AND deleted = FALSE{scope} \
         ORDER BY id DESC LIMIT $2",
        dialect.any_of("customer_id", 1)
    ))
    .bind(customers.iter().map(|c| c.0).collect::<Vec<_>>())
    .bind(i64::from(limit));
    if let Some(profiles) = profiles {
        sql = sql.bind(profiles);
    }
    sql.all(conn, |row| {
        Ok((
            CustomerId(row.int("customer_id")?),
            CaseBrief {
                id: CaseId(row.int("id")?),
                number: row.int("number")?,
                status: rows::word(row, "status")?,
            },
        ))
    })
    .await
}
