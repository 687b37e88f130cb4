//! Loopback stand-ins for the social networks and Salesforce, for the tests and `caredesk demo`.
//!
//! [`FakeMeta`] serves the Graph API calls that post replies (comments, comment replies, the
//! Send API) and [`FakeX`] the X API v2 calls (posts, direct messages), both on `127.0.0.1` with
//! the networks' success bodies and error formats. Each records what it posted ([`SentReply`]),
//! takes injected [`Fault`]s one per request, and posts the signed echo of every posted reply to
//! the desk's webhooks as the network would. The [`customers`] module builds signed customer
//! deliveries and posts them with a [`WebhookClient`]. [`FakeSalesforce`] is a loopback org
//! serving the OAuth token endpoint and the REST calls caredesk makes, steered by its own
//! controls.

mod book;
mod clock;
mod controls;
pub mod customers;
mod delivery;
mod echo;
mod error;
mod fault;
pub mod form_data;
mod ids;
pub mod meta;
pub mod salesforce;
mod sent;
mod sent_files;
mod server;
pub mod x;

pub use controls::Controls;
pub use customers::Customers;
pub use delivery::{Delivery, Person, Posted, WebhookClient};
pub use echo::{EchoRecord, WebhookTarget};
pub use error::FakeError;
pub use fault::Fault;
pub use meta::{FakeMeta, FakeMetaConfig, FakePage};
pub use salesforce::{FakeCall, FakeCase, FakeSalesforce, FakeSalesforceConfig, Outage};
pub use sent::{SendKind, SentFile, SentReply};
pub use x::{FakeAccount, FakeX, FakeXConfig, XAuth, XCall};

pub use caredesk_networks::{AppNetwork, Network};

/// The guarded value, also after a panic elsewhere (the fakes' state stays readable).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
