//! Clients that try to stop the preview for everyone: one that never reads its answers, a
//! request head without end, a head sent a byte at a time, and more idle connections than
//! the server has room for. Each holds against the limits of `serve::server`, and the
//! preview keeps answering the writer's own page.

use super::served::Served;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long a request of the writer's page may take while an attack goes on.
const PROMPT: Duration = Duration::from_secs(5);
/// serve's `HEAD_TIME` and `WRITE_TIME`, and the slack a busy machine needs.
const HEAD_TIME: Duration = Duration::from_secs(10);
const WRITE_TIME: Duration = Duration::from_secs(30);
const SLACK: Duration = Duration::from_secs(8);

fn connect(s: &Served) -> TcpStream {
    let sock = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    sock
}

/// The writer's page, asked on a fresh connection: how long it took.
fn page_in(s: &Served) -> Duration {
    let start = Instant::now();
    let page = s.get("/style.css");
    assert_eq!(page.status, 200);
    start.elapsed()
}

/// Reads until the server closes; the bytes, and whether it was the server that ended it
/// (not our read timeout).
fn drain(sock: &mut TcpStream) -> (usize, bool) {
    let (mut total, mut buf) = (0, [0u8; 64 * 1024]);
    loop {
        match sock.read(&mut buf) {
            Ok(0) => return (total, true),
            Ok(n) => total += n,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return (total, true),
            Err(_) => return (total, false),
        }
    }
}

#[test]
fn a_client_that_does_not_read_holds_no_one_up_and_is_let_go() {
    let s = Served::start();
    let size = std::fs::metadata(s.path("out/site/document.docx"))
        .unwrap()
        .len() as usize;
    let mut stalled = connect(&s);
    let asks = 100;
    let request = "GET /document.docx HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(asks);
    stalled.write_all(request.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_secs(1));
    for _ in 0..3 {
        let took = page_in(&s);
        assert!(
            took < PROMPT,
            "a page took {took:?} beside a client that does not read"
        );
    }
    std::thread::sleep(WRITE_TIME + SLACK);
    let (got, closed) = drain(&mut stalled);
    assert!(closed, "the stalled connection is still open");
    assert!(
        got < asks * size / 2,
        "the server waited for the stalled client instead of letting it go ({got} bytes)"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_head_without_end_is_refused_and_memory_stays_put() {
    let s = Served::start();
    let before = s.status("VmRSS");
    let mut sock = connect(&s);
    sock.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ")
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 256 * 1024 * 1024 && sock.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    let mut answer = Vec::new();
    let _ = sock.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    assert!(
        sent < 64 * 1024 * 1024,
        "the server read {sent} bytes of one header"
    );
    let grown = s.status("VmRSS").saturating_sub(before);
    assert!(grown < 32 * 1024, "serve grew by {grown} kB");
    assert!(page_in(&s) < PROMPT);
}

#[test]
fn a_head_sent_a_byte_at_a_time_is_cut_off() {
    let s = Served::start();
    let mut sock = connect(&s);
    let start = Instant::now();
    sock.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut cut = false;
    while start.elapsed() < HEAD_TIME + SLACK {
        if sock.write_all(b"X").is_err() {
            cut = true;
            break;
        }
        sock.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut byte = [0u8; 1];
        match sock.read(&mut byte) {
            Ok(_) => {
                cut = true;
                break;
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                cut = true;
                break;
            }
            Err(_) => {}
        }
        assert!(page_in(&s) < PROMPT);
    }
    let took = start.elapsed();
    assert!(
        cut,
        "a head still arriving after {took:?} kept its connection"
    );
    assert!(
        took >= HEAD_TIME - Duration::from_secs(1),
        "cut after {took:?} only"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn idle_connections_neither_take_threads_nor_stop_the_server() {
    let mut s = Served::start();
    let threads = s.status("Threads");
    let mut idle = Vec::new();
    for _ in 0..1150 {
        match TcpStream::connect(("127.0.0.1", s.port)) {
            Ok(sock) => idle.push(sock),
            Err(_) => break, // this process ran out of descriptors: enough
        }
    }
    assert!(idle.len() > 300, "only {} connections opened", idle.len());
    std::thread::sleep(Duration::from_millis(500));
    let now = s.status("Threads");
    assert!(
        now <= threads + 2,
        "{threads} threads before, {now} with {} idle clients",
        idle.len()
    );
    // Past the limit, connections are closed at once; the idle ones go after HEAD_TIME.
    let start = Instant::now();
    while ureq::get(&s.url("/style.css")).call().is_err() {
        assert!(
            start.elapsed() < HEAD_TIME + SLACK,
            "the server did not answer again:\n{}",
            s.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(s.alive());
    drop(idle);
    assert!(page_in(&s) < PROMPT);
}
