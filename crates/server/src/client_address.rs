//! Which address a request comes from, for throttling (PRODUCT.md §14). The TCP peer, unless
//! the peer is one of the `trusted_proxies`: then `X-Forwarded-For` is read from its right end
//! (the hop nearest to us) leftwards, past every address that is itself a trusted proxy, and the
//! first other address is the client. Entries left of it are whatever the client wrote and are
//! never believed; an entry that is not an address stops the walk at the last trusted hop.

use std::net::IpAddr;
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::AppState;

/// The networks whose `X-Forwarded-For` is believed (`CAREDESK_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a comma-separated list of CIDRs (`10.0.0.0/8, 2001:db8::/32`); a bare address is
    /// a network of one. Empty trusts nobody.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                IpNet::from_str(item)
                    .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                    .map_err(|_| format!("{item:?} is not a CIDR such as 10.0.0.0/8"))
            })
            .collect::<Result<Vec<IpNet>, String>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address for a request from `peer` carrying `headers`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            let Ok(address) = IpAddr::from_str(hop) else {
                return client;
            };
            client = address.to_canonical();
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// The caller's address, for throttling, as [`TrustedProxies::client_address`] reads it.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddress(peer.map_or_else(
            || "unknown".to_owned(),
            |peer| {
                state
                    .trusted_proxies
                    .client_address(peer, &parts.headers)
                    .to_string()
            },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("header"),
            );
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").expect("parses");
        let cases: [(&str, &[&str], &str, &str); 10] = [
            ("203.0.113.9", &[], "203.0.113.9", "no proxy: the peer"),
            (
                "203.0.113.9",
                &["198.51.100.1"],
                "203.0.113.9",
                "an untrusted peer's header is ignored",
            ),
            (
                "10.0.0.2",
                &[],
                "10.0.0.2",
                "a trusted peer without a header",
            ),
            (
                "10.0.0.2",
                &["198.51.100.1"],
                "198.51.100.1",
                "the balancer names the client",
            ),
            (
                "10.0.0.2",
                &["6.6.6.6, 198.51.100.1"],
                "198.51.100.1",
                "what the client wrote itself is not believed",
            ),
            (
                "10.0.0.2",
                &["198.51.100.1, 192.168.1.5"],
                "198.51.100.1",
                "trusted hops are passed",
            ),
            (
                "10.0.0.2",
                &["198.51.100.1", "10.1.1.1"],
                "198.51.100.1",
                "several headers read as one list",
            ),
            (
                "10.0.0.2",
                &["198.51.100.1, not-an-address, 10.1.1.1"],
                "10.1.1.1",
                "garbage stops the walk at the last trusted hop",
            ),
            (
                "10.0.0.2",
                &["10.3.3.3"],
                "10.3.3.3",
                "all trusted: the farthest",
            ),
            (
                "::ffff:10.0.0.2",
                &["2001:db8::7"],
                "2001:db8::7",
                "an IPv4-mapped peer is trusted as its IPv4 address",
            ),
        ];
        for (peer, forwarded, client, why) in cases {
            assert_eq!(
                trusted.client_address(ip(peer), &headers(forwarded)),
                ip(client),
                "{why}"
            );
        }
    }

    #[test]
    fn nobody_is_trusted_by_default() {
        let none = TrustedProxies::parse("").expect("empty parses");
        assert_eq!(none, TrustedProxies::default());
        assert_eq!(
            none.client_address(ip("127.0.0.1"), &headers(&["198.51.100.1"])),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_list_that_is_not_cidrs_is_refused() {
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/8; 1.2.3.4"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
        assert!(TrustedProxies::parse("2001:db8::/32,127.0.0.1").is_ok());
    }
}
