//! Search: messages and customers matched through each engine's full-text index (SQLite's
//! FTS5 tables `messages_search` and `customers_search`; PostgreSQL's GIN indexes over each
//! message's stored `search_words` and over `caredesk_search_words` of customers), narrowed to the caller's profiles in the same statement, newest
//! first by id; then one read each for the page's customers, cases and community items.
//! SQLite's message index keeps prefixes of two and three characters: a longer last word is
//! found by its first three and each row found is checked against the whole query.

use std::collections::HashMap;

use caredesk_domain::search::SearchTerms;
use caredesk_domain::*;
use caredesk_store::rows;
use caredesk_store::search::{CaseBrief, MessageHit, MessageHits, SearchQuery};
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
            condition: "m.search_words @@ caredesk_search_query($1)",
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

/// Characters of the longest prefix SQLite's message index keeps (`prefix = '2 3'`, migration
/// 0017): FTS5 reads a prefix of exactly a kept length from its prefix index, and any other
/// by merging every word that starts with it.
const SQLITE_PREFIX_CHARS: usize = 3;

/// The query as the engine reads it: FTS5's phrases (`"late" "parc"*`), or the words for
/// `caredesk_search_query` (which folds them as the index does and makes the last a prefix).
/// With `cut`, FTS5's last word is cut to [`SQLITE_PREFIX_CHARS`]; the rows it finds must
/// then be checked against the whole query ([`SearchTerms::found_in`]).
fn engine_query(dialect: Dialect, terms: &SearchTerms, cut: bool) -> String {
    match dialect {
        Dialect::Sqlite => {
            let last = terms.words.len().saturating_sub(1);
            let mut text = terms
                .words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if cut && i == last {
                        format!(
                            "\"{}\"",
                            w.chars().take(SQLITE_PREFIX_CHARS).collect::<String>()
                        )
                    } else {
                        format!("\"{w}\"")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            text.push('*');
            text
        }
        Dialect::Postgres => terms.words.join(" "),
    }
}

/// Whether the engine finds messages by a shorter prefix than the last word (SQLite, a last
/// word longer than its index's prefixes).
fn cuts_last_word(dialect: Dialect, terms: &SearchTerms) -> bool {
    dialect == Dialect::Sqlite
        && terms
            .words
            .last()
            .is_some_and(|w| w.chars().count() > SQLITE_PREFIX_CHARS)
}

/// Rows read per round when each found row is checked, as a multiple of the page size.
const CHECKED_ROUND_FACTOR: u32 = 4;
/// Rounds read at most for one page when each found row is checked.
const CHECKED_ROUNDS: usize = 5;

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

/// A page of matching messages. Where the engine finds rows by a cut prefix, each row is
/// checked against the whole query, reading at most [`CHECKED_ROUNDS`] rounds: a page then may
/// hold fewer hits than asked and still say where to go on.
pub(crate) async fn search_messages(
    conn: &mut Conn<'_>,
    query: &SearchQuery<'_>,
) -> Result<MessageHits> {
    let dialect = conn.dialect();
    let cut = cuts_last_word(dialect, query.terms);
    let limit = query.limit;
    let batch = if cut {
        limit.saturating_mul(CHECKED_ROUND_FACTOR)
    } else {
        limit
    };
    let mut before = query.before.unwrap_or(i64::MAX);
    let mut found = Vec::new();
    for _ in 0..CHECKED_ROUNDS {
        let rows = matching_messages(conn, query, cut, before, batch).await?;
        let exhausted = rows.len() < batch as usize;
        for message in rows {
            before = message.id.0;
            if !cut || query.terms.found_in(&message.text) {
                found.push(message);
                if found.len() == limit as usize {
                    break;
                }
            }
        }
        if found.len() == limit as usize {
            break;
        }
        if exhausted {
            return Ok(MessageHits {
                hits: hits(conn, found).await?,
                more_before: None,
            });
        }
    }
    Ok(MessageHits {
        hits: hits(conn, found).await?,
        more_before: Some(before),
    })
}

/// Up to `limit` messages older than `before` that the index finds for the query.
async fn matching_messages(
    conn: &mut Conn<'_>,
    query: &SearchQuery<'_>,
    cut: bool,
    before: i64,
    limit: u32,
) -> Result<Vec<Message>> {
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
        "SELECT {columns} FROM {from} WHERE {condition} AND m.deleted = FALSE \
         AND {key} < $2{notes}{scope} ORDER BY {key} DESC LIMIT $3",
        columns = super::messages::message_columns("m.")
    );
    let mut sql = Sql::new(text)
        .bind(engine_query(dialect, query.terms, cut))
        .bind(before)
        .bind(i64::from(limit));
    if let Some(profiles) = profiles {
        sql = sql.bind(profiles);
    }
    sql.all(conn, rows::message).await
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
        .bind(engine_query(dialect, query.terms, false))
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
