//! The HTTP side of `serve` (tiny_http, one thread, no async runtime): the site folder's
//! files (GET and HEAD only, 404 for anything [`resolve`] refuses), the reload script and
//! overlay style, and the Server-Sent Events stream, each on a thread of its own.

use super::inject::{self, EVENTS, PREFIX, SCRIPT, STYLE};
use super::live::{Live, Wait};
use super::resolve::{Target, content_type, resolve};
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// At most this many open event streams (one per open page); more get 503.
const MAX_STREAMS: usize = 64;
/// A comment line this often on each stream, so that a closed page's thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The `Host:` names the preview answers to: `localhost`, the loopback addresses, the
/// address it listens on, and those of `--allow-host`, on its own port. Any other name is a
/// page of another site that reached the preview through DNS rebinding: 421.
#[derive(Debug, Clone)]
pub struct Hosts {
    names: Vec<String>,
    port: u16,
}

impl Hosts {
    pub fn new(addr: SocketAddr, extra: &[String]) -> Hosts {
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
    pub fn allows(&self, host: Option<&str>) -> bool {
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

/// The running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    live: Arc<Live>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
}

/// Listens on `ip:port` (port 0: any free port). A busy port is an error: another port
/// is never tried, so the address the writer uses never changes behind their back.
pub fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    TcpListener::bind((ip, port)).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => format!(
            "port {port} is already in use on {ip} (another `bascule serve`?): choose another with `--port N`, or `--port 0` for any free port"
        ),
        io::ErrorKind::AddrNotAvailable => {
            format!("{ip} is not an address of this machine: choose another with `--bind`")
        }
        io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {port} (ports below 1024 need privileges): choose another with `--port N`"
        ),
        _ => format!("cannot listen on {ip}:{port}: {e}"),
    })
}

impl Server {
    /// Serves `site` on `listener` until [`Server::stop`].
    pub fn start(
        listener: TcpListener,
        site: PathBuf,
        live: Arc<Live>,
        allow_hosts: &[String],
    ) -> Result<Server, String> {
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the server's address: {e}"))?;
        let hosts = Hosts::new(addr, allow_hosts);
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("cannot start the HTTP server: {e}"))?;
        let http = Arc::new(http);
        let (h, l) = (Arc::clone(&http), Arc::clone(&live));
        let thread = std::thread::Builder::new()
            .name("bascule-http".into())
            .spawn(move || accept(&h, &site, &l, &hosts))
            .map_err(|e| format!("cannot start the HTTP server: {e}"))?;
        Ok(Server {
            http,
            live,
            thread: Some(thread),
            addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Ends every event stream and the server thread.
    pub fn stop(mut self) {
        self.live.stop();
        self.http.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept(http: &tiny_http::Server, site: &Path, live: &Arc<Live>, hosts: &Hosts) {
    let streams = Arc::new(AtomicUsize::new(0));
    loop {
        match http.recv() {
            // A client that went away mid-answer is no concern of ours.
            Ok(req) => drop(route(req, site, live, &streams, hosts)),
            Err(_) if live.is_stopping() => return,
            // An accept error (e.g. out of file descriptors): breathe, then go on.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn route(
    req: Request,
    site: &Path,
    live: &Arc<Live>,
    streams: &Arc<AtomicUsize>,
    hosts: &Hosts,
) -> io::Result<()> {
    let host = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !hosts.allows(host.as_deref()) {
        let body = b"421 Misdirected Request: this preview answers only to localhost and its own address (bascule serve --allow-host NAME adds a name)\n";
        return send(req, 421, TEXT, body.to_vec(), None);
    }
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let body = b"405 Method Not Allowed\n".to_vec();
            return send(req, 405, TEXT, body, header("Allow", "GET, HEAD"));
        }
    };
    let url = req.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.starts_with(PREFIX) {
        return own(req, path, head, live, streams);
    }
    match resolve(site, &url) {
        Target::File(file) => send_file(req, &file, live),
        Target::Redirect(to) => match header("Location", &to) {
            Some(loc) => send(req, 301, TEXT, Vec::new(), Some(loc)),
            None => not_found(req, live),
        },
        Target::NotFound
            if (path == "/" || path == "/index.html") && !site.join("index.html").exists() =>
        {
            // No page was ever built here: say so, with the errors, and reload when one is.
            let page = inject::placeholder(&live.snapshot());
            send(req, 503, HTML, page.into_bytes(), None)
        }
        Target::NotFound => not_found(req, live),
    }
}

/// serve's own routes, under [`PREFIX`].
fn own(
    req: Request,
    path: &str,
    head: bool,
    live: &Arc<Live>,
    streams: &Arc<AtomicUsize>,
) -> io::Result<()> {
    match path {
        EVENTS if !head => events(req, live, streams),
        EVENTS => send(req, 200, "text/event-stream", Vec::new(), None),
        SCRIPT => send(req, 200, JS, inject::LIVE_JS.into(), None),
        STYLE => send(req, 200, CSS, inject::OVERLAY_CSS.into(), None),
        _ => not_found(req, live),
    }
}

/// A file of the site; HTML gets the reload script (and the overlay) on the way out.
fn send_file(req: Request, file: &Path, live: &Live) -> io::Result<()> {
    let Ok(bytes) = crate::write::tree::read_regular(file) else {
        return not_found(req, live);
    };
    let ctype = content_type(file);
    let body = if ctype == HTML {
        match String::from_utf8(bytes) {
            Ok(html) => inject::inject(&html, &live.snapshot()).into_bytes(),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    send(req, 200, ctype, body, None)
}

/// 404, as a page that still reloads: a page reloaded onto a missing file comes back by
/// itself once a build writes it.
fn not_found(req: Request, live: &Live) -> io::Result<()> {
    let page = inject::not_found(&live.snapshot());
    send(req, 404, HTML, page.into_bytes(), None)
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Answers with `body`; nothing is cached, nothing is sniffed.
fn send(
    req: Request,
    status: u16,
    ctype: &str,
    body: Vec<u8>,
    extra: Option<Header>,
) -> io::Result<()> {
    let mut resp = Response::from_data(body).with_status_code(status);
    let fixed = [
        ("Content-Type", ctype),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    for h in fixed.iter().filter_map(|(n, v)| header(n, v)).chain(extra) {
        resp.add_header(h);
    }
    req.respond(resp)
}

/// Opens an event stream on a thread of its own (at most [`MAX_STREAMS`] at once).
fn events(req: Request, live: &Arc<Live>, streams: &Arc<AtomicUsize>) -> io::Result<()> {
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::SeqCst);
        let body = b"503: too many open pages\n".to_vec();
        return send(req, 503, TEXT, body, None);
    }
    let (live, count) = (Arc::clone(live), Arc::clone(streams));
    let spawned = std::thread::Builder::new()
        .name("bascule-events".into())
        .spawn(move || {
            let _ = stream(req, &live);
            count.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        streams.fetch_sub(1, Ordering::SeqCst);
    }
    Ok(())
}

/// One `reload` event with the current build's tag, then one per build, until the page
/// goes away or the server stops. The head is written by hand: tiny_http would otherwise
/// answer with chunked encoding, which EventSource in Chrome and Safari dislikes.
fn stream(req: Request, live: &Live) -> io::Result<()> {
    let mut w = req.into_writer();
    w.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
Connection: close\r\n\r\nretry: 1000\n\n",
    )?;
    let mut tag = live.snapshot().tag;
    write!(w, "event: reload\ndata: {tag}\n\n")?;
    w.flush()?;
    loop {
        match live.wait(&tag, KEEP_ALIVE) {
            Wait::Changed(now) => {
                tag = now.tag;
                write!(w, "event: reload\ndata: {tag}\n\n")?;
            }
            Wait::TimedOut => w.write_all(b": keep-alive\n\n")?,
            Wait::Stopping => return Ok(()),
        }
        w.flush()?;
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
