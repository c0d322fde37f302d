//! `bascule check`: one test per inventory rule (code, message, position), the output
//! comparison, the formats, and input that tries to break the loader.

use crate::common::*;
use std::path::Path;

struct Found {
    code: String,
    message: String,
    line: u64,
    col: u64,
}

/// Runs `check --format json` and returns the diagnostics and the exit code.
fn check_json(dir: &Path, inv: &Path, extra: &[&str]) -> (Vec<Found>, Option<i32>) {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--inventory",
        inv.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = bascule(dir, &args);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let found = json_diagnostics(&stdout(&o))
        .iter()
        .map(|v| Found {
            code: v["code"].as_str().unwrap().to_string(),
            message: v["message"].as_str().unwrap().to_string(),
            line: v["line"].as_u64().unwrap_or(0),
            col: v["col"].as_u64().unwrap_or(0),
        })
        .collect();
    (found, o.status.code())
}

/// Applies `from → to` to the seed, checks, and asserts one diagnostic `code` whose message
/// contains `msg`, on the line where `to` starts (the line of `marker` inside `to` if given).
fn rule(from: &str, to: &str, code: &str, msg: &str, marker: &str) {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(dir.path(), from, to);
    let text = std::fs::read_to_string(&inv).unwrap();
    let seed = std::fs::read_to_string(seed_inventory()).unwrap();
    // `mutated` replaced the first `from`: that is where `to` starts.
    let at = seed.find(from).unwrap() + to.find(marker).unwrap_or(0);
    let line = text[..at].matches('\n').count() as u64 + 1;
    let (found, status) = check_json(dir.path(), &inv, &[]);
    let hit = found.iter().find(|f| f.code == code).unwrap_or_else(|| {
        panic!(
            "{code} not reported for {to:?}; got {:?}",
            found
                .iter()
                .map(|f| (&f.code, &f.message))
                .collect::<Vec<_>>()
        )
    });
    assert!(hit.message.contains(msg), "{code}: {}", hit.message);
    assert_eq!(
        hit.line, line,
        "{code}: {} at {}:{}",
        hit.message, hit.line, hit.col
    );
    assert!(hit.col > 0);
    if code.starts_with('E') {
        assert_eq!(status, Some(1), "{code}");
    }
}

#[test]
fn seed_passes_with_the_qc_ca_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (found, status) = check_json(dir.path(), &seed_inventory(), &[]);
    assert_eq!(status, Some(0));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "W0108");
    let (_, status) = check_json(dir.path(), &seed_inventory(), &["--deny-warnings"]);
    assert_eq!(status, Some(1));
}

#[test]
fn rule_ipv4() {
    rule(
        "ip: 10.87.0.210",
        "ip: 10.87.0.999",
        "E0101",
        "not an IPv4 address",
        "",
    );
}

#[test]
fn rule_machine_name() {
    rule(
        "machine: campus-dev\n",
        "machine: ../campus-dev\n",
        "E0102",
        "not a valid machine name",
        "",
    );
}

#[test]
fn rule_dns_name() {
    rule(
        "dns: [campus-dev.cegepadistance.ca]",
        "dns: [campus-dev..cegepadistance.ca]",
        "E0103",
        "not a valid DNS name",
        "campus-dev..",
    );
}

#[test]
fn rule_unique_machine_names() {
    rule(
        "machine: campus-dev\n",
        "machine: campusdb2\n",
        "E0104",
        "already used at line",
        "",
    );
}

#[test]
fn rule_unique_ip_per_state() {
    rule(
        "ip: 10.88.0.204",
        "ip: 10.88.0.211",
        "E0105",
        "also used by `campusdb2`",
        "",
    );
}

#[test]
fn rule_one_holder_per_dns_name() {
    rule(
        "dns: [campus-dev.cegepadistance.ca]",
        "dns: [campusdb.cegepadistance.ca]",
        "E0106",
        "already held by `campusdb2`",
        "campusdb.",
    );
}

#[test]
fn rule_dns_move_from_the_holder() {
    rule(
        "dns-move: { name: campus.cegepadistance.ca, from: campusweb }",
        "dns-move: { name: campus.cegepadistance.ca, from: campus-dev }",
        "E0107",
        "held by `campusweb`, not `campus-dev`",
        "",
    );
}

#[test]
fn rule_dns_zone_warning_and_allow_list() {
    rule(
        "dns: [campusupg.cegepadistance.ca]",
        "dns: [campusupg.example.org]",
        "W0108",
        "outside the inventory's zones",
        "campusupg.",
    );
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(
        dir.path(),
        "dns_allow: []",
        "dns_allow: [campusdbupg.cegepadistance.qc.ca]",
    );
    let (found, status) = check_json(dir.path(), &inv, &["--deny-warnings"]);
    assert!(found.is_empty() && status == Some(0));
}

#[test]
fn rule_impossible_date() {
    rule(
        "date: 2018-12-12",
        "date: 2018-12-32",
        "E0109",
        "not a date of the calendar",
        "",
    );
}

#[test]
fn rule_unknown_value() {
    rule(
        "    kind: after\n",
        "    kind: aftre\n",
        "E0011",
        "unknown value `aftre` for `kind`",
        "",
    );
}

#[test]
fn rule_states_shape() {
    rule(
        "    kind: after\n",
        "    kind: migration\n",
        "E0110",
        "where `after` is due",
        "",
    );
}

#[test]
fn rule_jour_m_after_reference() {
    rule(
        "    order: 1\n",
        "    order: 1\n    jour_m: 2018-12-01\n",
        "E0111",
        "not after the reference date",
        "jour_m",
    );
}

#[test]
fn rule_migration_order_agrees_with_dates() {
    let dir = tempfile::tempdir().unwrap();
    let (inv, text) = mutated_all(
        dir.path(),
        &[
            ("    order: 1\n", "    order: 1\n    jour_m: 2019-02-01\n"),
            ("    order: 2\n", "    order: 2\n    jour_m: 2019-01-15\n"),
        ],
    );
    let (found, status) = check_json(dir.path(), &inv, &[]);
    let hit = found.iter().find(|f| f.code == "E0112").expect("E0112");
    assert!(
        hit.message.contains("Campus migrates before Projets"),
        "{}",
        hit.message
    );
    let line = text[..text.find("jour_m: 2019-02-01").unwrap()]
        .matches('\n')
        .count() as u64
        + 1;
    assert_eq!((hit.line, status), (line, Some(1)));
}

#[test]
fn rule_unknown_state_with_hint() {
    rule(
        "{ state: m30, do: [delete] }",
        "{ state: m31, do: [delete] }",
        "E0113",
        "unknown state `m31`",
        "m31",
    );
}

#[test]
fn rule_no_action_after_deletion() {
    rule(
        "          - { state: jour-m, do: [deactivate] }\n          - { state: m30, do: [delete] }\n      - machine: campusdb2",
        "          - { state: jour-m, do: [delete] }\n          - { state: m30, do: [deactivate] }\n      - machine: campusdb2",
        "E0114",
        "acted on after its deletion",
        "deactivate",
    );
}

#[test]
fn rule_no_action_before_creation() {
    rule(
        "{ state: reference, do: [{ create: { ticket: 57330 } }] }",
        "{ state: jour-m, do: [{ create: { ticket: 57330 } }] }\n          - { state: reference, do: [deactivate] }",
        "E0115",
        "acted on before its creation",
        "deactivate",
    );
}

#[test]
fn rule_role_after_exactly_when_kept() {
    rule(
        "        role: Serveur de tests Moodle 3.1.2\n",
        "        role: Serveur de tests Moodle 3.1.2\n        role_after: Serveur\n",
        "E0116",
        "is deleted, so it has no role",
        "role_after",
    );
}

#[test]
fn rule_creation_needs_a_ticket() {
    rule(
        "{ create: { ticket: 57838 } }",
        "{ create: {} }",
        "E0117",
        "no Octopus ticket number",
        "",
    );
}

#[test]
fn rule_unique_ticket_numbers() {
    rule(
        "{ create: { ticket: 57838 } }",
        "{ create: { ticket: 57330 } }",
        "E0118",
        "Octopus ticket 57330 is also the request of line",
        "",
    );
}

#[test]
fn rule_unknown_machine_reference() {
    rule(
        "files_from: campusweb",
        "files_from: campuswebb",
        "E0119",
        "not a machine of Campus",
        "",
    );
}

#[test]
fn rule_control_characters() {
    rule(
        "role: Serveur BD de production Campus\n",
        "role: \"Serveur\\u0007 BD\"\n",
        "E0120",
        "control character U+0007",
        "",
    );
}

#[test]
fn rule_instance_id_is_a_slug() {
    rule(
        "  - id: projets\n",
        "  - id: ../projets\n",
        "E0121",
        "not a lowercase slug",
        "../",
    );
}

#[test]
fn every_fault_in_one_run_sorted_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let (inv, _) = mutated_all(
        dir.path(),
        &[
            ("ip: 10.87.0.210", "ip: 10.87.0.999"),
            ("date: 2018-12-12", "date: 2018-13-12"),
            ("files_from: campus-gq", "files_from: nowhere"),
        ],
    );
    let (found, status) = check_json(dir.path(), &inv, &[]);
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(status, Some(1));
    for c in ["E0101", "E0109", "E0119"] {
        assert!(codes.contains(&c), "{codes:?}");
    }
    let lines: Vec<u64> = found.iter().map(|f| f.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn human_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(dir.path(), "ip: 10.87.0.210", "ip: 10.87.0.999");
    let o = bascule(dir.path(), &["check", "--inventory", inv.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("error[E0101]: `10.87.0.999` is not an IPv4 address"),
        "{err}"
    );
    assert!(err.contains("ip: 10.87.0.999\n"), "{err}");
    assert!(err.contains("^"), "{err}");
    assert!(err.contains("= help: write four numbers"), "{err}");
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--inventory",
            inv.to_str().unwrap(),
        ],
    );
    assert!(stdout(&o).contains("::error file="), "{}", stdout(&o));
    assert!(stdout(&o).contains(",title=E0101::"), "{}", stdout(&o));
    assert_eq!(
        bascule(dir.path(), &["check", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn stale_or_hand_edited_output_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let inv = inv.to_str().unwrap();
    assert!(
        bascule(dir.path(), &["build", "--inventory", inv])
            .status
            .success()
    );
    let (found, status) = check_json(dir.path(), Path::new(inv), &["--out", "out"]);
    assert_eq!(
        (found.len(), status),
        (1, Some(0)),
        "a fresh build must pass"
    );
    let doc = dir.path().join("out/document.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("10.88.0.210", "10.88.0.201", 1)).unwrap();
    std::fs::write(dir.path().join("out/notes.txt"), "x").unwrap();
    let (found, status) = check_json(dir.path(), Path::new(inv), &["--out", "out"]);
    assert_eq!(status, Some(1));
    let stale = found
        .iter()
        .find(|f| f.code == "E0512")
        .expect("stale file");
    assert!(stale.line > 0);
    assert!(found.iter().any(|f| f.code == "E0513"));
    // For a person: one line first that says it all and what to run, then the details.
    let o = bascule(dir.path(), &["check", "--inventory", inv, "--out", "out"]);
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "out/ is stale: 1 file(s) differ from a fresh build, 0 missing, 1 extra \
             (document.md, notes.txt); run `bascule build` and commit out/"
        ),
        "{err}"
    );
    assert_eq!(err.matches("is stale").count(), 1, "{err}");
    // Machines read the JSON records, which stay one per fault.
    let (json, _) = check_json(dir.path(), Path::new(inv), &["--out", "out"]);
    assert_eq!(json.len(), found.len());
}

#[test]
fn overridden_template_that_drops_facts_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/document.md.tera"),
        "# {{ title }}\n{% for inst in instances %}\n## <a id=\"{{ inst.anchor }}\"></a>Machines virtuelles {{ inst.name }}\n\nOn a donc 3 VM à créer.\n{% endfor %}\n",
    )
    .unwrap();
    let (found, status) = check_json(dir.path(), &seed_inventory(), &[]);
    assert_eq!(status, Some(1));
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    for c in ["E0503", "E0504", "E0506", "E0508"] {
        assert!(codes.contains(&c), "{c} not in {codes:?}");
    }
    // Without the anchors, the sections themselves are missing.
    std::fs::write(
        dir.path().join("templates/document.md.tera"),
        "# {{ title }}\n{% for inst in instances %}\n## Machines virtuelles {{ inst.name }}\n{% endfor %}\n",
    )
    .unwrap();
    let (found, _) = check_json(dir.path(), &seed_inventory(), &[]);
    assert_eq!(found.iter().filter(|f| f.code == "E0502").count(), 2);
}

#[test]
fn a_hand_edited_png_is_not_reused_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let inv = inv.to_str().unwrap();
    assert!(
        bascule(dir.path(), &["build", "--inventory", inv])
            .status
            .success()
    );
    let png = dir.path().join("out/annexes/annexe-2.png");
    let mut bytes = std::fs::read(&png).unwrap();
    let i = bytes.windows(4).position(|w| w == b"IDAT").unwrap() + 40;
    bytes[i] ^= 0x55;
    std::fs::write(&png, bytes).unwrap();
    let (found, status) = check_json(dir.path(), Path::new(inv), &["--out", "out"]);
    assert_eq!(status, Some(1));
    let hit = found
        .iter()
        .find(|f| f.code == "E0512")
        .expect("edited PNG reported");
    assert!(hit.message.contains("stale or hand-edited"));
    // The attachments of the emails were drawn afresh, so only the PNG itself differs.
    assert_eq!(found.iter().filter(|f| f.code == "E0512").count(), 1);
}

#[test]
fn rule_unique_instance_ids_and_annexes() {
    rule(
        "    annexe: 2\n",
        "    annexe: 1\n",
        "E0122",
        "annexe number 1 is zero or used twice",
        "",
    );
    rule(
        "  - id: projets\n",
        "  - id: campus\n",
        "E0122",
        "instance id `campus` is used twice",
        "campus",
    );
}

#[test]
fn rule_url() {
    rule(
        "url: https://projets.cegepadistance.ca",
        "url: javascript:alert(1)",
        "E0123",
        "not an http(s) URL",
        "",
    );
}

#[test]
fn rule_vm_needs_a_role() {
    rule(
        "machine: campus-gq\n        ip: 10.88.0.212\n        dns: [projets.cegepadistance.ca]\n        role: Serveur de production (Projets)\n",
        "machine: campus-gq\n        ip: 10.88.0.212\n        dns: [projets.cegepadistance.ca]\n",
        "E0124",
        "`campus-gq` has no `role`",
        "",
    );
}

#[test]
fn rule_created_or_deleted_once() {
    rule(
        "{ state: m30, do: [delete] }\n      - machine: campusdb2",
        "{ state: m30, do: [delete, delete] }\n      - machine: campusdb2",
        "E0125",
        "deleted twice",
        "",
    );
}

/// Hostile text everywhere it can go: escaped in the Markdown, the page and the SVGs,
/// kept literal in the plain-text tickets, and `check` still proves the outputs agree.
#[test]
fn hostile_text_is_escaped_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let payload = r#"<script>alert('x')</script> & "q" | *b* ../"#;
    let yaml_payload = format!("'{}'", payload.replace('\'', "''"));
    let (role, users, role_after) = (
        format!("role: {yaml_payload}\n"),
        format!("    users: {yaml_payload}\n"),
        format!("role_after: {yaml_payload}"),
    );
    let (inv, _) = mutated_all(
        dir.path(),
        &[
            ("role: Serveur BD de production Campus\n", &role),
            (
                "    users: Étudiants et tuteurs de Cégep à distance\n",
                &users,
            ),
            (
                "role_after: Serveur fichiers de production Campus 3.5.3",
                &role_after,
            ),
        ],
    );
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = bascule::write::tree::read_tree(&dir.path().join("out"))
        .unwrap()
        .files;
    for (name, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        if name.ends_with(".md") || name.ends_with(".html") || name.ends_with(".svg") {
            assert!(!text.contains("<script>"), "{name} carries a raw <script>");
        }
        if name.ends_with(".svg") {
            let opt = bascule::font::options();
            assert!(
                usvg::Tree::from_str(&text, &opt).is_ok(),
                "{name} is not well-formed"
            );
        }
    }
    let md = String::from_utf8_lossy(&out["document.md"]);
    assert!(md.contains("&lt;script&gt;"), "escaped in the document");
    assert!(md.contains("\\|"), "pipes escaped in table cells");
    let svg = String::from_utf8_lossy(&out["annexes/annexe-1.svg"]);
    assert!(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"));
    let ticket = String::from_utf8_lossy(&out["tickets/campus-creation-campus35web.txt"]);
    assert!(
        ticket.contains(payload),
        "plain text keeps the text as written"
    );
    let (found, status) = check_json(dir.path(), &inv, &["--out", "out"]);
    assert_eq!(
        status,
        Some(0),
        "{:?}",
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

/// CI's formats: a fault about a whole file has no line (GitHub counts from 1), JSON records
/// carry a version, null where nothing applies, and end with a summary; usage errors and
/// `build` speak the same format.
#[test]
fn ci_formats_have_no_line_zero_a_version_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let inv = inv.to_str().unwrap();
    assert!(
        bascule(dir.path(), &["build", "--inventory", inv])
            .status
            .success()
    );
    std::fs::write(dir.path().join("out/document.md"), "edited\n").unwrap();
    std::fs::write(dir.path().join("out/extra.txt"), "mine\n").unwrap();
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--inventory",
            inv,
            "--out",
            "out",
            "--format",
            "github",
        ],
    );
    let text = stdout(&o);
    assert!(
        !text.contains("line=0") && !text.contains("col=0"),
        "{text}"
    );
    assert!(
        text.contains("::error file=out/extra.txt,title=E0513::"),
        "{text}"
    );
    assert!(
        text.contains("::error file=out/document.md,line=1,col=1,title=E0512::"),
        "{text}"
    );
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--inventory",
            inv,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let d = json_diagnostics(&stdout(&o));
    let extra = d.iter().find(|d| d["code"] == "E0513").unwrap();
    assert!(extra["line"].is_null() && extra["col"].is_null(), "{extra}");
    let last: serde_json::Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    assert_eq!(
        (last["command"].as_str(), last["exit_code"].as_u64()),
        (Some("check"), Some(1))
    );
}

/// A usage error, and `build`, speak the format asked too.
#[test]
fn usage_errors_and_build_speak_the_format_asked() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let inv = inv.to_str().unwrap();
    for args in [
        &["check", "--format", "json", "--no-such-option"][..],
        &[
            "check",
            "--format=json",
            "--inventory",
            "a.yaml",
            "--inventory",
            "b.yaml",
        ],
        &[
            "build",
            "--format",
            "json",
            "--inventory",
            "/nonexistent/x.yaml",
            "--paper",
            "a3",
        ],
    ] {
        let o = bascule(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let d = json_diagnostics(&stdout(&o));
        assert_eq!(d.len(), 1, "{args:?}: {d:?}");
        assert!(d[0]["code"].is_null() && d[0]["file"].is_null(), "{}", d[0]);
        assert!(!d[0]["message"].as_str().unwrap().is_empty());
    }
    let o = bascule(dir.path(), &["check", "--format", "github", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).starts_with("::error title=bascule usage::"),
        "{}",
        stdout(&o)
    );
    // `build --format json`: its warnings, then its summary.
    let o = bascule(
        dir.path(),
        &[
            "build",
            "--inventory",
            inv,
            "--out",
            "fresh",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let d = json_diagnostics(&stdout(&o));
    assert!(d.iter().all(|d| d["severity"] == "warning"), "{d:?}");
    let last: serde_json::Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    assert_eq!(
        (last["command"].as_str(), last["exit_code"].as_u64()),
        (Some("build"), Some(0))
    );
}
