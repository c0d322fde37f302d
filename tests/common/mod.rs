//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_inventory() -> PathBuf {
    repo().join("inventory/moodle-3.5.yaml")
}

/// Runs the real binary in `dir`.
pub fn bascule(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bascule"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run bascule")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Compares `actual` with a committed snapshot; `BASCULE_BLESS=1` rewrites it.
pub fn snapshot(name: &str, actual: &[u8]) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("BASCULE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}: run with BASCULE_BLESS=1",
            path.display()
        )
    });
    if expected != actual {
        let a = String::from_utf8_lossy(actual);
        let e = String::from_utf8_lossy(&expected);
        let first = a
            .lines()
            .zip(e.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        panic!(
            "{name} differs from its snapshot at line {}:\n  got:      {:?}\n  expected: {:?}\n(run with BASCULE_BLESS=1 if the change is intended)",
            first + 1,
            a.lines().nth(first),
            e.lines().nth(first)
        );
    }
}

/// Writes `dir/inv.yaml`: the seed with the first `from` replaced by `to`.
pub fn mutated(dir: &Path, from: &str, to: &str) -> PathBuf {
    mutated_all(dir, &[(from, to)]).0
}

/// As [`mutated`], with several substitutions applied in turn; returns the path and text.
pub fn mutated_all(dir: &Path, pairs: &[(&str, &str)]) -> (PathBuf, String) {
    let mut text = std::fs::read_to_string(seed_inventory()).unwrap();
    for (from, to) in pairs {
        assert!(text.contains(from), "seed has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join("inv.yaml");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}
