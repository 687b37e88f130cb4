//! Reading the Community inbox: items of the user's profiles (admins: every profile), one item
//! with its lock and badges, and its conversation. An item of a profile the user is not
//! connected to is 404, like a case they may not see.

use caredesk_domain::{policy, CommunityItemId, CommunityStatus, Message, ProfileId, User};
use caredesk_store::views::community::ItemQuery;
use caredesk_store::{ItemRow, Page, ProfileScope};

use super::{list_failed, PageRequest};
use crate::error::{AppResult, FoundOr};
use crate::App;

/// A page of the inbox, as asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemListRequest {
    /// Only these statuses (none: the unhandled ones, `none` and `in_progress`).
    pub statuses: Vec<CommunityStatus>,
    /// Only this profile.
    pub profile_id: Option<ProfileId>,
    /// Only items held by a case (true) or only free ones (false).
    pub locked: Option<bool>,
    /// Only items with this label.
    pub label: Option<String>,
    /// Customer name or handle, message text.
    pub text: Option<String>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// Which page.
    pub page: PageRequest,
}

/// The conversation of an item as Community shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommunityThread {
    /// Its newest messages, oldest first, without internal notes.
    pub messages: Vec<Message>,
    /// Older messages exist that are left out.
    pub truncated: bool,
}

/// Messages read at once when a thread is gathered.
const THREAD_PAGE: u32 = 200;

impl App {
    /// One page of the Community inbox of `actor`'s profiles.
    pub async fn community_items(
        &self,
        actor: &User,
        request: ItemListRequest,
    ) -> AppResult<Page<ItemRow>> {
        let query = ItemQuery {
            profiles: ProfileScope::of(actor),
            statuses: request.statuses,
            profile_id: request.profile_id,
            locked: request.locked,
            label: request.label,
            text: request.text,
            newest_first: request.newest_first,
            limit: request.page.limit()?,
            cursor: request.page.cursor,
        };
        self.store
            .community_items(&query)
            .await
            .map_err(list_failed)
    }

    /// An item of `actor`'s profiles, with its lock and badges.
    pub async fn community_item(&self, actor: &User, id: CommunityItemId) -> AppResult<ItemRow> {
        let row = self.store.community_item(id).await?.or_not_found()?;
        policy::require_profile_member(actor, row.item.profile_id)?;
        Ok(row)
    }

    /// A page of an item's conversation, oldest first, with the delivery states of replies.
    pub async fn item_messages(
        &self,
        actor: &User,
        id: CommunityItemId,
        page: PageRequest,
    ) -> AppResult<Page<Message>> {
        let row = self.community_item(actor, id).await?;
        let limit = page.limit()?;
        self.store
            .conversation_messages(row.item.conversation_id, page.cursor.as_deref(), limit)
            .await
            .map_err(list_failed)
    }

    /// The newest `newest` messages of a visible item's conversation as Community shows it:
    /// internal notes belong to Care cases and are left out.
    pub async fn community_thread(
        &self,
        actor: &User,
        item: &ItemRow,
        newest: usize,
    ) -> AppResult<CommunityThread> {
        policy::require_profile_member(actor, item.item.profile_id)?;
        let mut messages: Vec<Message> = Vec::new();
        let mut truncated = false;
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .store
                .conversation_messages(item.item.conversation_id, cursor.as_deref(), THREAD_PAGE)
                .await?;
            messages.extend(
                page.items
                    .into_iter()
                    .filter(policy::reads::shown_in_community),
            );
            if messages.len() > newest {
                let extra = messages.len() - newest;
                messages.drain(..extra);
                truncated = true;
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(CommunityThread {
            messages,
            truncated,
        })
    }
}
