//! The rules of caredesk, as pure functions of (state, action, now).
//!
//! This crate owns every business rule of the product: the entities, the case state machine
//! (PRODUCT.md §3), the permission policy (§2), inbound routing (§4), the reply-kind table and
//! platform limits (§5), the validation of case-field values (§8), which media types are shown
//! inline and when a customer is looked up (§11), saved replies with their variables, who is
//! notified of what, who else has a case open, users' time zones and the limits a composer shows
//! before sending (§12), and service levels: business-hours schedules, counted time, SLA
//! policies and each target's timer, who can take work and to whom auto-assignment hands a
//! case, and what reports count (§13). It performs no I/O, has no async code and depends on no
//! database or HTTP crate; callers load state, ask the domain, and persist what it answers.
//! Every refusal is a [`Refusal`].

mod macros;

pub mod attachment;
pub mod availability;
pub mod backoff;
pub mod bulk;
pub mod case;
pub mod case_edits;
pub mod case_field;
pub mod case_status;
pub mod community;
pub mod customer;
pub mod delivery;
pub mod escalation;
pub mod event;
pub mod ids;
pub mod lookup;
pub mod media;
pub mod media_sniff;
pub mod media_type;
pub mod mention;
pub mod message;
pub mod network;
pub mod notification;
pub mod percentile;
pub mod policy;
pub mod presence;
pub mod profile_health;
pub mod refusal;
pub mod reply;
pub mod reply_control;
pub mod reply_limits;
pub mod report;
pub mod routing;
pub mod salesforce;
pub mod saved_reply;
pub mod search;
pub mod settings;
pub mod sla;
pub mod time;
pub mod time_zone;
pub mod user;

#[cfg(test)]
mod delivery_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod world_model;
#[cfg(test)]
mod world_model_tests;

pub use attachment::{Attachment, AttachmentKind, MediaState};
pub use case::{Case, CaseStatus, Priority, Sentiment};
pub use case_field::{CaseField, FieldKind, FieldValue, NewCaseField};
pub use community::{CommunityItem, CommunityStatus, ItemKind, NewItem};
pub use customer::{Customer, CustomerDetails, SalesforceLink};
pub use event::{Event, EventKind};
pub use ids::*;
pub use message::{
    Author, Conversation, ConversationKind, Delivery, Message, MessageKind, NewMessage,
};
pub use network::{AppNetwork, Network, NetworkApp, NewNetworkApp, NewProfile, Profile};
pub use notification::{NewNotification, Notification, NotificationKind};
pub use refusal::Refusal;
pub use saved_reply::{NewSavedReply, SavedReply};
pub use settings::Settings;
pub use time::Timestamp;
pub use time_zone::TimeZoneName;
pub use user::{CareAccess, Role, User};
