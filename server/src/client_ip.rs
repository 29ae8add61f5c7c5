//! Whose address a request's limits count. Behind the TLS proxy every
//! connection comes from the proxy, so the proxy's own address would make each
//! per-address limit city-wide. Only when the connection comes from one of the
//! configured trusted proxies (`MAHALLE_TRUSTED_PROXIES`) does `X-Forwarded-For`
//! count: its right-most address that is not itself a trusted proxy is the
//! client (each proxy appends the address it was reached from, so everything to
//! its left was written by whoever the proxy served and proves nothing). From
//! any other peer the header is ignored. IPv6 clients count per /64.
//!
//! Not `axum-client-ip`: its `RightmostXForwardedFor` (1.3) takes the right-most
//! entry whoever the peer is and knows no list of trusted proxies, so a direct
//! client would choose its own address and a chain of two proxies would count
//! the inner proxy. The few lines below do exactly the rule above; `ipnet`
//! (already in the dependency tree) parses the ranges.

use app::accounts::auth::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The proxies whose `X-Forwarded-For` is believed: addresses and CIDR ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    /// Reads a comma-separated list of addresses (`10.0.0.7`, `::1`) and CIDR
    /// ranges (`10.0.0.0/8`, `fd00::/8`); blank entries are skipped. The error
    /// is the first entry that is neither.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net.trunc(),
                Err(_) => match entry.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip.to_canonical()),
                    Err(_) => return Err(entry.to_owned()),
                },
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets.into()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:443`) or in brackets; anything else is
/// no address.
fn hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

/// The client of a request that came from `peer` carrying the
/// `X-Forwarded-For` values `forwarded` (in the order received). From an
/// untrusted peer: the peer. From a trusted one: the right-most forwarded
/// address that is not trusted, else (all trusted) the left-most, else (no
/// address in the header) the peer. Malformed entries are skipped.
pub fn client<'a>(peer: IpAddr, forwarded: impl IntoIterator<Item = &'a str>, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(hop)
        .collect();
    let mut client = peer;
    for &ip in hops.iter().rev() {
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    client
}

/// The address limits count for `ip`: an IPv4 address itself, an IPv6 address
/// its /64 network (a single subscriber gets at least a /64).
pub fn counted(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

fn forwarded_values(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    // A line that is not visible ASCII holds no address; the others still count.
    headers.get_all(X_FORWARDED_FOR).iter().filter_map(|v| v.to_str().ok())
}

/// The layer: finds the client once per request and leaves it as the
/// [`ClientAddress`] extension that `app::accounts::auth::client_address` reads.
pub async fn record(State(trusted): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = client(peer.ip(), forwarded_values(request.headers()), &trusted);
        request.extensions_mut().insert(ClientAddress(counted(ip)));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    fn trusted(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).expect("a valid list")
    }

    #[test]
    fn the_list_takes_addresses_and_ranges_of_both_families() {
        let list = trusted(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8,::1,, 192.168.1.77/24");
        for inside in [
            "127.0.0.1",
            "10.200.3.4",
            "fd12:3456::1",
            "::1",
            "192.168.1.1",
            "::ffff:10.1.1.1",
        ] {
            assert!(list.contains(ip(inside)), "{inside}");
        }
        for outside in ["127.0.0.2", "11.0.0.1", "fe80::1", "::2", "192.168.2.1"] {
            assert!(!list.contains(ip(outside)), "{outside}");
        }
        assert!(trusted("").is_empty());
        assert!(trusted(" , ").is_empty());
        for bad in ["10.0.0.0/33", "localhost", "10.0.0.1:80", "::1/129", "1.2.3"] {
            assert_eq!(
                TrustedProxies::parse(&format!("127.0.0.1, {bad}")),
                Err(bad.to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn through_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let proxies = trusted("127.0.0.1, 10.0.0.0/8");
        let peer = ip("127.0.0.1");
        assert_eq!(client(peer, ["203.0.113.7"], &proxies), ip("203.0.113.7"));
        assert_eq!(
            client(peer, ["198.51.100.1, 203.0.113.7"], &proxies),
            ip("203.0.113.7"),
            "what the client wrote itself, to the left, is not believed"
        );
        assert_eq!(
            client(peer, ["198.51.100.1, 203.0.113.7, 10.1.2.3"], &proxies),
            ip("203.0.113.7"),
            "an inner trusted proxy is skipped"
        );
        assert_eq!(
            client(peer, ["198.51.100.1", "203.0.113.7, 10.1.2.3"], &proxies),
            ip("203.0.113.7"),
            "several header lines read as one list, in order"
        );
        assert_eq!(
            client(peer, ["203.0.113.7:4711"], &proxies),
            ip("203.0.113.7"),
            "a port is no part of the address"
        );
        assert_eq!(client(peer, ["[2001:db8::5]:443"], &proxies), ip("2001:db8::5"));
        assert_eq!(client(peer, ["[2001:db8::5]"], &proxies), ip("2001:db8::5"));
        assert_eq!(client(peer, ["::ffff:203.0.113.7"], &proxies), ip("203.0.113.7"));
    }

    #[test]
    fn when_every_forwarded_address_is_trusted_the_left_most_is_the_client() {
        let proxies = trusted("127.0.0.1, 10.0.0.0/8");
        let peer = ip("127.0.0.1");
        assert_eq!(
            client(peer, ["10.0.0.9, 10.0.0.8, 127.0.0.1"], &proxies),
            ip("10.0.0.9")
        );
        assert_eq!(
            client(peer, std::iter::empty(), &proxies),
            peer,
            "no header: the proxy itself"
        );
        assert_eq!(client(peer, [""], &proxies), peer);
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let proxies = trusted("127.0.0.1");
        let peer = ip("127.0.0.1");
        assert_eq!(client(peer, ["203.0.113.7, unknown"], &proxies), ip("203.0.113.7"));
        assert_eq!(
            client(
                peer,
                ["203.0.113.7, , 999.1.1.1, 203.0.113, _hidden, 2001:db8::zz"],
                &proxies
            ),
            ip("203.0.113.7")
        );
        assert_eq!(client(peer, ["nonsense"], &proxies), peer, "nothing usable: the proxy");
        let mut headers = HeaderMap::new();
        headers.append(
            X_FORWARDED_FOR,
            axum::http::HeaderValue::from_bytes(b"198.51.100.1\xff").expect("obs-text is a header value"),
        );
        headers.append(X_FORWARDED_FOR, "203.0.113.7".parse().expect("a header value"));
        assert_eq!(
            client(peer, forwarded_values(&headers), &proxies),
            ip("203.0.113.7"),
            "a line that is not text is skipped, the others still count"
        );
    }

    #[test]
    fn from_an_untrusted_peer_the_header_is_ignored() {
        let peer = ip("192.0.2.50");
        assert_eq!(client(peer, ["203.0.113.7"], &trusted("127.0.0.1")), peer);
        assert_eq!(
            client(peer, ["203.0.113.7"], &TrustedProxies::default()),
            peer,
            "no trusted proxy configured: never"
        );
        assert_eq!(
            client(ip("::ffff:192.0.2.50"), ["203.0.113.7"], &trusted("127.0.0.1")),
            peer,
            "an IPv4 peer on a dual-stack socket is that IPv4 address"
        );
        assert_eq!(
            client(ip("::ffff:127.0.0.1"), ["203.0.113.7"], &trusted("127.0.0.1")),
            ip("203.0.113.7"),
            "and is trusted as that address"
        );
    }

    #[test]
    fn ipv6_clients_count_per_64_and_ipv4_clients_per_address() {
        assert_eq!(counted(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), ip("2001:db8:1:2::"));
        assert_eq!(counted(ip("2001:db8:1:2::1")), counted(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(counted(ip("2001:db8:1:2::1")), counted(ip("2001:db8:1:3::1")));
        assert_eq!(counted(ip("203.0.113.7")), ip("203.0.113.7"));
        assert_ne!(counted(ip("203.0.113.7")), counted(ip("203.0.113.8")));
        assert_eq!(counted(ip("::ffff:203.0.113.7")), ip("203.0.113.7"));
        let proxies = trusted("::1");
        assert_eq!(
            counted(client(ip("::1"), ["2001:db8:1:2:3:4:5:6"], &proxies)),
            ip("2001:db8:1:2::")
        );
    }
}
