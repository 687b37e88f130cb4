//! The fakes' test binary: the real sender against the fake Meta and X servers (every channel,
//! every fault), their echoes and customer deliveries through the real parsers, the rules the
//! fakes enforce as the networks do, the person look-up, X calls signed with OAuth 1.0a, the
//! signed download of X's direct-message media, and the Salesforce client against the
//! Salesforce fake.

mod customers;
mod echoes;
mod faults;
mod meta_sends;
mod network_rules;
mod people;
mod salesforce_records;
mod salesforce_sessions;
mod support;
mod x_dm_media;
mod x_oauth1;
mod x_sends;
