//! Meta, X and Salesforce at the edge of caredesk.
//!
//! This crate will own the networks' webhook formats and signatures, their API clients and the
//! fake servers used by tests and the demo. For now it only names the networks the desk serves;
//! the webhook and outbound work lands here without touching the rules in `domain`.

pub use caredesk_domain::{AppNetwork, Network};

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
