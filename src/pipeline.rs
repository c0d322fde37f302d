//! The whole pipeline, shared by `build`, `check` and `tickets`:
//! load → validate → plan → render (in memory). Writing is left to the caller.

use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{self, Source};
use crate::model::Inventory;
use crate::plan::{self, InstancePlan, Plan};
use crate::render;
use crate::templates::Templates;
use crate::validate::{self, Mode};
use crate::write::Outputs;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A loaded, validated and planned inventory.
pub struct Prepared {
    pub source: Source,
    pub inventory: Inventory,
    pub plan: Plan,
    /// Warnings (and errors when `prepare` was asked not to stop on them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Diagnostics that stop the pipeline, with the source text for carets when it was read.
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub source: Option<String>,
}

impl From<Box<Diagnostic>> for Failure {
    fn from(d: Box<Diagnostic>) -> Self {
        Failure {
            diagnostics: vec![*d],
            source: None,
        }
    }
}

/// Loads, validates and plans; stops on the first load error or on any validation error.
/// The inventory is read once: its bytes serve the carets of every message.
pub fn prepare(path: &Path, mode: Mode, templates: &Templates) -> Result<Prepared, Failure> {
    let bytes = load::read_file(path).map_err(Failure::from)?;
    let name = path.display().to_string();
    let (source, inventory) = match load::load_bytes(&name, &bytes) {
        Ok(x) => x,
        Err(d) => {
            return Err(Failure {
                diagnostics: vec![*d],
                source: Some(String::from_utf8_lossy(&bytes).into_owned()),
            });
        }
    };
    let diagnostics = validate::validate(&source.name, &inventory, mode, &templates.labels);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure {
            diagnostics,
            source: Some(source.text),
        });
    }
    let plan = plan::plan(&inventory, &templates.labels).map_err(Failure::from)?;
    Ok(Prepared {
        source,
        inventory,
        plan,
        diagnostics,
    })
}

/// The inventory's file name, as the outputs cite it (no folder: outputs must not depend
/// on where the build ran).
pub fn inventory_label(source: &Source) -> String {
    Path::new(&source.name)
        .file_name()
        .map_or_else(|| source.name.clone(), |n| n.to_string_lossy().into_owned())
}

/// Render settings that do not come from the inventory.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// PNG scale; `None` for the default (at least 1600 px wide).
    pub png_scale: Option<f32>,
    /// Octopus mailbox for the ticket emails, overriding the inventory's.
    pub to: Option<String>,
    /// Paper of `document.pdf` and `document.docx`.
    pub paper: render::exports::Paper,
    /// Creation date of the PDF and Word files, in seconds since 1970 (`SOURCE_DATE_EPOCH`);
    /// `None`, the default, writes none, so that builds are identical.
    pub timestamp: Option<i64>,
}

/// Where the annexe PNGs come from.
#[derive(Clone, Copy)]
pub enum Pngs<'a> {
    /// Drawn, every one.
    Draw,
    /// Reused from an output folder read back when drawn from the very same SVG (stamped,
    /// untouched), else drawn.
    Reuse(&'a Outputs),
    /// Not drawn at all, and neither the emails that attach them nor the PDF and Word
    /// exports are made: what `check` without `--out` needs.
    Skip,
}

/// One annexe, drawn from the plan.
pub struct Annexe {
    pub svg: String,
    pub png: Option<Vec<u8>>,
}

fn annexe_error(inst: &InstancePlan, e: &render::png::PngError) -> Box<Diagnostic> {
    let code = match e {
        render::png::PngError::TooLarge { .. } => Code::E0602,
        render::png::PngError::Other(_) => Code::E0601,
    };
    Box::new(
        Diagnostic::error(code, &inst.annexe_png, Pos::default(), format!("the annexe of {}: {e}", crate::diag::shown(&inst.name)))
            .with_help("an annexe grows with its VMs, states and texts: split the instance, or shorten the roles"),
    )
}

/// The annexe of `inst`: its SVG, and its PNG as `pngs` says.
fn annexe(
    plan: &Plan,
    inst: &InstancePlan,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
) -> Result<Annexe, Box<Diagnostic>> {
    let svg = render::annexe::svg(plan, inst, &templates.labels)?;
    let reused = match pngs {
        Pngs::Skip => return Ok(Annexe { svg, png: None }),
        Pngs::Draw => None,
        Pngs::Reuse(prev) => prev
            .get(&inst.annexe_png)
            .filter(|old| render::png::is_rendering_of(old, &svg, opts.png_scale))
            .cloned(),
    };
    let png = match reused {
        Some(png) => png,
        None => render::png::png_at(&svg, opts.png_scale).map_err(|e| annexe_error(inst, &e))?,
    };
    Ok(Annexe {
        svg,
        png: Some(png),
    })
}

/// Every annexe, drawn on a bounded pool of threads (rayon's, one per core), in
/// inventory order.
pub fn annexes(
    plan: &Plan,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
) -> Result<Vec<Annexe>, Box<Diagnostic>> {
    plan.instances
        .par_iter()
        .map(|inst| annexe(plan, inst, templates, opts, pngs))
        .collect()
}

/// Renders every output in memory, the annexe PNGs (and the emails that attach them) as
/// `pngs` says.
pub fn generate(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
) -> Result<Outputs, Box<Diagnostic>> {
    let mut out = Outputs::new();
    let md = render::document::markdown(&p.plan, templates)?;
    let html = render::site::index_html(&p.plan, templates, &md, &inventory_label(&p.source))?;
    out.insert("document.md".into(), md.as_bytes().to_vec());
    out.insert("site/index.html".into(), html.into_bytes());
    if let Some(css) = templates.asset("style.css") {
        out.insert("site/style.css".into(), css.as_bytes().to_vec());
    }
    for (inst, a) in p
        .plan
        .instances
        .iter()
        .zip(annexes(&p.plan, templates, opts, pngs)?)
    {
        // The site is published alone: it carries its own copy of the pictures.
        out.insert(
            format!("site/{}", inst.annexe_svg),
            a.svg.clone().into_bytes(),
        );
        out.insert(inst.annexe_svg.clone(), a.svg.into_bytes());
        if let Some(png) = a.png {
            out.insert(format!("site/{}", inst.annexe_png), png.clone());
            out.insert(inst.annexe_png.clone(), png);
        }
    }
    let tickets = render::tickets::tickets(&p.plan, templates)?;
    let to = opts.to.as_deref();
    if matches!(pngs, Pngs::Skip) {
        for t in &tickets {
            out.insert(t.txt_name(), t.text().into_bytes());
        }
        let (name, index) = render::tickets::manifest::index(&tickets, to);
        out.insert(name, index);
    } else {
        let files = render::tickets::manifest::files(&tickets, &|path| out.get(path).cloned(), to)?;
        out.extend(files);
        let input =
            render::exports::ExportInput::new(&p.plan, &md, &out, opts.paper, opts.timestamp);
        let exports = render::exports::files(templates, &input)?;
        out.extend(exports);
    }
    Ok(out)
}

/// Every stage on any bytes, PNGs aside: load, validate, plan, render, check. For the fuzz
/// target and its corpus replay: it must return (a diagnostic or nothing), never panic.
#[doc(hidden)]
pub fn exercise(bytes: &[u8]) {
    let Ok((source, inventory)) = load::load_bytes("fuzz.yaml", bytes) else {
        return;
    };
    let Ok(templates) = Templates::load(None) else {
        return;
    };
    let diags = validate::validate(&source.name, &inventory, Mode::Check, &templates.labels);
    if diags.iter().any(Diagnostic::is_error) {
        return;
    }
    let Ok(plan) = plan::plan(&inventory, &templates.labels) else {
        return;
    };
    let p = Prepared {
        source,
        inventory,
        plan,
        diagnostics: diags,
    };
    if let Ok(out) = generate(&p, &templates, &RenderOptions::default(), Pngs::Skip) {
        let _ = crate::check::check_outputs(&p.plan, &out, "out");
    }
}

/// The default inventory: the one `*.yaml`/`*.yml` file in `inventory/`.
pub fn default_inventory(dir: &Path) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "no --inventory given and cannot read {}: {e}",
            dir.display()
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no --inventory given and {} holds no .yaml file",
            dir.display()
        )),
        _ => Err(format!(
            "no --inventory given and {} holds several: {}; choose one with --inventory",
            dir.display(),
            found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
