//! One pass of the look-up worker: moves the look-ups asked for with messages onto their
//! customers (at most [`REQUESTS_PER_PASS`]), claims the due look-ups for a lease, asks the
//! network about each customer with their profile's token, and saves the answers together in
//! one unit of work (`save`). A crash between claim and save only delays a look-up: the lease runs out and it is
//! claimed again.

use caredesk_domain::lookup::Lookup;

use super::{LookedUp, PersonSource};
use crate::error::AppResult;
use crate::App;

/// Requests for look-ups moved onto their customers' rows per pass (ahead of any rate of
/// messages a desk receives between two passes).
pub const REQUESTS_PER_PASS: u32 = 2_000;

/// How look-ups run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupConfig {
    /// Look-ups claimed at a time.
    pub batch: u32,
    /// How long a claimed look-up is held before another worker may take it.
    pub lease_secs: i64,
}

impl Default for LookupConfig {
    fn default() -> Self {
        LookupConfig {
            batch: 8,
            lease_secs: 300,
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LookupPass {
    /// Requests moved onto their customers' rows.
    pub promoted: usize,
    /// Look-ups claimed.
    pub claimed: usize,
    /// Answered by the network.
    pub found: usize,
    /// Given up (unknown person, refused, attempts used up) until the next refresh.
    pub gave_up: usize,
    /// To be tried again later.
    pub retrying: usize,
}

impl LookupPass {
    fn count(&mut self, answered: bool, after: &Lookup) {
        if answered {
            self.found += 1;
        } else if after.due_at.is_some() {
            self.retrying += 1;
        } else {
            self.gave_up += 1;
        }
    }
}

impl App {
    /// One pass of the customer look-ups: claims what is due and asks `source` about each.
    pub async fn look_up_customers(
        &self,
        source: &dyn PersonSource,
        config: LookupConfig,
    ) -> AppResult<LookupPass> {
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let promoted = tx.promote_lookup_requests(REQUESTS_PER_PASS).await?;
        let claimed = tx
            .claim_lookups(now, now.plus_secs(config.lease_secs), config.batch)
            .await?;
        tx.commit().await?;
        let mut pass = LookupPass {
            promoted,
            claimed: claimed.len(),
            ..LookupPass::default()
        };
        if claimed.is_empty() {
            return Ok(pass);
        }
        let profiles = self.store().profiles().await?;
        let mut answers = Vec::with_capacity(claimed.len());
        for customer in claimed {
            let profile = profiles
                .iter()
                .find(|p| Some(p.id) == customer.lookup.profile_id);
            let answer = match profile {
                Some(profile) => {
                    source
                        .look_up(
                            customer.network,
                            &customer.network_user_id,
                            &profile.access_token,
                        )
                        .await
                }
                None => LookedUp::Refused("its profile is gone".into()),
            };
            answers.push((customer.id, profile, answer));
        }
        let answered: Vec<bool> = answers
            .iter()
            .map(|(_, _, answer)| matches!(answer, LookedUp::Found { .. }))
            .collect();
        let after = self.save_lookups(answers).await?;
        for (answered, after) in answered.into_iter().zip(after) {
            if let Some(after) = after {
                pass.count(answered, &after);
            }
        }
        Ok(pass)
    }
}
