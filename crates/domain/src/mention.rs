//! Mentions the network announces without their content (PRODUCT.md §11 "Kinds to handle"):
//! Instagram's `mentions` change names only the media and, for a mention in a comment, the
//! comment. The desk looks the mention up after the commit — never before the webhook's 200 —
//! and files what it finds as a `mention` message; failures are tried again later, a mention
//! the network no longer has is dropped.

use crate::ids::ProfileId;
use crate::media::DOWNLOAD_BACKOFF;
use crate::time::Timestamp;

/// A mention waiting to be looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionLookup {
    /// Its row.
    pub id: i64,
    /// The profile that was mentioned.
    pub profile_id: ProfileId,
    /// The media (post) the mention is on, or whose caption mentions the profile.
    pub post_id: String,
    /// The comment that mentions the profile; `None` for a caption.
    pub comment_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
    /// When the next attempt is due (`None`: nothing left to do).
    pub due_at: Option<Timestamp>,
    /// What the last attempt met.
    pub error: Option<String>,
}

/// What a look-up came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MentionLookupResult {
    /// Found and filed.
    Filed,
    /// The network no longer has it (deleted, private, not a mention of ours): dropped.
    Gone(String),
    /// May work later (a timeout, a 5xx, a rate limit).
    Failed(String),
}

impl MentionLookup {
    /// Records an attempt (`attempts` counts it): done, dropped, or due again after the same
    /// backoff as media downloads, dropped once the attempts are used up.
    pub fn record(&mut self, result: MentionLookupResult, now: Timestamp) {
        match result {
            MentionLookupResult::Filed => {
                self.due_at = None;
                self.error = None;
            }
            MentionLookupResult::Gone(why) => {
                self.due_at = None;
                self.error = Some(why);
            }
            MentionLookupResult::Failed(why) => {
                self.due_at = DOWNLOAD_BACKOFF.next_attempt(self.attempts, now);
                self.error = Some(why);
            }
        }
    }

    /// Whether nothing is left to do.
    pub fn is_settled(&self) -> bool {
        self.due_at.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(attempts: u32) -> MentionLookup {
        MentionLookup {
            id: 1,
            profile_id: ProfileId(1),
            post_id: "media-1".into(),
            comment_id: Some("comment-1".into()),
            attempts,
            due_at: Some(Timestamp(0)),
            error: None,
        }
    }

    #[test]
    fn a_lookup_is_filed_dropped_or_tried_again_until_the_attempts_are_used() {
        let now = Timestamp(1_000);
        let mut filed = waiting(1);
        filed.record(MentionLookupResult::Filed, now);
        assert!(filed.is_settled() && filed.error.is_none());

        let mut gone = waiting(1);
        gone.record(MentionLookupResult::Gone("deleted".into()), now);
        assert!(gone.is_settled());
        assert_eq!(gone.error.as_deref(), Some("deleted"));

        let mut failed = waiting(1);
        failed.record(MentionLookupResult::Failed("503".into()), now);
        assert_eq!(
            failed.due_at,
            Some(now.plus_secs(60)),
            "a minute after the first"
        );
        let mut last = waiting(crate::media::MAX_DOWNLOAD_ATTEMPTS);
        last.record(MentionLookupResult::Failed("503".into()), now);
        assert!(last.is_settled(), "dropped after the last attempt");
    }
}
