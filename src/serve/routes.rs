//! What each request to `serve` gets: the site folder's files (GET and HEAD only, 404 for
//! anything [`resolve`] refuses), the reload script and overlay style, and the Server-Sent
//! Events stream; 421 for a `Host:` that is not the preview's own (see [`Hosts`]).

use super::hosts::Hosts;
use super::inject::{self, EVENTS, PREFIX, SCRIPT, STYLE};
use super::live::{Live, Wait};
use super::resolve::{Target, content_type, resolve};
use http_body_util::{Channel, Either, Full};
use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// At most this many open event streams (one per open page); more get 503.
const MAX_STREAMS: usize = 64;
/// A comment line this often on each stream, so that a closed page's stream ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A whole answer, or an event stream.
pub(crate) type Body = Either<Full<Bytes>, Channel<Bytes>>;

/// What every request is answered from.
pub(crate) struct Context {
    site: PathBuf,
    pub live: Arc<Live>,
    hosts: Hosts,
    streams: Arc<AtomicUsize>,
}

impl Context {
    pub(crate) fn new(site: PathBuf, live: Arc<Live>, hosts: Hosts) -> Context {
        Context {
            site,
            live,
            hosts,
            streams: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// The answer to `req`.
pub(crate) fn answer<B>(req: &Request<B>, cx: &Context) -> Response<Body> {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    if !cx.hosts.allows(host.as_deref()) {
        let body = "421 Misdirected Request: this preview answers only to localhost and its own address (bascule serve --allow-host NAME adds a name)\n";
        return reply(421, TEXT, body, None);
    }
    let head = match *req.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let allow = Some((header::ALLOW, HeaderValue::from_static("GET, HEAD")));
            return reply(405, TEXT, "405 Method Not Allowed\n", allow);
        }
    };
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path.starts_with(PREFIX) {
        return own(path, head, cx);
    }
    match resolve(&cx.site, &target) {
        Target::File(file) => file_answer(&file, &cx.live),
        Target::Redirect(to) => match HeaderValue::from_str(&to) {
            Ok(loc) => reply(301, TEXT, "", Some((header::LOCATION, loc))),
            Err(_) => not_found(&cx.live),
        },
        Target::NotFound
            if (path == "/" || path == "/index.html") && !cx.site.join("index.html").exists() =>
        {
            // No page was ever built here: say so, with the errors, and reload when one is.
            reply(503, HTML, inject::placeholder(&cx.live.snapshot()), None)
        }
        Target::NotFound => not_found(&cx.live),
    }
}

/// serve's own routes, under [`PREFIX`].
fn own(path: &str, head: bool, cx: &Context) -> Response<Body> {
    match path {
        EVENTS if !head => events(cx),
        EVENTS => reply(200, "text/event-stream", "", None),
        SCRIPT => reply(200, JS, inject::LIVE_JS, None),
        STYLE => reply(200, CSS, inject::OVERLAY_CSS, None),
        _ => not_found(&cx.live),
    }
}

/// A file of the site; HTML gets the reload script (and the overlay) on the way out.
fn file_answer(file: &Path, live: &Live) -> Response<Body> {
    let Ok(bytes) = crate::write::tree::read_regular(file) else {
        return not_found(live);
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
    reply(200, ctype, body, None)
}

/// 404, as a page that still reloads: a page reloaded onto a missing file comes back by
/// itself once a build writes it.
fn not_found(live: &Live) -> Response<Body> {
    reply(404, HTML, inject::not_found(&live.snapshot()), None)
}

/// An answer with `body`; nothing is cached, nothing is sniffed.
fn reply(
    status: u16,
    ctype: &'static str,
    body: impl Into<Bytes>,
    extra: Option<(HeaderName, HeaderValue)>,
) -> Response<Body> {
    with_headers(status, ctype, Either::Left(Full::new(body.into())), extra)
}

fn with_headers(
    status: u16,
    ctype: &'static str,
    body: Body,
    extra: Option<(HeaderName, HeaderValue)>,
) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some((name, value)) = extra {
        h.insert(name, value);
    }
    resp
}

/// Gives a stream's place back when the stream ends.
struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One `reload` event with the current build's tag, then one per build, until the page
/// goes away or the server stops (at most [`MAX_STREAMS`] at once).
fn events(cx: &Context) -> Response<Body> {
    if cx.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        cx.streams.fetch_sub(1, Ordering::SeqCst);
        return reply(503, TEXT, "503: too many open pages\n", None);
    }
    let slot = StreamSlot(Arc::clone(&cx.streams));
    let (mut tx, body) = Channel::new(1);
    let mut sub = cx.live.subscribe();
    let mut tag = cx.live.snapshot().tag;
    tokio::spawn(async move {
        let _slot = slot;
        let first = format!("retry: 1000\n\nevent: reload\ndata: {tag}\n\n");
        if tx.send_data(Bytes::from(first)).await.is_err() {
            return;
        }
        loop {
            let event = match sub.wait(&tag, KEEP_ALIVE).await {
                Wait::Changed(now) => {
                    tag = now.tag;
                    format!("event: reload\ndata: {tag}\n\n")
                }
                Wait::TimedOut => ": keep-alive\n\n".to_string(),
                Wait::Stopping => return,
            };
            // The page went away: hyper dropped the body.
            if tx.send_data(Bytes::from(event)).await.is_err() {
                return;
            }
        }
    });
    let close = Some((header::CONNECTION, HeaderValue::from_static("close")));
    with_headers(200, "text/event-stream", Either::Right(body), close)
}
