//! The `Host:` names `serve` answers to (DNS rebinding: any other is 421).

use std::net::{IpAddr, SocketAddr};

/// The `Host:` names the preview answers to: `localhost`, the loopback addresses, the
/// address it listens on, and those of `--allow-host`, on its own port. Any other name is a
/// page of another site that reached the preview through DNS rebinding: 421.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    names: Vec<String>,
    port: u16,
}

impl Hosts {
    pub(crate) fn new(addr: SocketAddr, extra: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.push(match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        });
        names.extend(
            extra
                .iter()
                .map(|h| h.trim_end_matches('.').to_ascii_lowercase()),
        );
        Hosts {
            names,
            port: addr.port(),
        }
    }

    /// A request without `Host:` (HTTP/1.0) is no browser's, so no rebinding.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return true };
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) if !p.contains(']') => (n.to_string(), p.parse::<u16>().ok()),
            _ => (host.clone(), None),
        };
        let name = name.trim_end_matches('.');
        let port_ok = port.is_none_or(|p| p == self.port);
        port_ok && self.names.iter().any(|n| n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_rule() {
        let addr: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let hosts = Hosts::new(addr, &["Preview.Example.".to_string()]);
        for ok in [
            None,
            Some("localhost"),
            Some("localhost:8000"),
            Some("LocalHost."),
            Some("127.0.0.1:8000"),
            Some("[::1]:8000"),
            Some("[::1]"),
            Some("preview.example:8000"),
        ] {
            assert!(hosts.allows(ok), "{ok:?}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:8000",
            "localhost:8001",
            "localhost.attacker.example",
            "127.0.0.2:8000",
            "[::2]:8000",
            "",
        ] {
            assert!(!hosts.allows(Some(bad)), "{bad}");
        }
        let v6 = Hosts::new("[::1]:9000".parse().unwrap(), &[]);
        assert!(v6.allows(Some("[::1]:9000")));
        let lan = Hosts::new("192.0.2.7:9000".parse().unwrap(), &[]);
        assert!(lan.allows(Some("192.0.2.7:9000")), "its own address");
    }
}
