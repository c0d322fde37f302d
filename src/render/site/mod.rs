//! The docs site (`out/site/`), published on its own: the document's page with its table
//! of contents, one page per annexe (the SVG inline and the same facts as a table), the
//! tickets' page, their stylesheet and script, and copies of every file they link to.
//!
//! Every link is relative, so the folder works from `file://` and under any path of any
//! static host; no page loads anything from outside. The words are in the templates
//! (`site-*.html.tera`) and in `labels.yaml` (`site.*`).
//!
//! Files: this one (the pages and the copies), `html.rs` (the document's blocks as HTML),
//! `annexe.rs` (an annexe as a table), `tickets.rs` (the tickets' entries).

mod annexe;
pub(crate) mod html;
mod tickets;

use crate::diag::Diagnostic;
use crate::plan::{ColourPlan, InstancePlan, Plan};
use crate::render::blocks;
use crate::render::tickets::Ticket;
use crate::templates::Templates;
use serde::Serialize;
use std::collections::BTreeMap;

/// The site's folder in the output folder.
pub(crate) const DIR: &str = "site";
/// The templates of the pages (each extends `site-layout.html.tera`).
pub(crate) const INDEX_TEMPLATE: &str = "site-index.html.tera";
pub(crate) const ANNEXE_TEMPLATE: &str = "site-annexe.html.tera";
pub(crate) const TICKETS_TEMPLATE: &str = "site-tickets.html.tera";
pub(crate) const CALENDAR_TEMPLATE: &str = "site-calendar.html.tera";
/// The stylesheet and the script of the pages (assets, overridable like templates).
pub(crate) const ASSETS: [&str; 2] = ["style.css", "site.js"];

/// The short words of the pages (`site.KEY` in the labels, without variables), handed to
/// every template as `l.KEY`.
const WORDS: &[&str] = &[
    "skip",
    "pages",
    "document",
    "tickets",
    "calendar",
    "downloads",
    "pdf",
    "docx",
    "markdown",
    "toc",
    "copy_subject",
    "copy_body",
    "copied",
    "copy_failed",
];

/// What the site is made from.
pub(crate) struct SiteInput<'a> {
    pub plan: &'a Plan,
    /// The rendered document (`document.md`).
    pub markdown: &'a str,
    pub tickets: &'a [Ticket],
    /// The inventory's file name, which the footer cites.
    pub inventory: &'a str,
    /// An output rendered earlier, by its path in the output folder: the pictures, ticket
    /// files and exports the site copies. One that is missing is not copied.
    pub get: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

/// An annexe as the navigation names it.
#[derive(Serialize)]
struct AnnexeLink {
    /// `annexe-1`: the page's key for `aria-current`.
    page: String,
    /// `annexe-1.html`
    href: String,
    /// « Annexe 1 »
    label: String,
}

/// What every page's layout shows.
#[derive(Serialize)]
struct Layout<'a> {
    page: &'a str,
    /// The page's language (`crate::locale`).
    lang: &'static str,
    title: &'a str,
    organisation: &'a str,
    reference_date: &'a str,
    inventory: &'a str,
    /// `document.pdf` is made (the `pdf` feature).
    pdf: bool,
    /// Search engines may index the site; else every page says `noindex`.
    public: bool,
    annexes: &'a [AnnexeLink],
    legend: &'a [ColourPlan],
    l: &'a BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct IndexPage<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    toc: Vec<html::TocEntry>,
    body: String,
}

#[derive(Serialize)]
struct AnnexePage<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    inst: &'a InstancePlan,
    /// The SVG, to write inline (our own renderer's output, inventory text escaped).
    svg: Option<String>,
    rows: Vec<annexe::Row>,
}

#[derive(Serialize)]
struct CalendarPage<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    entries: &'a [crate::plan::CalendarEntry],
}

#[derive(Serialize)]
struct TicketsPage<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    groups: Vec<tickets::Group>,
}

struct Site<'a> {
    templates: &'a Templates,
    input: &'a SiteInput<'a>,
    annexes: Vec<AnnexeLink>,
    words: BTreeMap<&'static str, String>,
}

impl<'a> Site<'a> {
    fn new(templates: &'a Templates, input: &'a SiteInput<'a>) -> Result<Self, Box<Diagnostic>> {
        let labels = &templates.labels;
        let words = WORDS
            .iter()
            .map(|k| Ok((*k, labels.plain(&format!("site.{k}"))?)))
            .collect::<Result<_, Box<Diagnostic>>>()?;
        let annexes = input
            .plan
            .instances
            .iter()
            .map(|i| {
                Ok(AnnexeLink {
                    page: format!("annexe-{}", i.annexe),
                    href: annexe_page(i),
                    label: labels.text("site.annexe", &serde_json::json!({ "n": i.annexe }))?,
                })
            })
            .collect::<Result<_, Box<Diagnostic>>>()?;
        Ok(Site {
            templates,
            input,
            annexes,
            words,
        })
    }

    fn layout(&self, page: &'a str) -> Layout<'_> {
        let plan = self.input.plan;
        Layout {
            page,
            lang: crate::locale::LANGUAGE,
            title: &plan.title,
            organisation: &plan.organisation,
            reference_date: &plan.reference_date,
            inventory: self.input.inventory,
            pdf: cfg!(feature = "pdf"),
            public: plan.public_site,
            annexes: &self.annexes,
            legend: &plan.legend,
            l: &self.words,
        }
    }

    fn index(&self) -> Result<String, Box<Diagnostic>> {
        let plan = self.input.plan;
        let blocks = blocks::parse(self.input.markdown);
        let body = html::without_front(&blocks, &[&plan.title, &plan.organisation]);
        let figures = plan
            .instances
            .iter()
            .map(|i| {
                Ok(html::AnnexeFigure {
                    src: i.annexe_svg.clone(),
                    href: annexe_page(i),
                    text: self.templates.labels.text(
                        "site.annexe_link",
                        &serde_json::json!({ "n": i.annexe, "instance": i.name }),
                    )?,
                })
            })
            .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
        let page = IndexPage {
            layout: self.layout("index"),
            toc: html::toc(&body),
            body: html::blocks_html(&body, &figures),
        };
        self.templates.render(INDEX_TEMPLATE, &page)
    }

    fn annexe(&self, inst: &InstancePlan) -> Result<String, Box<Diagnostic>> {
        let key = format!("annexe-{}", inst.annexe);
        let svg = (self.input.get)(&inst.annexe_svg)
            .and_then(|b| String::from_utf8(b).ok())
            .map(|s| inline_svg(&s));
        let page = AnnexePage {
            layout: self.layout(&key),
            inst,
            svg,
            rows: annexe::rows(inst, &self.templates.labels)?,
        };
        self.templates.render(ANNEXE_TEMPLATE, &page)
    }

    fn calendar(&self) -> Result<String, Box<Diagnostic>> {
        let page = CalendarPage {
            layout: self.layout("calendar"),
            entries: &self.input.plan.calendar,
        };
        self.templates.render(CALENDAR_TEMPLATE, &page)
    }

    fn tickets(&self) -> Result<String, Box<Diagnostic>> {
        let page = TicketsPage {
            layout: self.layout("tickets"),
            groups: tickets::groups(self.input.plan, self.input.tickets, &self.templates.labels)?,
        };
        self.templates.render(TICKETS_TEMPLATE, &page)
    }
}

/// `annexe-1.html`
fn annexe_page(inst: &InstancePlan) -> String {
    format!("annexe-{}.html", inst.annexe)
}

/// An SVG document as an element of an HTML page: without an XML declaration.
fn inline_svg(svg: &str) -> String {
    let s = svg.trim_start_matches('\u{feff}').trim_start();
    let s = match s.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, r)| r).trim_start(),
        None => s,
    };
    s.trim_end().to_string()
}

/// The files the pages link to, as (output, its copy in the site): the site is published
/// alone. The document in every format, the annexes, the tickets' texts and emails; the
/// caller copies those that exist, one at a time.
pub(crate) fn copies(plan: &crate::plan::Plan, tickets: &[Ticket]) -> Vec<(String, String)> {
    let mut paths: Vec<String> = ["document.md", "document.pdf", "document.docx"]
        .map(String::from)
        .to_vec();
    for inst in &plan.instances {
        paths.push(inst.annexe_svg.clone());
        paths.push(inst.annexe_png.clone());
    }
    for t in tickets {
        paths.push(t.txt_name());
        paths.push(t.eml_name());
        paths.extend(t.ics.clone());
    }
    paths.push(crate::render::ics::CALENDAR.to_string());
    paths
        .into_iter()
        .map(|p| {
            let copy = format!("{DIR}/{p}");
            (p, copy)
        })
        .collect()
}

/// Every page and asset of the site, by its path in the output folder (`site/…`), in a
/// fixed order; the files it links to are [`copies`].
pub(crate) fn files(
    templates: &Templates,
    input: &SiteInput,
) -> Result<Vec<(String, Vec<u8>)>, Box<Diagnostic>> {
    let site = Site::new(templates, input)?;
    let mut out = vec![(format!("{DIR}/index.html"), site.index()?.into_bytes())];
    for inst in &input.plan.instances {
        let page = format!("{DIR}/{}", annexe_page(inst));
        out.push((page, site.annexe(inst)?.into_bytes()));
    }
    out.push((format!("{DIR}/tickets.html"), site.tickets()?.into_bytes()));
    out.push((
        format!("{DIR}/calendrier.html"),
        site.calendar()?.into_bytes(),
    ));
    for name in ASSETS {
        if let Some(text) = templates.asset(name) {
            out.push((format!("{DIR}/{name}"), text.as_bytes().to_vec()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
