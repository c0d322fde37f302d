//! `document.docx`: the document's blocks as WordprocessingML, through docx-rust's typed
//! model (every text goes through its XML writer), then repacked with fixed timestamps
//! and a fixed entry order so that the bytes are the same on every build.
//!
//! Word styles: the title is `Title`, sections `Heading1`…`Heading3` (the navigation pane
//! and a table of contents field use them), tables repeat their header row, the text is
//! fr-CA, the annexe PNGs fill the text width.

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{ReadFn, WriteSeek};
use crate::render::doc::{Block, Inline};
use crate::render::exports::{ExportInput, Paper, png_of, png_size};
use docx_rust::Docx;
use docx_rust::content_type::{ContentTypes, DefaultContentType, OverrideContentType};
use docx_rust::core::{Core, CoreNamespace};
use docx_rust::document::{
    BodyContent, Break, Drawing, Hyperlink, Paragraph, ParagraphContent, Run, RunContent, Table,
    TableCell, TableCellContent, TableRow, Text, TextSpace,
};
use docx_rust::formatting::{
    Bold, CharacterProperty, CharacterStyleId, Color, IndentLevel, Italics, NumberingId,
    NumberingProperty, OnOffOnlyType, ParagraphProperty, ParagraphStyleId, SectionProperty,
    TableHeader, TableProperty, TableRowProperty,
};
use docx_rust::rels::Relationships;
use docx_rust::styles::Styles;
use hard_xml::{XmlRead, XmlWrite};
use std::borrow::Cow;
use std::io::{Cursor, Read, Write};

pub(super) const STYLES: &str = include_str!("styles.xml");
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

/// A picture of the document: its part name, the PNG it is read from as the package is
/// written, and its size in pixels.
pub(super) struct Picture {
    pub(super) part: String,
    pub(super) png: String,
    pub(super) size: (u32, u32),
    pub(super) alt: String,
}

/// Everything the body refers to by relationship id, gathered before the body is built.
pub(super) struct Parts {
    pub(super) pictures: Vec<Picture>,
    /// `(src, index in pictures)`.
    pub(super) by_src: Vec<(String, usize)>,
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

pub(super) fn gather(blocks: &[Block], input: &ExportInput, parts: &mut Parts) {
    for b in blocks {
        match b {
            Block::Image { src, alt } => {
                if parts.by_src.iter().any(|(s, _)| s == src) {
                    continue;
                }
                if let Some((png, size)) = png_for(src, input) {
                    let n = parts.pictures.len() + 1;
                    parts.by_src.push((src.clone(), parts.pictures.len()));
                    parts.pictures.push(Picture {
                        part: format!("media/image{n}.png"),
                        png,
                        size,
                        alt: alt.clone(),
                    });
                }
            }
            Block::List { ordered, items } => {
                parts.ordered_lists += usize::from(*ordered);
                for item in items {
                    gather(item, input, parts);
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
    parts: Parts,
    ids: Ids,
    xml: Xml,
    /// The package without its pictures and with an empty body, as docx-rust writes it.
    skeleton: Vec<u8>,
}

/// Every table row kept on one page (`w:cantSplit`), which docx-rust's row properties do
/// not have: added to the XML it writes. No text can hold a tag (hard-xml escapes `<`).
fn rows_hold(xml: &str) -> String {
    xml.replace("<w:trPr>", "<w:trPr><w:cantSplit/>")
        .replace("<w:trPr/>", "<w:trPr><w:cantSplit/></w:trPr>")
}

impl Package<'_> {
    /// Writes the package to `out` (a zip needs to seek back to its headers).
    pub fn write_to(&self, out: &mut dyn WriteSeek, read: &ReadFn) -> Result<(), Box<Diagnostic>> {
        let pieces = self.xml.parse()?;
        let mut body = Body::new(self.input, &self.ids, &self.parts, &pieces);
        let mut blocks = |w: &mut dyn Write| -> std::io::Result<()> {
            for b in &self.input.blocks {
                body.blocks(std::slice::from_ref(b), 0);
                for c in body.content.drain(..) {
                    let xml = c.to_string().map_err(std::io::Error::other)?;
                    w.write_all(rows_hold(&xml).as_bytes())?;
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
        };
        repack(&self.skeleton, &media, &mut blocks, out).map_err(|e| match e {
            zip::result::ZipError::Io(io) => io_fault(&io),
            other => fault(&other.to_string()),
        })
    }
}

/// Builds the parts of `document.docx` that are not its body or pictures.
pub fn package(input: &ExportInput) -> Result<Package<'_>, Box<Diagnostic>> {
    let mut parts = Parts {
        pictures: Vec::new(),
        by_src: Vec::new(),
        links: Vec::new(),
        ordered_lists: 0,
    };
    gather(&input.blocks, input, &mut parts);
    let (ids, xml, skeleton) = skeleton(input, &parts)?;
    Ok(Package {
        input,
        parts,
        ids,
        xml,
        skeleton,
    })
}

/// The relationship ids, the fixed XML parts, and the package without its body or
/// pictures.
fn skeleton(input: &ExportInput, parts: &Parts) -> Result<(Ids, Xml, Vec<u8>), Box<Diagnostic>> {
    let rels = relationships(parts);
    let ids = Ids::new(&rels, parts);
    let drawings: Vec<String> = parts
        .pictures
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (cx, cy) = extent(p.size, input.paper);
            drawing_xml(i + 1, &ids.pictures[i], cx, cy, &p.alt)
        })
        .collect();
    let xml = Xml {
        numbering: numbering_xml(parts.ordered_lists),
        section: section_xml(input.paper),
        drawings,
    };
    let pieces = xml.parse()?;
    let mut docx = Docx::default();
    docx.document.body.content = vec![BodyContent::SectionProperty(pieces.section.clone())];
    docx.document_rels = Some(rels);
    docx.styles = pieces.styles.clone();
    docx.numbering = Some(pieces.numbering.clone());
    docx.core = Some(core(input));
    docx.content_types = content_types();
    let mut raw = Cursor::new(Vec::new());
    docx.write(&mut raw).map_err(|e| fault(&e.to_string()))?;
    let skeleton = raw.into_inner();
    Ok((ids, xml, skeleton))
}

/// The fixed parts of the package, written as XML and read by docx-rust's own parser.
pub(super) struct Xml {
    pub(super) numbering: String,
    pub(super) section: String,
    pub(super) drawings: Vec<String>,
}

/// [`Xml`], parsed.
pub(super) struct Pieces<'x> {
    pub(super) styles: Styles<'x>,
    pub(super) numbering: docx_rust::document::Numbering<'x>,
    pub(super) section: SectionProperty<'x>,
    pub(super) table: TableProperty<'x>,
    pub(super) drawings: Vec<Drawing<'x>>,
}

impl Xml {
    pub(super) fn parse(&self) -> Result<Pieces<'_>, Box<Diagnostic>> {
        let err = |what: &str, e: hard_xml::XmlError| fault(&format!("{what}: {e}"));
        Ok(Pieces {
            styles: Styles::from_str(STYLES).map_err(|e| err("styles", e))?,
            numbering: docx_rust::document::Numbering::from_str(&self.numbering)
                .map_err(|e| err("numbering", e))?,
            section: SectionProperty::from_str(&self.section).map_err(|e| err("section", e))?,
            table: TableProperty::from_str(TABLE).map_err(|e| err("table", e))?,
            drawings: self
                .drawings
                .iter()
                .map(|d| Drawing::from_str(d).map_err(|e| err("picture", e)))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The picture at the text width, its proportions kept, at most 80 % of the text height;
/// in EMU (1 twip = 635 EMU).
pub(super) fn extent(size: (u32, u32), paper: Paper) -> (u64, u64) {
    let (w, h, margin) = page_twips(paper);
    let cx = u64::from(w - 2 * margin) * 635;
    let cy = cx * u64::from(size.1) / u64::from(size.0.max(1));
    let max_cy = u64::from(h - 2 * margin) * 635 * 8 / 10;
    if cy > max_cy {
        (cx * max_cy / cy.max(1), max_cy)
    } else {
        (cx, cy)
    }
}

pub(super) fn section_xml(paper: Paper) -> String {
    let (w, h, m) = page_twips(paper);
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
            format!("cannot write the Word document: {e}"),
        )
        .with_help(crate::diag::io_help(e)),
    )
}

pub(super) fn fault(message: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        Code::E0408,
        "document.docx",
        Pos::default(),
        format!("cannot write the Word document: {message}"),
    ))
}

mod body;
mod package;

use body::*;
use package::*;

#[cfg(test)]
mod tests;
