//! The schema check and deserialisation must agree: a tree the schema passes deserialises,
//! and a tree the schema refuses does not (else the writer would see a fault the model does
//! not have, or a fault in the deserialiser's words). Checked on thousands of mutations of the
//! repo's inventory.

use super::{shape, tree};
use crate::model::Inventory;
use serde_saphyr::Spanned;

/// Values a writer puts where another kind is due.
const VALUES: &[&str] = &[
    "~",
    "",
    "12",
    "-1",
    "3.1",
    "yes",
    "\"57330\"",
    "\"OCT-1\"",
    "[a.b.ca]",
    "{ x: 1 }",
    "delete",
    "deleted",
    "{ create: {} }",
    "{ move-to: a.b.ca }",
    "15/01/2024",
    "4294967296",
    "0x1F",
    "[]",
    "{}",
];

/// The seed with one line changed: a value replaced, a key renamed, or the line dropped.
fn mutate(seed: &str, rng: &mut fastrand::Rng) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    let i = rng.usize(..lines.len());
    let line = lines[i].clone();
    match rng.u8(..4) {
        0 => {
            lines.remove(i);
        }
        1 => {
            if let Some((k, _)) = line.split_once(": ") {
                lines[i] = format!("{k}: {}", VALUES[rng.usize(..VALUES.len())]);
            }
        }
        2 => {
            if let Some((k, v)) = line.split_once(": ") {
                lines[i] = format!("{k}x: {v}");
            }
        }
        _ => {
            if let Some(p) = line.find(": ") {
                let v = VALUES[rng.usize(..VALUES.len())];
                let at = rng.usize(p..line.len());
                if line.is_char_boundary(at) {
                    lines[i] = format!("{}{v}{}", &line[..at], &line[at..]);
                }
            }
        }
    }
    lines.join("\n")
}

#[test]
fn schema_and_deserialisation_agree_on_mutated_inventories() {
    let mut rng = fastrand::Rng::with_seed(13);
    let mut disagreements = Vec::new();
    let (mut refusals, mut passes) = (0, 0);
    for _ in 0..1500 {
        let text = mutate(crate::fixtures::SEED, &mut rng);
        let Ok(root) = serde_saphyr::from_str_with_options::<Spanned<tree::Node>>(
            &text,
            super::tree_options(),
        ) else {
            continue;
        };
        let json = tree::to_json(&root.value);
        // The loader's fast way reads the same JSON, without positions.
        let fast =
            serde_saphyr::from_str_with_options::<serde_json::Value>(&text, super::tree_options());
        assert_eq!(fast.ok().as_ref(), Some(&json), "{text}");
        let faults = shape::check(&json);
        let refused = faults.iter().any(shape::Fault::blocks);
        let typed = serde_saphyr::from_str_with_options::<Inventory>(&text, super::options());
        if refused {
            refusals += 1;
        } else {
            passes += 1;
        }
        if refused == typed.is_ok() {
            let diff: Vec<_> = similar_lines(crate::fixtures::SEED, &text);
            disagreements.push(format!(
                "schema refused: {refused}; {diff:?}; faults {faults:?}; serde: {:?}",
                typed.err().map(|e| e.to_string())
            ));
        }
    }
    // Both outcomes are exercised, many times.
    assert!(
        refusals > 300 && passes > 300,
        "{refusals} refused, {passes} passed"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements, e.g.:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(5)].join("\n")
    );
}

/// The lines of `b` that are not in `a`.
fn similar_lines(a: &str, b: &str) -> Vec<String> {
    let old: std::collections::BTreeSet<&str> = a.lines().collect();
    b.lines()
        .filter(|l| !old.contains(l))
        .map(str::to_string)
        .collect()
}

/// The deepest YAML the tree reads is read on a small thread stack (2 MiB, as test threads and
/// the fuzzer have), even in a debug build.
#[test]
fn the_deepest_tree_fits_a_small_stack() {
    let at_most = |depth: usize| {
        let y = format!("document: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                serde_saphyr::from_str_with_options::<Spanned<tree::Node>>(
                    &y,
                    super::tree_options(),
                )
                .is_ok()
            })
            .unwrap()
            .join()
            .unwrap()
    };
    assert!(at_most(super::TREE_DEPTH - 1));
    assert!(!at_most(super::TREE_DEPTH + 1));
    assert!(!at_most(10_000));
}
