//! `bascule init`: what it writes builds and checks, it never overwrites, its options are
//! checked, and its CI recipes pass the vendors' own schemas (check-jsonschema).

use crate::common::{bascule, json_diagnostics, stderr, stdout, tool_missing};
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
    for d in json_diagnostics(&stdout(&o)) {
        assert_eq!(d["severity"], "warning", "{d}");
        assert!(d["code"] == "W0132" || d["code"] == "W0134", "{d}");
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
fn init_adopts_an_existing_repository_and_says_what_it_kept() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "target/\n").unwrap();
    let o = bascule(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("added ") && err.contains(" line(s) to ./.gitignore"),
        "{err}"
    );
    assert!(err.contains("created ./inventory/inventory.yaml"), "{err}");
    // The project checks (the skeleton's warnings only).
    let c = bascule(tmp.path(), &["check"]);
    assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    // A second init keeps everything, the writer's inventory included, and names each.
    let inv = tmp.path().join("inventory/inventory.yaml");
    std::fs::write(&inv, "edited\n").unwrap();
    std::fs::remove_file(tmp.path().join(".gitlab-ci.yml")).unwrap();
    let again = bascule(tmp.path(), &["init", "--organisation", "Autre"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let err = stderr(&again);
    assert!(
        err.contains("kept ./inventory/inventory.yaml: it exists\n"),
        "{err}"
    );
    assert!(
        err.contains("kept ./.github/workflows/bascule.yml: it exists (`--force`"),
        "{err}"
    );
    assert!(err.contains("kept ./.gitignore: it exists"), "{err}");
    assert!(err.contains("created ./.gitlab-ci.yml"), "{err}");
    assert!(
        err.contains("your inventory ./inventory/inventory.yaml is unchanged"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&inv).unwrap(), "edited\n");
    let git = std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap();
    assert_eq!(git.matches("/.out.bascule-*").count(), 1, "{git}");
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
        &["init", "--organisation", ""],
        &["init", "--instances", "GLPI"],
    ] {
        let o = bascule(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
            "{args:?} wrote"
        );
    }
    // Each names its option and the accepted form.
    let empty = stderr(&bascule(tmp.path(), &["init", "--organisation", ""]));
    assert!(
        empty.contains("`--organisation NAME` cannot make a valid inventory"),
        "{empty}"
    );
    let upper = stderr(&bascule(tmp.path(), &["init", "--instances", "GLPI"]));
    assert!(upper.contains("'--instances <ID,…>'"), "{upper}");
    assert!(
        upper.contains("did you mean `glpi`? (`glpi=GLPI` keeps the name as written)"),
        "{upper}"
    );
    // An acronym kept as written.
    let o = bascule(tmp.path(), &["init", "--instances", "glpi=GLPI,nextcloud"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let inv = std::fs::read_to_string(tmp.path().join("inventory/inventory.yaml")).unwrap();
    assert!(
        inv.contains("    name: GLPI\n") && inv.contains("    name: Nextcloud\n"),
        "{inv}"
    );
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

/// The skeleton's example values (dates, numbers, addresses, names) are flagged until the
/// writer replaces them: filled placeholders alone do not make `check --deny-warnings` pass.
#[test]
fn the_skeletons_examples_are_reported_until_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(
        bascule(tmp.path(), &["init", "--organisation", "Ville"])
            .status
            .success()
    );
    let inv = tmp.path().join("inventory/inventory.yaml");
    let text = std::fs::read_to_string(&inv).unwrap();
    let filled = text.replace("à compléter", "Texte réel");
    std::fs::write(&inv, &filled).unwrap();
    let o = bascule(
        tmp.path(),
        &["check", "--format", "json", "--deny-warnings"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let found = json_diagnostics(&stdout(&o));
    assert!(found.iter().all(|d| d["code"] == "W0134"), "{found:?}");
    let marked: Vec<u64> = filled
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.to_lowercase().contains("exemple à changer") && !l.trim_start().starts_with('#')
        })
        .map(|(n, _)| n as u64 + 1)
        .collect();
    let lines: Vec<u64> = found.iter().filter_map(|d| d["line"].as_u64()).collect();
    for n in &marked {
        assert!(lines.contains(n), "line {n} not reported: {lines:?}");
    }
    for what in [
        "jour_m:",
        "ticket:",
        "ip:",
        "date: 2025-01-15",
        "offset_days:",
    ] {
        let n = filled
            .lines()
            .position(|l| l.contains(what) && !l.trim_start().starts_with('#'))
            .unwrap() as u64
            + 1;
        assert!(
            lines.contains(&n),
            "{what} (line {n}) not reported: {lines:?}"
        );
    }
    // Marks removed (the writer has changed the values): nothing is left to report.
    let done: String = filled
        .lines()
        .filter(|l| {
            !l.trim_start()
                .to_lowercase()
                .starts_with("# exemple à changer")
        })
        .map(|l| match l.to_lowercase().find("# exemple à changer") {
            Some(_) => format!("{}\n", &l[..l.find('#').unwrap()].trim_end()),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&inv, done).unwrap();
    let o = bascule(tmp.path(), &["check", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The recipes check the committed output and fail on warnings, and say that the site they
/// publish holds internal addresses.
#[test]
fn ci_recipes_check_the_committed_output_and_warn_before_publishing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(bascule(tmp.path(), &["init"]).status.success());
    for file in [".github/workflows/bascule.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(tmp.path().join(file)).unwrap();
        assert!(
            text.contains("bascule check --out out --deny-warnings"),
            "{file}"
        );
        assert!(text.contains("adresses IP internes"), "{file}");
        assert!(
            text.contains("noindex") && text.contains("public_site: true"),
            "{file}"
        );
    }
}
