//! The DNS half of `probe`: one A query per name, sent over UDP to one name server (the
//! one asked for, else the system's first), answered or not within a timeout. Messages are
//! hickory-proto's; nothing is cached and nothing but queries is sent.

use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

/// What a name server said of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The name's IPv4 addresses, sorted (none: the name exists without an A record).
    Addresses(Vec<IpAddr>),
    /// The server says the name does not exist (NXDOMAIN).
    NoSuchName,
    /// No answer to tell from: a timeout, a refusal or a malformed reply (the reason).
    Unknown(String),
}

/// How many times a query is sent when no reply comes (UDP may lose it).
const TRIES: u32 = 2;

/// The A records of `name`, asked of `server`; each try waits `timeout` at most.
pub(crate) fn resolve(name: &str, server: SocketAddr, timeout: Duration) -> Answer {
    let fqdn = match Name::from_ascii(name.trim_end_matches('.')) {
        Ok(mut n) => {
            n.set_fqdn(true);
            n
        }
        Err(e) => return Answer::Unknown(e.to_string()),
    };
    let mut query = Message::query();
    query.metadata.recursion_desired = true;
    query.add_query(Query::query(fqdn, RecordType::A));
    let bytes = match query.to_vec() {
        Ok(b) => b,
        Err(e) => return Answer::Unknown(e.to_string()),
    };
    let mut last = String::new();
    for _ in 0..TRIES {
        match exchange(&bytes, query.metadata.id, server, timeout) {
            Ok(reply) => return read(&reply),
            Err(e) => last = e,
        }
    }
    Answer::Unknown(last)
}

/// Sends `bytes` to `server` and waits for the reply whose id is `id`.
fn exchange(
    bytes: &[u8],
    id: u16,
    server: SocketAddr,
    timeout: Duration,
) -> Result<Message, String> {
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => ([0, 0, 0, 0], 0).into(),
        SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).map_err(|e| e.to_string())?;
    socket.connect(server).map_err(|e| e.to_string())?;
    socket.send(bytes).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + timeout;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("no reply within {} ms", timeout.as_millis()));
        }
        socket
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        let n = match socket.recv(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => return Err(e.to_string()),
        };
        // A stray datagram (another id, garbage) is not the reply: wait on.
        if let Ok(m) = Message::from_vec(&buf[..n])
            && m.metadata.id == id
        {
            return Ok(m);
        }
    }
}

/// The answer a reply gives.
fn read(reply: &Message) -> Answer {
    match reply.metadata.response_code {
        ResponseCode::NoError => {
            let mut found: Vec<IpAddr> = (reply.answers.iter())
                .filter_map(|r| match &r.data {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    _ => None,
                })
                .collect();
            found.sort();
            found.dedup();
            Answer::Addresses(found)
        }
        ResponseCode::NXDomain => Answer::NoSuchName,
        other => Answer::Unknown(format!("the server answered {other}")),
    }
}

/// The system's first name server (`/etc/resolv.conf`), port 53.
pub(crate) fn system_server() -> Result<SocketAddr, String> {
    let text = std::fs::read("/etc/resolv.conf").map_err(|e| format!("/etc/resolv.conf: {e}"))?;
    let conf = resolv_conf::Config::parse(&text).map_err(|e| format!("/etc/resolv.conf: {e}"))?;
    conf.nameservers
        .first()
        .map(|ip| SocketAddr::new(ip.into(), 53))
        .ok_or_else(|| "/etc/resolv.conf names no name server".to_string())
}

/// `ADDR[:PORT]` (an IPv6 address in brackets when a port follows), port 53 by default.
pub(crate) fn parse_server(text: &str) -> Option<SocketAddr> {
    text.parse::<SocketAddr>().ok().or_else(|| {
        text.parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, 53))
    })
}
