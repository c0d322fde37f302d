//! Real validators on the generated files: the W3C Nu Html Checker (vnu-jar, run with
//! java) on the site's pages and stylesheet and on the SVG annexes, and Grammalecte on the document's prose.
//!
//! `.ci/run` installs both. Locally, a missing tool skips its test with a notice; under
//! CI (`CI` set) a missing tool is a failure, so the check can never silently vanish.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn built() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let inv = seed_inventory();
    let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("node_modules/vnu-jar/build/dist/vnu.jar"));
    let java = Command::new("java").arg("-version").output().is_ok();
    (jar.is_file() && java).then_some(jar)
}

fn vnu(jar: &Path, extra: &[&str], files: &[PathBuf]) -> String {
    let o = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--exit-zero-always"])
        .args(extra)
        .args(files)
        .output()
        .expect("run vnu");
    String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout)
}

/// Every page of the site, and its stylesheet.
#[test]
fn site_pages_are_valid_html5() {
    let Some(jar) = vnu_jar() else {
        return tool_missing("vnu-jar (npm install vnu-jar) with java");
    };
    let dir = built();
    let site = dir.path().join("out/site");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert_eq!(
        pages.len(),
        5,
        "index, two annexes, tickets, calendar: {pages:?}"
    );
    let mut report = vnu(&jar, &[], &pages);
    report += &vnu(&jar, &["--css"], &[site.join("style.css")]);
    assert!(
        report.trim().is_empty(),
        "Nu Html Checker errors:\n{report}"
    );
}

/// Every example's site too: other names, sections of the writer's, software columns.
#[test]
fn example_sites_are_valid_html5() {
    let Some(jar) = vnu_jar() else {
        return tool_missing("vnu-jar (npm install vnu-jar) with java");
    };
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    let examples = std::fs::read_dir(repo().join("examples")).unwrap();
    for (i, inv) in examples.map(|e| e.unwrap().path()).enumerate() {
        let out = format!("out{i}");
        let o = bascule(
            dir.path(),
            &["build", "--inventory", inv.to_str().unwrap(), "--out", &out],
        );
        assert!(o.status.success(), "{}: {}", inv.display(), stderr(&o));
        let site = dir.path().join(&out).join("site");
        pages.extend(
            std::fs::read_dir(&site)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "html")),
        );
    }
    assert!(pages.len() >= 12, "{pages:?}");
    let report = vnu(&jar, &[], &pages);
    assert!(
        report.trim().is_empty(),
        "Nu Html Checker errors:\n{report}"
    );
}

#[test]
fn annexe_svgs_are_valid() {
    let Some(jar) = vnu_jar() else {
        return tool_missing("vnu-jar (npm install vnu-jar) with java");
    };
    let dir = built();
    let svgs: Vec<PathBuf> = std::fs::read_dir(dir.path().join("out/annexes"))
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "svg"))
                .collect()
        })
        .unwrap_or_default();
    assert!(!svgs.is_empty(), "no annexe SVG was built");
    let report = vnu(&jar, &["--svg"], &svgs);
    assert!(
        report.trim().is_empty(),
        "Nu Html Checker errors:\n{report}"
    );
}

/// Grammalecte's grammar and typography errors in `text` (one paragraph per line pair).
/// Option `num` (thousands separators) is off: ticket numbers and IPs are identifiers.
fn grammalecte(dir: &Path, text: &str) -> Vec<String> {
    let txt = dir.join("prose.txt");
    std::fs::write(&txt, text).unwrap();
    let o = Command::new("grammalecte-cli")
        .arg("-f")
        .arg(&txt)
        .args(["-j", "-ctx", "-off", "num"])
        .output()
        .expect("run grammalecte-cli");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "grammalecte output is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    });
    let mut errors = Vec::new();
    for p in json["data"].as_array().unwrap() {
        for e in p["lGrammarErrors"].as_array().unwrap() {
            errors.push(format!(
                "{} {:?}: {} (…{}[…]{}…)",
                e["sRuleId"], e["sUnderlined"], e["sMessage"], e["sBefore"], e["sAfter"]
            ));
        }
    }
    errors
}

/// The prose of a built output folder: the document through tools/prose.py (Markdown
/// markup, URLs, host names and code out), then every ticket with its URLs and host names
/// out (`--plain`).
fn prose_of(out: &Path) -> String {
    let prose = Command::new("python3")
        .arg(repo().join("tools/prose.py"))
        .arg(out.join("document.md"))
        .output()
        .expect("python3 tools/prose.py");
    assert!(prose.status.success());
    let mut text = String::from_utf8(prose.stdout).unwrap();
    let mut tickets: Vec<PathBuf> = std::fs::read_dir(out.join("tickets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    tickets.sort();
    for t in tickets {
        let plain = Command::new("python3")
            .arg(repo().join("tools/prose.py"))
            .arg("--plain")
            .arg(&t)
            .output()
            .expect("python3 tools/prose.py --plain");
        assert!(plain.status.success());
        text.push_str("\n\n");
        text.push_str(&String::from_utf8(plain.stdout).unwrap());
    }
    text
}

fn grammalecte_missing() -> bool {
    let missing = Command::new("grammalecte-cli").arg("-h").output().is_err()
        || Command::new("python3").arg("--version").output().is_err();
    if missing {
        tool_missing("grammalecte-cli (apt-get install grammalecte-cli) and python3");
    }
    missing
}

/// Grammalecte reports no grammar and no typography error in the reference document and
/// its tickets.
#[test]
fn prose_passes_grammalecte() {
    if grammalecte_missing() {
        return;
    }
    let dir = built();
    let errors = grammalecte(dir.path(), &prose_of(&dir.path().join("out")));
    assert!(errors.is_empty(), "Grammalecte:\n{}", errors.join("\n"));
}

/// The same on inventories unlike the reference one: the examples, and generated ones
/// (other names, counts, states, vowel-initial names, long dates).
#[test]
fn prose_of_other_migrations_passes_grammalecte() {
    if grammalecte_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut inventories: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    for seed in [2, 4, 5, 7] {
        let shape = bascule::sample::Shape {
            seed,
            instances: 4,
            vms: 8,
            vary: true,
            hostile: false,
        };
        let p = dir.path().join(format!("gen-{seed}.yaml"));
        std::fs::write(&p, bascule::sample::inventory(shape)).unwrap();
        inventories.push(p);
    }
    let mut errors = Vec::new();
    for (i, inv) in inventories.iter().enumerate() {
        let out = format!("out{i}");
        let o = bascule(
            dir.path(),
            &["build", "--inventory", inv.to_str().unwrap(), "--out", &out],
        );
        assert!(o.status.success(), "{}: {}", inv.display(), stderr(&o));
        for e in grammalecte(dir.path(), &prose_of(&dir.path().join(&out))) {
            errors.push(format!("{}: {e}", inv.display()));
        }
    }
    assert!(errors.is_empty(), "Grammalecte:\n{}", errors.join("\n"));
}
