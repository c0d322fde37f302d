//! The inventory's JSON Schema: `bascule schema` prints the committed file; every inventory of
//! the repository names it on its first line (for yaml-language-server) and passes it; invalid
//! inventories are refused by two independent validators: jsonschema (as the loader uses it)
//! and boon.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const MODELINE: &str = "# yaml-language-server: $schema=";

fn committed() -> PathBuf {
    repo().join("schema/inventory.schema.json")
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(committed()).unwrap()).unwrap()
}

#[test]
fn committed_schema_is_what_bascule_schema_prints() {
    let o = bascule(&repo(), &["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let printed = stdout(&o);
    if std::env::var_os("BASCULE_BLESS").is_some() {
        std::fs::write(committed(), &printed).unwrap();
    }
    let on_disk = std::fs::read_to_string(committed()).unwrap_or_default();
    assert!(
        on_disk == printed,
        "schema/inventory.schema.json is stale: regenerate it with \
         `cargo run -- schema > schema/inventory.schema.json` \
         (or `BASCULE_BLESS=1 cargo test --test it schema::`), review the diff and commit it"
    );
}

/// Both validators' verdict on `instance`: (jsonschema, boon).
fn verdicts(instance: &Value) -> (bool, bool) {
    let schema = schema();
    let js = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .unwrap()
        .is_valid(instance);
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:inventory.schema.json", schema)
        .unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile("urn:inventory.schema.json", &mut schemas)
        .unwrap();
    (js, schemas.validate(instance, index).is_ok())
}

fn json_of(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).expect("the YAML parses")
}

/// Every inventory of the repository: `inventory/`, and `examples/` when there is one.
fn inventories() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![repo().join("inventory"), repo().join("examples")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `../schema/inventory.schema.json` as seen from `file`'s folder.
fn relative_schema(file: &Path) -> String {
    let depth = file
        .parent()
        .unwrap()
        .strip_prefix(repo())
        .unwrap()
        .components()
        .count();
    format!("{}schema/inventory.schema.json", "../".repeat(depth))
}

#[test]
fn every_inventory_names_the_schema_and_passes_it() {
    let all = inventories();
    assert!(!all.is_empty());
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let want = format!("{MODELINE}{}", relative_schema(&path));
        assert_eq!(first, want, "{}: first line", path.display());
        let target = path.parent().unwrap().join(&want[MODELINE.len()..]);
        assert!(target.is_file(), "{}", target.display());
        assert_eq!(
            verdicts(&json_of(&text)),
            (true, true),
            "{}",
            path.display()
        );
    }
}

#[test]
fn invalid_inventories_are_refused_by_both_validators() {
    for (from, to) in [
        ("machine: campusdb2\n", "machin: campusdb2\n"),
        ("    kind: migration", "    kind: migrate"),
        ("environment: production", "environment: prod"),
        ("do: [delete] }", "do: [deleted] }"),
        ("fate: delete }", "fate: deleted }"),
        ("date: 2018-11-28", "date: 15/01/2024"),
        (
            "dns: [campus.cegepadistance.ca]",
            "dns: campus.cegepadistance.ca",
        ),
        ("ticket: 57330", "ticket: OCT-57330"),
        ("    url: https://projets.cegepadistance.ca\n", ""),
        ("ip: 10.88.0.210", "ip: 10.88.0.310"),
        ("id: jour-m", "id: Jour M"),
    ] {
        let text = SEED.replacen(from, to, 1);
        assert_ne!(text, SEED, "{from}");
        assert_eq!(verdicts(&json_of(&text)), (false, false), "{to:?}");
    }
}
