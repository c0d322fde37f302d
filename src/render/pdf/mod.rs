//! `document.pdf`: the document's blocks typeset by Typst, embedded as a library, through
//! the `document.typ` template. The template reads everything from a virtual
//! `data.json` (inventory text is data, never markup), the annexes among it as shapes it
//! draws; the PDF is tagged and its bytes are the same on every build. This file makes
//! that data; `job.rs` typesets it, in parts (`parts.rs`) joined into one file (`join.rs`).

mod emit;
mod job;
mod join;
mod parts;
mod tree;
mod world;

use crate::render::annexe::shapes::Sheets;
use crate::render::blocks::Block;
use crate::render::exports::{ExportInput, Paper};
use crate::render::exports::{divide, first_image};
use serde::Serialize;
use std::collections::BTreeMap;

pub use job::{Job, PDF_REVISION, Typeset, pdf};
pub use join::join;
pub use parts::{Later, Part};
pub use world::{DocWorld, MAIN};

/// What every part of `data.json` repeats: the document's facts.
#[derive(Debug, Serialize)]
pub struct Common {
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
}

/// The whole document's data, before it is cut into parts.
#[derive(Debug)]
pub struct Data<'a> {
    /// The facts every part repeats.
    pub common: Common,
    /// The blocks before the first section (title, organisation): the title page.
    pub front: Vec<Block>,
    /// The sections up to the first one that holds a picture.
    pub body: Vec<Block>,
    /// That section and the ones after it: one page each.
    pub annexes: Vec<Annexe>,
    /// The pictures drawn natively, by the `src` of their image: the annexes' shapes.
    pub drawings: BTreeMap<&'a str, &'a Sheets>,
}

/// What `document.typ` finds in `data.json`: one part of the document (see `parts.rs`).
#[derive(Debug, Serialize)]
pub struct View<'d> {
    /// The document's facts (title, organisation, date, paper, language, colours).
    #[serde(flatten)]
    pub common: &'d Common,
    /// The title page's blocks (the first part only).
    pub front: &'d [Block],
    /// The sections before the annexes (the first part only).
    pub body: &'d [Block],
    /// This part's annexes.
    pub annexes: &'d [Annexe],
    /// The shapes of this part's annexes, by the `src` of their image.
    pub drawings: BTreeMap<&'d str, &'d Sheets>,
    /// Which part this is, where its pages are numbered from, and the later parts'
    /// headings for the table of contents.
    pub part: Part,
}

impl Data<'_> {
    /// The whole document as one part: what the PDF's source digest is made from.
    pub fn whole(&self) -> View<'_> {
        View {
            common: &self.common,
            front: &self.front,
            body: &self.body,
            annexes: &self.annexes,
            drawings: self.drawings.clone(),
            part: Part::default(),
        }
    }
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
    let common = Common {
        title: input.title.clone(),
        organisation: input.organisation.clone(),
        date: Some(input.date_text.clone()),
        paper: paper_name(input.paper),
        lang: crate::locale::LANGUAGE,
        region: crate::locale::REGION,
        colours: input.colours.clone(),
    };
    let data = Data {
        common,
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
            let json = serde_json::to_string(&data.whole()).unwrap();
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
