//! The body of the Word document: each block as paragraphs, lists, tables and drawings,
//! every text through docx-rust's XML writer.

use super::*;

/// The body under construction.
pub(super) struct Body<'i, 'x> {
    pub(super) input: &'i ExportInput,
    pub(super) ids: &'i Ids,
    pub(super) parts: &'i Parts,
    pub(super) pieces: &'i Pieces<'x>,
    pub(super) content: Vec<Out<'x>>,
    /// Ordered lists numbered so far.
    pub(super) ordered: usize,
    /// The section in progress is landscape.
    pub(super) landscape: bool,
    /// Pictures shown so far (each drawing's id is unique).
    pub(super) shown: usize,
}

/// A piece of the body: made with docx-rust's model, or written here (a picture, which
/// the model cannot crop).
pub(super) enum Out<'x> {
    Model(Box<BodyContent<'x>>),
    Xml(String),
}

impl Out<'_> {
    pub(super) fn xml(&self) -> Result<String, hard_xml::XmlError> {
        match self {
            Out::Model(c) => c.to_string(),
            Out::Xml(x) => Ok(x.clone()),
        }
    }
}

impl<'i, 'x> Body<'i, 'x> {
    pub(super) fn new(
        input: &'i ExportInput,
        ids: &'i Ids,
        parts: &'i Parts,
        pieces: &'i Pieces<'x>,
    ) -> Self {
        Body {
            input,
            ids,
            parts,
            pieces,
            content: Vec::new(),
            ordered: 0,
            landscape: false,
            shown: 0,
        }
    }

    fn push(&mut self, c: impl Into<BodyContent<'x>>) {
        self.content.push(Out::Model(Box::new(c.into())));
    }

    /// Ends the section in progress, when anything came before (a paragraph holding its
    /// properties: Word starts the next one on a new page), and begins one, landscape or
    /// not.
    pub(super) fn next_section(&mut self, landscape: bool, after_some: bool) {
        if !after_some {
            self.landscape = landscape;
            return;
        }
        let ends = self.pieces.sections[usize::from(self.landscape)].clone();
        let p = Paragraph {
            property: Some(ParagraphProperty {
                section_property: Some(ends),
                ..ParagraphProperty::default()
            }),
            ..Paragraph::default()
        };
        self.push(p);
        self.landscape = landscape;
    }

    pub(super) fn blocks(&mut self, blocks: &[Block], depth: usize) {
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
                    self.push(p);
                }
                Block::Paragraph(inl) => {
                    let runs = self.inlines(inl, &Style::default());
                    self.push(paragraph("Normal", runs));
                }
                Block::List { ordered, items } => self.list(*ordered, items, depth),
                Block::Table { header, rows } => {
                    let t = self.table(header, rows);
                    self.push(t);
                }
                Block::Image { src, alt } => self.image(src, alt),
            }
        }
    }

    pub(super) fn list(&mut self, ordered: bool, items: &[Vec<Block>], depth: usize) {
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
                        self.push(p);
                    }
                    Block::List { ordered, items } => self.list(*ordered, items, depth + 1),
                    other => self.blocks(std::slice::from_ref(other), depth + 1),
                }
                first = false;
            }
        }
    }

    pub(super) fn table(&self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> Table<'x> {
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

    pub(super) fn row(&self, cells: &[Vec<Inline>], style: &Style) -> TableRow<'x> {
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

    /// The picture `src` on its pages (an annexe cut into parts: each part's title and
    /// pieces on a page of its own), or its alternative text when the build made no picture.
    pub(super) fn image(&mut self, src: &str, alt: &str) {
        let key = (src.to_string(), self.landscape);
        let parts = self.parts;
        let pages = (parts.by_src.iter())
            .find(|(k, _)| *k == key)
            .map_or(&[][..], |(_, pages)| pages.as_slice());
        if pages.is_empty() {
            let run = text_run(alt, &Style::default());
            self.push(paragraph("Picture", vec![run]));
        }
        for (k, page) in pages.iter().enumerate() {
            if let Some(title) = &page.title {
                let mut p = paragraph("PartTitle", vec![text_run(title, &Style::default())]);
                if k > 0 {
                    let property = p.property.get_or_insert_with(ParagraphProperty::default);
                    property.page_break_before = Some(PageBreakBefore::default());
                }
                self.push(p);
            }
            let style = if page.title.is_some() {
                "PicturePart"
            } else {
                "Picture"
            };
            for v in &page.views {
                self.shown += 1;
                let rel = &self.ids.pictures[v.picture];
                let drawing = drawing_xml(self.shown, rel, v, alt);
                self.content.push(Out::Xml(format!(
                    r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>{drawing}</w:r></w:p>"#
                )));
            }
        }
    }

    pub(super) fn inlines(&self, inlines: &[Inline], style: &Style) -> Vec<ParagraphContent<'x>> {
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

    pub(super) fn link(
        &self,
        href: &str,
        children: &[Inline],
        style: &Style,
    ) -> ParagraphContent<'x> {
        let text = crate::render::blocks::plain_text(children);
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
pub(super) struct Style {
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) code: bool,
    pub(super) link: bool,
    /// `rrggbb`.
    pub(super) colour: Option<String>,
}

pub(super) fn paragraph<'x>(
    style: &'static str,
    content: Vec<ParagraphContent<'x>>,
) -> Paragraph<'x> {
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

pub(super) fn set_numbering(p: &mut Paragraph, num: usize, depth: usize) {
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

pub(super) fn run_of<'x>(text: &str, style: &Style) -> Run<'x> {
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

pub(super) fn text_run<'x>(text: &str, style: &Style) -> ParagraphContent<'x> {
    run_of(text, style).into()
}

/// A text with line breaks: one run per line, a `w:br` between them.
pub(super) fn text_runs<'x>(text: &str, style: &Style) -> Vec<ParagraphContent<'x>> {
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

/// An inline picture, `view` of the package's picture `rel`, described by `alt`.
pub(super) fn drawing_xml(n: usize, rel: &str, view: &View, alt: &str) -> String {
    let alt = crate::render::xml_escape(alt);
    let (cx, cy) = view.extent;
    let crop = view.crop.map_or(String::new(), |[l, t, r, b]| {
        format!(r#"<a:srcRect l="{l}" t="{t}" r="{r}" b="{b}"/>"#)
    });
    format!(
        r#"<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Image {n}" descr="{alt}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel}"/>{crop}<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"#
    )
}
