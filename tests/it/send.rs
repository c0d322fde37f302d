//! `bascule send` against a real SMTP server (Python's aiosmtpd, tests/fixtures/smtp/
//! server.py) on 127.0.0.1: what arrives, parsed by Python's e-mail parser; the journal;
//! never twice, even when the client is killed; updates; refusals; the lock.

use crate::common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "s3cr3t-ne-jamais-afficher";

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/smtp")
}

fn python_has_aiosmtpd() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A running aiosmtpd; killed when dropped.
struct Smtp {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Smtp {
    fn start(dir: &Path, args: &[&str]) -> Smtp {
        std::fs::create_dir_all(dir).unwrap();
        let mut child = Command::new("python3")
            .arg(fixtures().join("server.py"))
            .arg("--dir")
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Smtp {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    fn at(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The messages received so far, parsed, with their envelopes.
    fn received(&self) -> Vec<(Value, Value)> {
        let mut emls: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        emls.sort();
        let parsed = parse(&emls);
        emls.iter()
            .zip(parsed)
            .map(|(p, m)| {
                let env = std::fs::read_to_string(p.with_extension("json")).unwrap();
                (m, serde_json::from_str(&env).unwrap())
            })
            .collect()
    }

    fn wait_for(&self, n: usize) {
        let start = Instant::now();
        while self.count() < n {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{n} messages never came"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn count(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "eml")
            })
            .count()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Python's e-mail parser's view of each file.
fn parse(files: &[PathBuf]) -> Vec<Value> {
    if files.is_empty() {
        return vec![];
    }
    let o = Command::new("python3")
        .arg(fixtures().join("parse.py"))
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice::<Vec<Value>>(&o.stdout).unwrap()
}

const OCTOPUS: &str = "\noctopus:\n  mailbox: \"Centre de services <octopus@example.org>\"\n  sender: \"Équipe Web <web@example.org>\"\n";

/// A project: the seed with Octopus settings and `pairs` applied, built.
fn project(dir: &Path, pairs: &[(&str, &str)], extra: &str) -> PathBuf {
    let proj = dir.join("proj");
    std::fs::create_dir_all(proj.join("inventory")).unwrap();
    let mut text = SEED.to_string();
    for (from, to) in pairs {
        assert!(text.contains(from), "seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text.push_str(OCTOPUS);
    text.push_str(extra);
    std::fs::write(proj.join("inventory/i.yaml"), text).unwrap();
    let o = bascule(&proj, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    proj
}

/// Edits the project's inventory and builds again.
fn edit(proj: &Path, from: &str, to: &str) {
    let path = proj.join("inventory/i.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let o = bascule(proj, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn send(proj: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(proj)
        .arg("send")
        .args(args)
        .env(PASSWORD_VAR, PASSWORD)
        .output()
        .unwrap()
}

const PASSWORD_VAR: &str = "BASCULE_SMTP_PASSWORD";

fn journal(proj: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(proj.join("inventory/i.sent.json")).unwrap())
        .unwrap()
}

fn statuses(proj: &Path) -> Vec<(String, String)> {
    journal(proj)["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["key"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The four intervention requests of the seed (its two creations were filed by hand).
const NEW: [&str; 4] = [
    "campus-jour-m",
    "campus-m30",
    "projets-jour-m",
    "projets-m30",
];

fn subjects_key(received: &[(Value, Value)]) -> Vec<String> {
    received
        .iter()
        .map(|(m, _)| {
            let id = m["message_id"].as_str().unwrap();
            NEW.iter()
                .find(|k| id.starts_with(&format!("<bascule.{k}.")))
                .unwrap_or_else(|| panic!("{id}"))
                .to_string()
        })
        .collect()
}

/// The seed with Octopus settings, built; `None` (a notice, or a failure under CI) when
/// aiosmtpd is missing.
fn seed_project() -> Option<(tempfile::TempDir, PathBuf)> {
    if !python_has_aiosmtpd() {
        tool_missing("Python's aiosmtpd");
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path(), &[], "");
    Some((tmp, proj))
}

macro_rules! need_aiosmtpd {
    () => {
        if !python_has_aiosmtpd() {
            tool_missing("Python's aiosmtpd");
            return;
        }
    };
}

#[test]
fn starttls_with_a_login_delivers_the_stored_messages_once() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    let cert = fixtures().join("cert.pem");
    let key = fixtures().join("key.pem");
    let login = format!("technicien:{PASSWORD}");
    let server = Smtp::start(
        &tmp.path().join("mail"),
        &[
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--login",
            &login,
        ],
    );
    let ca = fixtures().join("ca.pem");
    let flags = [
        "--smtp",
        &server.at(),
        "--smtp-user",
        "technicien",
        "--smtp-ca",
        ca.to_str().unwrap(),
    ];

    let dry = send(&proj, &flags);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    assert!(
        text.contains("4 to send (4 new, 0 update), 2 not sent"),
        "{text}"
    );
    assert!(
        text.contains("filed     campus-creation-campus35web"),
        "{text}"
    );
    assert_eq!(server.count(), 0, "a dry run sends nothing");
    assert!(!proj.join("inventory/i.sent.json").exists());

    let o = send(&proj, &[&flags[..], &["--yes"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let got = server.received();
    delivered_as_stored(&proj, &got);

    let again = send(&proj, &[&flags[..], &["--yes"]].concat());
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("nothing to send"),
        "{}",
        stderr(&again)
    );
    assert_eq!(server.count(), 4, "a second send delivers nothing");
    let dry = stdout(&send(&proj, &flags));
    assert!(
        dry.contains("0 to send (0 new, 0 update), 6 not sent"),
        "{dry}"
    );
    assert!(dry.contains("sent      campus-m30"), "{dry}");

    let journal_text = std::fs::read_to_string(proj.join("inventory/i.sent.json")).unwrap();
    for text in [
        stdout(&o),
        stderr(&o),
        stdout(&again),
        stderr(&again),
        journal_text,
    ] {
        assert!(!text.contains(PASSWORD), "the password leaked: {text}");
    }
}

#[test]
fn a_changed_request_goes_out_as_an_update_once_its_number_is_known() {
    need_aiosmtpd!();
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(
        tmp.path(),
        &[(
            "    order: 1\n",
            "    order: 1\n    interventions:\n      - { state: jour-m, contacts: \"Nuit, 555-0100\" }\n",
        )],
        "",
    );
    let server = Smtp::start(&tmp.path().join("mail"), &[]);
    let flags = ["--smtp", &server.at(), "--tls", "none", "--yes"];
    assert!(send(&proj, &flags).status.success());
    assert_eq!(server.count(), 4);

    // The number arrives alone: no change, nothing sent.
    edit(
        &proj,
        "{ state: jour-m, contacts",
        "{ state: jour-m, ticket: 61234, contacts",
    );
    let dry = stdout(&send(&proj, &[]));
    assert!(dry.contains("sent      campus-jour-m"), "{dry}");

    // The content changes: an update of request 61234, in Octopus's subject format.
    edit(&proj, "Nuit, 555-0100", "Nuit, 555-0199");
    let dry = stdout(&send(&proj, &[]));
    assert!(
        dry.contains("update    campus-jour-m: [Incident] #61234 Intervention sur Campus"),
        "{dry}"
    );
    // Another changes without its number: held, never sent as a second request.
    edit(&proj, "ip: 10.88.0.210", "ip: 10.88.0.249");
    let dry = stdout(&send(&proj, &[]));
    assert!(dry.contains("held      campus-m30"), "{dry}");

    let o = send(&proj, &flags);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = server.received();
    assert_eq!(got.len(), 5, "one update, nothing else");
    let update = &got[4].0;
    assert!(
        update["subject"]
            .as_str()
            .unwrap()
            .starts_with("[Incident] #61234 Intervention sur Campus"),
        "{update}"
    );
    assert!(update["body"].as_str().unwrap().contains("555-0199"));
    let last = journal(&proj)["deliveries"][4].clone();
    assert_eq!(
        (last["purpose"].as_str(), last["number"].as_u64()),
        (Some("update"), Some(61234))
    );
    assert!(send(&proj, &flags).status.success());
    assert_eq!(server.count(), 5, "the update is not sent twice");
}

/// Runs `send --yes` until the server holds `n` messages and has begun the next, then kills
/// it (SIGKILL: nothing of bascule runs after).
fn send_killed(proj: &Path, server: &Smtp, n: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(proj)
        .args(["send", "--yes", "--tls", "none", "--smtp", &server.at()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_for(n);
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_send_killed_half_way_then_run_again_delivers_each_message_once() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    // The third delivery never gets an answer to MAIL FROM: the client is killed there.
    let first = Smtp::start(&tmp.path().join("first"), &["--stall-mail", "3"]);
    send_killed(&proj, &first, 2);
    let sent: Vec<_> = statuses(&proj);
    assert_eq!(
        sent,
        [
            ("campus-jour-m".into(), "sent".into()),
            ("campus-m30".into(), "sent".into())
        ]
    );
    let second = Smtp::start(&tmp.path().join("second"), &[]);
    let o = send(&proj, &["--yes", "--tls", "none", "--smtp", &second.at()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut all = subjects_key(&first.received());
    all.extend(subjects_key(&second.received()));
    assert_eq!(all, NEW, "each message exactly once in all");
}

#[test]
fn a_delivery_cut_after_the_message_is_never_sent_again_unless_retried() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    // The first message is received, but the server never answers it.
    let first = Smtp::start(&tmp.path().join("first"), &["--stall-data", "1"]);
    send_killed(&proj, &first, 1);
    assert_eq!(
        statuses(&proj),
        [("campus-jour-m".into(), "sending".into())]
    );
    let dry = stdout(&send(&proj, &[]));
    assert!(dry.contains("uncertain campus-jour-m"), "{dry}");
    assert!(dry.contains("look for it in Octopus"), "{dry}");

    let second = Smtp::start(&tmp.path().join("second"), &[]);
    let flags = ["--yes", "--tls", "none", "--smtp", &second.at()];
    assert!(send(&proj, &flags).status.success());
    assert_eq!(subjects_key(&second.received()), NEW[1..]);
    // Seen missing from Octopus: sent again on demand only.
    let o = send(&proj, &[&flags[..], &["--retry", "campus-jour-m"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(second.count(), 4);
    assert_eq!(
        statuses(&proj).last().unwrap(),
        &("campus-jour-m".into(), "sent".into())
    );
}

#[test]
fn a_refused_recipient_leaves_the_journal_right_and_says_so() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    edit(
        &proj,
        "mailbox: \"Centre de services <octopus@example.org>\"",
        "mailbox: \"Centre de services <octopus@example.org>, absent@example.org\"",
    );
    let server = Smtp::start(
        &tmp.path().join("mail"),
        &["--refuse", "absent@example.org"],
    );
    let flags = ["--yes", "--tls", "none", "--smtp", &server.at()];
    let o = send(&proj, &flags);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("recipient absent@example.org"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("0 sent, 4 refused"), "{}", stderr(&o));
    assert_eq!(server.count(), 0);
    assert!(statuses(&proj).iter().all(|(_, s)| s == "refused"));
    let dry = stdout(&send(&proj, &[]));
    assert!(
        dry.contains("4 to send (4 new"),
        "refused means not sent: {dry}"
    );

    edit(&proj, ", absent@example.org", "");
    assert!(send(&proj, &flags).status.success());
    assert_eq!(subjects_key(&server.received()), NEW);
}

#[test]
fn check_warns_while_a_sent_creation_waits_for_its_number() {
    need_aiosmtpd!();
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(
        tmp.path(),
        &[("{ create: { ticket: 57330 } }", "{ create: {} }")],
        "",
    );
    let check = bascule(&proj, &["check", "--out", "out"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("E0117"), "{}", stderr(&check));

    let server = Smtp::start(&tmp.path().join("mail"), &[]);
    let flags = [
        "--yes",
        "--tls",
        "none",
        "--smtp",
        &server.at(),
        "--only",
        "campus-creation-campus35web",
    ];
    assert!(send(&proj, &flags).status.success());
    assert_eq!(server.count(), 1, "--only sends only that one");
    let check = bascule(&proj, &["check", "--out", "out"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("W0118"), "{}", stderr(&check));
    let strict = bascule(&proj, &["check", "--out", "out", "--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1));
    // `init`'s CI recipes: strict, but for a number that Octopus has yet to give.
    let ci = [
        "check",
        "--out",
        "out",
        "--deny-warnings",
        "--allow",
        "W0118",
        "--allow",
        "W0108",
    ];
    let o = bascule(&proj, &ci);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = bascule(&proj, &["check", "--deny-warnings", "--allow", "E0117"]);
    assert_eq!(o.status.code(), Some(2), "an error cannot be allowed");
}

#[test]
fn an_internationalised_address_needs_smtputf8() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    edit(&proj, "<web@example.org>", "<équipe@example.org>");
    let plain = Smtp::start(&tmp.path().join("plain"), &["--no-smtputf8"]);
    let o = send(&proj, &["--yes", "--tls", "none", "--smtp", &plain.at()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("SMTPUTF8"), "{}", stderr(&o));
    assert_eq!(plain.count(), 0);
    assert!(!proj.join("inventory/i.sent.json").exists());

    let utf8 = Smtp::start(&tmp.path().join("utf8"), &[]);
    let o = send(
        &proj,
        &[
            "--yes",
            "--tls",
            "none",
            "--smtp",
            &utf8.at(),
            "--only",
            "campus-m30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (m, env) = &utf8.received()[0];
    assert_eq!(env["mail_from"], "équipe@example.org");
    assert_eq!(env["mail_options"], serde_json::json!(["SMTPUTF8"]));
    assert_eq!(m["from"], "Équipe Web <équipe@example.org>");
}

#[test]
fn a_service_request_is_enclosed_in_its_token() {
    need_aiosmtpd!();
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(
        tmp.path(),
        &[],
        "  request: service-request\n  sr_token: CreateSR\n",
    );
    let stored = &parse(&[proj.join("out/tickets/campus-m30.eml")])[0];
    let body = stored["body"].as_str().unwrap();
    assert!(
        body.starts_with("CreateSR\n") && body.ends_with("\nCreateSR\n"),
        "{body}"
    );
    let txt = std::fs::read_to_string(proj.join("out/tickets/campus-m30.txt")).unwrap();
    assert!(
        !txt.contains("CreateSR"),
        "the text for copy-paste has no token"
    );
    let server = Smtp::start(&tmp.path().join("mail"), &[]);
    let o = send(
        &proj,
        &[
            "--yes",
            "--tls",
            "none",
            "--smtp",
            &server.at(),
            "--only",
            "campus-m30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(server.received()[0].0["body"], stored["body"]);
}

#[test]
fn two_sends_at_once_the_second_waits_then_refuses() {
    let Some((tmp, proj)) = seed_project() else {
        return;
    };
    let server = Smtp::start(&tmp.path().join("mail"), &["--stall-mail", "1"]);
    let mut first = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(&proj)
        .args(["send", "--yes", "--tls", "none", "--smtp", &server.at()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The first holds the lock while it waits for the server.
    let start = Instant::now();
    let second = loop {
        let o = Command::new(env!("CARGO_BIN_EXE_bascule"))
            .env("LC_ALL", "en_US.UTF-8")
            .current_dir(&proj)
            .args(["send"])
            .env("BASCULE_LOCK_WAIT", "0")
            .output()
            .unwrap();
        if !o.status.success() || start.elapsed() > Duration::from_secs(20) {
            break o;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(second.status.code(), Some(3), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another `bascule send`"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn usage_faults_exit_2_before_any_connection() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path(), &[], "");
    for (args, says) in [
        (&["--yes"][..], "--smtp HOST:PORT"),
        (&["--yes", "--smtp", "127.0.0.1:x"][..], "port"),
        (
            &["--only", "campus-jour"][..],
            "did you mean `campus-jour-m`?",
        ),
    ] {
        let o = send(&proj, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(&proj)
        .args([
            "send",
            "--yes",
            "--smtp",
            "127.0.0.1:25",
            "--smtp-user",
            "u",
        ])
        .env_remove(PASSWORD_VAR)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(PASSWORD_VAR), "{}", stderr(&o));
    // A documentation address (never routed, never resolved): refused before connecting.
    let o = send(&proj, &["--yes", "--tls", "none", "--smtp", "192.0.2.1:25"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("only to a loopback address"),
        "{}",
        stderr(&o)
    );
    // An output folder behind its inventory is never sent, not even listed.
    let path = proj.join("inventory/i.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("ip: 10.88.0.210", "ip: 10.88.0.249")).unwrap();
    let o = send(&proj, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("run `bascule build`, then send"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
}

/// The messages the server got are the stored ones, from the configured sender, over TLS
/// with the login, each with its own Message-ID, which the journal records.
fn delivered_as_stored(proj: &std::path::Path, got: &[(Value, Value)]) {
    assert_eq!(subjects_key(got), NEW);
    for (m, env) in got {
        let key = subjects_key(&[(m.clone(), env.clone())])[0].clone();
        let stored = &parse(&[proj.join(format!("out/tickets/{key}.eml"))])[0];
        assert_eq!(m["defects"], serde_json::json!([]));
        for same in ["subject", "body", "attachments", "to"] {
            assert_eq!(m[same], stored[same], "{key}: {same}");
        }
        assert_eq!(m["from"], "Équipe Web <web@example.org>");
        assert_eq!(m["unsent"], Value::Null);
        assert!(m["date"].as_str().is_some_and(|d| d.contains("20")), "{m}");
        assert_eq!(env["mail_from"], "web@example.org");
        assert_eq!(env["rcpt_tos"], serde_json::json!(["octopus@example.org"]));
        assert_eq!(
            (env["tls"].as_bool(), env["login"].as_str()),
            (Some(true), Some("technicien"))
        );
    }
    let ids: std::collections::BTreeSet<&str> = got
        .iter()
        .map(|(m, _)| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4, "one Message-ID each");
    let j = journal(proj);
    for (d, (m, _)) in j["deliveries"].as_array().unwrap().iter().zip(got) {
        assert_eq!(d["status"], "sent");
        assert_eq!(d["message_id"], m["message_id"]);
        assert!(d["digest"].as_str().unwrap().starts_with("sha256:"));
    }
}
