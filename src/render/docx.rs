//! `document.docx`: the document's blocks as WordprocessingML, through docx-rust's typed
//! model (every text goes through its XML writer), then repacked with fixed timestamps
//! and a fixed entry order so that the bytes are the same on every build.
//!
//! Word styles: the title is `Title`, sections `Heading1`…`Heading3` (the navigation pane
//! and a table of contents field use them), tables repeat their header row, the text is
//! fr-CA, the annexe PNGs fill the text width.

use crate::diag::{Code, Diagnostic, Pos};
use crate::render::doc::{Block, Inline};
use crate::render::exports::{ExportInput, Paper, png_size};
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
use docx_rust::media::MediaType;
use docx_rust::rels::Relationships;
use docx_rust::styles::Styles;
use hard_xml::XmlRead;
use std::borrow::Cow;
use std::io::{Cursor, Read, Write};

const STYLES: &str = include_str!("docx/styles.xml");
const SCHEMA_IMAGE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const SCHEMA_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const SCHEMA_NUMBERING: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
const SCHEMA_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";

/// Word's page (width, height) and margin, in twentieths of a point.
fn page_twips(paper: Paper) -> (u32, u32, u32) {
    match paper {
        Paper::Letter => (12_240, 15_840, 1_134),
        Paper::A4 => (11_906, 16_838, 1_134),
    }
}

/// A picture of the document: its part name, bytes and size in pixels.
struct Picture {
    part: String,
    bytes: Vec<u8>,
    size: (u32, u32),
    alt: String,
}

/// Everything the body refers to by relationship id, gathered before the body is built.
struct Parts {
    pictures: Vec<Picture>,
    /// `(src, index in pictures)`.
    by_src: Vec<(String, usize)>,
    links: Vec<String>,
    /// Ordered lists, each with its own numbering instance (restart at 1).
    ordered_lists: usize,
}

/// The PNG an image block stands for: itself, or the PNG drawn from the same SVG.
fn png_for<'a>(src: &str, input: &'a ExportInput) -> Option<&'a Vec<u8>> {
    let png = match src.strip_suffix(".svg") {
        Some(stem) => format!("{stem}.png"),
        None => src.to_string(),
    };
    input.outputs.get(&png).filter(|b| png_size(b).is_some())
}

fn gather(blocks: &[Block], input: &ExportInput, parts: &mut Parts) {
    for b in blocks {
        match b {
            Block::Image { src, alt } => {
                if parts.by_src.iter().any(|(s, _)| s == src) {
                    continue;
                }
                if let Some(bytes) = png_for(src, input) {
                    let n = parts.pictures.len() + 1;
                    parts.by_src.push((src.clone(), parts.pictures.len()));
                    parts.pictures.push(Picture {
                        part: format!("media/image{n}.png"),
                        size: png_size(bytes).unwrap_or((1, 1)),
                        bytes: bytes.clone(),
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

fn gather_links(inlines: &[Inline], links: &mut Vec<String>) {
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

/// Builds `document.docx`.
pub fn docx(input: &ExportInput) -> Result<Vec<u8>, Box<Diagnostic>> {
    let mut parts = Parts {
        pictures: Vec::new(),
        by_src: Vec::new(),
        links: Vec::new(),
        ordered_lists: 0,
    };
    gather(&input.blocks, input, &mut parts);
    let rels = relationships(&parts);
    let ids = Ids::new(&rels, &parts);
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
    let mut body = Body::new(input, &ids, &parts, &pieces);
    body.blocks(&input.blocks, 0);
    body.content
        .push(BodyContent::SectionProperty(pieces.section.clone()));
    let mut docx = Docx::default();
    docx.document.body.content = body.content;
    docx.document_rels = Some(rels);
    docx.styles = pieces.styles.clone();
    docx.numbering = Some(pieces.numbering.clone());
    docx.core = Some(core(input));
    docx.content_types = content_types();
    for p in &parts.pictures {
        docx.media
            .insert(p.part.clone(), (MediaType::Image, &p.bytes));
    }
    let mut raw = Cursor::new(Vec::new());
    docx.write(&mut raw).map_err(|e| fault(&e.to_string()))?;
    repack(raw.get_ref()).map_err(|e| fault(&e.to_string()))
}

/// The fixed parts of the package, written as XML and read by docx-rust's own parser.
struct Xml {
    numbering: String,
    section: String,
    drawings: Vec<String>,
}

/// [`Xml`], parsed.
struct Pieces<'x> {
    styles: Styles<'x>,
    numbering: docx_rust::document::Numbering<'x>,
    section: SectionProperty<'x>,
    table: TableProperty<'x>,
    drawings: Vec<Drawing<'x>>,
}

impl Xml {
    fn parse(&self) -> Result<Pieces<'_>, Box<Diagnostic>> {
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
fn extent(size: (u32, u32), paper: Paper) -> (u64, u64) {
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

fn section_xml(paper: Paper) -> String {
    let (w, h, m) = page_twips(paper);
    format!(
        r#"<w:sectPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#
    )
}

const TABLE: &str = r#"<w:tblPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>"#;

fn fault(message: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        Code::E0408,
        "document.docx",
        Pos::default(),
        format!("cannot write the Word document: {message}"),
    ))
}

/// Relationships in a fixed order: styles, numbering, pictures, then links.
fn relationships(parts: &Parts) -> Relationships<'_> {
    let mut rels = Relationships::default();
    rels.add_rel(SCHEMA_STYLES, "styles.xml");
    rels.add_rel(SCHEMA_NUMBERING, "numbering.xml");
    for p in &parts.pictures {
        rels.add_rel(SCHEMA_IMAGE, &p.part);
    }
    for l in &parts.links {
        rels.add_rel_with_target_mode(SCHEMA_HYPERLINK, l, Some("External"));
    }
    rels
}

/// Relationship ids of pictures and links, read back from the relationships.
struct Ids {
    pictures: Vec<String>,
    links: Vec<(String, String)>,
}

impl Ids {
    fn new(rels: &Relationships, parts: &Parts) -> Self {
        let id_of = |target: &str| {
            rels.relationships
                .iter()
                .find(|r| r.target == target)
                .map(|r| r.id.to_string())
                .unwrap_or_default()
        };
        Ids {
            pictures: parts.pictures.iter().map(|p| id_of(&p.part)).collect(),
            links: parts.links.iter().map(|l| (l.clone(), id_of(l))).collect(),
        }
    }
}

fn core(input: &ExportInput) -> Core<'static> {
    Core::CoreNamespace(CoreNamespace {
        title: Some(Cow::Owned(input.title.clone())),
        creator: Some(Cow::Owned(input.organisation.clone())),
        language: Some("fr-CA".into()),
        created: input.timestamp.map(|t| Cow::Owned(w3c_date(t))),
        ..CoreNamespace::default()
    })
}

/// `2018-12-12T00:00:00Z` for seconds since 1970.
fn w3c_date(secs: i64) -> String {
    let (y, m, d) = crate::render::exports::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

fn content_types() -> ContentTypes<'static> {
    let o = |part: &'static str, ty: &'static str| OverrideContentType {
        part: part.into(),
        ty: ty.into(),
    };
    let d = |ext: &'static str, ty: &'static str| DefaultContentType {
        ext: ext.into(),
        ty: ty.into(),
    };
    ContentTypes {
        defaults: vec![
            d(
                "rels",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
            d("xml", "application/xml"),
            d("png", "image/png"),
        ],
        overrides: vec![
            o(
                "/docProps/core.xml",
                "application/vnd.openxmlformats-package.core-properties+xml",
            ),
            o(
                "/word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            o(
                "/word/styles.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            ),
            o(
                "/word/numbering.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
            ),
        ],
    }
}

/// Bullets (numbering 1) and one decimal numbering per ordered list (2, 3…), each
/// restarting at 1; nine levels indented by 0.63 cm.
fn numbering_xml(ordered_lists: usize) -> String {
    let levels = |fmt: &str, text: &dyn Fn(usize) -> String| -> String {
        (0..9)
            .map(|l| {
                format!(
                    r#"<w:lvl w:ilvl="{l}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="357"/></w:pPr></w:lvl>"#,
                    text(l),
                    357 * (l + 1)
                )
            })
            .collect()
    };
    let bullets = levels("bullet", &|l| if l % 2 == 0 { "•" } else { "◦" }.into());
    let decimal = levels("decimal", &|l| format!("%{}.", l + 1));
    let mut xml = format!(
        r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0">{bullets}</w:abstractNum><w:abstractNum w:abstractNumId="1">{decimal}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#
    );
    for n in 0..ordered_lists {
        xml.push_str(&format!(
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
            n + 2
        ));
    }
    xml.push_str("</w:numbering>");
    xml
}

/// Repacks the package: entries sorted by name (`[Content_Types].xml` first), every
/// timestamp 1980-01-01 00:00, deflated. docx-rust keeps pictures in a hash map, whose
/// order changes from run to run.
fn repack(raw: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(raw))?;
    let mut entries: Vec<(String, Vec<u8>)> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i)?;
        if f.is_dir() {
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0));
        f.read_to_end(&mut bytes)?;
        entries.push((f.name().to_string(), bytes));
    }
    entries.sort_by(|a, b| {
        (a.0 != "[Content_Types].xml", &a.0).cmp(&(b.0 != "[Content_Types].xml", &b.0))
    });
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        out.start_file(name, opts)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

/// The body under construction.
struct Body<'i, 'x> {
    input: &'i ExportInput,
    ids: &'i Ids,
    parts: &'i Parts,
    pieces: &'i Pieces<'x>,
    content: Vec<BodyContent<'x>>,
    /// Ordered lists numbered so far.
    ordered: usize,
}

impl<'i, 'x> Body<'i, 'x> {
    fn new(input: &'i ExportInput, ids: &'i Ids, parts: &'i Parts, pieces: &'i Pieces<'x>) -> Self {
        Body {
            input,
            ids,
            parts,
            pieces,
            content: Vec::new(),
            ordered: 0,
        }
    }

    fn blocks(&mut self, blocks: &[Block], depth: usize) {
        for b in blocks {
            match b {
                Block::Heading { level, text, .. } => {
                    let style = match level {
                        1 => "Title",
                        2 => "Heading1",
                        3 => "Heading2",
                        _ => "Heading3",
                    };
                    let p = paragraph(style, vec![text_run(text, &Style::default())]);
                    self.content.push(p.into());
                }
                Block::Paragraph(inl) => {
                    let runs = self.inlines(inl, &Style::default());
                    self.content.push(paragraph("Normal", runs).into());
                }
                Block::List { ordered, items } => self.list(*ordered, items, depth),
                Block::Table { header, rows } => {
                    let t = self.table(header, rows);
                    self.content.push(t.into());
                }
                Block::Image { src, alt } => self.image(src, alt),
            }
        }
    }

    fn list(&mut self, ordered: bool, items: &[Vec<Block>], depth: usize) {
        let num = if ordered {
            self.ordered += 1;
            self.ordered + 1
        } else {
            1
        };
        for item in items {
            let mut first = true;
            for b in item {
                match b {
                    Block::Paragraph(inl) => {
                        let runs = self.inlines(inl, &Style::default());
                        let mut p = paragraph("ListParagraph", runs);
                        if first {
                            set_numbering(&mut p, num, depth);
                        }
                        self.content.push(p.into());
                    }
                    Block::List { ordered, items } => self.list(*ordered, items, depth + 1),
                    other => self.blocks(std::slice::from_ref(other), depth + 1),
                }
                first = false;
            }
        }
    }

    fn table(&self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> Table<'x> {
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let mut t = Table {
            property: self.pieces.table.clone(),
            ..Table::default()
        };
        let mut head = self.row(header, &bold);
        head.property.table_header = Some(TableHeader {
            value: Some(OnOffOnlyType::On),
        });
        t.rows.push(head);
        for r in rows {
            t.rows.push(self.row(r, &Style::default()));
        }
        t
    }

    fn row(&self, cells: &[Vec<Inline>], style: &Style) -> TableRow<'x> {
        TableRow {
            property: TableRowProperty::default(),
            cells: cells
                .iter()
                .map(|c| {
                    let p = paragraph("TableText", self.inlines(c, style));
                    TableCell {
                        content: vec![TableCellContent::Paragraph(p)],
                        ..TableCell::default()
                    }
                    .into()
                })
                .collect(),
        }
    }

    fn image(&mut self, src: &str, alt: &str) {
        let found = self.parts.by_src.iter().find(|(s, _)| s == src);
        let run = match found.and_then(|&(_, i)| self.pieces.drawings.get(i)) {
            Some(d) => Run {
                content: vec![RunContent::Drawing(d.clone())],
                ..Run::default()
            }
            .into(),
            None => text_run(alt, &Style::default()),
        };
        self.content.push(paragraph("Picture", vec![run]).into());
    }

    fn inlines(&self, inlines: &[Inline], style: &Style) -> Vec<ParagraphContent<'x>> {
        let mut out = Vec::new();
        for i in inlines {
            match i {
                Inline::Text(t) => out.extend(text_runs(t, style)),
                Inline::Code(t) => out.extend(text_runs(
                    t,
                    &Style {
                        code: true,
                        ..style.clone()
                    },
                )),
                Inline::Strong(c) => out.extend(self.inlines(
                    c,
                    &Style {
                        bold: true,
                        ..style.clone()
                    },
                )),
                Inline::Emph(c) => out.extend(self.inlines(
                    c,
                    &Style {
                        italic: true,
                        ..style.clone()
                    },
                )),
                Inline::Swatch { key } => {
                    let colour = self
                        .input
                        .colours
                        .get(key)
                        .map(|h| h.trim_start_matches('#').to_string());
                    out.push(text_run(
                        "■",
                        &Style {
                            colour,
                            ..style.clone()
                        },
                    ));
                }
                Inline::Link { href, children } => out.push(self.link(href, children, style)),
            }
        }
        out
    }

    fn link(&self, href: &str, children: &[Inline], style: &Style) -> ParagraphContent<'x> {
        let text = crate::render::doc::plain_text(children);
        let id = self
            .ids
            .links
            .iter()
            .find(|(h, _)| h == href)
            .map(|(_, id)| id.clone());
        let link_style = Style {
            link: true,
            ..style.clone()
        };
        match id {
            Some(id) => Hyperlink {
                id: Some(Cow::Owned(id)),
                content: Some(run_of(&text, &link_style)),
                ..Hyperlink::default()
            }
            .into(),
            None => text_run(&text, style),
        }
    }
}

/// Character formatting of a run.
#[derive(Clone, Default)]
struct Style {
    bold: bool,
    italic: bool,
    code: bool,
    link: bool,
    /// `rrggbb`.
    colour: Option<String>,
}

fn paragraph<'x>(style: &'static str, content: Vec<ParagraphContent<'x>>) -> Paragraph<'x> {
    Paragraph {
        property: Some(ParagraphProperty {
            style_id: Some(ParagraphStyleId {
                value: style.into(),
            }),
            ..ParagraphProperty::default()
        }),
        content,
        ..Paragraph::default()
    }
}

fn set_numbering(p: &mut Paragraph, num: usize, depth: usize) {
    if let Some(prop) = p.property.as_mut() {
        prop.numbering = Some(NumberingProperty {
            id: Some(NumberingId {
                value: isize::try_from(num).unwrap_or(1),
            }),
            level: Some(IndentLevel {
                value: isize::try_from(depth.min(8)).unwrap_or(0),
            }),
            ..NumberingProperty::default()
        });
    }
}

fn run_of<'x>(text: &str, style: &Style) -> Run<'x> {
    let mut prop = CharacterProperty::default();
    if style.bold {
        prop.bold = Some(Bold::default());
    }
    if style.italic {
        prop.italics = Some(Italics::default());
    }
    if style.code {
        prop.style_id = Some(CharacterStyleId {
            value: "Code".into(),
        });
    }
    if style.link {
        prop.style_id = Some(CharacterStyleId {
            value: "Hyperlink".into(),
        });
    }
    if let Some(c) = &style.colour {
        prop.color = Some(Color {
            value: Cow::Owned(c.clone()),
        });
    }
    Run {
        property: Some(prop),
        content: vec![RunContent::Text(Text {
            text: Cow::Owned(text.to_string()),
            space: Some(TextSpace::Preserve),
        })],
        ..Run::default()
    }
}

fn text_run<'x>(text: &str, style: &Style) -> ParagraphContent<'x> {
    run_of(text, style).into()
}

/// A text with line breaks: one run per line, a `w:br` between them.
fn text_runs<'x>(text: &str, style: &Style) -> Vec<ParagraphContent<'x>> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(
                Run {
                    content: vec![RunContent::Break(Break::default())],
                    ..Run::default()
                }
                .into(),
            );
        }
        if !line.is_empty() {
            out.push(text_run(line, style));
        }
    }
    out
}

/// An inline picture at `cx` × `cy` EMU, described by `alt`.
fn drawing_xml(n: usize, rel: &str, cx: u64, cy: u64, alt: &str) -> String {
    let alt = crate::render::xml_escape(alt);
    format!(
        r#"<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Image {n}" descr="{alt}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Outputs;
    use crate::render::exports::ExportInput;

    fn part(docx: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    fn build(markdown: &str, outputs: &Outputs, paper: Paper) -> Vec<u8> {
        let plan = crate::fixtures::seed_plan();
        let input = ExportInput::new(&plan, markdown, &|p| outputs.get(p).cloned(), paper, None);
        docx(&input).unwrap()
    }

    #[test]
    fn styles_tables_language_and_properties() {
        let md = "# T\n\n## Section\n\n### Sous\n\n#### Bas\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n  - y\n\n1. un\n";
        let d = build(md, &Outputs::new(), Paper::Letter);
        let doc = part(&d, "word/document.xml");
        for style in ["Title", "Heading1", "Heading2", "Heading3", "ListParagraph"] {
            assert!(
                doc.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
                "{style}"
            );
        }
        assert_eq!(doc.matches("<w:tblHeader").count(), 1);
        assert!(
            doc.contains("<w:numId w:val=\"2\"/>"),
            "ordered list numbered apart"
        );
        assert!(doc.contains("w:w=\"12240\" w:h=\"15840\""), "Letter");
        assert!(part(&d, "word/styles.xml").contains("<w:lang w:val=\"fr-CA\""));
        let core = part(&d, "docProps/core.xml");
        assert!(core.contains("<dc:title>Opérations sur les machines virtuelles"));
        assert!(core.contains("<dc:creator>"));
        assert!(!core.contains("dcterms:created"), "no timestamp by default");
        let a4 = part(&build(md, &Outputs::new(), Paper::A4), "word/document.xml");
        assert!(a4.contains("w:w=\"11906\" w:h=\"16838\""), "A4");
    }

    #[test]
    fn text_is_escaped_and_swatches_coloured() {
        let md = "&lt;w:p&gt; &amp; \\*x\\* <span class=\"swatch swatch-red\">■</span>\n";
        let doc = part(
            &build(md, &Outputs::new(), Paper::Letter),
            "word/document.xml",
        );
        assert!(doc.contains("&lt;w:p&gt; &amp; *x* "), "{doc}");
        assert!(doc.contains("<w:color w:val=\"c62828\"/>"), "{doc}");
    }

    #[test]
    fn pictures_are_the_pngs_of_the_svgs_and_bytes_are_stable() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(2000u32.to_be_bytes());
        png.extend(1000u32.to_be_bytes());
        let mut outputs = Outputs::new();
        outputs.insert("a/x.png".into(), png.clone());
        outputs.insert("a/y.png".into(), png);
        let md = "![X](a/x.svg)\n\n![Y](a/y.png)\n\n![Z](a/z.svg)\n";
        let d = build(md, &outputs, Paper::Letter);
        let doc = part(&d, "word/document.xml");
        assert_eq!(doc.matches("<w:drawing>").count(), 2, "{doc}");
        assert!(
            doc.contains(">Z</w:t>"),
            "a missing picture reads as its text"
        );
        // Text width 9972 twips × 635 EMU; half as tall.
        assert!(doc.contains("cx=\"6332220\" cy=\"3166110\""), "{doc}");
        for _ in 0..3 {
            assert_eq!(build(md, &outputs, Paper::Letter), d, "identical bytes");
        }
        let z = zip::ZipArchive::new(Cursor::new(&d)).unwrap();
        assert_eq!(z.file_names().next(), Some("[Content_Types].xml"));
        let mut z = z;
        for i in 0..z.len() {
            let f = z.by_index(i).unwrap();
            assert_eq!(
                f.last_modified(),
                Some(zip::DateTime::default()),
                "{}",
                f.name()
            );
        }
    }

    #[test]
    fn creation_date_only_when_given() {
        assert_eq!(w3c_date(1_544_572_800), "2018-12-12T00:00:00Z");
        assert_eq!(w3c_date(1_544_619_845), "2018-12-12T13:04:05Z");
        let plan = crate::fixtures::seed_plan();
        let outputs = Outputs::new();
        let input = ExportInput::new(
            &plan,
            "x\n",
            &|p| outputs.get(p).cloned(),
            Paper::Letter,
            Some(0),
        );
        let core = part(&docx(&input).unwrap(), "docProps/core.xml");
        assert!(core.contains("1970-01-01T00:00:00Z"), "{core}");
    }
}
