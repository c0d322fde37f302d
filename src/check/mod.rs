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
mod eml;
pub mod exports;
pub(crate) mod markdown;
mod tickets;

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::Outputs;
use crate::pipeline::{Heavy, Prepared, RenderOptions, generate, render_into};
use crate::plan::Plan;
use crate::templates::Templates;
use crate::write;
use std::path::Path;

/// The whole check after validation: render everything afresh, verify the outputs against
/// the plan, and, with `out`, compare each file with the folder as it is rendered
/// (`compare.rs`), one file at a time. Nothing in the folder is believed: not its manifest,
/// not the stamps of its PNGs; its files are only compared, byte for byte, never parsed.
/// The folder's shared lock is held meanwhile, so no build swaps it under the comparison.
pub fn run(
    prepared: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    out: Option<&Path>,
) -> Vec<Diagnostic> {
    let Some(dir) = out else {
        // Without a folder to compare, nothing needs a PNG: none is drawn.
        return match generate(prepared, templates, opts, Heavy::Skip) {
            Ok(files) => check_outputs(&prepared.plan, &files, "out"),
            Err(d) => vec![*d],
        };
    };
    let label = dir.display().to_string();
    let _lock = match write::lock_for_reading(dir) {
        Ok(held) => held,
        Err(write::WriteError::NotAFolder(_, why)) => return vec![unreadable(&label, why)],
        Err(e) => {
            return vec![
                Diagnostic::error(e.code(), &label, Pos::default(), e.text()).with_help(e.help()),
            ];
        }
    };
    let mut sink = match compare::Comparing::new(dir, &label) {
        Ok(s) => s,
        Err(e) => return vec![unreadable(&label, &e.to_string())],
    };
    if let Err(d) = render_into(prepared, templates, opts, Heavy::Make, &mut sink) {
        return vec![*d];
    }
    let mut diags = check_outputs(&prepared.plan, &sink.kept, &label);
    // The exports are made only when the PNGs are: with a folder to compare. What the
    // rules read is what was rendered here, never the folder's own file.
    diags.extend(exports::check_exports(
        &prepared.plan,
        &sink.kept,
        sink.texts.get("document.pdf").map(String::as_str),
        &label,
    ));
    diags.extend(sink.finish());
    diags
}

fn unreadable(label: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::E0510,
        label,
        Pos::default(),
        crate::msg!("check.folder_unreadable", why = why),
    )
    .with_help(crate::msg!("document.none.help"))
}

/// Every output rule; `out_label` names the output folder in diagnostics.
pub fn check_outputs(plan: &Plan, outputs: &Outputs, out_label: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    document::check(plan, outputs, out_label, &mut diags);
    annexes::check(plan, outputs, out_label, &mut diags);
    tickets::check(plan, outputs, out_label, &mut diags);
    tickets::calendar(plan, outputs, out_label, &mut diags);
    eml::check(
        outputs,
        out_label,
        plan.octopus.sr_token.as_deref(),
        &mut diags,
    );
    diags
}

/// Every stage on any bytes, PNGs aside: load, validate, plan, render, check. For the fuzz
/// target and its corpus replay: it must return (a diagnostic or nothing), never panic.
#[cfg(feature = "testing")]
pub fn exercise(bytes: &[u8]) {
    let Ok((source, inventory)) = crate::load::load_bytes("fuzz.yaml", bytes) else {
        return;
    };
    let Ok(templates) = crate::templates::Templates::load(None) else {
        return;
    };
    let validation = crate::validate::validate(
        &source.name,
        &inventory,
        crate::validate::Mode::Check,
        &templates.labels,
    );
    let diagnostics = validation.diagnostics;
    let Some(checked) = validation.checked else {
        return;
    };
    let Ok(plan) = crate::plan::plan(&checked, &templates.labels) else {
        return;
    };
    let p = Prepared {
        source,
        inventory,
        plan,
        diagnostics,
    };
    if let Ok(out) = generate(&p, &templates, &RenderOptions::default(), Heavy::Skip) {
        let _ = check_outputs(&p.plan, &out, "out");
    }
}

#[cfg(test)]
mod tests;
