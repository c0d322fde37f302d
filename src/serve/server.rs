//! The connections of `serve`: hyper's HTTP/1 server on one thread running a tokio runtime,
//! each connection a task (not a thread), within limits that no client can push: at most
//! [`MAX_CONNECTIONS`] at once (more are closed at once), a request head of at most
//! [`MAX_HEAD`] bytes (431), received within [`HEAD_TIME`] (also how long an idle
//! connection stays open), and a write that stalls longer than [`WRITE_TIME`] (a client
//! that does not read) closes its connection. What each request gets is [`routes`]'s.

use super::hosts::Hosts;
use super::live::Live;
use super::routes::{self, Context};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_io_timeout::TimeoutStream;

/// Open connections at most (event streams included); a build needs file descriptors too.
pub(crate) const MAX_CONNECTIONS: usize = 256;
/// The request line and headers, in bytes, at most.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// A request head must arrive within this long after the connection opens or the previous
/// answer ends: a slow or silent client is let go.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);
/// A write that cannot proceed for this long (the client stopped reading) ends the
/// connection.
pub(crate) const WRITE_TIME: Duration = Duration::from_secs(30);

/// Listens on `ip:port` (port 0: any free port). A busy port is an error: another port
/// is never tried, so the address the writer uses never changes behind their back.
pub(crate) fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, crate::diag::Text> {
    use crate::msg;
    TcpListener::bind((ip, port)).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => msg!("serve.usage.port_busy", port = port, ip = ip),
        io::ErrorKind::AddrNotAvailable => msg!("serve.usage.not_here", ip = ip),
        io::ErrorKind::PermissionDenied => msg!("serve.usage.privileged", port = port),
        _ => msg!("serve.usage.listen", ip = ip, port = port, reason = e),
    })
}

/// The running server.
pub(crate) struct Server {
    live: Arc<Live>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
}

impl Server {
    /// Serves `site` on `listener` until [`Server::stop`].
    pub(crate) fn start(
        listener: TcpListener,
        site: PathBuf,
        live: Arc<Live>,
        allow_hosts: &[String],
    ) -> Result<Server, String> {
        let failed = |e: io::Error| format!("cannot start the HTTP server: {e}");
        let addr = listener.local_addr().map_err(failed)?;
        listener.set_nonblocking(true).map_err(failed)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(failed)?;
        let context = Arc::new(Context::new(
            site,
            Arc::clone(&live),
            Hosts::new(addr, allow_hosts),
        ));
        let thread = std::thread::Builder::new()
            .name("bascule-http".into())
            .spawn(move || runtime.block_on(accept(listener, context)))
            .map_err(failed)?;
        Ok(Server {
            live,
            thread: Some(thread),
            addr,
        })
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Ends every event stream, every connection and the server thread.
    pub(crate) fn stop(mut self) {
        self.live.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Accepts until the server stops; then the runtime, dropped, ends every connection.
async fn accept(listener: TcpListener, context: Arc<Context>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut stopping = context.live.subscribe();
    loop {
        tokio::select! {
            () = stopping.stopped() => return,
            accepted = listener.accept() => match accepted {
                // Over the limit: closed at once, never queued behind the others.
                Ok((tcp, _)) => match Arc::clone(&slots).try_acquire_owned() {
                    Ok(slot) => drop(tokio::spawn(connection(tcp, Arc::clone(&context), slot))),
                    Err(_) => drop(tcp),
                },
                // Out of file descriptors, say: breathe, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
        }
    }
}

/// One connection, within the limits; its slot is given back when it ends.
async fn connection(
    tcp: tokio::net::TcpStream,
    context: Arc<Context>,
    _slot: OwnedSemaphorePermit,
) {
    let mut io = TimeoutStream::new(tcp);
    io.set_write_timeout(Some(WRITE_TIME));
    let io = TokioIo::new(Box::pin(io));
    let service = service_fn(move |req| {
        let context = Arc::clone(&context);
        async move { Ok::<_, Infallible>(routes::answer(&req, &context)) }
    });
    // A client that went away or broke a limit is no concern of ours.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIME)
        .max_header_size(MAX_HEAD)
        .max_buf_size(4 * MAX_HEAD)
        .title_case_headers(true)
        .serve_connection(io, service)
        .await;
}
