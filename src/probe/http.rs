//! The HTTP(S) half of `probe`: one GET per site, to the addresses probe's own DNS query
//! found (never the system's resolver), redirects not followed (a redirect is an answer),
//! the certificate checked against the system's roots or the `--ca-file` given.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// What a site did when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// It answered with this status (and `Location`, for a redirect).
    Status(u16, Option<String>),
    /// Its certificate was refused (why).
    Certificate(String),
    /// It refused the connection: nothing listens there.
    Refused,
    /// Nothing to tell from: a timeout, or another fault (why).
    Unknown(String),
}

/// The addresses probe's DNS answer gave, for the request's host.
#[derive(Debug)]
struct Found(Vec<IpAddr>);

impl Resolver for Found {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let https = uri.scheme_str() == Some("https");
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let mut out = self.empty();
        for ip in &self.0 {
            let _ = out.try_push(SocketAddr::new(*ip, port));
        }
        Ok(out)
    }
}

/// The roots a certificate must chain to: the PEM certificates of `ca` (an internal CA),
/// else the system's.
pub(crate) fn roots(ca: Option<&[u8]>) -> Result<RootCerts, String> {
    let Some(pem) = ca else {
        return Ok(RootCerts::PlatformVerifier);
    };
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
            Ok(_) => None,
            Err(e) => Some(Err(e.to_string())),
        })
        .collect::<Result<_, _>>()?;
    if certs.is_empty() {
        return Err("no certificate in it".into());
    }
    Ok(RootCerts::Specific(Arc::new(certs)))
}

/// GET `url` at `addresses`, waiting `timeout` at most, with `roots`.
pub(crate) fn get(url: &str, addresses: &[IpAddr], timeout: Duration, roots: &RootCerts) -> Reply {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .tls_config(TlsConfig::builder().root_certs(roots.clone()).build())
        .user_agent(concat!("bascule-probe/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent = ureq::Agent::with_parts(config, DefaultConnector::new(), Found(addresses.to_vec()));
    match agent.get(url).call() {
        Ok(response) => {
            let location = (response.headers().get("location"))
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            Reply::Status(response.status().as_u16(), location)
        }
        Err(e) => fault(e),
    }
}

/// What a failed request says.
fn fault(e: ureq::Error) -> Reply {
    match e {
        ureq::Error::Rustls(e) => Reply::Certificate(e.to_string()),
        ureq::Error::Tls(why) => Reply::Certificate(why.to_string()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Reply::Refused,
        ureq::Error::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
            Some(tls) => Reply::Certificate(tls.to_string()),
            None => Reply::Unknown(io.to_string()),
        },
        ureq::Error::ConnectionFailed => Reply::Refused,
        other => Reply::Unknown(other.to_string()),
    }
}
