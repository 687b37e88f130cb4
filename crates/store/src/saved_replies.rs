//! What the store keeps of saved replies (PRODUCT.md §12), and the parts of the ports that read
//! and write them: one row each, `owner_id` NULL for a shared one. A user's list is the shared
//! ones and their own, answered in the domain's order ([`caredesk_domain::saved_reply::by_name`])
//! so every backend lists them alike. Who may see or change which is the domain's; the store
//! keeps what it is given.

use async_trait::async_trait;
use caredesk_domain::{NewSavedReply, SavedReply, SavedReplyId, Timestamp, UserId};

use crate::ports::Result;
use crate::rows::Columns;

/// Reads outside a unit of work.
#[async_trait]
pub trait SavedReplyReads {
    /// The shared saved replies and `owner`'s own, by name.
    async fn saved_replies(&self, owner: UserId) -> Result<Vec<SavedReply>>;
    /// A saved reply, whoever's it is.
    async fn saved_reply(&self, id: SavedReplyId) -> Result<Option<SavedReply>>;
}

/// Writes inside a unit of work.
#[async_trait]
pub trait SavedReplyWrites: Send {
    /// A saved reply, whoever's it is (locked for this unit of work where the dialect locks
    /// rows).
    async fn saved_reply_for_update(&mut self, id: SavedReplyId) -> Result<Option<SavedReply>>;
    /// Inserts a saved reply; answers it with the id the database gave it.
    async fn insert_saved_reply(&mut self, new: &NewSavedReply) -> Result<SavedReply>;
    /// Saves a saved reply's name, text, owner and change time.
    async fn update_saved_reply(&mut self, reply: &SavedReply) -> Result<()>;
    /// Deletes a saved reply (no-op when it is gone).
    async fn delete_saved_reply(&mut self, id: SavedReplyId) -> Result<()>;
}

/// A saved reply from its row (`id, owner_id, name, text, created_at, updated_at`).
pub fn saved_reply(row: &dyn Columns) -> Result<SavedReply> {
    Ok(SavedReply {
        id: SavedReplyId(row.int("id")?),
        owner: row.opt_int("owner_id")?.map(UserId),
        name: row.text("name")?,
        text: row.text("text")?,
        created_at: Timestamp(row.int("created_at")?),
        updated_at: Timestamp(row.int("updated_at")?),
    })
}
