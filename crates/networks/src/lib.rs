//! Meta, X and Salesforce at the edge of caredesk.
//!
//! Each social network is one adapter module ([`meta`] for Facebook, Messenger and Instagram,
//! [`x`] for X) behind one trait, [`adapter::NetworkAdapter`]: it verifies and parses webhook
//! deliveries into the network-neutral updates the `app` crate ingests, answers the
//! subscription handshake, and builds the call that posts a reply on each of its channels. The
//! [`registry`] is the one place that maps a network to its adapter; the webhooks, the outbound
//! sender ([`outbound`]) and the guarded media download ([`fetch`]) go through it. Parsing is
//! tolerant: unknown fields and event kinds are skipped and counted, never an error. The client
//! of Salesforce's REST API lives in [`salesforce`].

pub mod adapter;
pub mod fetch;
pub mod meta;
pub mod outbound;
pub mod registry;
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
