//! The whole pipeline, shared by `build`, `check` and `tickets`:
//! load → validate → plan → render (in memory). Writing is left to the caller.

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{Outputs, Sink};
use crate::load::{self, Source};
use crate::model::Inventory;
use crate::plan::{self, InstancePlan, Plan};
use crate::render;
use crate::templates::Templates;
use crate::validate::{self, Mode};
use crate::write;
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

/// Diagnostics that stop the pipeline, with the inventory (name and text) for carets when
/// it was read.
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub source: Option<Source>,
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
    prepare_bytes(&path.display().to_string(), &bytes, mode, templates)
}

/// [`prepare`] on an inventory's bytes, named `name` in every diagnostic (for an inventory
/// that is not a file: `bascule diff --against REV` reads one from Git).
pub fn prepare_bytes(
    name: &str,
    bytes: &[u8],
    mode: Mode,
    templates: &Templates,
) -> Result<Prepared, Failure> {
    let loaded = match load::load(name, bytes) {
        Ok(x) => x,
        Err(diagnostics) => {
            return Err(Failure {
                diagnostics,
                source: Some(Source {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                }),
            });
        }
    };
    let (source, inventory) = (loaded.source, loaded.inventory);
    let validated = validate::validate(&source.name, &inventory, mode, &templates.labels);
    // One value, one message: the loader's (a date it can reorder) replaces the validator's.
    let diagnostics = crate::diag::merge(loaded.diagnostics, validated);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure {
            diagnostics,
            source: Some(source),
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
    /// Told how far rendering has gone (the command line draws it on a terminal).
    pub progress: Option<Progress>,
}

/// How far rendering has gone: `done` of the `total` items of `stage` (« annexes », 12, 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// What is told of every [`Step`], in order, from the thread that writes.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(Step) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl RenderOptions {
    fn tell(&self, stage: &'static str, done: usize, total: usize) {
        if let Some(p) = &self.progress {
            (p.0)(Step { stage, done, total });
        }
    }
}

/// Where the annexe PNGs come from.
#[derive(Clone, Copy)]
pub enum Pngs<'a> {
    /// Drawn, every one.
    Draw,
    /// Reused when the PNG `get` gives for an annexe was drawn from the very same SVG
    /// (stamped, untouched), else drawn: the previous output folder's, for `build` and
    /// `check --out`. A file the folder's manifest vouches for is not decoded again.
    Reuse(&'a (dyn Fn(&str) -> Option<write::previous::Old> + Sync)),
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
        Pngs::Reuse(get) => get(&inst.annexe_png)
            .filter(|old| {
                if old.as_written {
                    render::png::is_stamped_from(&old.bytes, &svg, opts.png_scale)
                } else {
                    render::png::is_rendering_of(&old.bytes, &svg, opts.png_scale)
                }
            })
            .map(|old| old.bytes),
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

/// Every annexe into `sink`, drawn on rayon's pool (one thread per
/// core) a few at a time, so that memory holds only the pictures in flight.
fn annexes(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    let batch = rayon::current_num_threads().max(1) * 2;
    let total = p.plan.instances.len();
    opts.tell("annexes", 0, total);
    for (n, chunk) in p.plan.instances.chunks(batch).enumerate() {
        let drawn: Vec<Result<Annexe, Box<Diagnostic>>> = chunk
            .par_iter()
            .map(|inst| annexe(&p.plan, inst, templates, opts, pngs))
            .collect();
        for (inst, a) in chunk.iter().zip(drawn) {
            let a = a?;
            sink.put(&inst.annexe_svg, a.svg.into_bytes())?;
            if let Some(png) = a.png {
                sink.put(&inst.annexe_png, png)?;
            }
        }
        opts.tell("annexes", (n * batch + chunk.len()).min(total), total);
    }
    Ok(())
}

/// The tickets into `sink`: their texts, their emails (which read the PNG they attach
/// from the sink) unless `pngs` is `Skip`, and their manifest. Returns them (for the site).
fn tickets(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
    sink: &mut dyn Sink,
) -> Result<Vec<render::tickets::Ticket>, Box<Diagnostic>> {
    let tickets = render::tickets::tickets(&p.plan, templates)?;
    let to = opts.to.as_deref();
    for (n, t) in tickets.iter().enumerate() {
        opts.tell("tickets", n, tickets.len());
        if matches!(pngs, Pngs::Skip) {
            sink.put(&t.txt_name(), t.text().into_bytes())?;
        } else {
            let files = render::tickets::manifest::ticket_files(t, &|path| sink.get(path), to)?;
            for (name, bytes) in files {
                sink.put(&name, bytes)?;
            }
        }
    }
    let (name, index) = render::tickets::manifest::index(&tickets, to);
    sink.put(&name, index)?;
    Ok(tickets)
}

/// Renders every output into `sink`, one file at a time: the document, the annexes, the
/// tickets, the exports, then the site (which copies what it links to). The annexe PNGs
/// (and what needs them: emails, exports) come as `pngs` says. The PDF is typeset on its
/// own thread from the annexes on, beside the tickets, the Word file and the site's pages.
pub fn render_into(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    opts.tell("document", 0, 1);
    let md = render::document::markdown(&p.plan, templates)?;
    sink.put("document.md", md.as_bytes().to_vec())?;
    annexes(p, templates, opts, pngs, sink)?;
    if matches!(pngs, Pngs::Skip) {
        let tickets = tickets(p, templates, opts, pngs, sink)?;
        site_pages(p, templates, opts, &md, &tickets, sink)?;
        return site_copies(p, &tickets, sink);
    }
    let input = {
        let get = |path: &str| sink.get(path);
        render::exports::ExportInput::new(&p.plan, &md, &get, opts.paper, opts.timestamp)
    };
    std::thread::scope(|s| {
        let pdf = s.spawn(|| render::exports::pdf(templates, &input));
        let rest = tickets(p, templates, opts, pngs, sink).and_then(|tickets| {
            opts.tell("exports", 0, 1);
            render::exports::docx(&input, sink)?;
            Ok(tickets)
        });
        let pages = rest.and_then(|tickets| {
            site_pages(p, templates, opts, &md, &tickets, sink)?;
            Ok(tickets)
        });
        let pdf = pdf.join().unwrap_or_else(|_| Err(pdf_panicked()));
        let tickets = pages?;
        if let Some(bytes) = pdf? {
            sink.put("document.pdf", bytes)?;
        }
        site_copies(p, &tickets, sink)
    })
}

fn pdf_panicked() -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        Code::E0402,
        "document.pdf",
        Pos::default(),
        "the PDF typesetting stopped on an internal error".to_string(),
    ))
}

/// The site's pages into `sink`.
fn site_pages(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    md: &str,
    tickets: &[render::tickets::Ticket],
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    opts.tell("site", 0, 1);
    let pages = {
        let get = |path: &str| sink.get(path);
        let input = render::site::SiteInput {
            plan: &p.plan,
            markdown: md,
            tickets,
            inventory: &inventory_label(&p.source),
            get: &get,
        };
        render::site::files(templates, &input)?
    };
    for (name, bytes) in pages {
        sink.put(&name, bytes)?;
    }
    Ok(())
}

/// The site is published alone: it copies what it links to (the PDF too, so it comes
/// last), one file at a time.
fn site_copies(
    p: &Prepared,
    tickets: &[render::tickets::Ticket],
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    for (from, to) in render::site::copies(&p.plan, tickets) {
        sink.copy(&from, &to)?;
    }
    Ok(())
}

/// Every output in memory (for `check`).
pub fn generate(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    pngs: Pngs,
) -> Result<Outputs, Box<Diagnostic>> {
    let mut out = Outputs::new();
    render_into(p, templates, opts, pngs, &mut out)?;
    Ok(out)
}

/// The staging folder as a sink; what it holds is read back from disk.
struct Staged(write::Staging);

fn write_error(out: &Path, e: &write::WriteError) -> Box<Diagnostic> {
    let code = match e {
        write::WriteError::NotOurs { .. } => Code::E0701,
        _ => Code::E0702,
    };
    Box::new(
        Diagnostic::error(
            code,
            &out.display().to_string(),
            Pos::default(),
            e.to_string(),
        )
        .with_help(e.help()),
    )
}

impl Sink for Staged {
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> Result<(), Box<Diagnostic>> {
        self.0
            .put(rel, &bytes)
            .map_err(|e| write_error(Path::new(rel), &e))
    }

    fn get(&self, rel: &str) -> Option<Vec<u8>> {
        self.0.get(rel)
    }

    fn put_with(
        &mut self,
        rel: &str,
        write: &mut crate::files::WriteFn,
    ) -> Result<(), Box<Diagnostic>> {
        let fail = |e: write::WriteError| write_error(Path::new(rel), &e);
        let mut out = std::io::BufWriter::new(self.0.create(rel).map_err(fail)?);
        write(&mut out, &|path| self.0.get(path))?;
        let file = out.into_inner().map_err(|e| {
            fail(write::WriteError::Io(
                format!("cannot write {rel}"),
                e.into_error(),
            ))
        })?;
        self.0.written(rel, file).map_err(fail)
    }

    fn copy(&mut self, from: &str, to: &str) -> Result<bool, Box<Diagnostic>> {
        self.0
            .copy(from, to)
            .map_err(|e| write_error(Path::new(to), &e))
    }
}

/// What a build did.
pub struct Built {
    pub prepared: Prepared,
    pub written: write::Written,
}

/// `bascule build`: load, validate and plan `inventory`; check that `out` may be replaced;
/// render every file straight into a staging folder beside it, then swap it in. Annexe PNGs
/// drawn from an unchanged SVG are taken from the previous output instead of drawn again.
pub fn build(
    inventory: &Path,
    templates: &Templates,
    out: &Path,
    opts: &RenderOptions,
    force: bool,
) -> Result<Built, Failure> {
    let prepared = prepare(inventory, Mode::Build, templates)?;
    let fail = |d: Box<Diagnostic>| Failure {
        diagnostics: prepared.diagnostics.iter().cloned().chain([*d]).collect(),
        source: Some(Source {
            name: prepared.source.name.clone(),
            text: prepared.source.text.clone(),
        }),
    };
    let staging = write::Staging::begin(out, force).map_err(|e| fail(write_error(out, &e)))?;
    let old = write::previous::Previous::open(staging.out());
    let previous = |rel: &str| old.read(rel);
    let mut sink = Staged(staging);
    render_into(
        &prepared,
        templates,
        opts,
        Pngs::Reuse(&previous),
        &mut sink,
    )
    .map_err(fail)?;
    let written = sink.0.commit().map_err(|e| fail(write_error(out, &e)))?;
    Ok(Built { prepared, written })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::png::PngError;

    #[test]
    fn a_picture_that_cannot_be_drawn_names_its_instance() {
        let plan = crate::fixtures::seed_plan();
        let inst = &plan.instances[1];
        let e = annexe_error(inst, &PngError::TooLarge { w: 9000, h: 9000 });
        assert_eq!(
            (e.code, e.file.as_str()),
            (Code::E0602, "annexes/annexe-2.png")
        );
        assert!(
            e.message
                .contains("the annexe of Projets: the picture would be 9000 × 9000"),
            "{}",
            e.message
        );
        let e = annexe_error(inst, &PngError::Other("bad SVG".into()));
        assert_eq!(e.code, Code::E0601);
    }
}
