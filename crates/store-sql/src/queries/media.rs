//! The media rows: queued with the messages that carry them, claimed for a lease by the download
//! worker (passing over rows another unit of work holds where the dialect locks rows), saved with
//! what the download came to.

use caredesk_domain::media::{Media, MediaDownload, NewUpload};
use caredesk_domain::*;
use caredesk_store::rows::{self, to_json};

use super::leases::{self, Queue};
use super::Result;
use crate::multi_row::{insert_rows, rows_per_statement};
use crate::{Conn, Sql};

pub(crate) async fn media(conn: &mut Conn<'_>, id: MediaId) -> Result<Option<Media>> {
    Sql::new("SELECT * FROM media WHERE id = $1")
        .bind(id.0)
        .optional(conn, rows::media)
        .await
}

pub(crate) async fn media_backlog(conn: &mut Conn<'_>) -> Result<i64> {
    Sql::new("SELECT COUNT(*) FROM media WHERE due_at IS NOT NULL")
        .scalar(conn)
        .await
}

pub(crate) async fn queue_downloads(
    conn: &mut Conn<'_>,
    downloads: &[MediaDownload],
    now: Timestamp,
) -> Result<()> {
    const COLUMNS: usize = 8;
    let head = "INSERT INTO media (message_id, position, profile_id, kind, network_url, state, \
                due_at, created_at) ";
    let tail = " ON CONFLICT DO NOTHING";
    let per_statement = rows_per_statement(conn.dialect(), COLUMNS);
    insert_rows(
        conn,
        (head, tail),
        COLUMNS,
        per_statement,
        downloads,
        |row, d| {
            Ok(row
                .bind(d.message.0)
                .bind(i64::from(d.position))
                .bind(d.profile.0)
                .bind(d.kind.as_str())
                .bind(d.url.as_str())
                .bind(MediaState::Pending.as_str())
                .bind(now.0)
                .bind(now.0))
        },
    )
    .await
}

pub(crate) async fn claim_downloads(
    conn: &mut Conn<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<Media>> {
    let queue = Queue {
        table: "media",
        due_at: "due_at",
        claimed_until: "claimed_until",
        attempts: "attempts",
    };
    leases::claim(conn, &queue, (now, lease_until), limit, rows::media, |m| {
        m.id.0
    })
    .await
}

pub(crate) async fn save_media(conn: &mut Conn<'_>, m: &Media) -> Result<()> {
    Sql::new(
        "UPDATE media SET state = $1, object_key = $2, mime = $3, size = $4, attempts = $5, \
         due_at = $6, error = $7, claimed_until = NULL WHERE id = $8",
    )
    .bind(m.state.as_str())
    .bind(&m.object_key)
    .bind(&m.mime)
    .bind(m.size)
    .bind(i64::from(m.attempts))
    .bind(m.due_at.map(|t| t.0))
    .bind(&m.error)
    .bind(m.id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_upload(conn: &mut Conn<'_>, upload: &NewUpload) -> Result<Media> {
    Sql::new(
        "INSERT INTO media (uploaded_by, kind, filename, state, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING *",
    )
    .bind(upload.uploaded_by.0)
    .bind(upload.kind.as_str())
    .bind(&upload.filename)
    .bind(MediaState::Pending.as_str())
    .bind(upload.created_at.0)
    .one(conn, rows::media)
    .await
}

pub(crate) async fn attach_upload(
    conn: &mut Conn<'_>,
    media: MediaId,
    uploader: UserId,
    (message, position): (MessageId, u32),
    profile: ProfileId,
) -> Result<Option<Media>> {
    Sql::new(
        "UPDATE media SET message_id = $1, position = $2, profile_id = $3 \
         WHERE id = $4 AND uploaded_by = $5 AND message_id IS NULL AND state = $6 RETURNING *",
    )
    .bind(message.0)
    .bind(i64::from(position))
    .bind(profile.0)
    .bind(media.0)
    .bind(uploader.0)
    .bind(MediaState::Stored.as_str())
    .optional(conn, rows::media)
    .await
}

pub(crate) async fn set_message_attachments(
    conn: &mut Conn<'_>,
    message: MessageId,
    attachments: &[Attachment],
) -> Result<()> {
    Sql::new("UPDATE messages SET attachments = $1 WHERE id = $2")
        .bind(to_json(&attachments)?)
        .bind(message.0)
        .execute(conn)
        .await?;
    Ok(())
}
