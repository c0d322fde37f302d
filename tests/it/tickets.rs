//! Octopus tickets of the reference inventory, end to end: what the technician reads, and
//! the `.eml` files read back by Python's `email` package (a real mail parser).

use crate::common::*;

use bascule::render::tickets::{self, Kind, Ticket, manifest};
use bascule::templates::Templates;

/// Stand-in for the annexe renderer's PNG: a signature and a few bytes.
const FAKE_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRfake annexe";

fn seed_tickets() -> Vec<Ticket> {
    tickets::tickets(&plan_of(SEED), &Templates::load(None).unwrap()).unwrap()
}

fn seed_files(to: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let pngs = |p: &str| p.ends_with(".png").then(|| FAKE_PNG.to_vec());
    manifest::files(&seed_tickets(), &pngs, to).unwrap()
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"));
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn creation_tickets_name_the_vm_dns_os_components_and_source() {
    let files = seed_files(None);
    for (name, number, vm, before, after, replaced, ip, annexe) in [
        (
            "campus-creation-campus35web",
            57330,
            "campus35web",
            "campus35.cegepadistance.ca",
            "campus.cegepadistance.ca",
            "campusweb",
            "10.88.0.210",
            "annexe-1.png",
        ),
        (
            "projets-creation-projets35",
            57838,
            "projets35",
            "projets35.cegepadistance.ca",
            "projets.cegepadistance.ca",
            "campus-gq",
            "10.88.0.212",
            "annexe-2.png",
        ),
    ] {
        let t = file(&files, &format!("tickets/{name}.txt"));
        assert!(t.starts_with(&format!("Création de la VM {vm} ")), "{t}");
        for needle in [
            vm,
            before,
            after,
            "SUSE Linux Enterprise Server 12 SP3",
            "PHP\u{a0}: 7.0.7",
            "le code source de Campus 3.1.5",
            "(date à confirmer)",
            "Moodle 3.5.3",
            replaced,
            ip,
            annexe,
            &format!("Ticket Octopus\u{a0}: {number}"),
        ] {
            assert!(t.contains(needle), "{name}.txt lacks {needle:?}:\n{t}");
        }
    }
}

#[test]
fn interventions_cover_jour_m_moves_and_m30_deletions() {
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
        assert_eq!((m.kind, m.number), (Kind::Intervention, None));
        assert!(
            m.body.contains(&format!(
                "faire passer le nom {name} de la VM {old} à la VM {new}"
            )),
            "{}",
            m.body
        );
        assert!(m.vms.contains(&old.to_string()) && m.vms.contains(&new.to_string()));
        let d = get(&format!("{inst}-m30"));
        assert!(
            d.body.contains(&format!("supprimer la VM {old}")),
            "{}",
            d.body
        );
    }
    assert!(
        get("campus-m30")
            .body
            .contains("supprimer la VM campus-dev (10.88.0.204)")
    );
    assert!(
        get("projets-jour-m")
            .body
            .contains("https://ouvert.cegepadistance.ca")
    );
}

#[test]
fn builds_are_byte_identical() {
    assert_eq!(seed_files(None), seed_files(None));
}

#[test]
fn eml_files_use_crlf_and_a_mailbox_only_when_given() {
    for (name, bytes) in seed_files(None).iter().filter(|(n, _)| n.ends_with(".eml")) {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.is_ascii(), "{name}");
        assert!(!text.replace("\r\n", "").contains('\n'), "{name}: bare LF");
        assert!(!text.contains("To:"), "{name}: no mailbox in the seed");
        assert!(text.lines().all(|l| l.len() <= 78), "{name}: long line");
    }
    let with = seed_files(Some("octopus@example.org"));
    assert!(
        file(&with, "tickets/campus-creation-campus35web.eml")
            .starts_with("To: <octopus@example.org>\r\n")
    );
}

const PARSE: &str = r#"
import sys, email, email.policy
path, subject, attachment = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, 'rb') as f:
    msg = email.message_from_bytes(f.read(), policy=email.policy.default)
assert msg['Subject'] == subject, (msg['Subject'], subject)
assert msg.get_content_type() == 'multipart/mixed'
assert not msg.defects, msg.defects
assert msg['Date'] is None and msg['Message-ID'] is None
body = msg.get_body(preferencelist=('plain',))
assert body is not None and body.get_content_type() == 'text/plain'
text = body.get_content()
assert 'Bonjour' in text and 'é' in text and '\u00a0:' in text, text
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

#[test]
fn eml_files_parse_with_python_email() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        return tool_missing("python3");
    }
    let dir = tempfile::tempdir().unwrap();
    let tickets = seed_tickets();
    for (name, bytes) in seed_files(None).iter().filter(|(n, _)| n.ends_with(".eml")) {
        let path = dir.path().join(name.replace('/', "_"));
        std::fs::write(&path, bytes).unwrap();
        let t = tickets
            .iter()
            .find(|t| t.eml_name() == *name)
            .expect("ticket of the eml");
        let attachment = t.attachments[0].rsplit('/').next().unwrap();
        let out = std::process::Command::new("python3")
            .args(["-c", PARSE])
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
