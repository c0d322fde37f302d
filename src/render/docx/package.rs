//! The package around the body: relationships, content types, core properties (title,
//! creator, no date unless given), numbering, and the zip written with fixed timestamps.

use super::*;

/// Relationships in a fixed order: styles, numbering, pictures, then links.
pub(super) fn relationships<'p>(parts: &'p Parts) -> Relationships<'p> {
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
pub(super) struct Ids {
    pub(super) pictures: Vec<String>,
    pub(super) links: Vec<(String, String)>,
}

impl Ids {
    pub(super) fn new(rels: &Relationships, parts: &Parts) -> Self {
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

pub(super) fn core(input: &ExportInput) -> Core<'static> {
    Core::CoreNamespace(CoreNamespace {
        title: Some(Cow::Owned(input.title.clone())),
        creator: Some(Cow::Owned(input.organisation.clone())),
        language: Some(crate::locale::tag().into()),
        created: input.timestamp.and_then(w3c_date).map(Cow::Owned),
        ..CoreNamespace::default()
    })
}

/// `2018-12-12T00:00:00Z` for seconds since 1970 (jiff); none out of its range.
pub(super) fn w3c_date(secs: i64) -> Option<String> {
    let t = jiff::Timestamp::from_second(secs).ok()?;
    Some(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

pub(super) fn content_types() -> ContentTypes<'static> {
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
pub(super) fn numbering_xml(ordered_lists: usize) -> String {
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

/// The package's pictures: part name, the PNG read for it, and the size the body was
/// laid out for.
pub(super) struct Media<'a> {
    pub(super) pictures: &'a [(String, &'a str, (u32, u32))],
    pub(super) read: &'a ReadFn<'a>,
    /// What the XML written after the body gets (see `completed`).
    pub(super) finish: &'a dyn Fn(&str) -> String,
}

impl Media<'_> {
    /// The PNG's bytes, read now; it must still be the picture the body was laid out for.
    fn picture(&self, png: &str, size: (u32, u32)) -> std::io::Result<Vec<u8>> {
        (self.read)(png)
            .filter(|b| png_size(b) == Some(size))
            .ok_or_else(|| {
                std::io::Error::other(format!("{png} changed while the Word file was written"))
            })
    }
}

/// A zip entry: a part's XML, or a picture, read when its turn comes.
enum Entry<'a> {
    Part(&'a [u8]),
    Picture(&'a str, (u32, u32)),
}

/// The body's place in `word/document.xml` as docx-rust writes it: right after this tag.
const BODY: &[u8] = b"<w:body>";

/// The size of the pieces the body is deflated in.
const DEFLATE_PIECE: usize = 1 << 16;

/// The package's first entry, which says the type of every other.
pub(super) const CONTENT_TYPES: &str = "[Content_Types].xml";

/// The part that holds the body.
pub(super) const DOCUMENT: &str = "word/document.xml";

/// The package's own relationships: its core properties and its main part. The types are
/// ECMA-376's (part 2, the Open Packaging Conventions, for the core properties).
pub(super) fn package_relationships() -> Relationships<'static> {
    let mut rels = Relationships::default();
    rels.add_rel(
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml",
    );
    rels.add_rel(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        DOCUMENT,
    );
    rels
}

/// Writes the package into `out`: the `skeleton`'s parts and the pictures, entries sorted
/// by name (`[Content_Types].xml` first), every timestamp 1980-01-01 00:00, the XML
/// deflated and the pictures stored; `blocks` writes the body's blocks at the start of
/// the skeleton's body. Nothing is unzipped or zipped again.
pub(super) fn write(
    skeleton: &[Part],
    media: &Media,
    blocks: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    out: &mut dyn WriteSeek,
) -> zip::result::ZipResult<()> {
    let mut entries: Vec<(&str, Entry)> = (skeleton.iter())
        .map(|(n, b)| (n.as_str(), Entry::Part(b)))
        .chain(
            (media.pictures.iter()).map(|(n, png, size)| (n.as_str(), Entry::Picture(png, *size))),
        )
        .collect();
    entries.sort_by(|a, b| (a.0 != CONTENT_TYPES, a.0).cmp(&(b.0 != CONTENT_TYPES, b.0)));
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut zip = zip::ZipWriter::new(out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    // A PNG is deflated already: deflating it again gained under 1 % and cost a third of
    // the Word file's time. Stored, as the ZIP format allows for any entry.
    let stored = opts.compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        let bytes = match bytes {
            Entry::Part(b) => b,
            Entry::Picture(png, size) => {
                zip.start_file(name, stored)?;
                zip.write_all(&media.picture(png, size)?)?;
                continue;
            }
        };
        zip.start_file(name, opts)?;
        let body = (name == DOCUMENT)
            .then(|| bytes.windows(BODY.len()).position(|w| w == BODY))
            .flatten();
        match body {
            Some(at) => {
                // Deflate's output depends on how its input is cut: the body reaches it in
                // pieces of a fixed size, whatever the sizes of the blocks.
                let (head, tail) = bytes.split_at(at + BODY.len());
                let mut w = std::io::BufWriter::with_capacity(DEFLATE_PIECE, &mut zip);
                w.write_all(head)?;
                blocks(&mut w)?;
                w.write_all((media.finish)(&String::from_utf8_lossy(tail)).as_bytes())?;
                // Not `flush`, which would end a deflate block early.
                w.into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
            }
            None => zip.write_all(bytes)?,
        }
    }
    zip.finish()?;
    Ok(())
}

/// The relationship ids, the fixed XML parts, and the package without its body or
/// pictures (its last section landscape or not).
pub(super) fn skeleton(
    input: &ExportInput,
    parts: &Parts,
    last_landscape: bool,
) -> Result<(Ids, Xml, Vec<Part>), Box<Diagnostic>> {
    let rels = relationships(parts);
    let ids = Ids::new(&rels, parts);
    let xml = Xml {
        numbering: numbering_xml(parts.ordered_lists),
        styles: styles(),
        sections: [false, true].map(|landscape| section_xml(input.paper, landscape)),
    };
    let pieces = xml.parse()?;
    let last = pieces.sections[usize::from(last_landscape)].clone();
    let mut document = docx_rust::document::Document::default();
    document.body.content = vec![BodyContent::SectionProperty(last)];
    let err = |what: &str, e: hard_xml::XmlError| fault(&format!("{what}: {e}"));
    let part = |name: &str, xml: Result<String, hard_xml::XmlError>| {
        xml.map(|x| (name.to_string(), x.into_bytes()))
            .map_err(|e| err(name, e))
    };
    let skeleton = vec![
        part(CONTENT_TYPES, content_types().to_string())?,
        part("_rels/.rels", package_relationships().to_string())?,
        part("docProps/core.xml", core(input).to_string())?,
        part("word/_rels/document.xml.rels", rels.to_string())?,
        part(DOCUMENT, document.to_string())?,
        part("word/numbering.xml", pieces.numbering.to_string())?,
        part("word/styles.xml", pieces.styles.to_string())?,
    ];
    Ok((ids, xml, skeleton))
}

/// The fixed parts of the package, written as XML and read by docx-rust's own parser.
pub(super) struct Xml {
    pub(super) numbering: String,
    pub(super) styles: String,
    /// Portrait, landscape.
    pub(super) sections: [String; 2],
}

/// [`Xml`], parsed.
pub(super) struct Pieces<'x> {
    pub(super) styles: Styles<'x>,
    pub(super) numbering: docx_rust::document::Numbering<'x>,
    /// Portrait, landscape.
    pub(super) sections: [SectionProperty<'x>; 2],
    pub(super) table: TableProperty<'x>,
}

impl Xml {
    pub(super) fn parse(&self) -> Result<Pieces<'_>, Box<Diagnostic>> {
        let err = |what: &str, e: hard_xml::XmlError| fault(&format!("{what}: {e}"));
        Ok(Pieces {
            styles: Styles::from_str(&self.styles).map_err(|e| err("styles", e))?,
            numbering: docx_rust::document::Numbering::from_str(&self.numbering)
                .map_err(|e| err("numbering", e))?,
            sections: [
                SectionProperty::from_str(&self.sections[0]).map_err(|e| err("section", e))?,
                SectionProperty::from_str(&self.sections[1]).map_err(|e| err("section", e))?,
            ],
            table: TableProperty::from_str(TABLE).map_err(|e| err("table", e))?,
        })
    }
}
