//! The whole pipeline, shared by `build`, `check` and `tickets`:
//! load → validate → plan → render (in memory). Writing is left to the caller.

use crate::diag::Diagnostic;
use crate::load::{self, Source};
use crate::model::Inventory;
use crate::plan::{self, Plan};
use crate::render;
use crate::templates::Templates;
use crate::validate::{self, Mode};
use crate::write::Outputs;
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

/// Loads and validates; stops on the first load error or on any validation error.
pub fn prepare(path: &Path, mode: Mode) -> Result<Prepared, Failure> {
    let (source, inventory) = match load::load_file(path) {
        Ok(x) => x,
        Err(d) => {
            return Err(Failure {
                diagnostics: vec![*d],
                source: std::fs::read(path)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned()),
            });
        }
    };
    let diagnostics = validate::validate(&source.name, &inventory, mode);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure {
            diagnostics,
            source: Some(source.text),
        });
    }
    let plan = plan::plan(&inventory);
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

/// One annexe, drawn from the plan: (SVG path, SVG, PNG path, PNG).
type Annexe = (String, String, String, Vec<u8>);

fn annexes(
    plan: &Plan,
    opts: &RenderOptions,
    previous: Option<&Outputs>,
) -> Result<Vec<Annexe>, Box<Diagnostic>> {
    // Each annexe on its own thread: drawing and PNG encoding dominate the build.
    std::thread::scope(|scope| {
        let handles: Vec<_> = plan
            .instances
            .iter()
            .map(|inst| {
                scope.spawn(move || {
                    let svg = render::annexe::svg(plan, inst);
                    // A PNG already drawn from this very SVG (stamped, untouched) is reused.
                    let reused = previous
                        .and_then(|prev| prev.get(&inst.annexe_png))
                        .filter(|old| render::png::is_rendering_of(old, &svg, opts.png_scale))
                        .cloned();
                    let png = match reused {
                        Some(png) => png,
                        None => render::png::png_at(&svg, opts.png_scale)?,
                    };
                    Ok::<_, String>((inst.annexe_svg.clone(), svg, inst.annexe_png.clone(), png))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the annexe renderer panicked".into()))
                    .map_err(|e| {
                        Box::new(Diagnostic::error(
                            "E0601",
                            "annexes",
                            crate::diag::Pos::default(),
                            format!("cannot draw an annexe: {e}"),
                        ))
                    })
            })
            .collect()
    })
}

/// Renders every output in memory. `previous` (an output folder read back) lets PNGs that
/// were drawn from the same SVGs be reused instead of drawn again: `check --out` is then
/// fast; `build` always draws.
pub fn generate(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    previous: Option<&Outputs>,
) -> Result<Outputs, Box<Diagnostic>> {
    let mut out = Outputs::new();
    let md = render::document::markdown(&p.plan, templates)?;
    let html = render::site::index_html(&p.plan, templates, &md, &inventory_label(&p.source))?;
    out.insert("document.md".into(), md.as_bytes().to_vec());
    out.insert("site/index.html".into(), html.into_bytes());
    if let Some(css) = templates.asset("style.css") {
        out.insert("site/style.css".into(), css.as_bytes().to_vec());
    }
    for (svg_path, svg, png_path, png) in annexes(&p.plan, opts, previous)? {
        // The site is published alone: it carries its own copy of the pictures.
        out.insert(format!("site/{svg_path}"), svg.clone().into_bytes());
        out.insert(format!("site/{png_path}"), png.clone());
        out.insert(svg_path, svg.into_bytes());
        out.insert(png_path, png);
    }
    let tickets = render::tickets::tickets(&p.plan, templates)?;
    let files =
        render::tickets::files(&tickets, &|path| out.get(path).cloned(), opts.to.as_deref())?;
    out.extend(files);
    let input = render::exports::ExportInput::new(&p.plan, &md, &out, opts.paper, opts.timestamp);
    let exports = render::exports::files(templates, &input)?;
    out.extend(exports);
    Ok(out)
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
