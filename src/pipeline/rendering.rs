//! The *render* stage of the pipeline: every output of a prepared inventory into a
//! [`Sink`], one file at a time (annexes on a bounded pool, the PDF on its own thread).

use super::{Prepared, RenderOptions, inventory_label};
use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{Outputs, Sink};
use crate::plan::{InstancePlan, Plan};
use crate::render;
use crate::templates::Templates;
use crate::write;
use rayon::prelude::*;

/// Where the heavy outputs come from: the annexe PNGs, and what needs them (the emails
/// that attach them, the PDF and Word exports).
#[derive(Clone, Copy)]
pub enum Heavy<'a> {
    /// Made, every one.
    Make,
    /// Taken from the previous output folder (what `get` gives) when it was made from the
    /// very same input, else made: for `build` and `check --out`. A PNG is reused when its
    /// stamp says it was drawn from the same SVG (a file the folder's manifest vouches for
    /// is not decoded again); the PDF, when the manifest records that it was typeset from
    /// the same source and the file is still as written.
    Reuse(&'a (dyn Fn(&str) -> Option<write::previous::Old> + Sync)),
    /// Not drawn at all, and neither the emails that attach them nor the PDF and Word
    /// exports are made: what `check` without `--out` needs.
    Skip,
}

/// One annexe, drawn from the plan.
pub struct Annexe {
    pub svg: String,
    pub png: Option<Vec<u8>>,
    /// The shapes the PDF draws, unless `heavy` is `Skip` (no exports then).
    pub shapes: Option<render::annexe::shapes::Drawing>,
}

/// The annexes' shapes for the PDF, by the SVG's path.
type Drawings = std::collections::BTreeMap<String, render::annexe::shapes::Drawing>;

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

/// The annexe of `inst`: its SVG, and its PNG as `heavy` says.
fn annexe(
    plan: &Plan,
    inst: &InstancePlan,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
) -> Result<Annexe, Box<Diagnostic>> {
    if matches!(heavy, Heavy::Skip) {
        let svg = render::annexe::svg(plan, inst, &templates.labels)?;
        return Ok(Annexe {
            svg,
            png: None,
            shapes: None,
        });
    }
    let (svg, shapes) = render::annexe::svg_and_shapes(plan, inst, &templates.labels)?;
    let reused = match heavy {
        Heavy::Skip => None,
        Heavy::Make => None,
        Heavy::Reuse(get) => get(&inst.annexe_png)
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
        shapes: Some(shapes),
    })
}

/// Every annexe into `sink`, drawn on rayon's pool (one thread per
/// core) a few at a time, so that memory holds only the pictures in flight. Returns their
/// shapes for the PDF (none when `heavy` is `Skip`).
fn annexes(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
    sink: &mut dyn Sink,
) -> Result<Drawings, Box<Diagnostic>> {
    let mut drawings = Drawings::new();
    let batch = rayon::current_num_threads().max(1) * 2;
    let total = p.plan.instances.len();
    opts.tell("annexes", 0, total);
    for (n, chunk) in p.plan.instances.chunks(batch).enumerate() {
        let drawn: Vec<Result<Annexe, Box<Diagnostic>>> = chunk
            .par_iter()
            .map(|inst| annexe(&p.plan, inst, templates, opts, heavy))
            .collect();
        for (inst, a) in chunk.iter().zip(drawn) {
            let a = a?;
            sink.put(&inst.annexe_svg, a.svg.into_bytes())?;
            if let Some(png) = a.png {
                sink.put(&inst.annexe_png, png)?;
            }
            if let Some(shapes) = a.shapes {
                drawings.insert(inst.annexe_svg.clone(), shapes);
            }
        }
        opts.tell("annexes", (n * batch + chunk.len()).min(total), total);
    }
    Ok(drawings)
}

/// The tickets into `sink`: their texts, their emails (which read the PNG they attach
/// from the sink) unless `heavy` is `Skip`, and their manifest. Returns them (for the site).
fn tickets(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
    sink: &mut dyn Sink,
) -> Result<Vec<render::tickets::Ticket>, Box<Diagnostic>> {
    let tickets = render::tickets::tickets(&p.plan, templates)?;
    let to = opts.to.as_deref();
    for (n, t) in tickets.iter().enumerate() {
        opts.tell("tickets", n, tickets.len());
        if matches!(heavy, Heavy::Skip) {
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
/// (and what needs them: emails, exports) come as `heavy` says. The PDF is typeset on its
/// own thread from the annexes on, beside the tickets, the Word file and the site's pages.
pub fn render_into(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    opts.tell("document", 0, 1);
    let md = render::document::markdown(&p.plan, templates)?;
    sink.put("document.md", md.as_bytes().to_vec())?;
    let drawings = annexes(p, templates, opts, heavy, sink)?;
    if matches!(heavy, Heavy::Skip) {
        let tickets = tickets(p, templates, opts, heavy, sink)?;
        site_pages(p, templates, opts, &md, &tickets, sink)?;
        return site_copies(p, &tickets, sink);
    }
    let input = {
        let get = |path: &str| sink.get(path);
        let mut input =
            render::exports::ExportInput::new(&p.plan, &md, &get, opts.paper, opts.timestamp);
        input.drawings = drawings;
        input
    };
    // The previous PDF, when the manifest says it was made from the same source and the
    // file is still as written.
    let previous_pdf = |source: &str| match heavy {
        Heavy::Reuse(get) => get(PDF)
            .filter(|old| old.as_written && old.made_from.as_deref() == Some(source))
            .map(|old| old.bytes),
        Heavy::Make | Heavy::Skip => None,
    };
    std::thread::scope(|s| {
        // The main thread's stack size, not a spawned thread's 2 MiB: Typst recurses.
        let pdf = std::thread::Builder::new()
            .name("pdf".into())
            .stack_size(PDF_STACK)
            .spawn_scoped(s, || render::exports::pdf(templates, &input, &previous_pdf))
            .map_err(|e| {
                pdf_fault(format!(
                    "cannot start the thread that typesets the PDF: {e}"
                ))
            })?;
        let rest = tickets(p, templates, opts, heavy, sink).and_then(|tickets| {
            opts.tell("exports", 0, 1);
            render::exports::docx(&input, sink)?;
            Ok(tickets)
        });
        let pages = rest.and_then(|tickets| {
            site_pages(p, templates, opts, &md, &tickets, sink)?;
            Ok(tickets)
        });
        let pdf = pdf.join().unwrap_or_else(|_| {
            Err(pdf_fault(
                "the PDF typesetting stopped on an internal error".into(),
            ))
        });
        let tickets = pages?;
        if let Some(pdf) = pdf? {
            sink.put_made_from(PDF, pdf.bytes, &pdf.source)?;
        }
        site_copies(p, &tickets, sink)
    })
}

const PDF: &str = "document.pdf";

/// The stack of the thread that typesets the PDF.
const PDF_STACK: usize = 8 << 20;

/// A fault of the PDF's thread itself (not of the template, which Typst reports).
fn pdf_fault(message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        Code::E0402,
        "document.pdf",
        Pos::default(),
        message,
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
    heavy: Heavy,
) -> Result<Outputs, Box<Diagnostic>> {
    let mut out = Outputs::new();
    render_into(p, templates, opts, heavy, &mut out)?;
    Ok(out)
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
