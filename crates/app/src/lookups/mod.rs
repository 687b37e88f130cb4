//! Who the customer is (PRODUCT.md §11): Messenger and Instagram direct messages name a person
//! only by a page-scoped id, so after the commit the desk asks the network through the
//! [`PersonSource`] port, with the token of the profile they wrote to. A look-up is queued with
//! the message that calls for it (`crate::ingest`), claimed by a worker for a lease, and its
//! answer saved in one unit of work: the name and handle replace what the network said before
//! but never a detail an agent set by hand, and the picture becomes a media row of the customer
//! that the media worker keeps like any image (the customer's `avatar_url` then points at the
//! desk's copy). The rules (when, how often, backoff) are the domain's (`domain::lookup`).

mod pass;
mod port;
mod save;

pub use pass::{LookupConfig, LookupPass};
pub use port::{LookedUp, PersonSource};
pub(crate) use save::avatar_kept;
