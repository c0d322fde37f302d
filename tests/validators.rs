//! Real validators on the generated files: the W3C Nu Html Checker (vnu-jar, run with
//! java) on the site's pages and stylesheet and on the SVG annexes, and Grammalecte on the document's prose.
//!
//! `.ci/run` installs both. Locally, a missing tool skips its test with a notice; under
//! CI (`CI` set) a missing tool is a failure, so the check can never silently vanish.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool_missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing under CI: .ci/run must install it");
    }
    eprintln!("SKIPPED: {what} is not installed (see .ci/run)");
}

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
    assert_eq!(pages.len(), 4, "index, two annexes, tickets: {pages:?}");
    let mut report = vnu(&jar, &[], &pages);
    report += &vnu(&jar, &["--css"], &[site.join("style.css")]);
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

/// Grammalecte reports no grammar and no typography error in the document's prose.
/// Option `num` (thousands separators) is off: ticket numbers and IPs are identifiers.
#[test]
fn prose_passes_grammalecte() {
    if Command::new("grammalecte-cli").arg("-h").output().is_err() {
        return tool_missing("grammalecte-cli (apt-get install grammalecte-cli)");
    }
    let dir = built();
    let prose = Command::new("python3")
        .arg(repo().join("tools/prose.py"))
        .arg(dir.path().join("out/document.md"))
        .output()
        .expect("python3 tools/prose.py");
    assert!(prose.status.success());
    let txt = dir.path().join("prose.txt");
    std::fs::write(&txt, &prose.stdout).unwrap();
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
                "{} {:?}: {}",
                e["sRuleId"], e["sUnderlined"], e["sMessage"]
            ));
        }
    }
    assert!(errors.is_empty(), "Grammalecte:\n{}", errors.join("\n"));
}
