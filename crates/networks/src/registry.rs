//! The one place that says which adapter serves which network. The webhooks, the outbound
//! sender and anything else that talks to a network ask here; nothing else names an adapter.
//! A new network is a module with its [`NetworkAdapter`], one line here (the `match` below
//! refuses to compile until it is there), and its fake in `caredesk-fakes`.

use caredesk_domain::{AppNetwork, Network};

use crate::adapter::NetworkAdapter;
use crate::{meta, x};

static META: meta::Meta = meta::Meta;
static X: x::X = x::X;

/// The adapter of a developer platform.
pub fn adapter(platform: AppNetwork) -> &'static dyn NetworkAdapter {
    match platform {
        AppNetwork::Meta => &META,
        AppNetwork::X => &X,
    }
}

/// The adapter that serves a network (Facebook and Instagram share Meta's).
pub fn adapter_for(network: Network) -> &'static dyn NetworkAdapter {
    adapter(network.app_network())
}

/// Every adapter, in the order the platforms are declared.
pub fn adapters() -> impl Iterator<Item = &'static dyn NetworkAdapter> {
    AppNetwork::ALL.iter().map(|platform| adapter(*platform))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_has_one_adapter_that_says_it_serves_it() {
        for network in Network::ALL {
            let adapter = adapter_for(*network);
            assert_eq!(adapter.app_network(), network.app_network());
            assert!(adapter.networks().contains(network), "{network}");
        }
        for adapter in adapters() {
            assert!(adapter
                .networks()
                .iter()
                .all(|n| n.app_network() == adapter.app_network()));
        }
    }
}
