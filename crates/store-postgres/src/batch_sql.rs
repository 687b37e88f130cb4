//! The batch statements of ingest on PostgreSQL: each binds its keys or rows as one array per
//! column, read with `unnest` (or `= ANY`), so a batch of any size is one statement; cases are
//! read `FOR UPDATE`, as the single lookups read them, and inserted rows carry the ids reserved
//! for them (`OVERRIDING SYSTEM VALUE`). Lookups run even for an empty batch; writes do not.

use caredesk_domain::*;
use caredesk_store::ingest::ConversationKey;
use caredesk_store::rows::to_json;
use caredesk_store::StoreError;
use caredesk_store_sql::{BatchSql, NewCustomer, Sql};

use crate::Postgres;

type Result<T> = std::result::Result<T, StoreError>;

/// One value of each row: a column of the arrays `unnest` reads.
fn column<'a, T, C>(rows: &'a [T], value: impl Fn(&'a T) -> C) -> Vec<C> {
    rows.iter().map(value).collect()
}

/// Each row's JSON text of one value.
fn json_column<T, V: serde::Serialize>(
    rows: &[T],
    value: impl Fn(&T) -> &V,
) -> Result<Vec<String>> {
    rows.iter().map(|row| to_json(value(row))).collect()
}

/// `statement`, unless there is no row to write.
fn unless_empty<'a, T>(
    rows: &'a [T],
    statement: impl FnOnce() -> Result<Sql<'a>>,
) -> Result<Vec<Sql<'a>>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![statement()?])
}

impl BatchSql for Postgres {
    fn customers_by_network_ids<'a>(&self, keys: &'a [(Network, String)]) -> Option<Sql<'a>> {
        let sql = "SELECT c.* FROM unnest($1::text[], $2::text[]) AS k(network, user_id) \
                   JOIN customers c ON c.network = k.network AND c.network_user_id = k.user_id";
        let networks = column(keys, |(n, _)| n.as_str());
        Some(
            Sql::new(sql)
                .bind(networks)
                .bind(column(keys, |(_, u)| u.as_str())),
        )
    }

    fn messages_by_network_ids<'a>(&self, keys: &'a [(ProfileId, String)]) -> Option<Sql<'a>> {
        let sql = format!(
            "SELECT {} FROM unnest($1::bigint[], $2::text[]) AS k(profile_id, network_id) \
             JOIN messages m ON m.profile_id = k.profile_id AND m.network_id = k.network_id",
            caredesk_store_sql::message_columns("m.")
        );
        let profiles = column(keys, |(p, _)| p.0);
        Some(
            Sql::new(sql)
                .bind(profiles)
                .bind(column(keys, |(_, id)| id.as_str())),
        )
    }

    fn conversations_by_keys<'a>(&self, keys: &'a [ConversationKey]) -> Option<Sql<'a>> {
        let sql = "SELECT c.* FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) \
                   AS k(profile_id, customer_id, kind, root_network_id) \
                   JOIN conversations c ON c.profile_id = k.profile_id \
                   AND c.customer_id = k.customer_id \
                   AND c.kind = k.kind AND c.root_network_id = k.root_network_id";
        Some(conversation_keys(Sql::new(sql), keys))
    }

    fn dm_thread_items<'a>(&self, conversations: &'a [ConversationId]) -> Option<Sql<'a>> {
        let sql = "SELECT i.*, m.created_at AS shown_at FROM community_items i \
                   JOIN messages m ON m.id = i.message_id \
                   WHERE i.conversation_id = ANY($1) AND i.kind = 'dm_thread'";
        Some(Sql::new(sql).bind(column(conversations, |c| c.0)))
    }

    fn active_cases_of<'a>(&self, customers: &'a [CustomerId]) -> Option<Sql<'a>> {
        let sql = "SELECT * FROM cases WHERE customer_id = ANY($1) AND holds_active_slot \
                   ORDER BY id FOR UPDATE";
        Some(Sql::new(sql).bind(column(customers, |c| c.0)))
    }

    fn newest_cases_of<'a>(&self, keys: &'a [(CustomerId, ProfileId)]) -> Option<Sql<'a>> {
        let sql =
            "SELECT n.* FROM unnest($1::bigint[], $2::bigint[]) AS k(customer_id, profile_id) \
                   CROSS JOIN LATERAL (SELECT * FROM cases c WHERE c.customer_id = k.customer_id \
                   AND c.profile_id = k.profile_id AND NOT c.deleted \
                   ORDER BY c.created_at DESC, c.id DESC LIMIT 1) n";
        let customers = column(keys, |(c, _)| c.0);
        Some(
            Sql::new(sql)
                .bind(customers)
                .bind(column(keys, |(_, p)| p.0)),
        )
    }

    fn create_customers<'a>(&self, new: &'a [NewCustomer]) -> Result<Option<Sql<'a>>> {
        if new.is_empty() {
            return Ok(None);
        }
        let sql = "INSERT INTO customers (network, network_user_id, display_name, handle, \
                   avatar_url, email, phone, address, notes, attributes, lookup_due_at, \
                   lookup_profile_id) \
                   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], \
                   $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], \
                   $11::bigint[], $12::bigint[]) \
                   ON CONFLICT (network, network_user_id) DO NOTHING RETURNING *";
        let insert = Sql::new(sql)
            .bind(column(new, |(n, _, _, _)| n.as_str()))
            .bind(column(new, |(_, u, _, _)| u.as_str()))
            .bind(column(new, |(_, _, d, _)| d.display_name.as_str()))
            .bind(column(new, |(_, _, d, _)| d.handle.as_str()))
            .bind(column(new, |(_, _, d, _)| d.avatar_url.as_str()))
            .bind(column(new, |(_, _, d, _)| d.email.as_str()))
            .bind(column(new, |(_, _, d, _)| d.phone.as_str()))
            .bind(column(new, |(_, _, d, _)| d.address.as_str()))
            .bind(column(new, |(_, _, d, _)| d.notes.as_str()))
            .bind(json_column(new, |(_, _, d, _)| &d.attributes)?)
            .bind(column(new, |(_, _, _, l)| l.map(|(_, due)| due.0)))
            .bind(column(new, |(_, _, _, l)| l.map(|(profile, _)| profile.0)));
        Ok(Some(insert))
    }

    fn create_conversations<'a>(&self, keys: &'a [ConversationKey]) -> Result<Option<Sql<'a>>> {
        if keys.is_empty() {
            return Ok(None);
        }
        let sql = "INSERT INTO conversations (profile_id, customer_id, kind, root_network_id) \
                   SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) \
                   ON CONFLICT (profile_id, customer_id, kind, root_network_id) \
                   DO NOTHING RETURNING *";
        Ok(Some(conversation_keys(Sql::new(sql), keys)))
    }

    fn insert_messages<'a>(&self, messages: &'a [Message]) -> Result<Vec<Sql<'a>>> {
        let m = messages;
        unless_empty(m, || {
            let sql = "INSERT INTO messages (id, profile_id, network_id, kind, author, \
                       customer_id, sent_by, conversation_id, parent_id, parent_network_id, text, \
                       attachments, created_at, received_at, edited_at, hidden, deleted, \
                       visible_only_to_customer, delivery, error, standby) OVERRIDING SYSTEM VALUE \
                       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
                       $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], \
                       $10::text[], $11::text[], $12::text[], $13::bigint[], $14::bigint[], \
                       $15::bigint[], $16::boolean[], $17::boolean[], $18::boolean[], \
                       $19::text[], $20::text[], $21::boolean[])";
            Ok(Sql::new(sql)
                .bind(column(m, |m| m.id.0))
                .bind(column(m, |m| m.profile_id.0))
                .bind(column(m, |m| m.network_id.as_deref()))
                .bind(column(m, |m| m.kind.as_str()))
                .bind(column(m, |m| m.author.as_str()))
                .bind(column(m, |m| m.customer_id.map(|c| c.0)))
                .bind(column(m, |m| m.sent_by.map(|u| u.0)))
                .bind(column(m, |m| m.conversation_id.map(|c| c.0)))
                .bind(column(m, |m| m.parent_id.map(|p| p.0)))
                .bind(column(m, |m| m.parent_network_id.as_deref()))
                .bind(column(m, |m| m.text.as_str()))
                .bind(json_column(m, |m| &m.attachments)?)
                .bind(column(m, |m| m.created_at.0))
                .bind(column(m, |m| m.received_at.0))
                .bind(column(m, |m| m.edited_at.map(|t| t.0)))
                .bind(column(m, |m| m.hidden))
                .bind(column(m, |m| m.deleted))
                .bind(column(m, |m| m.visible_only_to_customer))
                .bind(column(m, |m| m.delivery.map(|d| d.as_str())))
                .bind(column(m, |m| m.error.as_deref()))
                .bind(column(m, |m| m.standby)))
        })
    }

    fn insert_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>> {
        unless_empty(items, || {
            let sql = "INSERT INTO community_items (id, profile_id, customer_id, kind, \
                       message_id, conversation_id, status, labels, created_at, updated_at, \
                       customer_last_case_spam) OVERRIDING SYSTEM VALUE \
                       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], \
                       $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], \
                       $9::bigint[], $10::bigint[], $11::boolean[])";
            Ok(Sql::new(sql)
                .bind(column(items, |i| i.id.0))
                .bind(column(items, |i| i.profile_id.0))
                .bind(column(items, |i| i.customer_id.0))
                .bind(column(items, |i| i.kind.as_str()))
                .bind(column(items, |i| i.message_id.0))
                .bind(column(items, |i| i.conversation_id.0))
                .bind(column(items, |i| i.status.as_str()))
                .bind(json_column(items, |i| &i.labels)?)
                .bind(column(items, |i| i.created_at.0))
                .bind(column(items, |i| i.updated_at.0))
                .bind(column(items, |i| i.customer_last_case_spam)))
        })
    }

    fn update_community_items<'a>(&self, items: &'a [CommunityItem]) -> Result<Vec<Sql<'a>>> {
        unless_empty(items, || {
            let sql = "UPDATE community_items i SET message_id = v.message_id, \
                       status = v.status, labels = v.labels, updated_at = v.updated_at, \
                       customer_last_case_spam = v.spam \
                       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
                       $5::bigint[], $6::boolean[]) \
                       AS v(id, message_id, status, labels, updated_at, spam) WHERE i.id = v.id";
            Ok(Sql::new(sql)
                .bind(column(items, |i| i.id.0))
                .bind(column(items, |i| i.message_id.0))
                .bind(column(items, |i| i.status.as_str()))
                .bind(json_column(items, |i| &i.labels)?)
                .bind(column(items, |i| i.updated_at.0))
                .bind(column(items, |i| i.customer_last_case_spam)))
        })
    }

    fn update_case_states<'a>(&self, cases: &'a [&'a Case]) -> Result<Vec<Sql<'a>>> {
        unless_empty(cases, || {
            let sql = "UPDATE cases c SET status = v.status, assignee_id = v.assignee_id, \
                       priority_rank = v.priority_rank, sentiment = v.sentiment, \
                       last_customer_message_at = v.last_customer_message_at, \
                       grace_until = v.grace_until, holds_active_slot = v.holds_active_slot, \
                       version = v.version, deleted = v.deleted \
                       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], \
                       $5::text[], $6::bigint[], $7::bigint[], $8::boolean[], $9::bigint[], \
                       $10::boolean[]) \
                       AS v(id, status, assignee_id, priority_rank, sentiment, \
                       last_customer_message_at, grace_until, holds_active_slot, version, \
                       deleted) WHERE c.id = v.id";
            let last_customer_message =
                |c: &&Case| c.last_customer_message_at.unwrap_or(c.created_at).0;
            Ok(Sql::new(sql)
                .bind(column(cases, |c| c.id.0))
                .bind(column(cases, |c| c.status.as_str()))
                .bind(column(cases, |c| c.assignee_id.map(|u| u.0)))
                .bind(column(cases, |c| c.priority.rank()))
                .bind(column(cases, |c| c.sentiment.as_str()))
                .bind(column(cases, last_customer_message))
                .bind(column(cases, |c| c.grace_until.map(|t| t.0)))
                .bind(column(cases, |c| c.holds_active_slot))
                .bind(column(cases, |c| c.version))
                .bind(column(cases, |c| c.deleted)))
        })
    }

    fn add_case_messages<'a>(&self, pairs: &'a [(CaseId, MessageId)]) -> Result<Vec<Sql<'a>>> {
        unless_empty(pairs, || {
            let sql = "INSERT INTO case_messages (case_id, message_id, created_at, direct) \
                       SELECT k.case_id, m.id, m.created_at, m.kind = 'direct' \
                       FROM unnest($1::bigint[], $2::bigint[]) AS k(case_id, message_id) \
                       JOIN messages m ON m.id = k.message_id ON CONFLICT DO NOTHING";
            let cases = column(pairs, |(c, _)| c.0);
            Ok(Sql::new(sql).bind(cases).bind(column(pairs, |(_, m)| m.0)))
        })
    }
}

/// Binds conversation keys as four arrays: profiles, customers, kinds, root network ids.
fn conversation_keys<'a>(statement: Sql<'a>, keys: &'a [ConversationKey]) -> Sql<'a> {
    statement
        .bind(column(keys, |k| k.profile.0))
        .bind(column(keys, |k| k.customer.0))
        .bind(column(keys, |k| k.kind.as_str()))
        .bind(column(keys, |k| k.root_network_id.as_str()))
}
