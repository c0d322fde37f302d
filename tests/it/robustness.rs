//! Input that tries to break the loader: the official YAML test suite, alias bombs, huge
//! files, bad bytes, deep nesting. Never a panic, never a hang, always a located error.

use crate::common::*;
use bascule::load::load_bytes;
use bascule::validate::{Mode, validate};

fn corpus() -> Option<std::path::PathBuf> {
    let dir = repo().join("../shared/corpus/yaml-test-suite");
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("../shared/corpus/yaml-test-suite is missing under CI");
    } else {
        eprintln!("SKIPPED: ../shared/corpus/yaml-test-suite not found");
        None
    }
}

fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Every case of the suite is refused with a located diagnostic (none is an inventory).
#[test]
fn yaml_test_suite_is_refused_with_located_errors() {
    let Some(dir) = corpus() else { return };
    let mut count = 0;
    for kind in ["valid", "invalid"] {
        for path in files(&dir.join(kind)) {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let result = std::panic::catch_unwind(|| load_bytes(&name, &bytes));
            let loaded = result.unwrap_or_else(|_| panic!("panic on {name}"));
            match loaded {
                Err(d) => {
                    assert!(d.is_error(), "{name}");
                    assert!(d.line > 0, "{name}: no line in {d:?}");
                    assert!(!d.message.en().is_empty());
                }
                Ok((_, inv)) => {
                    // A structurally complete inventory would still fail validation.
                    let diags = validate(
                        &name,
                        &inv,
                        Mode::Check,
                        &bascule::labels::Labels::defaults(),
                    );
                    assert!(diags.checked.is_none(), "{name} accepted");
                    let errors = diags.diagnostics.iter().filter(|d| d.is_error());
                    assert!(errors.count() > 0, "{name} accepted");
                }
            }
            count += 1;
        }
    }
    assert_eq!(count, 402, "the corpus has 402 cases");
}

/// The same through the binary for a sample: exit 1, `FILE:LINE:COL` on stderr.
#[test]
fn yaml_test_suite_through_the_cli() {
    let Some(dir) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for kind in ["valid", "invalid"] {
        for path in files(&dir.join(kind)).iter().step_by(10) {
            let o = bascule(
                tmp.path(),
                &["check", "--inventory", path.to_str().unwrap()],
            );
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{}: {err}", path.display());
            assert!(
                err.contains(&format!("--> {}:", path.display())),
                "{}: {err}",
                path.display()
            );
        }
    }
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn billion_laughs_hits_the_budget() {
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let prev = (b'a' + i - 1) as char;
        let cur = (b'a' + i) as char;
        y.push_str(&format!(
            "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let start = std::time::Instant::now();
    let d = load_bytes("bomb.yaml", y.as_bytes()).unwrap_err();
    assert!(d.is_error() && d.line > 0, "{d:?}");
    // Not a timing assertion of speed: a guard against a hang (generous bound).
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn alias_bomb_inside_an_inventory_field() {
    let mut y = String::from("x: &a [1,1,1,1,1,1,1,1,1,1]\n");
    for i in 0..12 {
        y.push_str(&format!(
            "x{i}: &a{i} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
            p = if i == 0 {
                "a".to_string()
            } else {
                format!("a{}", i - 1)
            }
        ));
    }
    y.push_str("document: *a11\n");
    let d = load_bytes("bomb.yaml", y.as_bytes()).unwrap_err();
    assert!(d.is_error());
}

#[test]
fn fifty_megabytes_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    std::fs::write(&path, text).unwrap();
    let o = bascule(
        dir.path(),
        &["check", "--inventory", path.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("larger than"), "{}", stderr(&o));
}

#[test]
fn non_utf8_empty_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "latin1.yaml",
            b"document:\n  title: R\xe9sum\xe9\n",
            "not valid UTF-8",
        ),
        ("empty.yaml", b"", "empty"),
        ("nul.yaml", b"document: \x00\n", ""),
    ];
    for (name, bytes, msg) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let o = bascule(
            dir.path(),
            &["check", "--inventory", path.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{}:", path.display())),
            "{name}"
        );
    }
    let o = bascule(dir.path(), &["check", "--inventory", "nope.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read the inventory"));
}

#[test]
fn deep_nesting_is_refused() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let y = format!(
            "document: {}1{}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let d = load_bytes("deep.yaml", y.as_bytes()).unwrap_err();
        assert!(d.is_error() && d.line > 0, "{d:?}");
    }
    let block: String = (0..5000)
        .map(|i| format!("{}- \n", "  ".repeat(i % 200)))
        .collect();
    assert!(load_bytes("deep.yaml", block.as_bytes()).is_err());
}

#[test]
fn hostile_names_never_leave_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("  - id: campus\n", "  - id: ../../campus\n"),
        ("  - id: campus\n", "  - id: /tmp/campus\n"),
        ("machine: campusweb\n", "machine: ../../etc/passwd\n"),
        ("annexe: 1\n", "annexe: -1\n"),
    ] {
        let inv = mutated(dir.path(), from, to);
        let o = bascule(dir.path(), &["build", "--inventory", inv.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{to}: {}", stderr(&o));
        assert!(!dir.path().join("out").exists());
    }
}

/// Replays the fuzz corpus (`fuzz/corpus/loader`, grown by `cargo fuzz run loader`) through
/// the same stages as the fuzz target, so what the fuzzer found stays covered in CI.
#[test]
fn fuzz_corpus_replays_without_panic() {
    let dir = repo().join("fuzz/corpus/loader");
    let mut n = 0;
    for path in files(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        let ok = std::panic::catch_unwind(|| bascule::check::exercise(&bytes));
        assert!(ok.is_ok(), "panic on {}", path.display());
        n += 1;
    }
    assert!(n > 0, "empty fuzz corpus");
}
