//! A `bascule serve` child process in a folder of its own, on a free port, and the clients
//! the tests talk to it with: ureq for ordinary requests, a raw socket where the exact bytes
//! of the request line matter (ureq, like any client, would tidy `..` away).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The first build of a debug binary with the PDF export can take a while on 2 busy cores.
const FIRST_BUILD: Duration = Duration::from_secs(300);

pub(crate) struct Served {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

/// An HTTP answer.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Served {
    /// `bascule serve` on the seed inventory (copied to `inv.yaml`), `--port 0`.
    pub(crate) fn start() -> Served {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(super::common::seed_inventory(), dir.path().join("inv.yaml")).unwrap();
        Served::start_in(dir, &[])
    }

    /// `bascule serve --inventory inv.yaml --port 0 ARGS…` in `dir`; returns once it serves.
    pub(crate) fn start_in(dir: tempfile::TempDir, args: &[&str]) -> Served {
        Served::start_with(dir, "inv.yaml", args, &[])
    }

    /// `bascule serve --inventory INVENTORY --port 0 ARGS…` in `dir`, with `envs` set.
    pub(crate) fn start_with(
        dir: tempfile::TempDir,
        inventory: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Served {
        let mut child = Command::new(binary())
            .env("LC_ALL", "en_US.UTF-8")
            .current_dir(dir.path())
            .args(["serve", "--inventory", inventory, "--port", "0"])
            .args(args)
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run bascule serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                if let Some(port) = announced_port(&line) {
                    let _ = tx.send(port);
                }
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let mut served = Served {
            child,
            port: 0,
            dir,
            log,
        };
        served.port = rx
            .recv_timeout(FIRST_BUILD)
            .unwrap_or_else(|_| panic!("serve never said where it serves:\n{}", served.log()));
        served
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Everything serve printed so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub(crate) fn url(&self, target: &str) -> String {
        format!("http://127.0.0.1:{}{target}", self.port)
    }

    pub(crate) fn get(&self, target: &str) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut resp = agent.get(self.url(target)).call().expect("GET");
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Reply {
            status: resp.status().as_u16(),
            content_type,
            body: resp.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// Sends `request_line` exactly as written; the whole answer.
    pub(crate) fn raw(&self, method: &str, target: &str) -> String {
        self.raw_host(method, target, "127.0.0.1")
    }

    /// [`Served::raw`] with this `Host:` (what a browser sends for the page's own site).
    pub(crate) fn raw_host(&self, method: &str, target: &str, host: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// A number of the child's `/proc/PID/status` (`Threads`, or `VmRSS` in kB).
    #[cfg(target_os = "linux")]
    pub(crate) fn status(&self, field: &str) -> u64 {
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_else(|e| panic!("serve is gone ({e}):\n{}", self.log()));
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .unwrap_or_else(|| panic!("no {field} in {text}"));
        line.split_whitespace().next().unwrap().parse().unwrap()
    }

    /// Waits at most `limit` for the child to end by itself.
    pub(crate) fn ended_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Whether the child still runs.
    pub(crate) fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Rewrites the inventory in place, as an editor does, with `from` replaced by `to`.
    pub(crate) fn edit(&self, from: &str, to: &str) {
        self.edit_at("inv.yaml", from, to);
    }

    /// [`Served::edit`] of the inventory at `rel`.
    pub(crate) fn edit_at(&self, rel: &str, from: &str, to: &str) {
        let path = self.path(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "the inventory has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Polls `f` every 20 ms until it holds; how long that took, or `None` after `limit`.
    pub(crate) fn wait_until(
        &self,
        limit: Duration,
        mut f: impl FnMut() -> bool,
    ) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if f() {
                return Some(start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Sends SIGINT, as Ctrl-C does, and waits for the exit.
    pub(crate) fn interrupt(&mut self) -> Option<ExitStatus> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The binary under test: `BASCULE_BIN` when set (a binary whose speed the one-second test
/// holds: `.ci/run` names the dev build, optimised by the dev profile, and runs that test
/// alone), else the one built with these tests.
pub(crate) fn binary() -> PathBuf {
    match std::env::var_os("BASCULE_BIN") {
        // Relative to where the tests run (the crate's folder), not to the served folder.
        Some(p) => std::path::absolute(PathBuf::from(p)).unwrap(),
        None => PathBuf::from(env!("CARGO_BIN_EXE_bascule")),
    }
}

/// Whether the whole delay is held to a second: the binary was named (see [`binary`]) or
/// these tests were built in release.
pub(crate) fn optimised() -> bool {
    std::env::var_os("BASCULE_BIN").is_some() || !cfg!(debug_assertions)
}

/// The port of `bascule serve: http://127.0.0.1:PORT/ …`.
fn announced_port(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("bascule serve: http://127.0.0.1:")?;
    rest.split('/').next()?.parse().ok()
}

/// Whether `dir` holds a staging folder (`.NAME.bascule-…`) left by a build.
pub(crate) fn staging_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".bascule-"))
        .collect()
}
