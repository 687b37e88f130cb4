//! The caredesk command's library: the command line, the configuration, starting the product,
//! the demo installation with its simulated networks and customers, user management and the
//! benchmark. The `caredesk` binary parses the command line and hands over to these modules.

pub mod background;
pub mod backup;
pub mod bench;
pub mod cli;
pub mod config;
pub mod demo;
pub mod opening;
pub mod private_files;
pub mod runtime;
pub mod salesforce_worker;
pub mod secret_key;
pub mod user_cmd;
