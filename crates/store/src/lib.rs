//! The storage port of caredesk.
//!
//! This crate owns the [`Store`] and [`Tx`] traits that the use cases talk to, the
//! [`StoreError`] every backend answers with, the description of the Care views (filters, sort
//! orders, keyset cursors) that each backend renders in its own SQL dialect, the decoders of
//! stored rows and the read models built from the shared descriptions. It holds no SQL of its
//! own beyond that shared query description and no business rule: backends store what the
//! domain decided. The conformance stories every backend passes are in `caredesk-store-tests`.

pub mod assignment;
pub mod bulk;
pub mod cursor;
mod error;
pub mod ingest;
pub mod lookups;
pub mod media;
pub mod mentions;
pub mod notifications;
mod ports;
pub mod presence;
pub mod reads;
pub mod records;
pub mod reports;
pub mod rows;
pub mod salesforce;
pub mod saved_replies;
pub mod search;
pub mod sla;
mod tx;
pub mod views;

pub use cursor::Cursor;
pub use error::StoreError;
pub use ports::{Store, Tx};
pub use records::*;
pub use views::{CaseFilter, CaseQuery, ProfileScope, Sort, SortKey, View, Viewer};
