//! Saved replies: a user's list (the shared ones and their own), one reply, and its writes.
//! Reads inside a unit of work lock the reply where the dialect locks rows, so two changes of
//! one reply follow each other.

use caredesk_domain::saved_reply::by_name;
use caredesk_domain::{NewSavedReply, SavedReply, SavedReplyId, UserId};
use caredesk_store::saved_replies as decode;

use super::Result;
use crate::{Conn, Lock, Sql};

const COLUMNS: &str = "id, owner_id, name, text, created_at, updated_at";

pub(crate) async fn list(conn: &mut Conn<'_>, owner: UserId) -> Result<Vec<SavedReply>> {
    let mut replies = Sql::new(format!(
        "SELECT {COLUMNS} FROM saved_replies WHERE owner_id IS NULL OR owner_id = $1 \
         ORDER BY name, id"
    ))
    .bind(owner.0)
    .all(conn, decode::saved_reply)
    .await?;
    // The databases' collations differ; the domain's order is the same everywhere.
    replies.sort_by(by_name);
    Ok(replies)
}

pub(crate) async fn one(
    conn: &mut Conn<'_>,
    id: SavedReplyId,
    lock: Lock,
) -> Result<Option<SavedReply>> {
    let lock = lock.clause(conn.dialect());
    Sql::new(format!(
        "SELECT {COLUMNS} FROM saved_replies WHERE id = $1{lock}"
    ))
    .bind(id.0)
    .optional(conn, decode::saved_reply)
    .await
}

pub(crate) async fn insert(conn: &mut Conn<'_>, new: &NewSavedReply) -> Result<SavedReply> {
    let id: i64 = Sql::new(
        "INSERT INTO saved_replies (owner_id, name, text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(new.owner.map(|u| u.0))
    .bind(&new.name)
    .bind(&new.text)
    .bind(new.at.0)
    .scalar(conn)
    .await?;
    Ok(new.clone().stored_as(SavedReplyId(id)))
}

pub(crate) async fn update(conn: &mut Conn<'_>, reply: &SavedReply) -> Result<()> {
    Sql::new(
        "UPDATE saved_replies SET owner_id = $1, name = $2, text = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(reply.owner.map(|u| u.0))
    .bind(&reply.name)
    .bind(&reply.text)
    .bind(reply.updated_at.0)
    .bind(reply.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete(conn: &mut Conn<'_>, id: SavedReplyId) -> Result<()> {
    Sql::new("DELETE FROM saved_replies WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
