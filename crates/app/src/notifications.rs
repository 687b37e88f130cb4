//! Notifications (PRODUCT.md §12): writing them in the unit of work of what causes them, and a
//! user's own list, unread count and read marks. Who is told of what is the domain's
//! (`caredesk_domain::notification`); each notification is stored together with a `notified`
//! event that names no case, so the live stream carries it to its recipient alone and the
//! case's activity log never shows it.

use caredesk_domain::notification;
use caredesk_domain::*;
use caredesk_store::notifications::{NotificationQuery, ReadMark};
use caredesk_store::{Cursor, Page, Tx};

use crate::error::AppResult;
use crate::queries::{list_failed, PageRequest};
use crate::App;

/// Stores `notifications` about case `number`; answers their stream events, for the caller to
/// write with the unit of work's other events.
pub(crate) async fn store(
    tx: &mut dyn Tx,
    case_number: i64,
    notifications: &[NewNotification],
) -> AppResult<Vec<Event>> {
    let mut events = Vec::with_capacity(notifications.len());
    for new in notifications {
        let id = tx.insert_notification(new).await?;
        events.push(new.event(id, case_number));
    }
    Ok(events)
}

/// Stores what `events` of `case` tell its people, with their stream events.
pub(crate) async fn of_case_events(
    tx: &mut dyn Tx,
    case: &Case,
    events: &[Event],
) -> AppResult<()> {
    let told = notification::of_case_events(case, events);
    if told.is_empty() {
        return Ok(());
    }
    let events = store(tx, case.number, &told).await?;
    tx.insert_events(&events).await?;
    Ok(())
}

/// Stores `reply_failed` for the writer of `reply` on `case` when it failed for good.
pub(crate) async fn of_delivery(
    tx: &mut dyn Tx,
    reply: &Message,
    case: &Case,
    now: Timestamp,
) -> AppResult<()> {
    let Some(told) = notification::of_delivery(reply, case.id, now) else {
        return Ok(());
    };
    let events = store(tx, case.number, &[told]).await?;
    tx.insert_events(&events).await?;
    Ok(())
}

impl App {
    /// A page of `user`'s own notifications, newest first (only the unread when asked).
    pub async fn notifications(
        &self,
        user: &User,
        unread_only: bool,
        page: &PageRequest,
    ) -> AppResult<Page<Notification>> {
        let limit = page.limit()?;
        let cursor = match &page.cursor {
            Some(text) => Some(
                Cursor::decode(text)
                    .ok_or_else(|| Refusal::invalid("cursor: not a cursor of this list"))?,
            ),
            None => None,
        };
        let query = NotificationQuery {
            user: user.id,
            unread_only,
            cursor,
            limit,
        };
        self.store.notifications(&query).await.map_err(list_failed)
    }

    /// The users `viewer` may mention on `case` (who can open it), themself left out, by name.
    pub async fn mentionable(&self, viewer: &User, case: &Case) -> AppResult<Vec<User>> {
        policy::require_case_visible(viewer, case)?;
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| u.user)
            .filter(|u| u.id != viewer.id && notification::may_mention(u, case))
            .collect())
    }

    /// How many of `user`'s notifications are unread.
    pub async fn unread_notifications(&self, user: &User) -> AppResult<i64> {
        Ok(self.store.unread_notifications(user.id).await?)
    }

    /// Marks `user`'s own notifications read (`None`: all of them); ids of others' change
    /// nothing. Answers how many were marked.
    pub async fn mark_notifications_read(
        &self,
        user: &User,
        ids: Option<Vec<NotificationId>>,
    ) -> AppResult<u64> {
        let mark = ids.map_or(ReadMark::All, ReadMark::Ids);
        let mut tx = self.store.begin().await?;
        let marked = tx
            .mark_notifications_read(user.id, &mark, self.now())
            .await?;
        tx.commit().await?;
        Ok(marked)
    }
}
