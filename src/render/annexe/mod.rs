//! The annexe schema of one instance: a standalone, accessible SVG, made in four stages a
//! reader can follow:
//!
//! 1. [`content`] — what each box says (its text, from the plan and the labels);
//! 2. and 3. [`layout`] — each line measured with the bundled font, then every box sized and
//!    placed on a grid (one column per state, one row per VM): pure data; for the PDF,
//!    [`pages`] cuts an annexe too large to print at 7 pt into parts laid out alike;
//! 4. [`emit`] — the layout told to a painter: written as SVG, or as the [`shapes`] the
//!    PDF draws.
//!
//! Each box is a `<g id="…">` holding a `<rect id="…-rect">` then texts `id="…-t0"`, `…-t1`,
//! …: tests (and anyone) can pair a text with its box. Box ids are stable: [`box_id`] gives
//! `annexe-1-vm-2-state-jour-m` (VMs counted from 1 in inventory order). Colours are read
//! from the plan, never recomputed.

pub(crate) mod content;
pub(crate) mod emit;
pub(crate) mod layout;
pub(crate) mod pages;
pub(crate) mod shapes;
pub(crate) mod style;

use super::blocks::slug;
use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::plan::{InstancePlan, Plan};

/// The id of the box of VM `vm` (index in `inst.vms`) at state `state` (index in
/// `inst.columns`).
pub fn box_id(inst: &InstancePlan, vm: usize, state: usize) -> String {
    format!(
        "annexe-{}-vm-{}-state-{}",
        inst.annexe,
        vm + 1,
        slug(&inst.columns[state].state_id)
    )
}

/// The id of the heading box of column `state`.
pub fn heading_id(inst: &InstancePlan, state: usize) -> String {
    format!(
        "annexe-{}-heading-{}",
        inst.annexe,
        slug(&inst.columns[state].state_id)
    )
}

/// The annexe of `inst`, laid out (for tests and the PNG's size check).
pub fn layout(
    plan: &Plan,
    inst: &InstancePlan,
    labels: &Labels,
) -> Result<(content::Content, layout::Layout), Box<Diagnostic>> {
    let c = content::content(plan, inst, labels)?;
    let l = layout::layout(&c);
    Ok((c, l))
}

/// The annexe of `inst` as a standalone SVG document (UTF-8, byte-identical across runs).
pub fn svg(plan: &Plan, inst: &InstancePlan, labels: &Labels) -> Result<String, Box<Diagnostic>> {
    let (c, l) = layout(plan, inst, labels)?;
    let prefix = format!("annexe-{}", inst.annexe);
    Ok(emit::svg(&l, &prefix, &c.title.text, &c.description))
}

/// The annexe of `inst` as an SVG, with its size in px (what its PNG's size is checked on
/// when no PNG is drawn).
pub fn svg_sized(
    plan: &Plan,
    inst: &InstancePlan,
    labels: &Labels,
) -> Result<(String, (f32, f32)), Box<Diagnostic>> {
    let (c, l) = layout(plan, inst, labels)?;
    let prefix = format!("annexe-{}", inst.annexe);
    let svg = emit::svg(&l, &prefix, &c.title.text, &c.description);
    Ok((svg, (l.width, l.height)))
}

/// An annexe made for every output: its SVG (the site's, and the PNG's), the shapes the
/// PDF draws page by page, and the pages the Word file prints, cut from its PNG.
pub struct Drawn {
    /// The annexe as an SVG document.
    pub svg: String,
    /// The shapes the PDF draws, one layout per page, on the paper asked for.
    pub sheets: shapes::Sheets,
    /// How the Word file prints it, page by page.
    pub printed: pages::Printed,
}

/// The annexe of `inst` as its SVG, as the shapes the PDF draws on `paper`, page by page
/// (see [`pages`]), and as the Word file's pages: one content for all.
pub fn svg_and_sheets(
    plan: &Plan,
    inst: &InstancePlan,
    labels: &Labels,
    paper: crate::model::Paper,
) -> Result<Drawn, Box<Diagnostic>> {
    let (c, l) = layout(plan, inst, labels)?;
    let prefix = format!("annexe-{}", inst.annexe);
    let svg = emit::svg(&l, &prefix, &c.title.text, &c.description);
    let part_title = |part: usize, parts: usize| {
        let values = serde_json::json!({ "n": inst.annexe, "part": part, "parts": parts });
        labels.text("annexe.part", &values)
    };
    // A labels file whose `annexe.part` does not render is refused before any page is cut.
    part_title(1, 2)?;
    let titled = |part, parts| part_title(part, parts).unwrap_or_else(|_| c.title.text.clone());
    let size = (l.width, l.height);
    let sheets = pages::sheets(&c, l.clone(), paper, &|part, parts| {
        content::line(&titled(part, parts), style::TITLE_SIZE, true, style::INK)
    });
    let n = sheets.parts.len();
    let parts = match n {
        1 => Vec::new(),
        _ => (sheets.groups.iter().enumerate())
            .map(|(i, (rows, cols))| pages::PrintedPart {
                title: titled(i + 1, n),
                pieces: pages::pieces(&l, rows, cols),
            })
            .collect(),
    };
    let drawings = (sheets.parts.iter())
        .map(|l| shapes::drawing(l, &prefix))
        .collect();
    Ok(Drawn {
        svg,
        sheets: shapes::Sheets {
            landscape: sheets.landscape,
            parts: drawings,
        },
        printed: pages::Printed {
            landscape: sheets.landscape,
            size,
            parts,
        },
    })
}

#[cfg(test)]
mod tests;
