//! The *render* stage of the pipeline: every output of a prepared inventory into a
//! [`Sink`], one file at a time (annexes on a bounded pool, the PDF on its own thread).

use super::{Prepared, RenderOptions, inventory_label};
use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{Outputs, Sink};
use crate::plan::InstancePlan;
use crate::render;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where the heavy outputs come from: the annexe PNGs, and what needs them (the emails
/// that attach them, the PDF and Word exports).
#[derive(Clone, Copy)]
pub enum Heavy<'a> {
    /// Made, every one.
    Make,
    /// Taken from the previous output folder when it was made from the very same input,
    /// else made: for `build` only (see [`super::cache`]).
    Reuse(&'a super::cache::Cache),
    /// Not drawn at all, and neither the emails that attach them nor the PDF and Word
    /// exports are made: what `check` without `--out` needs. A picture over the size limit
    /// is refused all the same, as a build would.
    Skip,
}

/// What laying the annexes out gives the exports (nothing when `heavy` is `Skip`), by the
/// SVG's path: the shapes the PDF draws, and the pages the Word file prints.
#[derive(Default)]
struct Laid {
    drawings: BTreeMap<String, render::annexe::shapes::Sheets>,
    printed: BTreeMap<String, render::exports::Printed>,
}

impl Laid {
    fn add(&mut self, inst: &InstancePlan, drawn: render::annexe::Drawn) {
        self.printed.insert(inst.annexe_svg.clone(), drawn.printed);
        self.drawings.insert(inst.annexe_svg.clone(), drawn.sheets);
    }
}

fn annexe_error(inst: &InstancePlan, e: &render::png::PngError) -> Box<Diagnostic> {
    let code = match e {
        render::png::PngError::TooLarge { .. } => Code::E0602,
        render::png::PngError::Other(_) => Code::E0601,
    };
    Box::new(
        Diagnostic::error(
            code,
            &inst.annexe_png,
            Pos::default(),
            crate::msg!(
                "render.annexe",
                instance = crate::diag::shown(&inst.name),
                reason = e
            ),
        )
        .with_help(crate::msg!("render.annexe.help")),
    )
}

/// The annexe schemas into `sink`, laid out on rayon's pool a few at a time: their SVGs,
/// and (when `for_pdf` says a PDF is typeset) what the exports need of them. Quick: the
/// text measures are cached, and nothing is drawn yet.
fn schemas(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    (heavy, for_pdf): (Heavy, bool),
    sink: &mut dyn Sink,
) -> Result<Laid, Box<Diagnostic>> {
    let mut laid = Laid::default();
    for chunk in p.plan.instances.chunks(batch()) {
        let out: Vec<_> = chunk
            .par_iter()
            .map(|inst| lay_out(p, inst, &templates.labels, opts, (heavy, for_pdf)))
            .collect();
        for (inst, a) in chunk.iter().zip(out) {
            let (svg, drawn) = a?;
            sink.put(&inst.annexe_svg, svg.into_bytes())?;
            if let Some(drawn) = drawn {
                laid.add(inst, drawn);
            }
        }
    }
    Ok(laid)
}

/// The annexe of `inst`: its SVG, and what the exports need of it when `for_pdf`. When
/// `heavy` is `Skip` nothing is drawn, but what a build would refuse to draw is refused.
fn lay_out(
    p: &Prepared,
    inst: &InstancePlan,
    labels: &crate::labels::Labels,
    opts: &RenderOptions,
    (heavy, for_pdf): (Heavy, bool),
) -> Result<(String, Option<render::annexe::Drawn>), Box<Diagnostic>> {
    let (svg, drawn, (w, h)) = match for_pdf {
        false => {
            let (svg, size) = render::annexe::svg_sized(&p.plan, inst, labels)?;
            (svg, None, size)
        }
        true => {
            let mut d = render::annexe::svg_and_sheets(&p.plan, inst, labels, paper(p, opts))?;
            let size = d.printed.size;
            (std::mem::take(&mut d.svg), Some(d), size)
        }
    };
    if matches!(heavy, Heavy::Skip) {
        let scale = (opts.png_scale).unwrap_or_else(|| render::png::default_scale(w));
        render::png::pixel_size(w, h, scale).map_err(|e| annexe_error(inst, &e))?;
    }
    Ok((svg, drawn))
}

/// How many annexes are in flight at once: two per thread of rayon's pool.
fn batch() -> usize {
    rayon::current_num_threads().max(1) * 2
}

/// The PNG of the annexe whose SVG is `svg`: the previous output's when `heavy` allows and
/// it was drawn from the very same SVG, else drawn.
fn png(
    inst: &InstancePlan,
    svg: &str,
    opts: &RenderOptions,
    heavy: Heavy,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    let reused = match heavy {
        Heavy::Skip | Heavy::Make => None,
        Heavy::Reuse(cache) => cache.png(&inst.annexe_png, svg, opts.png_scale),
    };
    match reused {
        Some(png) => Ok(png),
        None => render::png::png_at(svg, opts.png_scale).map_err(|e| annexe_error(inst, &e)),
    }
}

/// Every annexe PNG into `sink`, drawn from the SVG put earlier on rayon's pool, a few at a
/// time, so that memory holds only the pictures in flight.
fn pngs(
    p: &Prepared,
    opts: &RenderOptions,
    heavy: Heavy,
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    let batch = batch();
    let total = p.plan.instances.len();
    opts.tell("annexes", 0, total);
    for (n, chunk) in p.plan.instances.chunks(batch).enumerate() {
        let svgs: Vec<Option<Vec<u8>>> = chunk
            .iter()
            .map(|inst| sink.get(&inst.annexe_svg))
            .collect();
        let drawn: Vec<_> = chunk
            .par_iter()
            .zip(svgs)
            .map(|(inst, svg)| {
                let svg = svg.and_then(|b| String::from_utf8(b).ok()).ok_or_else(|| {
                    let why = "its SVG could not be read back from the output";
                    annexe_error(inst, &render::png::PngError::Other(why.into()))
                })?;
                png(inst, &svg, opts, heavy)
            })
            .collect();
        for (inst, png) in chunk.iter().zip(drawn) {
            sink.put(&inst.annexe_png, png?)?;
        }
        opts.tell("annexes", (n * batch + chunk.len()).min(total), total);
    }
    Ok(())
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
    for t in &tickets {
        if let (Some(path), Some(bytes)) = (&t.ics, render::ics::ticket_calendar(&p.plan, t)) {
            sink.put(path, bytes)?;
        }
    }
    let calendar = render::ics::migration_calendar(&p.plan, &tickets);
    sink.put(render::ics::CALENDAR, calendar)?;
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

/// Renders every output into `sink`, one file at a time, in this order (one schedule for
/// every `heavy`; what `Skip` leaves out is said at each step):
/// 1. `document.md`;
/// 2. the annexes' SVGs, laid out (and cut into the PDF's pages);
/// 3. the annexes' PNGs, here when a writer's PDF template shows a PNG (not with `Skip`);
/// 4. `document.pdf`, typeset on its own thread while 5–8 are made (with `Skip`, only to
///    check a writer's own template, and not kept);
/// 5. the annexes' PNGs, when not made at 3 (not with `Skip`);
/// 6. the tickets, their calendars, e-mails (not with `Skip`) and index;
/// 7. `document.docx` (not with `Skip`);
/// 8. the site's pages;
/// 9. the site's copies of what it links to (the PDF too, so they come last).
pub fn render_into(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
    sink: &mut dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    let skip = matches!(heavy, Heavy::Skip);
    let typeset = !skip || templates.is_overridden(PDF_TEMPLATE);
    opts.tell("document", 0, 1);
    sink.note_setting("paper", paper(p, opts).name());
    let md = render::document::markdown(&p.plan, templates)?;
    sink.put("document.md", md.as_bytes().to_vec())?;
    let Laid { drawings, printed } = schemas(p, templates, opts, (heavy, typeset), sink)?;
    // The PDF's input: the exports' shared input (which `check` without a folder needs only
    // for a writer's own template), made again once the PNGs are drawn if it shows one.
    let mut pdf_input = typeset.then(|| export_input(p, &md, opts, sink, false));
    let pngs_first = !skip && pdf_input.as_ref().is_some_and(|i| i.shows_a_png());
    if pngs_first {
        pngs(p, opts, heavy, sink)?;
        pdf_input = Some(export_input(p, &md, opts, sink, false));
    }
    if let Some(input) = &mut pdf_input {
        input.drawings = drawings;
    }
    let pictures = Pictures {
        pngs: !skip && !pngs_first,
        printed,
    };
    let previous_pdf = |source: &str| match heavy {
        Heavy::Reuse(cache) => cache.made_from(PDF, source),
        Heavy::Make | Heavy::Skip => None,
    };
    std::thread::scope(|s| {
        // The main thread's stack size, not a spawned thread's 2 MiB: Typst recurses.
        let pdf = (pdf_input.as_ref())
            .map(|input| {
                std::thread::Builder::new()
                    .name("pdf".into())
                    .stack_size(PDF_STACK)
                    .spawn_scoped(s, || super::exports::pdf(templates, input, &previous_pdf))
                    .map_err(|e| pdf_fault(crate::msg!("pdf.thread", reason = e)))
            })
            .transpose()?;
        let rest = beside_the_pdf(p, templates, opts, heavy, &md, pictures, sink);
        let pdf = pdf.map(|t| {
            t.join()
                .unwrap_or_else(|_| Err(pdf_fault(crate::msg!("pdf.panicked"))))
        });
        let tickets = rest?;
        if let Some(pdf) = pdf.transpose()?.flatten().filter(|_| !skip) {
            sink.put_made_from(PDF, pdf.bytes, &pdf.source)?;
            if let Some(text) = pdf.text {
                sink.note_text(PDF, text);
            }
        }
        site_copies(p, &tickets, sink)
    })
}

/// Whether the PNGs are still to draw beside the PDF, and the Word file's pages.
struct Pictures {
    /// The annexes' PNGs are still to draw (not drawn before the PDF, nor skipped).
    pngs: bool,
    printed: BTreeMap<String, render::exports::Printed>,
}

/// What is made while the PDF is typeset: the PNGs (unless made already or skipped), the
/// tickets, the Word file (printing the annexes as `pictures` says; not with `Skip`) and
/// the site's pages. Returns the tickets.
fn beside_the_pdf(
    p: &Prepared,
    templates: &Templates,
    opts: &RenderOptions,
    heavy: Heavy,
    md: &str,
    pictures: Pictures,
    sink: &mut dyn Sink,
) -> Result<Vec<render::tickets::Ticket>, Box<Diagnostic>> {
    if pictures.pngs {
        pngs(p, opts, heavy, sink)?;
    }
    let tickets = tickets(p, templates, opts, heavy, sink)?;
    if !matches!(heavy, Heavy::Skip) {
        opts.tell("exports", 0, 1);
        let mut input = export_input(p, md, opts, sink, true);
        input.printed = pictures.printed;
        super::exports::docx(&input, sink)?;
    }
    site_pages(p, templates, opts, md, &tickets, sink)?;
    Ok(tickets)
}

/// The exports' input, from the files in `sink` (only its PNGs with `only_pngs`: the Word
/// file needs no SVG).
fn export_input(
    p: &Prepared,
    md: &str,
    opts: &RenderOptions,
    sink: &dyn Sink,
    only_pngs: bool,
) -> render::exports::ExportInput {
    let get = |path: &str| match only_pngs && !path.ends_with(".png") {
        true => None,
        false => sink.get(path),
    };
    render::exports::ExportInput::new(&p.plan, md, &get, paper(p, opts), opts.timestamp)
}

/// The exports' paper: `--paper`, else the inventory's `document.paper`, else Letter.
fn paper(p: &Prepared, opts: &RenderOptions) -> render::exports::Paper {
    opts.paper.or(p.plan.paper).unwrap_or_default()
}

const PDF: &str = "document.pdf";

/// The PDF's template: a writer's own can fail where the default cannot.
const PDF_TEMPLATE: &str = "document.typ";

/// The stack of the thread that typesets the PDF.
const PDF_STACK: usize = 8 << 20;

/// A fault of the PDF's thread itself (not of the template, which Typst reports).
fn pdf_fault(message: crate::diag::Text) -> Box<Diagnostic> {
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
                .en()
                .contains("the annexe of Projets: the picture would be 9000 × 9000"),
            "{}",
            e.message.en()
        );
        let e = annexe_error(inst, &PngError::Other("bad SVG".into()));
        assert_eq!(e.code, Code::E0601);
    }
}
