//! `bascule check`: the generated outputs agree with the plan and with each other, and the
//! files on disk are what a fresh build writes.
//!
//! Outputs are rendered through templates that writers may override, so they are read back
//! here as structure, independently of how they were made (`markdown.rs` parses the
//! document, `annexes.rs` the SVGs, `tickets.rs` the ticket manifest): a template that drops
//! a VM, hard-codes a count or paints a box the wrong colour is caught; no wording of the
//! default templates is assumed.

mod annexes;
mod compare;
mod document;
pub mod markdown;
mod tickets;

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::Outputs;
use crate::pipeline::{Pngs, Prepared, RenderOptions, generate, render_into};
use crate::plan::Plan;
use crate::templates::Templates;
use crate::write;
use std::path::Path;

/// The whole check after validation: render (reusing verified PNGs from `out` unless
/// `redraw`), verify the outputs against the plan, and, with `out`, compare each file with
/// the folder as it is rendered (`compare.rs`), one file at a time.
pub fn run(
    prepared: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    out: Option<&Path>,
    redraw: bool,
) -> Vec<Diagnostic> {
    let Some(dir) = out else {
        // Without a folder to compare, nothing needs a PNG: none is drawn.
        return match generate(prepared, templates, opts, Pngs::Skip) {
            Ok(files) => check_outputs(&prepared.plan, &files, "out"),
            Err(d) => vec![*d],
        };
    };
    let label = dir.display().to_string();
    let mut sink = match compare::Comparing::new(dir, &label) {
        Ok(s) => s,
        Err(e) => {
            return vec![
                Diagnostic::error(
                    Code::E0510,
                    &label,
                    Pos::default(),
                    format!("cannot read the output folder: {e}"),
                )
                .with_help("run `bascule build`"),
            ];
        }
    };
    let previous = |rel: &str| write::tree::read_regular(&dir.join(rel)).ok();
    let pngs = if redraw {
        Pngs::Draw
    } else {
        Pngs::Reuse(&previous)
    };
    if let Err(d) = render_into(prepared, templates, opts, pngs, &mut sink) {
        return vec![*d];
    }
    let mut diags = check_outputs(&prepared.plan, &sink.kept, &label);
    // The exports are made only when the PNGs are: with a folder to compare.
    diags.extend(crate::check_exports::check_exports(
        &prepared.plan,
        &sink.kept,
        &label,
    ));
    diags.extend(sink.finish());
    diags
}

/// Every output rule; `out_label` names the output folder in diagnostics.
pub fn check_outputs(plan: &Plan, outputs: &Outputs, out_label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    document::check(plan, outputs, out_label, &mut diags);
    annexes::check(plan, outputs, out_label, &mut diags);
    tickets::check(plan, outputs, out_label, &mut diags);
    diags
}

/// The files on disk (`disk`, read from the folder `label`) are byte-identical to a fresh build.
pub fn compare_tree(expected: &Outputs, disk: &Outputs, label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (name, bytes) in expected {
        let file = format!("{label}/{name}");
        match disk.get(name) {
            None => diags.push(
                Diagnostic::error(
                    Code::E0511,
                    &file,
                    Pos::default(),
                    "missing: a fresh build writes this file",
                )
                .with_help("run `bascule build` and commit the output"),
            ),
            Some(b) if b != bytes => {
                let line = first_difference_line(b, bytes);
                diags.push(
                    Diagnostic::error(
                        Code::E0512,
                        &file,
                        Pos::new(line, 1),
                        "stale or hand-edited: differs from a fresh build",
                    )
                    .with_help(
                        "run `bascule build` (edit the inventory or templates, never the output)",
                    ),
                )
            }
            Some(_) => {}
        }
    }
    for name in disk.keys().filter(|n| !expected.contains_key(*n)) {
        diags.push(
            Diagnostic::error(
                Code::E0513,
                &format!("{label}/{name}"),
                Pos::default(),
                "not produced by a fresh build",
            )
            .with_help("run `bascule build`, which removes files it no longer writes"),
        );
    }
    diags
}

/// 1-based line of the first difference in text files; 0 for binary ones.
fn first_difference_line(a: &[u8], b: &[u8]) -> u32 {
    let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return 0;
    };
    let mut al = a.lines();
    let mut bl = b.lines();
    let mut n = 1;
    loop {
        match (al.next(), bl.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (None, None) => return 0,
            _ => return n,
        }
    }
}

#[cfg(test)]
mod tests;
