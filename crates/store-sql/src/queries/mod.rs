//! The statements written once for both dialects, as functions over one connection, shared by
//! reads outside a unit of work and by units of work.

pub(crate) mod assignment;
pub(crate) mod cases;
pub(crate) mod conversation;
pub(crate) mod customer_locks;
pub(crate) mod directory;
pub(crate) mod events;
pub(crate) mod installation;
pub(crate) mod leases;
pub(crate) mod lookups;
pub(crate) mod media;
pub(crate) mod mentions;
pub(crate) mod messages;
pub(crate) mod networks;
pub(crate) mod notifications;
pub(crate) mod outbox;
pub(crate) mod reports;
pub(crate) mod salesforce;
pub(crate) mod saved_replies;
pub(crate) mod savepoints;
pub(crate) mod search;
pub(crate) mod sessions;
pub(crate) mod sla;

pub(crate) type Result<T> = std::result::Result<T, caredesk_store::StoreError>;
