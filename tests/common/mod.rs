//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn seed_inventory() -> PathBuf {
    repo().join("inventory/moodle-3.5.yaml")
}

/// Runs the real binary in `dir`, in English (the tests were written against its English
/// words; `language.rs` runs it in French).
pub(crate) fn bascule(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bascule"))
        .env("LC_ALL", "en_US.UTF-8")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run bascule")
}

/// Runs the real binary in `dir` with the locale variables `env` and no other.
pub(crate) fn bascule_in_locale(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bascule"));
    for v in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run bascule")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A real tool the test needs is missing: a notice locally, a failure under CI (`CI` set),
/// so that a check can never silently vanish from CI.
pub(crate) fn tool_missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing under CI: .ci/run must install it");
    }
    eprintln!("SKIPPED: {what} is not installed (see .ci/run)");
}

/// The plan of an inventory text (which must load and validate, as `build` asks), with
/// the default labels.
pub(crate) fn plan_of(text: &str) -> bascule::plan::Plan {
    let (_, inv) = bascule::load::load_bytes("inventory.yaml", text.as_bytes()).unwrap();
    let labels = bascule::labels::Labels::defaults();
    bascule::pipeline::plan_built("inventory.yaml", &inv, &labels).unwrap()
}

/// The repo's inventory.
pub(crate) const SEED: &str = include_str!("../../inventory/moodle-3.5.yaml");

/// Writes `dir/inv.yaml`: the seed with the first `from` replaced by `to`.
pub(crate) fn mutated(dir: &Path, from: &str, to: &str) -> PathBuf {
    mutated_all(dir, &[(from, to)]).0
}

/// As [`mutated`], with several substitutions applied in turn; returns the path and text.
pub(crate) fn mutated_all(dir: &Path, pairs: &[(&str, &str)]) -> (PathBuf, String) {
    let mut text = std::fs::read_to_string(seed_inventory()).unwrap();
    for (from, to) in pairs {
        assert!(text.contains(from), "seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join("inv.yaml");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

/// The names of the entries of `dir`, sorted.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The diagnostics of a `--format json` run: every line a JSON record of format version 1,
/// the last one the run's summary (whose counts must agree), the others diagnostics.
pub(crate) fn json_diagnostics(stdout: &str) -> Vec<serde_json::Value> {
    let mut records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = records.pop().expect("a summary record");
    assert_eq!(summary["type"], "summary", "{summary}");
    for r in records.iter().chain([&summary]) {
        assert_eq!(r["version"], 1, "{r}");
    }
    assert!(
        records.iter().all(|r| r["type"] == "diagnostic"),
        "{records:?}"
    );
    let errors = records.iter().filter(|r| r["severity"] == "error").count();
    assert_eq!(summary["errors"], errors, "{summary}");
    assert_eq!(summary["warnings"], records.len() - errors, "{summary}");
    records
}
