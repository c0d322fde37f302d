//! `bascule probe` (issue 25) against a real name server and a real web server: Debian's
//! dnsmasq, started by each test on 127.0.0.1 with the host records of the case, and asked
//! for `probe.test` names only (`--local`: a name it does not hold is NXDOMAIN, never
//! forwarded); Python's HTTP server over TLS (`tests/fixtures/probe/web.py`, a certificate
//! for `*.probe.test` from a test CA) on 127.0.0.23, the new VM's address. The inventory is
//! the intranet example with 127.0.0.x addresses and the web server's port in its URLs; its
//! jour M is 2026-03-09. Nothing here asks the system's resolver or leaves 127.0.0.0/8.

use crate::common::*;
use std::io::BufRead;
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The example inventory on 127.0.0.x, dated, with `intranet7`'s own name and its sites on
/// the web server's `port`; `intranet8`'s IP is given when `new_ip` is.
fn inventory(dir: &Path, new_ip: Option<&str>, port: u16) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("examples/intranet-seul.yaml")).unwrap();
    let mut text = text
        .replace("chhr.example", "probe.test")
        .replace("192.168.40.", "127.0.0.")
        .replace(
            "    url: https://intranet.probe.test\n",
            "    url: https://intranet.probe.test\n    jour_m: 2026-03-09\n",
        )
        .replace(
            "dns: [intranet.probe.test, portail.probe.test]",
            "dns: [intranet.probe.test, portail.probe.test, intranet7.probe.test]",
        )
        .replace(
            "https://intranet.probe.test",
            &format!("https://intranet.probe.test:{port}"),
        )
        .replace(
            "https://annuaire.probe.test",
            &format!("https://annuaire.probe.test:{port}"),
        )
        .replace(
            "https://ancien-journal.probe.test/",
            &format!("https://ancien-journal.probe.test:{port}/"),
        );
    if let Some(ip) = new_ip {
        text = text.replace(
            "      - machine: intranet8\n",
            &format!("      - machine: intranet8\n        ip: {ip}\n"),
        );
    }
    assert!(text.contains("jour_m: 2026-03-09"), "the example changed");
    let path = dir.join("intranet.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A dnsmasq holding `records` (name, IPv4) for `probe.test`, on a free port of 127.0.0.1;
/// stopped when dropped.
struct Dns {
    child: Child,
    port: u16,
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dnsmasq(records: &[(&str, &str)]) -> Option<Dns> {
    if Command::new(DNSMASQ).arg("--version").output().is_err() {
        tool_missing("dnsmasq");
        return None;
    }
    // A port found free may be taken again before dnsmasq binds it (even by the readiness
    // check below): a dnsmasq that exits is started again on another port.
    for _ in 0..5 {
        let port = UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut dns = Dns {
            child: dnsmasq_on(port, records),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if dns.child.try_wait().unwrap().is_some() {
                break;
            }
            // Ready when it listens: its port is then taken.
            if UdpSocket::bind(("127.0.0.1", port)).is_err() {
                return Some(dns);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("dnsmasq did not start");
}

/// Debian's dnsmasq (in /usr/sbin, which a user's PATH may not have).
const DNSMASQ: &str = "/usr/sbin/dnsmasq";

/// dnsmasq answering for `probe.test` only, from `records`, on 127.0.0.1:`port`.
fn dnsmasq_on(port: u16, records: &[(&str, &str)]) -> Child {
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let mut c = Command::new(DNSMASQ);
    c.args([
        "-k",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
    ])
    .args([
        "--listen-address=127.0.0.1",
        "--local=/probe.test/",
        "--pid-file=",
    ])
    .arg(format!("--port={port}"))
    .arg(format!("--user={}", user.trim()))
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    for (name, ip) in records {
        c.arg(format!("--host-record={name},{ip}"));
    }
    c.spawn().expect("start dnsmasq")
}

/// `bascule probe` on the inventory `inv` against the server on `port`, in English, the
/// day after jour M unless `args` says.
fn probe(inv: &Path, port: u16, args: &[&str]) -> Output {
    let server = format!("127.0.0.1:{port}");
    let mut all = vec![
        "probe",
        "--inventory",
        inv.to_str().unwrap(),
        "--dns-server",
        &server,
    ];
    let ca = repo().join("tests/fixtures/probe/ca.pem");
    if !args.contains(&"--ca-file") {
        all.extend(["--ca-file", ca.to_str().unwrap()]);
    }
    if !args.contains(&"--timeout-ms") {
        all.extend(["--timeout-ms", "500"]);
    }
    if !args.iter().any(|a| *a == "--today" || *a == "--state") {
        all.extend(["--today", "2026-03-10"]);
    }
    all.extend(args);
    bascule(inv.parent().unwrap(), &all)
}

/// The web server of the new VM (127.0.0.23), over TLS; stopped when dropped.
struct Web {
    child: Child,
    port: u16,
}

impl Drop for Web {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The web server answering `routes` (path, `STATUS[,LOCATION]`); any other path is 404.
fn web(routes: &[(&str, &str)]) -> Web {
    let fixtures = repo().join("tests/fixtures/probe");
    let mut c = Command::new("python3");
    c.arg(fixtures.join("web.py"))
        .args(["--bind", "127.0.0.23"])
        .arg("--cert")
        .arg(fixtures.join("cert.pem"))
        .arg("--key")
        .arg(fixtures.join("key.pem"))
        .stdout(Stdio::piped());
    for (path, answer) in routes {
        c.arg("--route").arg(format!("{path}={answer}"));
    }
    let mut child = c.spawn().expect("start the web server");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("ready ")
        .expect(&line)
        .parse()
        .unwrap();
    Web { child, port }
}

/// The sites as planned: the instance and the moved site answer.
const SITES: &[(&str, &str)] = &[("/", "200")];

/// The records of jour M done as planned.
const AS_PLANNED: &[(&str, &str)] = &[
    ("intranet.probe.test", "127.0.0.23"),
    ("intranet8.probe.test", "127.0.0.23"),
    ("bd-intranet.probe.test", "127.0.0.22"),
    ("intranet7.probe.test", "127.0.0.21"),
    ("annuaire.probe.test", "127.0.0.23"),
];

fn with(
    records: &[(&'static str, &'static str)],
    name: &'static str,
    ip: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = records
        .iter()
        .copied()
        .filter(|(n, _)| *n != name)
        .collect();
    all.push((name, ip));
    all
}

/// One case: the name server holding its records, the web server answering [`SITES`], and
/// the inventory (with `intranet8`'s IP) in a folder of its own.
struct Case {
    dns: Dns,
    _web: Web,
    _dir: tempfile::TempDir,
    inv: PathBuf,
}

/// The case of `records`; `None` when dnsmasq is missing (outside CI).
fn case(records: &[(&str, &str)]) -> Option<Case> {
    let dns = dnsmasq(records)?;
    let web = web(SITES);
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory(dir.path(), Some("127.0.0.23"), web.port);
    Some(Case {
        dns,
        _web: web,
        _dir: dir,
        inv,
    })
}

impl Case {
    /// `bascule probe` with `args` on this case.
    fn probe(&self, args: &[&str]) -> Output {
        probe(&self.inv, self.dns.port, args)
    }
}

#[test]
fn a_state_done_as_planned_exits_0() {
    let Some(c) = case(AS_PLANNED) else {
        return;
    };
    let o = c.probe(&[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(
        out.contains("Intranet: state jour M (2026-03-09), in force on 2026-03-10"),
        "{out}"
    );
    assert!(
        out.contains("as planned: intranet.probe.test → 127.0.0.23 (intranet8)"),
        "{out}"
    );
    assert!(
        out.contains("as planned: portail.probe.test no longer points at intranet7"),
        "{out}"
    );
    assert!(
        out.contains("probe: 8 as planned, 0 differing, 0 not told"),
        "{out}"
    );
    // Before jour M the old VM holds the name: the same network differs from the plan.
    let o = c.probe(&["--today", "2026-03-01"]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("state 2026-02-16, in force on 2026-03-01"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_name_not_yet_moved_differs_and_exits_4() {
    let records = with(AS_PLANNED, "intranet.probe.test", "127.0.0.21");
    let Some(c) = case(&records) else {
        return;
    };
    let o = c.probe(&[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(
        out.contains("differs: intranet.probe.test should point at intranet8 (127.0.0.23); it gives 127.0.0.21"),
        "{out}"
    );
}

#[test]
fn a_released_name_still_pointing_at_its_old_vm_differs() {
    let records = with(AS_PLANNED, "portail.probe.test", "127.0.0.21");
    let Some(c) = case(&records) else {
        return;
    };
    let o = c.probe(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names = &doc["instances"][0]["names"];
    let portail = names
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "portail.probe.test")
        .unwrap();
    assert_eq!(portail["check"], "released");
    assert_eq!(portail["verdict"], "differs");
    assert_eq!(portail["vm"], "intranet7");
    assert_eq!(portail["expected"], "127.0.0.21");
    assert_eq!(portail["found"], "127.0.0.21");
    assert_eq!(doc["instances"][0]["state"], "jour-m");
    assert_eq!(doc["summary"]["differs"], 1);
}

#[test]
fn a_deleted_vm_still_answering_differs_after_its_deletion() {
    let Some(c) = case(AS_PLANNED) else {
        return;
    };
    let o = c.probe(&["--state", "m30", "--format", "github"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(
        out.contains("::error title=bascule probe intranet::differs: intranet7.probe.test still points at the deleted VM intranet7 (127.0.0.21)"),
        "{out}"
    );
    assert!(
        out.contains("::notice title=bascule probe::probe: 7 as planned, 1 differing, 0 not told"),
        "{out}"
    );
}

#[test]
fn a_created_vm_whose_ip_is_unknown_gets_the_line_to_add() {
    let Some(dns) = dnsmasq(AS_PLANNED) else {
        return;
    };
    let web = web(SITES);
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory(dir.path(), None, web.port);
    let line = std::fs::read_to_string(&inv)
        .unwrap()
        .lines()
        .position(|l| l == "      - machine: intranet8")
        .unwrap()
        + 1;
    let o = probe(&inv, dns.port, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(5), "{out}");
    assert!(
        out.contains(&format!("could not tell: intranet8.probe.test gives 127.0.0.23, but the inventory has no IP for intranet8; if it is that VM, add the line `ip: 127.0.0.23` to it ({}:{line})", inv.display())),
        "{out}"
    );
    // In French, with the elision the name asks for.
    let server = format!("127.0.0.1:{}", dns.port);
    let ca = repo().join("tests/fixtures/probe/ca.pem");
    let args = [
        "probe",
        "--inventory",
        inv.to_str().unwrap(),
        "--dns-server",
        &server,
        "--today",
        "2026-03-10",
        "--ca-file",
        ca.to_str().unwrap(),
    ];
    let fr = stdout(&bascule_in_locale(
        dir.path(),
        &[("LANG", "fr_CA.UTF-8")],
        &args,
    ));
    assert!(fr.contains("l’inventaire ne donne pas l’IP d’intranet8\u{202f}; si c’est bien elle, ajoutez la ligne `ip: 127.0.0.23`"), "{fr}");
    assert!(
        fr.contains("probe\u{a0}: 6 comme prévu, 0 qui diffère, 2 indéterminés"),
        "{fr}"
    );
}

#[test]
fn nxdomain_for_a_held_name_differs() {
    let records: Vec<_> = AS_PLANNED
        .iter()
        .copied()
        .filter(|(n, _)| *n != "bd-intranet.probe.test")
        .collect();
    let Some(c) = case(&records) else {
        return;
    };
    let o = c.probe(&[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(out.contains("differs: bd-intranet.probe.test should point at bd-intranet (127.0.0.22); it gives NXDOMAIN, no such name"), "{out}");
}

#[test]
fn a_server_that_never_answers_is_told_within_the_timeouts() {
    // A socket that reads nothing: every query waits its timeout, twice, eight at a time.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let web = web(SITES);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let o = probe(
        &inventory(dir.path(), Some("127.0.0.23"), web.port),
        port,
        &["--timeout-ms", "200"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(5), "{out}");
    assert!(
        out.contains("could not tell: intranet.probe.test, no answer (no reply within 200 ms)"),
        "{out}"
    );
    assert!(
        out.contains("probe: 0 as planned, 0 differing, 8 not told"),
        "{out}"
    );
    // Bounded: 5 names, 2 tries of 200 ms each, in parallel; far under this however slow
    // the machine (the point is that it ends, not how fast).
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}

#[test]
fn usage_faults_exit_2() {
    let web = web(SITES);
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory(dir.path(), None, web.port);
    for (args, said) in [
        (
            &["--state", "m99"][..],
            "no state is named `m99`: the states are reference, jour-m, m30",
        ),
        (
            &["--instance", "nope"][..],
            "no instance is named `nope`: the instances are intranet",
        ),
    ] {
        let o = probe(&inv, 9, args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(said), "{}", stderr(&o));
    }
    let o = bascule(
        dir.path(),
        &[
            "probe",
            "--inventory",
            inv.to_str().unwrap(),
            "--dns-server",
            "nowhere",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`nowhere` is not a name server's address"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sites_answer_redirect_fail_or_are_refused_as_the_state_says() {
    let Some(dns) = dnsmasq(&with(AS_PLANNED, "ancien-journal.probe.test", "127.0.0.23")) else {
        return;
    };
    // The instance redirects to its login page, the moved site fails, and the site deleted
    // at jour M is still served.
    let web = web(&[("/", "302,/login/"), ("/archives", "200")]);
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory(dir.path(), Some("127.0.0.23"), web.port);
    let text = std::fs::read_to_string(&inv).unwrap();
    std::fs::write(
        &inv,
        text.replace(
            &format!("https://annuaire.probe.test:{}", web.port),
            &format!("https://annuaire.probe.test:{}/annuaire", web.port),
        ),
    )
    .unwrap();
    let o = probe(&inv, dns.port, &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    let p = web.port;
    for line in [
        format!("as planned: https://intranet.probe.test:{p} answers 302, redirecting to /login/"),
        format!("differs: https://annuaire.probe.test:{p}/annuaire should answer; it answers 404"),
        format!(
            "differs: the deleted site https://ancien-journal.probe.test:{p}/archives still answers 200"
        ),
    ] {
        assert!(out.contains(&line), "{line}\n{out}");
    }
    // Before jour M the site is not deleted yet: that it answers is as planned.
    let o = probe(&inv, dns.port, &["--today", "2026-03-01"]);
    assert!(
        !stdout(&o).contains("ancien-journal.probe.test:{p}/archives still"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_certificate_from_an_unknown_authority_is_refused() {
    let Some(c) = case(AS_PLANNED) else {
        return;
    };
    // Another authority than the one that signed the server's certificate.
    let other = repo().join("tests/fixtures/smtp/ca.pem");
    let o = c.probe(&["--ca-file", other.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let site = doc["instances"][0]["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["check"] == "site" && n["name"].as_str().unwrap().starts_with("https://intranet.")
        })
        .unwrap()
        .clone();
    assert_eq!(site["verdict"], "differs", "{site}");
    assert!(
        site["found"].as_str().unwrap().starts_with("certificate: "),
        "{site}"
    );
    assert!(
        site["message"].as_str().unwrap().contains("is refused"),
        "{site}"
    );
}

#[test]
fn a_site_that_never_answers_is_told_within_the_timeout() {
    let Some(dns) = dnsmasq(AS_PLANNED) else {
        return;
    };
    // A listener that accepts connections and never says a word: TLS waits for its hello.
    let silent = std::net::TcpListener::bind("127.0.0.23:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let inv = inventory(dir.path(), Some("127.0.0.23"), port);
    let o = probe(&inv, dns.port, &["--timeout-ms", "300"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(5), "{out}");
    let said = format!("could not tell: https://intranet.probe.test:{port}, no answer (");
    assert!(out.contains(&said), "{out}");
    assert!(
        out.contains("probe: 6 as planned, 0 differing, 2 not told"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "name server asked: 127.0.0.1:{}\n"
                .replace("{}", &dns.port.to_string())
                .as_str()
        ),
        "the server is said last: {out}"
    );
    // The point is that it ends (each request is bounded), not how fast.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}
