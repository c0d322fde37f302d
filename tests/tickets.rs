//! Octopus tickets of the seed inventory: snapshots, acceptance, and `.eml` files read
//! back by Python's `email` package.
//!
//! Snapshots live in `tests/snapshots/tickets/`; `BASCULE_BLESS=1 cargo test` rewrites
//! them, otherwise they are compared byte for byte.

mod common;

use bascule::render::tickets::{self, Kind, Ticket};
use bascule::templates::Templates;

/// Stand-in for the annexe renderer's PNG: a signature and a few bytes.
const FAKE_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRfake annexe";

fn seed_plan() -> bascule::plan::Plan {
    let text = include_str!("../inventory/moodle-3.5.yaml");
    let (_, inv) = bascule::load::load_bytes("moodle-3.5.yaml", text.as_bytes()).unwrap();
    bascule::plan::plan(&inv)
}

fn seed_tickets() -> Vec<Ticket> {
    tickets::tickets(&seed_plan(), &Templates::load(None).unwrap()).unwrap()
}

fn seed_files() -> Vec<(String, Vec<u8>)> {
    let pngs = |p: &str| p.ends_with(".png").then(|| FAKE_PNG.to_vec());
    tickets::files(&seed_tickets(), &pngs, None).unwrap()
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"));
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn snapshots_of_every_ticket_and_the_manifest() {
    let files = seed_files();
    for name in [
        "57330.txt",
        "57838.txt",
        "campus-jour-m.txt",
        "campus-m30.txt",
        "projets-jour-m.txt",
        "projets-m30.txt",
        "index.json",
        "57330.eml",
    ] {
        common::snapshot(
            &format!("tickets/{name}"),
            file(&files, &format!("tickets/{name}")).as_bytes(),
        );
    }
}

#[test]
fn creation_tickets_name_the_vm_dns_os_php_and_source() {
    let files = seed_files();
    for (name, vm, before, after) in [
        (
            "57330",
            "campus35web",
            "campus35.cegepadistance.ca",
            "campus.cegepadistance.ca",
        ),
        (
            "57838",
            "projets35",
            "projets35.cegepadistance.ca",
            "projets.cegepadistance.ca",
        ),
    ] {
        let t = file(&files, &format!("tickets/{name}.txt"));
        for needle in [
            vm,
            before,
            after,
            "SUSE Linux Enterprise Server 12\u{a0}SP3",
            "PHP\u{a0}: 7.0.7",
            "code source de Campus 3.1.5",
            "date du jour M à confirmer",
            "Moodle 3.5.3",
        ] {
            let needle = needle.replace("12\u{a0}SP3", "12 SP3");
            assert!(t.contains(&needle), "{name}.txt lacks {needle:?}:\n{t}");
        }
        assert!(t.starts_with("Création de la VM "), "{t}");
    }
    let campus = file(&files, "tickets/57330.txt");
    assert!(
        campus.contains("campusweb") && campus.contains("10.88.0.210"),
        "{campus}"
    );
    assert!(campus.contains("annexe-1.png"));
    let projets = file(&files, "tickets/57838.txt");
    assert!(
        projets.contains("campus-gq") && projets.contains("10.88.0.212"),
        "{projets}"
    );
    assert!(projets.contains("annexe-2.png"));
}

#[test]
fn drafts_cover_jour_m_dns_moves_and_m30_deletions() {
    let t = seed_tickets();
    let get = |id: &str| t.iter().find(|t| t.id == id).unwrap();
    for (inst, old, new, name) in [
        (
            "campus",
            "campusweb",
            "campus35web",
            "campus.cegepadistance.ca",
        ),
        (
            "projets",
            "campus-gq",
            "projets35",
            "projets.cegepadistance.ca",
        ),
    ] {
        let m = get(&format!("{inst}-jour-m"));
        assert_eq!(m.kind, Kind::Intervention);
        assert_eq!(m.number, None);
        assert!(
            m.body
                .contains(&format!("le nom {name} passe de {old} à {new}")),
            "{}",
            m.body
        );
        assert!(m.body.contains("numéro à obtenir"), "{}", m.body);
        assert!(m.vms.contains(&old.to_string()) && m.vms.contains(&new.to_string()));
        let d = get(&format!("{inst}-m30"));
        assert!(
            d.body.contains(&format!("supprimer la VM {old}")),
            "{}",
            d.body
        );
    }
    let campus_m30 = get("campus-m30");
    assert!(
        campus_m30
            .body
            .contains("supprimer la VM campus-dev (10.88.0.204)")
    );
    let projets_m30 = get("projets-m30");
    assert!(
        projets_m30
            .body
            .contains("https://ouvert.cegepadistance.ca")
    );
}

#[test]
fn builds_are_byte_identical() {
    assert_eq!(seed_files(), seed_files());
}

#[test]
fn eml_files_use_crlf_and_mailbox_only_when_given() {
    let files = seed_files();
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".eml")) {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.is_ascii(), "{name}");
        assert!(!text.replace("\r\n", "").contains('\n'), "{name}: bare LF");
        assert!(!text.contains("To:"), "{name}: no mailbox in the seed");
        assert!(text.lines().all(|l| l.len() <= 78), "{name}: long line");
    }
    let pngs = |_: &str| Some(FAKE_PNG.to_vec());
    let with = tickets::files(&seed_tickets(), &pngs, Some("octopus@example.org")).unwrap();
    assert!(file(&with, "tickets/57330.eml").starts_with("To: octopus@example.org\r\n"));
}

#[test]
fn eml_files_parse_with_python_email() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if python.is_err() {
        eprintln!("notice: python3 not found, .eml parsing test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = seed_files();
    let mut paths = Vec::new();
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".eml")) {
        let p = dir.path().join(name.replace('/', "_"));
        std::fs::write(&p, bytes).unwrap();
        paths.push((p, name.clone()));
    }
    let tickets = seed_tickets();
    let script = r#"
import sys, email, email.policy
path, subject, attachment = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, 'rb') as f:
    msg = email.message_from_bytes(f.read(), policy=email.policy.default)
assert msg['Subject'] == subject, (msg['Subject'], subject)
assert msg.get_content_type() == 'multipart/mixed'
assert not msg.defects, msg.defects
body = msg.get_body(preferencelist=('plain',))
assert body is not None and body.get_content_type() == 'text/plain'
text = body.get_content()
assert 'Bonjour' in text and 'é' in text, text
atts = list(msg.iter_attachments())
assert len(atts) == 1, atts
a = atts[0]
assert a.get_content_type() == 'image/png'
assert a.get_filename() == attachment, a.get_filename()
assert a.get_content().startswith(b'\x89PNG\r\n\x1a\n')
for part in msg.walk():
    assert not part.defects, part.defects
print('ok')
"#;
    for (path, name) in paths {
        let t = tickets
            .iter()
            .find(|t| t.eml_name() == name)
            .expect("ticket of the eml");
        assert!(t.subject.contains('é') || t.subject.contains('—'));
        let attachment = t.attachments[0].rsplit('/').next().unwrap();
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&path)
            .arg(&t.subject)
            .arg(attachment)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
