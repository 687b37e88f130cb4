//! The notification parts of the store: reads on a reader connection, writes inside the unit
//! of work.

use async_trait::async_trait;
use caredesk_domain::{NewNotification, Notification, NotificationId, Timestamp, UserId};
use caredesk_store::notifications::{
    NotificationQuery, NotificationReads, NotificationWrites, ReadMark,
};
use caredesk_store::{Page, StoreError};

use crate::queries::notifications as q;
use crate::{Backend, SqlStore, SqlTx};

type Result<T> = std::result::Result<T, StoreError>;

#[async_trait]
impl<B: Backend> NotificationReads for SqlStore<B> {
    async fn notifications(&self, query: &NotificationQuery) -> Result<Page<Notification>> {
        q::page(&mut self.backend().reader().await?.conn(), query).await
    }

    async fn unread_notifications(&self, user: UserId) -> Result<i64> {
        q::unread_count(&mut self.backend().reader().await?.conn(), user).await
    }
}

#[async_trait]
impl<B: Backend> NotificationWrites for SqlTx<B> {
    async fn insert_notification(&mut self, new: &NewNotification) -> Result<NotificationId> {
        q::insert(&mut self.conn(), new).await
    }

    async fn insert_notifications(
        &mut self,
        new: &[NewNotification],
    ) -> Result<Vec<(NotificationId, NewNotification)>> {
        q::insert_many(&mut self.conn(), new).await
    }

    async fn mark_notifications_read(
        &mut self,
        user: UserId,
        mark: &ReadMark,
        now: Timestamp,
    ) -> Result<u64> {
        q::mark_read(&mut self.conn(), user, mark, now).await
    }
}
