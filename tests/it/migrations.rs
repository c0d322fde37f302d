//! Any real migration, not only the reference's shape: a replaced database server and two
//! web nodes, an OS-only upgrade, a creation needed before M-7, an instance that is not
//! migrated, the writer's own sections. Each defect of issue 19 has its test, which asserts
//! the right sentence or step and the absence of the wrong one, on
//! `examples/ville-debian12.yaml` (or a small change of it).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn example() -> PathBuf {
    repo().join("examples/ville-debian12.yaml")
}

/// The example, built once for this file.
fn out() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("migrations-tests");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let inv = example();
        let o = bascule(&dir, &["build", "--inventory", inv.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        dir.join("out")
    })
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(out().join(rel)).unwrap()
}

#[test]
fn a_replaced_database_server_gets_the_data_and_every_node_connects_to_it() {
    let t = read("tickets/glpi-jour-m.txt");
    assert!(
        t.contains("migrer la base de données de la VM glpi-bd vers la VM glpi12-bd"),
        "{t}"
    );
    for node in ["glpi12-web1", "glpi12-web2"] {
        assert!(
            t.contains(&format!(
                "migrer les fichiers de la VM glpi-web vers la VM {node}"
            )),
            "{t}"
        );
        assert!(
            t.contains(&format!(
                "connecter la VM {node} à la base de données de la VM glpi12-bd"
            )),
            "{t}"
        );
        assert!(
            !t.contains(&format!("de la VM glpi-bd vers la VM {node}")),
            "{t}"
        );
    }
    // In order: maintenance, files, database, names, deactivation.
    let at = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s}: {t}"));
    assert!(at("en maintenance") < at("migrer les fichiers"));
    assert!(at("migrer la base") < at("connecter la VM glpi12-web1"));
    assert!(at("connecter la VM glpi12-web2") < at("faire passer le nom"));
    assert!(at("faire passer le nom") < at("désactiver la VM glpi-web"));
}

#[test]
fn a_creation_needed_at_m7_says_m7_with_its_weekday() {
    let t = read("tickets/intranet-pre-creation-intranet-pre12.txt");
    assert!(
        t.contains(
            "VM requise avant M-7 d’Intranet (préproduction)\u{a0}: lundi 23\u{a0}février 2026."
        ),
        "{t}"
    );
    assert!(
        t.contains(
            "Nom DNS après M-7\u{a0}: intranet-pre12.ville.example, intranet-pre.ville.example"
        ),
        "{t}"
    );
    assert!(!t.contains("avant le jour M"), "{t}");
    assert!(!t.contains("après le jour M"), "{t}");
    // A database server created for GLPI receives data on jour M: needed by then.
    let t = read("tickets/glpi-creation-glpi12-bd.txt");
    assert!(
        t.contains("VM requise avant le jour M de GLPI\u{a0}: lundi 9\u{a0}mars 2026."),
        "{t}"
    );
}

#[test]
fn an_instance_not_migrated_is_never_said_to_be() {
    let doc = read("document.md");
    assert!(
        doc.contains("dans l’ordre suivant\u{a0}: Intranet (préproduction), GLPI, puis Nextcloud."),
        "{doc}"
    );
    assert!(!doc.contains("puis Atelier"), "{doc}");
    assert!(doc.contains("L’instance Atelier n’est pas migrée"), "{doc}");
    assert!(
        doc.contains("Annexe 4. Opérations sur les VM d’Atelier"),
        "{doc}"
    );
    assert!(!doc.contains("Migration Atelier"), "{doc}");
    let t = read("tickets/atelier-m60.txt");
    assert!(
        t.contains("Dans le cadre des opérations sur les VM d’Atelier,"),
        "{t}"
    );
    assert!(t.contains("— opérations sur les VM d’Atelier"), "{t}");
    // Dated from GLPI's jour M (2026-03-09 + 60), which it follows.
    assert!(t.contains("Date\u{a0}: vendredi 8\u{a0}mai 2026"), "{t}");
    assert!(
        !t.contains("mise à jour d’Atelier") && !t.contains("migration d’Atelier"),
        "{t}"
    );
    assert!(!t.contains("à confirmer"), "{t}");
}

#[test]
fn the_prose_says_only_what_the_inventory_holds() {
    let doc = read("document.md");
    assert!(doc.contains("La mise à jour du système d’exploitation (Debian) de la version 10 à la version 12, ainsi que de PHP de la version 7.3 à la version 8.2, se fait sur de nouvelles machines virtuelles"), "{doc}");
    assert!(doc.contains("les applications gardent leur version\u{a0}: GLPI 10.0.15, Nextcloud 29.0.4 et Intranet 3.2."), "{doc}");
    assert!(doc.contains("lors de la réunion du comité de direction des technologies de l’information du 12\u{a0}janvier 2026"), "{doc}");
    for wrong in [
        "risques associés",
        "code source",
        "l’instance 10",
        "à la version 12 exige",
        "réunion comité",
        "installer sur",
    ] {
        assert!(!doc.contains(wrong), "« {wrong} » in\n{doc}");
    }
    for t in [
        "tickets/glpi-creation-glpi12-web1.txt",
        "tickets/glpi-jour-m.txt",
    ] {
        let text = read(t);
        assert!(
            !text.contains("code source") && !text.contains("À installer"),
            "{text}"
        );
        assert!(text.contains("migration de GLPI vers Debian 12"), "{text}");
    }
    // The reference's judgement is the repo's inventory's own text, not the template's.
    let seed = std::fs::read_to_string(repo().join("out/document.md")).unwrap();
    assert!(seed.contains("Or, les risques associés"));
    let templates = std::fs::read_to_string(repo().join("templates/document.md.tera")).unwrap();
    assert!(!templates.contains("risques"));
}

#[test]
fn a_deactivated_vm_says_so_until_it_is_deleted() {
    let doc = read("document.md");
    let row = doc.lines().find(|l| l.starts_with("| glpi-web |")).unwrap();
    let cells: Vec<&str> = row.split(" | ").collect();
    // reference, M-7, jour M (deactivation), M+14 (deactivated), M+60 (deletion).
    assert!(cells[4].contains("○ VM désactivée"), "{row}");
    assert!(
        !cells[3].contains("VM désactivée") && !cells[5].contains("VM désactivée"),
        "{row}"
    );
    let svg = read("annexes/annexe-1.svg");
    assert!(svg.contains("○ VM désactivée"), "the annexe box says it");
    let page = read("site/annexe-1.html");
    assert!(
        page.contains("○ VM désactivée"),
        "the site's annexe page says it"
    );
}

#[test]
fn the_writers_sections_and_software_reach_every_format() {
    let doc = read("document.md");
    assert!(doc.contains("## Communication\n\nLes usagers de chaque service sont prévenus par courriel **une semaine**"), "{doc}");
    assert!(doc.contains("## Retour arrière"), "{doc}");
    assert!(
        doc.contains("### Notes\n\nLes deux nœuds web se partagent"),
        "{doc}"
    );
    assert!(doc.contains("| Logiciels |"), "{doc}");
    assert!(doc.contains("| nginx 1.22, PHP 8.2 |"), "{doc}");
    let site = read("site/index.html");
    assert!(
        site.contains("<strong>une semaine</strong>"),
        "the site renders the Markdown"
    );
    assert!(site.contains("Retour arrière"));
    let svg = read("annexes/annexe-1.svg");
    assert!(
        svg.contains("Logiciels\u{a0}: MariaDB 10.11"),
        "the box names what the VM runs"
    );
    let docx =
        bascule::check::exports::docx_text(&std::fs::read(out().join("document.docx")).unwrap())
            .unwrap();
    assert!(docx.contains("Les usagers de chaque service") && docx.contains("Retour arrière"));
    #[cfg(feature = "pdf")]
    {
        let pdf =
            pdf_extract::extract_text_from_mem(&std::fs::read(out().join("document.pdf")).unwrap())
                .unwrap();
        let flat: String = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Retour arrière"), "{flat}");
        assert!(flat.contains("centre d’appels"), "{flat}");
    }
}

/// `check --format json` on the example with `pairs` applied: the error codes and messages.
fn check_mutated(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(example()).unwrap();
    for (from, to) in pairs {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let inv = dir.path().join("inv.yaml");
    std::fs::write(&inv, text).unwrap();
    let o = bascule(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--inventory",
            inv.to_str().unwrap(),
        ],
    );
    json_diagnostics(&stdout(&o))
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String)], code: &str, part: &str) -> bool {
    found.iter().any(|(c, m)| c == code && m.contains(part))
}

#[test]
fn impossible_data_moves_are_located() {
    // The database would move into a VM deleted later.
    let f = check_mutated(&[(
        "        software: [{ name: MariaDB, version: \"10.11\" }]\n        actions:\n          - { state: reference, do: [{ create: { ticket: 8803 } }] }",
        "        software: [{ name: MariaDB, version: \"10.11\" }]\n        actions:\n          - { state: reference, do: [{ create: { ticket: 8803 } }] }\n          - { state: m60, do: [delete] }",
    )]);
    assert!(
        has(
            &f,
            "E0135",
            "the database moves to `glpi12-bd`, which is deleted"
        ),
        "{f:?}"
    );
    // The files leave a VM deactivated before jour M.
    let f = check_mutated(&[(
        "          - { state: jour-m, do: [deactivate] }\n          - { state: m60, do: [delete] }\n      - machine: glpi-bd",
        "          - { state: m7, do: [deactivate] }\n          - { state: m60, do: [delete] }\n      - machine: glpi-bd",
    )]);
    assert!(
        has(
            &f,
            "E0135",
            "the files come from `glpi-web`, which is deactivated before jour M"
        ),
        "{f:?}"
    );
    // Moved without saying to which of two nodes.
    let f = check_mutated(&[(
        "database: { migrate: { from: glpi-bd, to: glpi12-bd } }",
        "database: { migrate: glpi-bd }",
    )]);
    assert!(has(&f, "E0135", "to which of the VMs"), "{f:?}");
    // A database moved into itself.
    let f = check_mutated(&[("to: glpi12-bd }", "to: glpi-bd }")]);
    assert!(has(&f, "E0135", "into itself"), "{f:?}");
    // A database the new VMs use, taken away later.
    let f = check_mutated(&[(
        "        role: Serveur de bases de données de Nextcloud\n        role_after: Serveur de bases de données de Nextcloud",
        "        role: Serveur de bases de données de Nextcloud\n        actions:\n          - { state: m60, do: [delete] }",
    )]);
    assert!(
        has(
            &f,
            "E0135",
            "the new VMs use the database on `nc-bd`, which is deleted"
        ),
        "{f:?}"
    );
    // A receiving VM that is deleted.
    let f = check_mutated(&[(
        "          - { state: reference, do: [{ create: { ticket: 8802 } }] }",
        "          - { state: reference, do: [{ create: { ticket: 8802 } }] }\n          - { state: m60, do: [delete] }",
    )]);
    assert!(
        has(
            &f,
            "E0128",
            "`glpi12-web2` receives GLPI's migration but is deleted"
        ),
        "{f:?}"
    );
}

#[test]
fn applications_follows_sections_and_meetings_are_checked() {
    let f = check_mutated(&[(
        "{ name: GLPI, version: \"10.0.15\" }",
        "{ name: GLPI, from: \"9.5\", version: \"10.0.15\" }",
    )]);
    assert!(
        has(&f, "E0136", "GLPI has a `from` version but no `target`"),
        "{f:?}"
    );
    let f = check_mutated(&[("    follows: glpi\n", "    follows: gpli\n")]);
    assert!(has(&f, "E0137", "no instance has the id `gpli`"), "{f:?}");
    let f = check_mutated(&[(
        "    follows: glpi\n",
        "    follows: glpi\n    jour_m: 2026-03-09\n    migration: { files_from: atelier-vm2 }\n",
    )]);
    assert!(has(&f, "E0137", "Atelier migrates"), "{f:?}");
    let f = check_mutated(&[(
        "    Les usagers de chaque service",
        "    # Un titre\n    Les usagers de chaque service",
    )]);
    assert!(has(&f, "E0138", "a heading"), "{f:?}");
    let f = check_mutated(&[("puis la veille.", "puis <b>la veille</b>.")]);
    assert!(has(&f, "E0138", "HTML"), "{f:?}");
    let f = check_mutated(&[(
        "meeting: comité de direction",
        "meeting: réunionnite de direction",
    )]);
    assert!(has(&f, "W0139", "may lack its article"), "{f:?}");
    let f = check_mutated(&[]);
    assert!(f.is_empty(), "{f:?}");
}
