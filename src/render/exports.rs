//! The PDF and Word exports' shared input: what both read (the parsed blocks and how they
//! divide into pages, the title-page facts, the swatch colours, the paper, the annexes'
//! pages). `render::pdf` and `render::docx` read it; `pipeline/exports.rs` calls them.

use crate::files::Outputs;
use crate::plan::Plan;
use crate::render::annexe::shapes::Sheets;
use crate::render::blocks::{self, Block};
use std::collections::BTreeMap;

/// Paper size of the PDF and the Word document (`document.paper`, or `--paper`).
pub use crate::model::Paper;

/// The exports' shared input.
pub struct ExportInput {
    /// The document's blocks, its links settled against the docs site.
    pub blocks: Vec<Block>,
    /// The document's title, for the title page and the files' metadata.
    pub title: String,
    /// The organisation that migrates, for the title page.
    pub organisation: String,
    /// The reference state's date.
    pub date: crate::date::Date,
    /// The same date as the document writes it (`document.date_style`).
    pub date_text: String,
    /// Swatch key → `#rrggbb`.
    pub colours: BTreeMap<String, String>,
    /// The paper both exports are laid out on.
    pub paper: Paper,
    /// Seconds since 1970 for the documents' creation date; none by default.
    pub timestamp: Option<i64>,
    /// The pictures the document shows (the annexe SVGs), by path: the PDF's.
    pub outputs: Outputs,
    /// Width and height of the PNG each picture stands for in the Word file (the one drawn
    /// from an SVG), by the PNG's path. The Word file reads their bytes as it is written.
    pub png_sizes: BTreeMap<String, (u32, u32)>,
    /// The annexes as shapes, by their SVG's path: the PDF draws these natively rather
    /// than the SVG (none by default; the pipeline gives the ones it drew).
    pub drawings: BTreeMap<String, Sheets>,
    /// How the Word file prints each annexe, by its SVG's path (none by default; the
    /// pipeline gives the ones it drew).
    pub printed: BTreeMap<String, Printed>,
}

pub use crate::render::annexe::pages::{Printed, PrintedPart};

/// How the exports divide the document: the front matter (the blocks before the first
/// heading of level 2 or more that are titles and paragraphs: the title page), then the
/// sections, each from its heading of level 2 or less. The annexes are the sections from
/// the first one that holds a picture on: each on pages of its own.
pub struct Division {
    /// How many blocks the front matter holds.
    pub front: usize,
    /// The blocks of each annexe section, in order (they run to the end).
    pub annexes: Vec<std::ops::Range<usize>>,
}

/// The [`Division`] of `blocks`.
pub fn divide(blocks: &[Block]) -> Division {
    let front = blocks
        .iter()
        .position(|b| !matches!(b, Block::Heading { level: 1, .. } | Block::Paragraph(_)))
        .unwrap_or(blocks.len());
    let mut starts: Vec<usize> = Vec::new();
    for (i, b) in blocks.iter().enumerate().skip(front) {
        if i == front || starts_section(b) {
            starts.push(i);
        }
    }
    let ends = starts.iter().skip(1).copied().chain([blocks.len()]);
    let mut sections: Vec<_> = starts
        .iter()
        .zip(ends)
        .map(|(&from, to)| from..to)
        .collect();
    let first = sections
        .iter()
        .position(|s| first_image(&blocks[s.clone()]).is_some())
        .unwrap_or(sections.len());
    Division {
        front,
        annexes: sections.split_off(first),
    }
}

/// A heading that starts a section of the exports (level 2 or less): where [`divide`]
/// cuts the document, and where the PDF's body may be cut into parts.
pub fn starts_section(b: &Block) -> bool {
    matches!(b, Block::Heading { level, .. } if *level <= 2)
}

/// The first picture among `blocks` (not within lists).
pub fn first_image(blocks: &[Block]) -> Option<&str> {
    blocks.iter().find_map(|b| match b {
        Block::Image { src, .. } => Some(src.as_str()),
        _ => None,
    })
}

/// The PNG an image stands for in the Word file: itself, or the one drawn from its SVG.
pub fn png_of(src: &str) -> String {
    match src.strip_suffix(".svg") {
        Some(stem) => format!("{stem}.png"),
        None => src.to_string(),
    }
}

/// Every image `blocks` show, lists' included, in order.
pub fn pictures(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Image { src, .. } => out.push(src.clone()),
            Block::List { items, .. } => {
                for item in items {
                    pictures(item, out);
                }
            }
            _ => {}
        }
    }
}

impl ExportInput {
    /// The input of `plan`'s exports, from its rendered `markdown`: the pictures it shows read
    /// by path through `get` (`None`: absent), on `paper`, dated `timestamp` (seconds since 1970).
    pub fn new(
        plan: &Plan,
        markdown: &str,
        get: &dyn Fn(&str) -> Option<Vec<u8>>,
        paper: Paper,
        timestamp: Option<i64>,
    ) -> Self {
        let mut blocks = blocks::parse(markdown);
        let site = plan
            .site_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok());
        crate::render::links::settle(&mut blocks, site.as_ref());
        let mut wanted = Vec::new();
        pictures(&blocks, &mut wanted);
        let mut outputs = Outputs::new();
        let mut png_sizes = BTreeMap::new();
        for src in wanted {
            let png = png_of(&src);
            if png != src
                && let Some(size) = get(&png).as_deref().and_then(png_size)
            {
                png_sizes.insert(png.clone(), size);
            }
            if let Some(bytes) = get(&src) {
                if let Some(size) = png_size(&bytes) {
                    png_sizes.insert(png, size);
                }
                outputs.insert(src, bytes);
            }
        }
        ExportInput {
            blocks,
            title: plan.title.clone(),
            organisation: plan.organisation.clone(),
            date: plan.reference_iso,
            date_text: plan.reference_date.clone(),
            colours: swatch_colours(plan),
            paper,
            timestamp,
            outputs,
            png_sizes,
            drawings: BTreeMap::new(),
            printed: BTreeMap::new(),
        }
    }
}

impl ExportInput {
    /// Whether the document shows a PNG itself (a template of the user's may): the PDF
    /// then needs it served, so it waits for the PNGs to be drawn.
    pub fn shows_a_png(&self) -> bool {
        let mut all = Vec::new();
        pictures(&self.blocks, &mut all);
        all.iter().any(|src| src.ends_with(".png"))
    }
}

/// The one place that knows where a swatch's colour comes from: the plan's legend,
/// by the key the template writes in `swatch-KEY`.
pub fn swatch_colours(plan: &Plan) -> BTreeMap<String, String> {
    plan.legend
        .iter()
        .map(|e| (e.key.to_string(), e.hex.to_string()))
        .collect()
}

/// Width and height of a PNG, from its header.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let ihdr = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?.get(8..16)?;
    let w = u32::from_be_bytes(ihdr[..4].try_into().ok()?);
    let h = u32::from_be_bytes(ihdr[4..].try_into().ok()?);
    Some((w, h))
}

/// The first bytes of a PNG of `w` × `h` pixels: all [`png_size`] reads (for tests).
#[cfg(test)]
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(w.to_be_bytes());
    png.extend(h.to_be_bytes());
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_annexes_are_the_sections_from_the_first_with_a_picture_on() {
        let blocks = blocks::parse(
            "# T\n\nOrg\n\n## A\n\n- ![In a list](x.svg)\n\n## B\n\n![B](b.svg)\n\n### B.1\n\n## C\n\nText\n",
        );
        let d = divide(&blocks);
        assert_eq!(d.front, 2);
        let heads: Vec<String> = (d.annexes.iter())
            .map(|r| match &blocks[r.start] {
                Block::Heading { text, .. } => text.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        // A picture within a list does not begin the annexes; a level-3 heading does not
        // begin a section; the sections after the first annexe are annexes too.
        assert_eq!(heads, ["B", "C"]);
        assert_eq!(first_image(&blocks[d.annexes[0].clone()]), Some("b.svg"));
        assert_eq!(d.annexes[1].end, blocks.len(), "the last runs to the end");
        assert_eq!(d.annexes[0].end, d.annexes[1].start);
        let none = blocks::parse("# T\n\n## A\n\nText\n");
        assert!(divide(&none).annexes.is_empty());
        let bare = blocks::parse("![X](x.svg)\n");
        let bare = divide(&bare);
        assert_eq!(bare.front, 0);
        assert_eq!(bare.annexes.len(), 1);
        assert_eq!(bare.annexes[0], 0..1);
    }

    #[test]
    fn size_from_the_png_header() {
        let png = png_header(1600, 900);
        assert_eq!(png_size(&png), Some((1600, 900)));
        assert_eq!(png_size(b"GIF89a"), None);
        assert_eq!(png_size(&png[..20]), None);
    }

    #[test]
    fn swatches_take_the_legend_colours() {
        let c = swatch_colours(&crate::fixtures::seed_plan());
        assert_eq!(c.len(), 4);
        assert_eq!(c["red"], crate::plan::Colour::Red.hex());
    }
}
