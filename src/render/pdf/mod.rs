//! `document.pdf`: the document's blocks typeset by Typst, embedded as a library, through
//! the `document.typ` template. The template reads everything from a virtual
//! `data.json` (inventory text is data, never markup), the annexes among it as shapes it
//! draws; the PDF is tagged and its bytes are the same on every build.

mod world;

use crate::diag::{Code, Diagnostic, Pos};
use crate::render::annexe::shapes::Sheets;
use crate::render::blocks::Block;
use crate::render::exports::{ExportInput, Paper};
use crate::render::exports::{divide, first_image};
use serde::Serialize;
use std::collections::BTreeMap;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::{World, WorldExt};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use world::{DocWorld, MAIN};

/// What `document.typ` finds in `data.json`.
#[derive(Debug, Serialize)]
pub struct Data<'a> {
    /// The document's title.
    pub title: String,
    /// The organisation that migrates.
    pub organisation: String,
    /// The reference state's date as the document writes it, when the inventory gives it.
    pub date: Option<String>,
    /// Typst's paper name: `us-letter` or `a4`.
    pub paper: &'static str,
    /// The text's language and region (`crate::locale`).
    pub lang: &'static str,
    /// The region of that language (`CA`).
    pub region: &'static str,
    /// Swatch key → `#rrggbb`.
    pub colours: BTreeMap<String, String>,
    /// The blocks before the first section (title, organisation): the title page.
    pub front: Vec<Block>,
    /// The sections up to the first one that holds a picture.
    pub body: Vec<Block>,
    /// That section and the ones after it: one page each.
    pub annexes: Vec<Annexe>,
    /// The pictures drawn natively, by the `src` of their image: the annexes' shapes.
    pub drawings: BTreeMap<&'a str, &'a Sheets>,
}

/// One annexe section of `data.json`, typeset on pages of its own.
#[derive(Debug, Serialize)]
pub struct Annexe {
    /// The section's blocks, from its heading on.
    pub blocks: Vec<Block>,
    /// Its picture is wider than tall: a landscape page.
    pub landscape: bool,
}

/// Typst's name for the paper.
fn paper_name(p: Paper) -> &'static str {
    match p {
        Paper::Letter => "us-letter",
        Paper::A4 => "a4",
    }
}

/// The template's data, and the virtual files its pictures need.
pub fn data(input: &ExportInput) -> (Data<'_>, Vec<(String, Vec<u8>)>) {
    let mut pictures = Vec::new();
    let mut drawings = BTreeMap::new();
    let blocks = resolve_images(input, &mut pictures, &mut drawings);
    let (front, body, annexes) = split(blocks);
    // An annexe drawn from shapes was cut into pages for its orientation; any other
    // picture is landscape when wider than tall.
    let landscape = |src: &str| match input.drawings.get(src) {
        Some(sheets) => sheets.landscape,
        None => input
            .outputs
            .get(src)
            .and_then(|svg| svg_size(svg))
            .is_some_and(|(w, h)| w > h),
    };
    let annexes = annexes
        .into_iter()
        .map(|blocks| Annexe {
            landscape: first_image(&blocks).is_some_and(landscape),
            blocks,
        })
        .collect();
    let data = Data {
        title: input.title.clone(),
        organisation: input.organisation.clone(),
        date: Some(input.date_text.clone()),
        paper: paper_name(input.paper),
        lang: crate::locale::LANGUAGE,
        region: crate::locale::REGION,
        colours: input.colours.clone(),
        front,
        body,
        annexes,
        drawings,
    };
    (data, pictures)
}

/// An image the build drew as shapes (an annexe) is drawn from them; other images the build
/// made (SVG or PNG) are served to Typst; any other image reads as its alternative text, so
/// a template cannot make Typst look elsewhere.
fn resolve_images<'a>(
    input: &'a ExportInput,
    pictures: &mut Vec<(String, Vec<u8>)>,
    drawings: &mut BTreeMap<&'a str, &'a Sheets>,
) -> Vec<Block> {
    let keep = |src: &str| {
        (src.ends_with(".svg") || src.ends_with(".png")) && input.outputs.contains_key(src)
    };
    input
        .blocks
        .iter()
        .map(|b| match b {
            Block::Image { src, .. } if input.drawings.contains_key(src) => {
                if let Some((src, d)) = input.drawings.get_key_value(src) {
                    drawings.insert(src.as_str(), d);
                }
                b.clone()
            }
            Block::Image { src, alt } if !keep(src) => {
                Block::Paragraph(vec![crate::render::blocks::Inline::Text(alt.clone())])
            }
            Block::Image { src, .. } => {
                if !pictures.iter().any(|(p, _)| p == src) {
                    pictures.push((src.clone(), input.outputs[src].clone()));
                }
                b.clone()
            }
            other => other.clone(),
        })
        .collect()
}

/// Front matter, body, then annexe sections (see [`divide`]).
fn split(mut blocks: Vec<Block>) -> (Vec<Block>, Vec<Block>, Vec<Vec<Block>>) {
    let division = divide(&blocks);
    let mut annexes = Vec::new();
    for section in division.annexes.iter().rev() {
        annexes.push(blocks.split_off(section.start));
    }
    annexes.reverse();
    let body = blocks.split_off(division.front);
    (blocks, body, annexes)
}

/// Width and height of an SVG (its root's `viewBox`, else `width` and `height`), or the
/// pixel size of a PNG.
pub fn svg_size(bytes: &[u8]) -> Option<(f64, f64)> {
    if let Some(size) = crate::render::exports::png_size(bytes) {
        return Some((f64::from(size.0), f64::from(size.1)));
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let root = &text[start..start + text[start..].find('>')?];
    if let Some(vb) = attr(root, "viewBox") {
        let n: Vec<f64> = vb
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [_, _, w, h] = n[..] {
            return Some((w, h));
        }
    }
    let num = |s: &str| -> Option<f64> {
        let end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        s[..end].parse().ok()
    };
    Some((num(attr(root, "width")?)?, num(attr(root, "height")?)?))
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!(" {name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let len = tag[i..].find('"')?;
    Some(&tag[i..i + len])
}

/// `datetime.today()` in the template: the reference date.
fn today(d: crate::date::Date) -> Option<Datetime> {
    Datetime::from_ymd(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
}

/// The PDF's creation date: only when one is given (`SOURCE_DATE_EPOCH`), so that the
/// default build is the same every time.
fn timestamp(epoch: Option<i64>) -> Option<Timestamp> {
    let t = jiff::Timestamp::from_second(epoch?).ok()?;
    let d = jiff::tz::Offset::UTC.to_datetime(t);
    let dt = Datetime::from_ymd_hms(
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
        u8::try_from(d.hour()).ok()?,
        u8::try_from(d.minute()).ok()?,
        u8::try_from(d.second()).ok()?,
    )?;
    Some(Timestamp::new_utc(dt))
}

/// A typeset PDF: its bytes, Typst's warnings, and the text it shows.
pub struct Typeset {
    /// The PDF file's bytes.
    pub bytes: Vec<u8>,
    /// Typst's warnings, one text each with its hints (and the file when not the template).
    pub warnings: Vec<String>,
    /// Every run of text of every page, as laid out (a line per run): what `check` reads,
    /// so that no PDF is ever parsed.
    pub text: String,
}

/// Compiles `template` with the input's data into PDF bytes. Template faults are E0402
/// diagnostics at the template's line and column; warnings are returned.
pub fn pdf(template: &str, input: &ExportInput) -> Result<Typeset, Box<Diagnostic>> {
    Job::new(template, input)?.typeset()
}

/// The text of every page of `doc`, a run per line, in layout order.
fn laid_out_text(doc: &typst_layout::PagedDocument) -> String {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push('\n');
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in doc.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// Changes when something that shapes the PDF changes outside the template and its data:
/// the World, the options, the fonts. It goes into [`Job::source`], with Typst's version.
pub const PDF_REVISION: u32 = 1;

/// A PDF ready to typeset: the template and every virtual file it may read (`data.json`
/// among them), and the input's options.
pub struct Job<'a> {
    template: &'a str,
    input: &'a ExportInput,
    files: Vec<(String, Vec<u8>)>,
}

impl<'a> Job<'a> {
    /// A job for `template` (the text of `document.typ`) and `input`'s data; an E0402
    /// diagnostic if the data cannot be serialized.
    pub fn new(template: &'a str, input: &'a ExportInput) -> Result<Job<'a>, Box<Diagnostic>> {
        let (data, mut files) = data(input);
        let json = serde_json::to_vec(&data)
            .map_err(|e| template_error(format!("{e}"), Pos::default()))?;
        files.push(("data.json".into(), json));
        Ok(Job {
            template,
            input,
            files,
        })
    }

    /// The SHA-256 (`sha256:` and hex) of everything the PDF is made from: two jobs with
    /// the same source give the same bytes, so a build may take the previous PDF again.
    pub fn source(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        let typst = typst::syntax::package::PackageVersion::compiler().to_string();
        field(
            format!(
                "bascule {} pdf {PDF_REVISION} typst {typst}",
                env!("CARGO_PKG_VERSION")
            )
            .as_bytes(),
        );
        field(self.template.as_bytes());
        for (name, bytes) in &self.files {
            field(name.as_bytes());
            field(bytes);
        }
        let i = self.input;
        // Written as it was when the date was text, so that earlier builds' PDFs still match.
        let date = Some(crate::date::iso(i.date));
        field(format!("{:?} {date:?} {:?}", i.title, i.timestamp).as_bytes());
        format!("sha256:{:x}", h.finalize())
    }

    /// Typesets the PDF: its bytes, Typst's warnings and the text it shows.
    pub fn typeset(self) -> Result<Typeset, Box<Diagnostic>> {
        let input = self.input;
        let world = DocWorld::new(self.template, self.files, today(input.date));
        let _bounded = crate::bounds::guard(MAIN);
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let warned = typst::compile::<typst_layout::PagedDocument>(&world);
            let doc = warned.output?;
            let bytes = typst_pdf::pdf(&doc, &options(input))?;
            let text = laid_out_text(&doc);
            Ok::<_, typst::ecow::EcoVec<SourceDiagnostic>>((bytes, warned.warnings, text))
        }));
        typst::comemo::evict(10);
        let (bytes, warnings, text) = match compiled {
            Ok(Ok(x)) => x,
            Ok(Err(errors)) => return Err(first_error(&world, &errors)),
            Err(_) => {
                return Err(template_error(
                    "Typst stopped on an internal error".into(),
                    Pos::default(),
                ));
            }
        };
        let warnings = warnings.iter().map(|w| describe(&world, w)).collect();
        Ok(Typeset {
            bytes,
            warnings,
            text,
        })
    }
}

fn options(input: &ExportInput) -> PdfOptions {
    PdfOptions {
        ident: Smart::Custom(format!("bascule:{}", input.title)),
        creator: Smart::Custom(Some("bascule".into())),
        timestamp: timestamp(input.timestamp),
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default(),
        tagged: true,
        ..PdfOptions::default()
    }
}

fn first_error(world: &DocWorld, errors: &[SourceDiagnostic]) -> Box<Diagnostic> {
    let first = errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(errors.first());
    match first {
        Some(d) => template_error(describe(world, d), position(world, d)),
        None => template_error("Typst failed without a message".into(), Pos::default()),
    }
}

/// The message with its hints.
fn describe(world: &DocWorld, d: &SourceDiagnostic) -> String {
    let mut text = d.message.to_string();
    for hint in &d.hints {
        text.push_str(&format!("\n  = hint: {}", hint.v));
    }
    if let Some(id) = d.span.id().filter(|id| *id != world.main()) {
        text.push_str(&format!(" (in {})", id.vpath().get_without_slash()));
    }
    text
}

/// Line and column (1-based) in the template.
fn position(world: &DocWorld, d: &SourceDiagnostic) -> Pos {
    if d.span.id() != Some(world.main()) {
        return Pos::default();
    }
    let lines = world.main_source().lines();
    world
        .range(d.span)
        .and_then(|r| lines.byte_to_line_column(r.start))
        .map_or_else(Pos::default, |(l, c)| {
            Pos::new(
                u32::try_from(l + 1).unwrap_or(u32::MAX),
                u32::try_from(c + 1).unwrap_or(u32::MAX),
            )
        })
}

fn template_error(message: String, pos: Pos) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            Code::E0402,
            MAIN,
            pos,
            crate::msg!("template.error", reason = message),
        )
        .with_help(crate::msg!("template.help")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Outputs;
    use crate::labels::Labels;
    use crate::render::annexe;

    #[test]
    fn an_annexe_with_shapes_is_drawn_and_other_pictures_are_served() {
        let plan = crate::fixtures::seed_plan();
        let labels = Labels::defaults();
        let drawn =
            annexe::svg_and_sheets(&plan, &plan.instances[0], &labels, Paper::Letter).unwrap();
        let (svg1, mut sheets) = (drawn.svg, drawn.sheets);
        let svg2 = annexe::svg(&plan, &plan.instances[1], &labels).unwrap();
        let mut outputs = Outputs::new();
        outputs.insert("annexes/annexe-1.svg".into(), svg1.into_bytes());
        outputs.insert("annexes/annexe-2.svg".into(), svg2.into_bytes());
        let md = "# T\n\n## Contexte\n\nTexte.\n\n## Annexe 1\n\n![Un](annexes/annexe-1.svg)\n\n## Annexe 2\n\n![Deux](annexes/annexe-2.svg)\n";
        for landscape in [true, false] {
            sheets.landscape = landscape;
            let mut input =
                ExportInput::new(&plan, md, &|p| outputs.get(p).cloned(), Paper::Letter, None);
            input
                .drawings
                .insert("annexes/annexe-1.svg".into(), sheets.clone());
            let (data, files) = data(&input);
            let served: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(
                served,
                ["annexes/annexe-2.svg"],
                "the drawn one is not served"
            );
            assert_eq!(data.drawings.len(), 1);
            assert_eq!(data.drawings["annexes/annexe-1.svg"], &sheets);
            assert_eq!(data.annexes.len(), 2);
            assert_eq!(data.annexes[0].landscape, landscape, "as the sheets say");
            let json = serde_json::to_string(&data).unwrap();
            assert!(json.contains("\"kind\":\"text\""), "shapes reach data.json");
        }
    }

    #[test]
    fn the_source_changes_with_anything_the_pdf_is_made_from() {
        let plan = crate::fixtures::seed_plan();
        let outputs = Outputs::from([("a.svg".to_string(), b"<svg/>".to_vec())]);
        let get = |p: &str| outputs.get(p).cloned();
        let md = "# T\n\n## Annexe\n\n![Un](a.svg)\n";
        let input = |md, paper, ts| ExportInput::new(&plan, md, &get, paper, ts);
        let source = |t: &str, i: &ExportInput| Job::new(t, i).unwrap().source();
        let base = input(md, Paper::Letter, None);
        let s = source("#1", &base);
        assert_eq!(s, source("#1", &input(md, Paper::Letter, None)), "stable");
        assert!(s.starts_with("sha256:") && s.len() == 71, "{s}");
        let others = [
            source("#2", &base),
            source("#1", &input("# T\n\nAutre.\n", Paper::Letter, None)),
            source("#1", &input(md, Paper::A4, None)),
            source("#1", &input(md, Paper::Letter, Some(0))),
        ];
        for (n, o) in others.iter().enumerate() {
            assert_ne!(o, &s, "change {n} is not seen");
        }
        // The picture served to Typst counts, bytes and all.
        let changed = Outputs::from([("a.svg".to_string(), b"<svg />".to_vec())]);
        let get2 = |p: &str| changed.get(p).cloned();
        let i2 = ExportInput::new(&plan, md, &get2, Paper::Letter, None);
        assert_ne!(source("#1", &i2), s, "the picture is not seen");
    }
}
