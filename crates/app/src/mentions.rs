//! Mentions the network announces without their content (PRODUCT.md §11 "Kinds to handle"):
//! Instagram's `mentions` change names only the media and the comment. The delivery queues a
//! look-up in its own unit of work; after the commit a worker claims due look-ups for a lease,
//! asks the network through the [`MentionSource`] port, files what it finds as a `mention`
//! message through the one ingest path (a Community item, or the customer's open case), and
//! records the outcome. A crash between claim and save only delays a look-up.

use async_trait::async_trait;
use caredesk_domain::mention::{MentionLookup, MentionLookupResult};
use caredesk_domain::Network;

use crate::delivery::Update;
use crate::error::AppResult;
use crate::ingest::NetworkMessage;
use crate::App;

/// One look-up to make.
#[derive(Clone, Copy)]
pub struct MentionRequest<'a> {
    /// The mentioned profile's network.
    pub network: Network,
    /// The mentioned profile's network id (the Instagram account).
    pub profile_external_id: &'a str,
    /// The profile's access token.
    pub access_token: &'a str,
    /// The post (media) the mention is on.
    pub post_id: &'a str,
    /// The comment that mentions the profile; `None` for a caption.
    pub comment_id: Option<&'a str>,
}

impl std::fmt::Debug for MentionRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MentionRequest")
            .field("network", &self.network)
            .field("profile_external_id", &self.profile_external_id)
            .field("access_token", &"<redacted>")
            .field("post_id", &self.post_id)
            .field("comment_id", &self.comment_id)
            .finish()
    }
}

/// What a look-up came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MentionFound {
    /// The mention, as a message of its author.
    Found(NetworkMessage),
    /// The network no longer has it, or will never show it: dropped.
    Gone(String),
    /// It may work later.
    Temporary(String),
}

/// Asks a network what a mention says and who wrote it.
#[async_trait]
pub trait MentionSource: Send + Sync {
    /// Makes one look-up attempt (never retries by itself).
    async fn look_up_mention(&self, request: MentionRequest<'_>) -> MentionFound;
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MentionPass {
    /// Look-ups claimed.
    pub claimed: usize,
    /// Filed as messages.
    pub filed: usize,
    /// Dropped (gone, attempts used up).
    pub dropped: usize,
    /// To be tried again later.
    pub retrying: usize,
}

/// Look-ups claimed at a time.
const BATCH: u32 = 8;
/// How long a claimed look-up is held before another worker may take it.
const LEASE_SECS: i64 = 300;

impl App {
    /// One pass of the mention look-ups: claims what is due, asks the network, files what it
    /// finds and records each outcome.
    pub async fn look_up_mentions(&self, source: &dyn MentionSource) -> AppResult<MentionPass> {
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let claimed = tx
            .claim_mention_lookups(now, now.plus_secs(LEASE_SECS), BATCH)
            .await?;
        tx.commit().await?;
        let mut pass = MentionPass {
            claimed: claimed.len(),
            ..MentionPass::default()
        };
        if claimed.is_empty() {
            return Ok(pass);
        }
        let profiles = self.store().profiles().await?;
        for mut lookup in claimed {
            let result = match profiles.iter().find(|p| p.id == lookup.profile_id) {
                None => MentionLookupResult::Gone("its profile is gone".into()),
                Some(profile) => {
                    let request = MentionRequest {
                        network: profile.network,
                        profile_external_id: &profile.external_id,
                        access_token: &profile.access_token,
                        post_id: &lookup.post_id,
                        comment_id: lookup.comment_id.as_deref(),
                    };
                    self.file_mention(&lookup, source.look_up_mention(request).await)
                        .await
                }
            };
            match &result {
                MentionLookupResult::Filed => pass.filed += 1,
                MentionLookupResult::Gone(_) => pass.dropped += 1,
                MentionLookupResult::Failed(_) => pass.retrying += 1,
            }
            lookup.record(result, self.now());
            if lookup.is_settled() && lookup.error.is_some() {
                tracing::info!(lookup = lookup.id, error = ?lookup.error, "a mention was dropped");
            }
            let mut tx = self.store().begin().await?;
            tx.save_mention_lookup(&lookup).await?;
            tx.commit().await?;
        }
        Ok(pass)
    }

    /// Files a mention the network described, through the one ingest path.
    async fn file_mention(
        &self,
        lookup: &MentionLookup,
        found: MentionFound,
    ) -> MentionLookupResult {
        let message = match found {
            MentionFound::Found(message) => message,
            MentionFound::Gone(why) => return MentionLookupResult::Gone(why),
            MentionFound::Temporary(why) => return MentionLookupResult::Failed(why),
        };
        let update = |profile| Update::Message { profile, message };
        match self.ingest_update(lookup.profile_id, update).await {
            Ok(_) => MentionLookupResult::Filed,
            Err(error) => MentionLookupResult::Failed(error.to_string()),
        }
    }
}
