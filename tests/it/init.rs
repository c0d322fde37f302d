//! `bascule init`: what it writes builds and checks, it never overwrites, its options are
//! checked, and its CI recipes pass the vendors' own schemas (check-jsonschema).

use crate::common::{bascule, stderr, stdout, tool_missing};
use std::path::Path;

const FILES: [&str; 4] = [
    "inventory/inventory.yaml",
    ".gitignore",
    ".github/workflows/bascule.yml",
    ".gitlab-ci.yml",
];

/// Every diagnostic `check --format json` prints: only W0132 (a placeholder left) may remain.
fn only_placeholder_warnings(dir: &Path) {
    let o = bascule(dir, &["check", "--format", "json"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    for line in stdout(&o).lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(d["severity"], "warning", "{line}");
        assert_eq!(d["code"], "W0132", "{line}");
    }
}

#[test]
fn init_writes_a_project_that_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let o = bascule(
        tmp.path(),
        &[
            "init",
            "proj",
            "--organisation",
            "L’« École » #1 \"x\"",
            "--instances",
            "erp,portail",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("proj");
    for f in FILES {
        assert!(dir.join(f).is_file(), "{f} missing");
        assert!(stderr(&o).contains(f), "{f} not named: {}", stderr(&o));
    }
    only_placeholder_warnings(&dir);
    let o = bascule(&dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("out/document.md")).unwrap();
    assert!(md.contains("L’« École » \\#1 \"x\""), "{md}");
    assert!(md.contains("Erp") && md.contains("Portail"), "{md}");
    assert!(dir.join("out/site/index.html").is_file());
}

#[test]
fn init_in_the_current_folder_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let o = bascule(tmp.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tmp.path().join("inventory/inventory.yaml").is_file());
    only_placeholder_warnings(tmp.path());
}

#[test]
fn a_second_init_writes_nothing_and_names_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(bascule(tmp.path(), &["init"]).status.success());
    let inv = tmp.path().join("inventory/inventory.yaml");
    std::fs::write(&inv, "edited\n").unwrap();
    std::fs::remove_file(tmp.path().join(".gitlab-ci.yml")).unwrap();
    let o = bascule(tmp.path(), &["init", "--organisation", "Autre"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("nothing was written"), "{err}");
    for f in &FILES[..3] {
        assert!(err.contains(f), "{f} not named: {err}");
    }
    assert_eq!(std::fs::read_to_string(&inv).unwrap(), "edited\n");
    assert!(
        !tmp.path().join(".gitlab-ci.yml").exists(),
        "written anyway"
    );
}

#[test]
fn bad_instance_ids_and_organisations_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["init", "--instances", "erp,Portail"][..],
        &["init", "--instances", "a_b"],
        &["init", "--instances", "erp,erp"],
        &["init", "--instances", ""],
        &["init", "--organisation", "deux\nlignes"],
    ] {
        let o = bascule(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
            "{args:?} wrote"
        );
    }
}

#[test]
fn ci_recipes_pass_the_vendors_schemas() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(bascule(tmp.path(), &["init"]).status.success());
    for (schema, file) in [
        ("vendor.github-workflows", ".github/workflows/bascule.yml"),
        ("vendor.gitlab-ci", ".gitlab-ci.yml"),
    ] {
        let run = std::process::Command::new("check-jsonschema")
            .args(["--builtin-schema", schema])
            .arg(tmp.path().join(file))
            .output();
        let Ok(o) = run else {
            return tool_missing("check-jsonschema (pip install check-jsonschema)");
        };
        assert!(o.status.success(), "{file}: {}{}", stdout(&o), stderr(&o));
    }
}
