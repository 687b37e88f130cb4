//! What the store keeps of notifications (PRODUCT.md §12), and the parts of the ports that read
//! and write them: one row per recipient, with its case's number joined in when read. Who is
//! notified of what is the domain's (`caredesk_domain::notification`); the store keeps what it
//! is given, and reads and marks only the rows of the user it is asked for.

use async_trait::async_trait;
use caredesk_domain::{
    CaseId, NewNotification, Notification, NotificationId, NotificationKind, Timestamp, UserId,
};

use crate::ports::Result;
use crate::rows::{self, Columns};
use crate::{Cursor, Page};

/// A page of one user's notifications, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationQuery {
    /// Whose.
    pub user: UserId,
    /// Only the unread ones.
    pub unread_only: bool,
    /// Where the page starts (a cursor this list answered).
    pub cursor: Option<Cursor>,
    /// Rows per page (1..=200).
    pub limit: u32,
}

/// Which of a user's notifications to mark read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadMark {
    /// These (ids of other users' notifications change nothing).
    Ids(Vec<NotificationId>),
    /// Every unread one.
    All,
}

/// Reads outside a unit of work.
#[async_trait]
pub trait NotificationReads {
    /// A page of a user's notifications, newest first.
    async fn notifications(&self, query: &NotificationQuery) -> Result<Page<Notification>>;
    /// How many of a user's notifications are unread.
    async fn unread_notifications(&self, user: UserId) -> Result<i64>;
}

/// Writes inside a unit of work.
#[async_trait]
pub trait NotificationWrites: Send {
    /// Stores a notification; answers its id.
    async fn insert_notification(&mut self, new: &NewNotification) -> Result<NotificationId>;
    /// Stores several notifications, a few thousand per statement; answers each with its id,
    /// in no particular order.
    async fn insert_notifications(
        &mut self,
        new: &[NewNotification],
    ) -> Result<Vec<(NotificationId, NewNotification)>>;
    /// Marks `user`'s unread notifications named by `mark` read at `now`; answers how many.
    async fn mark_notifications_read(
        &mut self,
        user: UserId,
        mark: &ReadMark,
        now: Timestamp,
    ) -> Result<u64>;
}

/// A stored notification as its insert answers it (`id, user_id, kind, case_id, actor_id,
/// created_at`).
pub fn inserted(row: &dyn Columns) -> Result<(NotificationId, NewNotification)> {
    Ok((
        NotificationId(row.int("id")?),
        NewNotification {
            recipient: UserId(row.int("user_id")?),
            kind: rows::word(row, "kind")?,
            case_id: CaseId(row.int("case_id")?),
            actor: row.opt_int("actor_id")?.map(UserId),
            at: Timestamp(row.int("created_at")?),
        },
    ))
}

/// A notification from its row (`id, user_id, kind, case_id, case_number, actor_id,
/// created_at, read_at`).
pub fn notification(row: &dyn Columns) -> Result<Notification> {
    let kind: NotificationKind = rows::word(row, "kind")?;
    Ok(Notification {
        id: NotificationId(row.int("id")?),
        recipient: UserId(row.int("user_id")?),
        kind,
        case_id: CaseId(row.int("case_id")?),
        case_number: row.int("case_number")?,
        actor: row.opt_int("actor_id")?.map(UserId),
        created_at: Timestamp(row.int("created_at")?),
        read_at: row.opt_int("read_at")?.map(Timestamp),
    })
}
