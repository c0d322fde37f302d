//! `document.docx`: the document's blocks as WordprocessingML, through docx-rust's typed
//! model (every text goes through its XML writer), each part written straight into the
//! package with fixed timestamps and a fixed entry order so that the bytes are the same
//! on every build.
//!
//! Word styles: the title is `Title`, sections `Heading1`…`Heading3` (the navigation pane
//! and a table of contents field use them), tables repeat their header row and never split
//! a row, the text is in the document's language (`locale`). The annexes are printed as the PDF prints them: each section
//! on pages of its own, landscape when the PDF's is, an annexe cut into parts one part
//! picture a page, each picture as wide as the text allows.

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{ReadFn, WriteSeek};
use crate::render::annexe::layout::Rect;
use crate::render::blocks::{Block, Inline};
use crate::render::exports::{ExportInput, Paper, divide, first_image, png_of, png_size};
use docx_rust::content_type::{ContentTypes, DefaultContentType, OverrideContentType};
use docx_rust::core::{Core, CoreNamespace};
use docx_rust::document::{
    BodyContent, Break, Hyperlink, Paragraph, ParagraphContent, Run, RunContent, Table, TableCell,
    TableCellContent, TableRow, Text, TextSpace,
};
use docx_rust::formatting::{
    Bold, CharacterProperty, CharacterStyleId, Color, IndentLevel, Italics, NumberingId,
    NumberingProperty, OnOffOnlyType, PageBreakBefore, ParagraphProperty, ParagraphStyleId,
    SectionProperty, TableHeader, TableProperty, TableRowProperty,
};
use docx_rust::rels::Relationships;
use docx_rust::styles::Styles;
use hard_xml::{XmlRead, XmlWrite};
use std::borrow::Cow;
use std::io::{Cursor, Write};

/// The styles, the language written `LANG` (see [`styles`]).
const STYLES: &str = include_str!("styles.xml");

/// The styles, in the document's language.
pub(super) fn styles() -> String {
    STYLES.replace("\"LANG\"", &format!("\"{}\"", crate::locale::tag()))
}
pub(super) const SCHEMA_IMAGE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
pub(super) const SCHEMA_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
pub(super) const SCHEMA_NUMBERING: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
pub(super) const SCHEMA_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";

/// Word's page (width, height) and margin, in twentieths of a point.
pub(super) fn page_twips(paper: Paper) -> (u32, u32, u32) {
    match paper {
        Paper::Letter => (12_240, 15_840, 1_134),
        Paper::A4 => (11_906, 16_838, 1_134),
    }
}

/// A picture the package holds: its part name, the PNG it is read from as the package is
/// written, and its size in pixels.
pub(super) struct Picture {
    pub(super) part: String,
    pub(super) png: String,
    pub(super) size: (u32, u32),
}

/// A picture shown on a page: which one, the piece of it shown (`[left, top, right,
/// bottom]` cut off, in thousandths of a percent, as `a:srcRect` says; none: all of it), and
/// its size on the page in EMU.
pub(super) struct View {
    pub(super) picture: usize,
    pub(super) crop: Option<[u32; 4]>,
    pub(super) extent: (u64, u64),
}

/// A page an image block prints on: a part's title, when the annexe is cut into parts, and
/// the pictures shown under it.
pub(super) struct Page {
    pub(super) title: Option<String>,
    pub(super) views: Vec<View>,
}

/// Everything the body refers to by relationship id, gathered before the body is built.
pub(super) struct Parts {
    pub(super) pictures: Vec<Picture>,
    /// `((src, on a landscape page), its pages)`: none when the build made no picture.
    pub(super) by_src: Vec<((String, bool), Vec<Page>)>,
    pub(super) links: Vec<String>,
    /// Ordered lists, each with its own numbering instance (restart at 1).
    pub(super) ordered_lists: usize,
}

/// The PNG an image block stands for (itself, or the PNG drawn from the same SVG) and its
/// size, when the build made it.
pub(super) fn png_for(src: &str, input: &ExportInput) -> Option<(String, (u32, u32))> {
    let png = png_of(src);
    let size = *input.png_sizes.get(&png)?;
    Some((png, size))
}

/// The pages the image `src` prints on, its picture being `picture` of `size` pixels: one
/// page with the whole picture, or, for an annexe the PDF cuts into parts, one page per
/// part, each showing its pieces of the picture (see `render::annexe::pages::pieces`).
fn pages(
    src: &str,
    input: &ExportInput,
    picture: usize,
    size: (u32, u32),
    landscape: bool,
) -> Vec<Page> {
    let paper = input.paper;
    match input.printed.get(src).filter(|p| !p.parts.is_empty()) {
        None => vec![Page {
            title: None,
            views: vec![View {
                picture,
                crop: None,
                extent: extent(size, paper, landscape),
            }],
        }],
        Some(printed) => (printed.parts.iter())
            .map(|part| Page {
                title: Some(part.title.clone()),
                views: part_views(&part.pieces, printed.size, picture, (paper, landscape)),
            })
            .collect(),
    }
}

/// The room a part's title takes above its pieces, and each piece's line, in points.
const PART_TITLE_PT: u64 = 24;
const PIECE_LINE_PT: u64 = 3;

/// A part's pieces of the picture (rectangles in the units of the annexe's layout, `whole`
/// wide and tall), one under the other, all at one scale: as large as the text width and
/// 80 % of the text height, less the part's title, allow.
fn part_views(
    pieces: &[Rect],
    whole: (f32, f32),
    picture: usize,
    page: (Paper, bool),
) -> Vec<View> {
    let (text_w, text_h) = text_emu(page.0, page.1);
    let widest = pieces.iter().map(|r| r.w).fold(1.0, f32::max);
    let tall: f32 = pieces.iter().map(|r| r.h).sum::<f32>().max(1.0);
    let spare = (PART_TITLE_PT + PIECE_LINE_PT * pieces.len() as u64) * 12_700;
    let high = (text_h * 8 / 10).saturating_sub(spare);
    // EMU per unit of the layout.
    let k = f64::min(
        text_w as f64 / f64::from(widest),
        high as f64 / f64::from(tall),
    );
    let cut =
        |from: f32, of: f32| (f64::from(from / of).clamp(0.0, 1.0) * 100_000.0).round() as u32;
    pieces
        .iter()
        .map(|r| View {
            picture,
            crop: Some([
                cut(r.x, whole.0),
                cut(r.y, whole.1),
                cut(whole.0 - r.right(), whole.0),
                cut(whole.1 - r.bottom(), whole.1),
            ]),
            extent: ((f64::from(r.w) * k) as u64, (f64::from(r.h) * k) as u64),
        })
        .collect()
}

/// Whether the picture `src` prints on landscape pages: as the PDF's annexe does, else when
/// it is wider than tall.
pub(super) fn landscape(src: &str, input: &ExportInput) -> bool {
    match input.printed.get(src) {
        Some(p) => p.landscape,
        None => (input.png_sizes.get(&png_of(src))).is_some_and(|&(w, h)| w > h),
    }
}

/// The Word file's sections after the body (which is portrait): `(its blocks,
/// landscape)`, one per annexe section (see [`divide`]), oriented as its first picture
/// prints.
pub(super) fn sections(input: &ExportInput) -> Vec<(std::ops::Range<usize>, bool)> {
    (divide(&input.blocks).annexes.into_iter())
        .map(|r| {
            let first = first_image(&input.blocks[r.clone()]);
            (r, first.is_some_and(|src| landscape(src, input)))
        })
        .collect()
}

/// The orientation of each top-level block's page.
fn orientation_of_blocks(
    input: &ExportInput,
    sections: &[(std::ops::Range<usize>, bool)],
) -> Vec<bool> {
    let mut out = vec![false; input.blocks.len()];
    for (r, landscape) in sections {
        out[r.clone()].fill(*landscape);
    }
    out
}

/// Pictures, links and lists of `blocks`, each picture on a page of the orientation given.
pub(super) fn gather(blocks: &[Block], input: &ExportInput, landscape: bool, parts: &mut Parts) {
    for b in blocks {
        match b {
            Block::Image { src, .. } => {
                let key = (src.clone(), landscape);
                if parts.by_src.iter().any(|(k, _)| *k == key) {
                    continue;
                }
                let pages = match png_for(src, input) {
                    Some((png, size)) => {
                        let picture = parts.picture(png, size);
                        pages(src, input, picture, size, landscape)
                    }
                    None => Vec::new(),
                };
                parts.by_src.push((key, pages));
            }
            Block::List { ordered, items } => {
                parts.ordered_lists += usize::from(*ordered);
                for item in items {
                    gather(item, input, landscape, parts);
                }
            }
            Block::Paragraph(inl) => gather_links(inl, &mut parts.links),
            Block::Table { header, rows } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    gather_links(cell, &mut parts.links);
                }
            }
            Block::Heading { .. } => {}
        }
    }
}

impl Parts {
    /// The index of the package's picture read from `png`, added when new.
    fn picture(&mut self, png: String, size: (u32, u32)) -> usize {
        if let Some(i) = self.pictures.iter().position(|p| p.png == png) {
            return i;
        }
        self.pictures.push(Picture {
            part: format!("media/image{}.png", self.pictures.len() + 1),
            png,
            size,
        });
        self.pictures.len() - 1
    }
}

pub(super) fn gather_links(inlines: &[Inline], links: &mut Vec<String>) {
    for i in inlines {
        match i {
            Inline::Link { href, children } => {
                if !href.is_empty() && !links.contains(href) {
                    links.push(href.clone());
                }
                gather_links(children, links);
            }
            Inline::Strong(c) | Inline::Emph(c) => gather_links(c, links),
            _ => {}
        }
    }
}

/// `document.docx` in memory, its pictures read with `read`.
pub fn docx(input: &ExportInput, read: &ReadFn) -> Result<Vec<u8>, Box<Diagnostic>> {
    let mut out = Cursor::new(Vec::new());
    package(input)?.write_to(&mut out, read)?;
    Ok(out.into_inner())
}

/// The Word package, ready to be written. Its body is made block by block as it is
/// written, and each picture is read and deflated once, in turn, so that the package is
/// never whole in memory.
pub struct Package<'i> {
    input: &'i ExportInput,
    /// The sections after the body: `(its blocks, landscape)`.
    sections: Vec<(std::ops::Range<usize>, bool)>,
    parts: Parts,
    ids: Ids,
    xml: Xml,
    /// The package's parts without its pictures and with an empty body (each part's XML
    /// written by docx-rust's model), by name.
    skeleton: Vec<Part>,
}

/// What docx-rust's model lacks, added to the XML it writes: every table row kept on one
/// page (`w:cantSplit`), and a landscape page said to be one (`w:orient`, which Word's
/// printing reads). No text can hold a tag (hard-xml escapes `<`).
fn completed(xml: &str, paper: Paper) -> String {
    let (w, h, _) = page_twips(paper);
    let turned = format!(r#"<w:pgSz w:w="{h}" w:h="{w}"/>"#);
    xml.replace("<w:trPr>", "<w:trPr><w:cantSplit/>")
        .replace("<w:trPr/>", "<w:trPr><w:cantSplit/></w:trPr>")
        .replace(
            &turned,
            &format!(r#"<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape"/>"#),
        )
}

impl Package<'_> {
    /// Writes the package to `out` (a zip needs to seek back to its headers).
    pub fn write_to(&self, out: &mut dyn WriteSeek, read: &ReadFn) -> Result<(), Box<Diagnostic>> {
        let pieces = self.xml.parse()?;
        let mut body = Body::new(self.input, &self.ids, &self.parts, &pieces);
        let paper = self.input.paper;
        let mut blocks = |w: &mut dyn Write| -> std::io::Result<()> {
            for (i, b) in self.input.blocks.iter().enumerate() {
                if let Some(&(_, next)) = self.sections.iter().find(|s| s.0.start == i) {
                    body.next_section(next, i > 0);
                }
                body.blocks(std::slice::from_ref(b), 0);
                for c in body.content.drain(..) {
                    let xml = c.xml().map_err(std::io::Error::other)?;
                    w.write_all(completed(&xml, paper).as_bytes())?;
                }
            }
            Ok(())
        };
        let pictures: Vec<(String, &str, (u32, u32))> = self
            .parts
            .pictures
            .iter()
            .map(|p| (format!("word/{}", p.part), p.png.as_str(), p.size))
            .collect();
        let media = Media {
            pictures: &pictures,
            read,
            finish: &|xml| completed(xml, paper),
        };
        write(&self.skeleton, &media, &mut blocks, out).map_err(|e| match e {
            zip::result::ZipError::Io(io) => io_fault(&io),
            other => fault(&other.to_string()),
        })
    }
}

/// A part of the package: its name and its XML.
type Part = (String, Vec<u8>);

/// Builds the parts of `document.docx` that are not its body or pictures.
pub fn package(input: &ExportInput) -> Result<Package<'_>, Box<Diagnostic>> {
    let mut parts = Parts {
        pictures: Vec::new(),
        by_src: Vec::new(),
        links: Vec::new(),
        ordered_lists: 0,
    };
    let sections = sections(input);
    let orientation = orientation_of_blocks(input, &sections);
    for (b, &landscape) in input.blocks.iter().zip(&orientation) {
        gather(std::slice::from_ref(b), input, landscape, &mut parts);
    }
    let last = sections.last().is_some_and(|s| s.1);
    let (ids, xml, skeleton) = skeleton(input, &parts, last)?;
    Ok(Package {
        input,
        sections,
        parts,
        ids,
        xml,
        skeleton,
    })
}

/// The text's width and height on a page, in EMU (1 twip = 635 EMU).
fn text_emu(paper: Paper, landscape: bool) -> (u64, u64) {
    let (w, h, margin) = page_twips(paper);
    let (w, h) = if landscape { (h, w) } else { (w, h) };
    (
        u64::from(w - 2 * margin) * 635,
        u64::from(h - 2 * margin) * 635,
    )
}

/// The picture at the text width of its page, its proportions kept, at most 80 % of the
/// text height; in EMU. An annexe printed whole fits so at 7 pt at least: the room is the
/// PDF's, or more.
pub(super) fn extent(size: (u32, u32), paper: Paper, landscape: bool) -> (u64, u64) {
    let (cx, text_h) = text_emu(paper, landscape);
    let cy = cx * u64::from(size.1) / u64::from(size.0.max(1));
    let max_cy = text_h * 8 / 10;
    if cy > max_cy {
        (cx * max_cy / cy.max(1), max_cy)
    } else {
        (cx, cy)
    }
}

/// A section's properties: the paper, turned for landscape, and the margins.
pub(super) fn section_xml(paper: Paper, landscape: bool) -> String {
    let (w, h, m) = page_twips(paper);
    let (w, h) = if landscape { (h, w) } else { (w, h) };
    format!(
        r#"<w:sectPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#
    )
}

pub(super) const TABLE: &str = r#"<w:tblPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>"#;

/// An I/O fault while the package is written (a full disk, say): the same code as for any
/// other output that meets it, since the cause is the machine's, not the document's.
fn io_fault(e: &std::io::Error) -> Box<Diagnostic> {
    let code = crate::diag::io_code(e);
    if code == Code::E0702 && e.kind() == std::io::ErrorKind::Other {
        // Not an I/O fault of the system: one of ours, carried through the zip writer.
        return fault(&e.to_string());
    }
    Box::new(
        Diagnostic::error(
            code,
            "document.docx",
            Pos::default(),
            crate::msg!("docx.fault", reason = e),
        )
        .with_help(crate::diag::io_help(e)),
    )
}

pub(super) fn fault(message: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        Code::E0408,
        "document.docx",
        Pos::default(),
        crate::msg!("docx.fault", reason = message),
    ))
}

mod body;
mod package;

use body::*;
use package::*;

#[cfg(test)]
mod tests;
