//! End-to-end tests of `bascule build` through the real binary.

use crate::common::*;

fn build_seed(dir: &std::path::Path) -> std::process::Output {
    let inv = seed_inventory();
    bascule(
        dir,
        &[
            "build",
            "--inventory",
            inv.to_str().unwrap(),
            "--out",
            "out",
        ],
    )
}

#[test]
fn builds_the_document_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let o = build_seed(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("out/document.md").is_file());
    let html = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<table>"));
    assert!(dir.path().join("out/site/style.css").is_file());
    // The seed's .qc.ca name is reported as a warning, not an error.
    assert!(stderr(&o).contains("warning[W0108]"), "{}", stderr(&o));
}

#[test]
fn committed_out_is_what_a_fresh_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let o = build_seed(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = bascule::write::tree::read_tree(&dir.path().join("out"))
        .unwrap()
        .files;
    let committed = bascule::write::tree::read_tree(&repo().join("out"))
        .unwrap()
        .files;
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let committed_names: Vec<&String> = committed.keys().collect();
    assert_eq!(
        fresh_names, committed_names,
        "out/ lists other files than a fresh build: run `cargo run --release -- build`"
    );
    for (name, bytes) in &fresh {
        assert!(
            committed[name] == *bytes,
            "out/{name} is stale: run `cargo run --release -- build` and commit out/"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(build_seed(a.path()).status.success());
    assert!(build_seed(b.path()).status.success());
    let ta = bascule::write::tree::read_tree(&a.path().join("out"))
        .unwrap()
        .files;
    let tb = bascule::write::tree::read_tree(&b.path().join("out"))
        .unwrap()
        .files;
    assert!(ta == tb, "two builds differ");
}

/// Every fact of the seed document, as the seed writes it.
#[test]
fn document_has_every_fact_of_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_seed(dir.path()).status.success());
    let doc = std::fs::read_to_string(dir.path().join("out/document.md")).unwrap();
    let facts = [
        // purpose, context, decision
        "Présenter les opérations sur les machines virtuelles (VM) durant la mise à jour de Campus à la version Moodle 3.5.3",
        "SUSE",
        "SP3",
        "PHP à la version 7.0.7",
        "risques",
        "réunion DRI du 2018-11-28",
        "création d’une VM en tant qu’environnement futur de production",
        // instances
        "Étudiants et tuteurs de Cégep à distance",
        "Outil d’apprentissage en ligne pour le Cégep à distance",
        "https://campus.cegepadistance.ca",
        "Service de l’ingénierie pédagogique et de l’innovation",
        "Environnement de création de cours en ligne pour le Cégep à distance",
        "https://projets.cegepadistance.ca",
        // procedure
        "créer une nouvelle VM",
        "code source de Campus 3.1.5",
        "fichiers (filedir) de l’instance 3.1 correspondante",
        "appliquer le bon nom DNS",
        "se connecter à la base de données (pour Campus)",
        "migrer la base de données (pour Projets)",
        "Campus étant le premier",
        // schemas and legend
        "État en date de 2018-12-12",
        "État le jour de migration (jour M)",
        "État 30\u{a0}jours après la migration (M+30)",
        "(vert, √)\u{a0}: aucune intervention tout le long de la migration",
        "(noir, •)\u{a0}: aucune intervention demandée à cet état",
        "intervention demandée (désactivation, suppression, changement DNS) à cet état",
        "(bleu, +)\u{a0}: création demandée",
        // Campus table
        "| campus.cegepadistance.ca | 10.88.0.210 | campusweb | Serveur fichiers de production (Campus) | Supprimée |",
        "| campusdb.cegepadistance.ca | 10.88.0.211 | campusdb2 | Serveur BD de production Campus | Serveur BD de production Campus |",
        "| campus35.cegepadistance.ca |  | campus35web | À être créée | Serveur fichiers de production Campus 3.5.3 |",
        "| campusupg.cegepadistance.ca | 10.87.0.210 | campuswebUPG | Serveur fichiers de tests Moodle 3.5.2 | Serveur fichiers de tests Campus 3.5.3 |",
        "| campusdbupg.cegepadistance.qc.ca | 10.87.0.211 | campusdb2UPG | Serveur BD de tests Moodle 3.5.2 | Serveur BD de tests Campus 3.5.3 |",
        "| campus-dev.cegepadistance.ca | 10.88.0.204 | campus-dev | Serveur de tests Moodle 3.1.2 | Supprimée |",
        "On a donc 1 VM à créer (détails dans l’Octopus 57330).",
        "campus-preprod.cegepadistance.ca (10.88.0.205)",
        "campus-dev-boris (10.88.0.219)",
        "campus-dev-tuan (10.88.0.220)",
        "toutes les instances de Campus excepté celles de Projets",
        // Projets table and notes
        "| projets.cegepadistance.ca | 10.88.0.212 | campus-gq | Serveur de production (Projets) | Supprimée |",
        "| projets35.cegepadistance.ca |  | projets35 | À être créée | Serveur de production (Projets) |",
        "On a donc 1 VM à créer (détails dans l’Octopus 57838).",
        "https://ouvert.cegepadistance.ca",
        "déplacé sur fad.cegepadistance.ca",
        "https://campus-gq.cegepadistance.ca",
        "ce site sera supprimé",
        // annexes
        "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5",
        "Annexe 2. Migration Projets 3.1 vers Moodle version 3.5",
        "](annexes/annexe-1.svg)",
        "](annexes/annexe-2.svg)",
    ];
    let missing: Vec<&str> = facts.iter().copied().filter(|f| !doc.contains(f)).collect();
    assert!(missing.is_empty(), "missing facts: {missing:#?}");
    // The seed's section order.
    let order = [
        "## But du document",
        "## Contexte",
        "## Schémas de machines virtuelles",
        "Machines virtuelles Campus\n",
        "Machines virtuelles Projets\n",
        "</a>Annexe 1.",
        "</a>Annexe 2.",
    ];
    let pos: Vec<usize> = order.iter().map(|h| doc.find(h).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "sections out of order");
}

#[test]
fn french_typography() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_seed(dir.path()).status.success());
    let doc = std::fs::read_to_string(dir.path().join("out/document.md")).unwrap();
    // No straight apostrophe in prose, no plain space before a colon or semicolon.
    for (i, line) in doc.lines().enumerate() {
        assert!(
            !line.contains(" :") && !line.contains(" ;"),
            "line {}: {line}",
            i + 1
        );
        if !line.contains("](") {
            assert!(!line.contains('\''), "line {}: {line}", i + 1);
        }
    }
}

#[test]
fn bad_input_is_located_and_nothing_is_written() {
    let cases = [
        (
            "machine: campusdb2\n",
            "machin: campusdb2\n",
            "E0010",
            "did you mean `machine`?",
        ),
        (
            "    annexe: 1\n",
            "    annexe: un\n",
            "E0013",
            "whole number",
        ),
        (
            "    users: SIPI",
            "    usrs: SIPI",
            "E0010",
            "did you mean `users`?",
        ),
        ("ip: 10.88.0.211", "ip: 10.88.0.311", "E0101", "IPv4"),
        (
            "date: 2018-11-28",
            "date: 2018-02-30",
            "E0109",
            "AAAA-MM-JJ",
        ),
        ("document:\n", "document: [\n", "E00", "fix"),
    ];
    for (from, to, code, hint) in cases {
        let dir = tempfile::tempdir().unwrap();
        let inv = mutated(dir.path(), from, to);
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{to:?}: {err}");
        assert!(err.contains(&format!("error[{code}")), "{to:?}: {err}");
        assert!(err.contains(hint), "{to:?}: {err}");
        assert!(
            err.contains(&format!("--> {}:", inv.display())),
            "{to:?}: no FILE:LINE:COL in {err}"
        );
        assert!(!dir.path().join("out").exists(), "{to:?}: wrote out/");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn missing_field_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(
        dir.path(),
        "    url: https://projets.cegepadistance.ca\n",
        "",
    );
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[E0012]: missing key `url`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    assert!(build_seed(dir.path()).status.success());
    let before = bascule::write::tree::read_tree(&dir.path().join("out"))
        .unwrap()
        .files;
    let inv = mutated(dir.path(), "ip: 10.88.0.210", "ip: 10.88.0.2100");
    let o = bascule(
        dir.path(),
        &[
            "build",
            "--inventory",
            inv.to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let after = bascule::write::tree::read_tree(&dir.path().join("out"))
        .unwrap()
        .files;
    assert!(before == after, "a failed build touched out/");
}

#[test]
fn inventory_text_is_escaped_in_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(
        dir.path(),
        "role: Serveur BD de production Campus\n",
        "role: \"<script>alert(1)</script> | *gras* & co\"\n",
    );
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("out/document.md")).unwrap();
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*gras\\* &amp; co"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("out/site/index.html")).unwrap();
    assert!(!html.contains("<script>"), "raw script in HTML");
    // The pipe stayed inside its cell: the row still has five cells.
    let row = html
        .split("<tr>")
        .find(|r| r.contains("campusdb2"))
        .unwrap();
    assert_eq!(row.matches("<td>").count(), 5, "{row}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(bascule(dir.path(), &["frobnicate"]).status.code(), Some(2));
    // No --inventory and no inventory/ folder here.
    let o = bascule(dir.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn default_inventory_and_out_in_the_repo_layout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inventory")).unwrap();
    std::fs::copy(seed_inventory(), dir.path().join("inventory/x.yaml")).unwrap();
    let o = bascule(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("out/document.md").is_file());
}

#[test]
fn template_override_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/site-index.html.tera"),
        "{% extends \"site-layout.html.tera\" %}\n{% block content %}\n{{ not_a_variable }}\n{% endblock %}\n",
    )
    .unwrap();
    let inv = seed_inventory();
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("not_a_variable"), "{err}");
    assert!(err.contains("site-index.html.tera"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// A template override that is a link (here to a file outside the templates folder) would
/// publish that file in the document and the site: it is refused, and nothing is written.
#[cfg(unix)]
#[test]
fn a_template_or_labels_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "mot de passe: hunter2\n").unwrap();
    let inv = seed_inventory();
    for name in ["document.md.tera", "labels.yaml"] {
        let templates = dir.path().join(format!("templates-{name}"));
        std::fs::create_dir(&templates).unwrap();
        std::os::unix::fs::symlink(&secret, templates.join(name)).unwrap();
        let o = bascule(
            dir.path(),
            &[
                "build",
                "--inventory",
                inv.to_str().unwrap(),
                "--templates",
                templates.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = stderr(&o);
        assert!(err.contains("it is a link"), "{name}: {err}");
        assert!(err.contains(name), "{name}: {err}");
        assert!(!err.contains("hunter2"), "{name}: {err}");
        assert!(!dir.path().join("out").exists());
    }
}

/// A template that loops without end or doubles a text until memory runs out (Tera and
/// Typst alike) is stopped within the budget (`BASCULE_RENDER_SECONDS`,
/// `BASCULE_RENDER_MEMORY_MIB`) with `E0409` naming it, and the last good output stays.
#[test]
fn a_template_that_never_ends_or_doubles_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let inv = inv.to_str().unwrap();
    assert_eq!(
        bascule(dir.path(), &["build", "--inventory", inv])
            .status
            .code(),
        Some(0)
    );
    let good = std::fs::read(dir.path().join("out/document.md")).unwrap();
    let cases = [
        (
            "document.md.tera",
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
            "2",
            "more than 2 s",
        ),
        (
            "document.md.tera",
            "{% set_global s = \"aaaaaaaa\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
            "60",
            "past its budget of 1024 MiB",
        ),
        (
            "document.typ",
            "#for a in range(100000) { for b in range(100000) { } }",
            "2",
            "more than 2 s",
        ),
        (
            "document.typ",
            "#let s = \"a\"\n#for i in range(40) { s = s + s }\n#s.len()",
            "60",
            "past its budget of 1024 MiB",
        ),
    ];
    for (name, text, seconds, said) in cases {
        let templates = dir.path().join("templates");
        let _ = std::fs::remove_dir_all(&templates);
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(templates.join(name), text).unwrap();
        let start = std::time::Instant::now();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_bascule"))
            .env("LC_ALL", "en_US.UTF-8")
            .current_dir(dir.path())
            .args(["build", "--inventory", inv])
            .env("BASCULE_RENDER_SECONDS", seconds)
            .env("BASCULE_RENDER_MEMORY_MIB", "1024")
            .output()
            .unwrap();
        let err = stderr(&o);
        eprintln!("{name}: stopped after {:?}", start.elapsed());
        assert_eq!(o.status.code(), Some(1), "{name} {text}: {err}");
        assert!(err.contains("error[E0409]"), "{name}: {err}");
        assert!(err.contains(name) && err.contains(said), "{name}: {err}");
        assert_eq!(
            std::fs::read(dir.path().join("out/document.md")).unwrap(),
            good
        );
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir.path())
        .args(["build", "--inventory", inv])
        .env("BASCULE_RENDER_SECONDS", "many")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("BASCULE_RENDER_SECONDS"));
}
