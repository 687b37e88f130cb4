//! The admins' audit log: every event of the installation — deleted cases' included — with
//! sign-ins and changes to users, apps, profiles and settings; newest first. Reading it is
//! checked before the filters are, so a non-admin learns nothing from a malformed filter.

use caredesk_domain::{policy, User};
use caredesk_store::{EventFilter, Page, StoredEvent};

use super::{list_failed, PageRequest};
use crate::error::AppResult;
use crate::App;

/// The audit log, opened by an admin.
pub struct AuditLog<'a> {
    app: &'a App,
}

impl App {
    /// The audit log for `actor`: admins only (403).
    pub fn audit_log(&self, actor: &User) -> AppResult<AuditLog<'_>> {
        policy::require_admin(actor)?;
        Ok(AuditLog { app: self })
    }
}

impl AuditLog<'_> {
    /// A page of the events that match `filter`, newest first.
    pub async fn events(
        &self,
        filter: &EventFilter,
        page: PageRequest,
    ) -> AppResult<Page<StoredEvent>> {
        let limit = page.limit()?;
        self.app
            .store
            .events(filter, page.cursor.as_deref(), limit)
            .await
            .map_err(list_failed)
    }
}
