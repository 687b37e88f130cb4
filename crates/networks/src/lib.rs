//! Meta, X and Salesforce at the edge of caredesk.
//!
//! This crate owns the networks' wire formats: the webhook signatures and handshakes
//! ([`signature`]), and the parsing of Meta ([`meta`]) and X ([`x`]) deliveries into the
//! network-neutral updates that the `app` crate ingests. Parsing is tolerant: unknown fields and
//! event kinds are skipped and counted, never an error. The HTTP clients that post replies live in
//! [`outbound`]; the client of Salesforce's REST API in [`salesforce`].

pub mod meta;
pub mod outbound;
pub mod salesforce;
pub mod signature;
pub mod x;

pub use caredesk_domain::{AppNetwork, Network};

/// What a delivery held besides the updates: kinds skipped because they are not handled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// `(kind, count)` of what was skipped, e.g. `("feed:reaction", 2)`.
    pub kinds: Vec<(String, u32)>,
}

impl Skipped {
    /// Counts one skipped thing of `kind`.
    pub fn add(&mut self, kind: impl Into<String>) {
        let kind = kind.into();
        match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.kinds.push((kind, 1)),
        }
    }

    /// How many things were skipped.
    pub fn total(&self) -> u32 {
        self.kinds.iter().map(|(_, n)| n).sum()
    }
}

/// The networks a desk can connect, in the order the product lists them.
pub fn supported_networks() -> &'static [Network] {
    Network::ALL
}

#[cfg(test)]
mod tests {
    #[test]
    fn facebook_instagram_and_x_are_supported() {
        let words: Vec<&str> = super::supported_networks()
            .iter()
            .map(|n| n.as_str())
            .collect();
        assert_eq!(words, ["facebook", "instagram", "x"]);
    }
}
