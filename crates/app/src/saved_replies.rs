//! Saved replies (PRODUCT.md §12): the list a Care user picks from (the shared ones and their
//! own), keeping them (supervisors the shared ones, each Care user their own), and filling one
//! for a case. Who may do what is `policy::saved_replies`: anyone without Care access is
//! refused every one of these (403), another user's personal reply is 404 to everyone. A
//! change of a shared reply is recorded in the audit log; personal ones are nobody else's
//! business and leave no trace there.

use caredesk_domain::saved_reply::{render, Fill, SavedReplyEdit};
use caredesk_domain::*;

use crate::directory::actor_of;
use crate::error::{AppResult, FoundOr};
use crate::queries::CaseRef;
use crate::App;

/// A saved reply to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReplyInput {
    /// Its name (1 to 100 characters, trimmed).
    pub name: String,
    /// Its text, whose variables must all be known.
    pub text: String,
    /// Shared by the desk (supervisors), or the caller's own.
    pub shared: bool,
}

/// The parts of a saved reply to change; `None` keeps a part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedReplyChange {
    /// A new name.
    pub name: Option<String>,
    /// A new text.
    pub text: Option<String>,
    /// Share it (supervisors), or make it the caller's own.
    pub shared: Option<bool>,
}

fn owner_for(actor: &User, shared: bool) -> Option<UserId> {
    (!shared).then_some(actor.id)
}

impl App {
    /// The saved replies `user` may use: the shared ones and their own, by name.
    pub async fn saved_replies_for(&self, user: &User) -> AppResult<Vec<SavedReply>> {
        policy::saved_replies::require_saved_replies(user)?;
        Ok(self.store.saved_replies(user.id).await?)
    }

    /// Adds a saved reply: a shared one (supervisors) or the caller's own.
    pub async fn create_saved_reply(
        &self,
        actor: UserId,
        input: SavedReplyInput,
    ) -> AppResult<SavedReply> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        let owner = owner_for(&actor, input.shared);
        policy::saved_replies::require_may_own(&actor, owner)?;
        let new = NewSavedReply::checked(&input.name, &input.text, owner, self.now())?;
        let reply = tx.insert_saved_reply(&new).await?;
        if reply.is_shared() {
            tx.insert_events(&[self.shared_reply_event(&actor, "created", &reply)])
                .await?;
        }
        tx.commit().await?;
        Ok(reply)
    }

    /// Changes some parts of a saved reply the caller keeps: 404 for one they may not see
    /// before 403 for one they may not change, then 422 for its new name or text.
    pub async fn change_saved_reply(
        &self,
        actor: UserId,
        id: SavedReplyId,
        change: SavedReplyChange,
    ) -> AppResult<SavedReply> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::saved_replies::require_saved_replies(&actor)?;
        let before = tx.saved_reply_for_update(id).await?.or_not_found()?;
        policy::saved_replies::require_manageable(&actor, before.owner)?;
        let owner = change.shared.map(|shared| owner_for(&actor, shared));
        if let Some(owner) = owner {
            policy::saved_replies::require_may_own(&actor, owner)?;
        }
        let edit = SavedReplyEdit {
            name: change.name,
            text: change.text,
            owner,
        };
        let reply = before.edited(edit, self.now())?;
        tx.update_saved_reply(&reply).await?;
        if before.is_shared() || reply.is_shared() {
            tx.insert_events(&[self.shared_reply_event(&actor, "updated", &reply)])
                .await?;
        }
        tx.commit().await?;
        Ok(reply)
    }

    /// Deletes a saved reply the caller keeps (404 before 403, as a change).
    pub async fn delete_saved_reply(&self, actor: UserId, id: SavedReplyId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = actor_of(tx.as_mut(), Some(actor)).await?.or_not_found()?;
        policy::saved_replies::require_saved_replies(&actor)?;
        let reply = tx.saved_reply_for_update(id).await?.or_not_found()?;
        policy::saved_replies::require_manageable(&actor, reply.owner)?;
        tx.delete_saved_reply(id).await?;
        if reply.is_shared() {
            tx.insert_events(&[self.shared_reply_event(&actor, "deleted", &reply)])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The text of saved reply `reply` with its variables filled for `case` and `user`: 403
    /// without Care access, 404 for a case they may not see (as the case routes answer) or a
    /// reply that is not theirs to use. Nothing is stored.
    pub async fn render_saved_reply(
        &self,
        user: &User,
        case: CaseId,
        reply: SavedReplyId,
    ) -> AppResult<String> {
        policy::saved_replies::require_saved_replies(user)?;
        let case = self.case_for(user, CaseRef::Id(case)).await?;
        let reply = self.store.saved_reply(reply).await?.or_not_found()?;
        policy::saved_replies::require_readable(user, reply.owner)?;
        let customer = self
            .store
            .customer(case.customer_id)
            .await?
            .or_not_found()?;
        let profiles = self.store.profiles().await?;
        let profile = profiles.iter().find(|p| p.id == case.profile_id);
        let fill = Fill::for_case(&case, &customer, user, profile);
        Ok(render(&reply.text, &fill))
    }

    fn shared_reply_event(&self, actor: &User, what: &str, reply: &SavedReply) -> Event {
        Event::admin(
            Some(actor.id),
            self.now(),
            &format!("saved_reply_{what}"),
            reply.id,
        )
    }
}
