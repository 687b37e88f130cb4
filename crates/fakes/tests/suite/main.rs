//! The fakes' test binary: the real sender against the fake Meta and X servers (every channel,
//! every fault), their echoes and customer deliveries through the real parsers, and the rules the
//! fakes enforce as the networks do.

mod customers;
mod echoes;
mod faults;
mod meta_sends;
mod network_rules;
mod support;
mod x_sends;
