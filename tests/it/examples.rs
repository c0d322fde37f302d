//! The example inventories (`examples/*.yaml`): each builds, passes `check --out` on what
//! it built, and every text output is held by an insta snapshot (`tests/it/snapshots/`;
//! review a change with `cargo insta review`, or accept with `INSTA_UPDATE=always`).
//! The reference inventory's goldens are `out/` itself (tests/build.rs).

use crate::common::*;
use std::path::PathBuf;

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    assert!(v.len() >= 2, "two examples at least");
    v
}

#[test]
fn examples_build_check_and_match_their_snapshots() {
    for inv in examples() {
        let stem = inv.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let i = inv.to_str().unwrap();
        let o = bascule(dir.path(), &["build", "--inventory", i, "--out", "out"]);
        assert!(o.status.success(), "{stem}: {}", stderr(&o));
        let o = bascule(
            dir.path(),
            &["check", "--inventory", i, "--out", "out", "--deny-warnings"],
        );
        assert!(o.status.success(), "{stem}: {}", stderr(&o));
        let files = bascule::write::tree::read_tree(&dir.path().join("out"))
            .unwrap()
            .files;
        for (name, bytes) in &files {
            let text = name.ends_with(".md")
                || name.ends_with(".txt")
                || name.ends_with(".svg")
                || name.ends_with(".json");
            if !text || name.starts_with("site/") || name.starts_with('.') {
                continue;
            }
            let snap = format!("{stem}__{}", name.replace('/', "__"));
            insta::assert_snapshot!(snap, String::from_utf8_lossy(bytes));
        }
    }
}
