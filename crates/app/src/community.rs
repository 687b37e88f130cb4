//! Community work on items: status and labels (replies from Community arrive with the outbound
//! work).

use std::collections::BTreeSet;

use caredesk_domain::community::validate_labels;
use caredesk_domain::*;

use crate::error::{AppResult, FoundOr};
use crate::App;

impl App {
    /// Sets an item's status and/or labels; locked items may change too.
    pub async fn update_item(
        &self,
        actor: UserId,
        item: CommunityItemId,
        status: Option<CommunityStatus>,
        labels: Option<BTreeSet<String>>,
    ) -> AppResult<CommunityItem> {
        let mut tx = self.store.begin().await?;
        let actor = tx.user(actor).await?.or_not_found()?;
        let mut item = tx.community_item(item).await?.or_not_found()?;
        policy::require_profile_member(&actor, item.profile_id)?;
        if let Some(labels) = labels {
            validate_labels(&labels)?;
            item.labels = labels;
        }
        item.status = status.unwrap_or(item.status);
        tx.update_community_item(&item).await?;
        let kind = EventKind::ItemChanged {
            item_id: item.id,
            profile_id: item.profile_id,
        };
        tx.insert_events(&[Event {
            case_id: None,
            actor: Some(actor.id),
            at: self.now(),
            kind,
        }])
        .await?;
        tx.commit().await?;
        Ok(item)
    }
}
