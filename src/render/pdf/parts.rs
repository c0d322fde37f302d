//! The PDF typeset in parts, so that Typst never holds the whole document at once: the
//! title page, the table of contents and the body's first sections are the first part; the
//! rest of the body follows in groups of sections of about [`BODY_BYTES`] of `data.json`,
//! each a part that starts on a new page; then the annexes in groups of about
//! [`PAGES_PER_PART`] pages. Each part is compiled and exported to its own tagged PDF and
//! the PDFs are joined (`join.rs`). Memory is then bounded by the largest part, not by the
//! document (BENCHMARKS.md, « Scale »).
//!
//! Page numbers run on across the parts, and the table of contents lists headings of later
//! parts: both need each later unit's page count before the first part is typeset. An
//! annexe's is predicted (one page per drawing part, any other annexe one page); a group of
//! the body is laid out once, without its PDF, to count its pages. Every part is then
//! typeset and its headings' pages are read back from Typst's layout; when they differ
//! from what was assumed (a template that lays annexes out otherwise), every part is
//! typeset again with the measured counts, which then hold (a part's page count does not
//! depend on the numbers printed in its footer).

use super::job::{Compiled, Compiler, Typeset, part_error};
use super::{Annexe, Data, View};
use crate::diag::Diagnostic;
use crate::render::blocks::Block;
use crate::render::exports::starts_section;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// About how many annexe pages one part holds (an annexe is never split): small enough to
/// bound memory, large enough that the fonts embedded once per part stay a small share.
pub(super) const PAGES_PER_PART: usize = 40;

/// Which part of the document `data.json` describes (`data.part` in the template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The first part: title page, table of contents and body.
    pub first: bool,
    /// The number of its first page.
    pub start: usize,
    /// How many pages the later parts hold (the footer's total is this part's last page
    /// number plus these).
    pub after: usize,
    /// The later parts' headings, for the table of contents.
    pub later: Vec<Later>,
}

impl Default for Part {
    /// The whole document in one part.
    fn default() -> Self {
        Part {
            first: true,
            start: 1,
            after: 0,
            later: Vec::new(),
        }
    }
}

/// A heading of a later part, as the table of contents lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Later {
    /// Its level in the PDF (1 or 2).
    pub level: u8,
    /// Its text.
    pub text: String,
    /// Its label: the link `bascule-dest:` and this id leads to it in the joined PDF.
    pub id: String,
    /// Its page, counted from the first part's last page (1: the page after it).
    pub offset: usize,
}

/// The headings of `blocks` the table of contents lists: level in the PDF, text and id.
fn headings(blocks: &[Block]) -> impl Iterator<Item = (u8, &str, &str)> {
    blocks.iter().filter_map(|b| match b {
        Block::Heading { level, text, id } if *level <= 3 => {
            Some(((*level).max(2) - 1, text.as_str(), id.as_str()))
        }
        _ => None,
    })
}

/// A piece of the document after the first part: a group of the body's sections, or one
/// annexe (index in `data.annexes`).
#[derive(Debug, Clone, Copy)]
enum Unit<'d> {
    Body(&'d [Block]),
    Annexe(usize),
}

impl<'d> Unit<'d> {
    fn blocks(self, data: &'d Data) -> &'d [Block] {
        match self {
            Unit::Body(blocks) => blocks,
            Unit::Annexe(i) => &data.annexes[i].blocks,
        }
    }
}

/// About how much of `data.json` the body's sections in one part make (a section is never
/// split): at 100 instances × 20 VMs, about 40 pages of tables and lists.
pub(super) const BODY_BYTES: usize = 160 * 1024;

/// The size of `blocks` in `data.json`.
fn json_size(blocks: &[Block]) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Blocks are strings and lists of them: serialising them cannot fail.
    let _ = serde_json::to_writer(&mut count, blocks);
    count.0
}

/// The body cut into sections, grouped while their `data.json` stays under
/// [`BODY_BYTES`]: the first group goes into the first part, each other one is a part.
fn body_groups(body: &[Block]) -> Vec<&[Block]> {
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| i == 0 || starts_section(&body[i]))
        .collect();
    let ends = starts.iter().skip(1).copied().chain([body.len()]);
    let mut groups = Vec::new();
    let (mut from, mut held) = (0, 0);
    for (&start, end) in starts.iter().zip(ends) {
        let weight = json_size(&body[start..end]);
        if start > from && held + weight > BODY_BYTES {
            groups.push(&body[from..start]);
            (from, held) = (start, 0);
        }
        held += weight;
    }
    groups.push(&body[from..]);
    groups
}

/// The pieces after the first part, in order: the body's other groups, then the annexes.
fn units<'d>(data: &'d Data, groups: &[&'d [Block]]) -> Vec<Unit<'d>> {
    let body = groups.iter().skip(1).map(|g| Unit::Body(g));
    body.chain((0..data.annexes.len()).map(Unit::Annexe))
        .collect()
}

/// The parts after the first, as ranges of `units`: each group of the body alone, the
/// annexes grouped into parts of at most [`PAGES_PER_PART`] pages (a longer one alone).
fn parts_of(units: &[Unit], pages: &[usize]) -> Vec<Range<usize>> {
    let annexes = units
        .iter()
        .position(|u| matches!(u, Unit::Annexe(_)))
        .unwrap_or(units.len());
    let mut out: Vec<Range<usize>> = (0..annexes).map(|i| i..i + 1).collect();
    let (mut from, mut held) = (annexes, 0);
    for (i, &p) in pages.iter().enumerate().skip(annexes) {
        if i > from && held + p > PAGES_PER_PART {
            out.push(from..i);
            (from, held) = (i, 0);
        }
        held += p;
    }
    if from < units.len() {
        out.push(from..units.len());
    }
    out
}

/// Where each unit's pages fall: the layout a round of typesetting assumes, and the one
/// it measures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Layout {
    /// Pages of each unit.
    pages: Vec<usize>,
    /// The page of each of a unit's headings, counted from the unit's first (0).
    offsets: Vec<Vec<usize>>,
}

impl Layout {
    /// Where unit `u` starts, counted from the first part's last page (1: the next one).
    fn start(&self, u: usize) -> usize {
        1 + self.pages[..u].iter().sum::<usize>()
    }

    fn total(&self) -> usize {
        self.pages.iter().sum()
    }

    /// The first layout: an annexe drawn from shapes takes one page per drawing part, any
    /// other one page, its headings on its first; each other group of the body is typeset
    /// once, without its PDF, to count its pages.
    fn first(data: &Data, units: &[Unit], compiler: &Compiler) -> Result<Layout, Box<Diagnostic>> {
        let mut layout = Layout::default();
        for unit in units {
            let blocks = unit.blocks(data);
            let (pages, offsets) = match *unit {
                Unit::Annexe(_) => {
                    let drawn = images(blocks).filter_map(|src| data.drawings.get(src.as_str()));
                    let pages = drawn.map(|sheets| sheets.parts.len()).sum::<usize>();
                    (pages.max(1), headings(blocks).map(|_| 0).collect())
                }
                Unit::Body(_) => {
                    let view = part_view(data, &[*unit], Part::later(1, 0));
                    let done = compiler.compile(&view, &ids(blocks), false)?;
                    let offsets = done.found.iter().map(|p| p.map_or(0, |p| p - 1));
                    (done.pages, offsets.collect())
                }
            };
            layout.pages.push(pages);
            layout.offsets.push(offsets);
        }
        Ok(layout)
    }
}

/// The images `blocks` show.
fn images(blocks: &[Block]) -> impl Iterator<Item = String> {
    let mut srcs = Vec::new();
    crate::render::exports::pictures(blocks, &mut srcs);
    srcs.into_iter()
}

/// The ids of the headings of `blocks` the table of contents lists.
fn ids(blocks: &[Block]) -> Vec<&str> {
    headings(blocks).map(|(_, _, id)| id).collect()
}

impl Part {
    /// A part after the first, starting at page `start`, with `after` pages after it.
    fn later(start: usize, after: usize) -> Part {
        Part {
            first: false,
            start,
            after,
            later: Vec::new(),
        }
    }
}

/// Typesets `data` in parts with `compiler` and joins them; in one part when the
/// template does not read `data.part` (a template written before parts: it would print
/// its title page in every part).
pub(super) fn typeset(data: &Data, compiler: &Compiler) -> Result<Typeset, Box<Diagnostic>> {
    if !compiler.template().contains("data.part") {
        return finish(data, vec![compiler.compile(&data.whole(), &[], true)?]);
    }
    let groups = body_groups(&data.body);
    let units = units(data, &groups);
    let mut layout = Layout::first(data, &units, compiler)?;
    for _round in 0..3 {
        let (parts, measured) = round(data, groups[0], &units, compiler, &layout)?;
        if measured == layout {
            return finish(data, parts);
        }
        layout = measured;
    }
    Err(part_error(
        "the pages of the document's parts changed each time they were typeset".into(),
    ))
}

/// Every part typeset once with `layout`: the parts, and the layout they measure.
fn round(
    data: &Data,
    first_body: &[Block],
    units: &[Unit],
    compiler: &Compiler,
    layout: &Layout,
) -> Result<(Vec<Compiled>, Layout), Box<Diagnostic>> {
    let first = compiler.compile(&first_view(data, first_body, units, layout), &[], true)?;
    let before = first.pages;
    let mut parts = vec![first];
    let mut measured = Layout::default();
    for range in parts_of(units, &layout.pages) {
        let start = before + layout.start(range.start);
        let after = layout.total() + 1 - layout.start(range.end);
        let view = part_view(data, &units[range.clone()], Part::later(start, after));
        let ids: Vec<&str> = units[range.clone()]
            .iter()
            .flat_map(|u| ids(u.blocks(data)))
            .collect();
        let done = compiler.compile(&view, &ids, true)?;
        measure(layout, range, &done, &mut measured);
        parts.push(done);
    }
    Ok((parts, measured))
}

/// The first part's data: the title page, the first group of the body, and every later
/// unit's headings for the table of contents.
fn first_view<'d>(
    data: &'d Data,
    first_body: &'d [Block],
    units: &[Unit<'d>],
    layout: &Layout,
) -> View<'d> {
    let later = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| {
            let offsets = &layout.offsets[u];
            headings(unit.blocks(data))
                .zip(offsets)
                .map(move |((level, text, id), rel)| Later {
                    level,
                    text: text.to_string(),
                    id: id.to_string(),
                    offset: layout.start(u) + rel,
                })
        })
        .collect();
    View {
        common: &data.common,
        front: &data.front,
        body: first_body,
        annexes: &[],
        drawings: BTreeMap::new(),
        part: Part {
            first: true,
            start: 1,
            after: layout.total(),
            later,
        },
    }
}

/// The data of a later part that holds `units`: a group of the body, or annexes (with
/// their shapes).
fn part_view<'d>(data: &'d Data, units: &[Unit<'d>], part: Part) -> View<'d> {
    let mut indices = units.iter().filter_map(|u| match u {
        Unit::Annexe(i) => Some(*i),
        Unit::Body(_) => None,
    });
    let (body, annexes): (&[Block], &[Annexe]) = match (indices.next(), indices.next_back()) {
        (Some(a), b) => (&[], &data.annexes[a..=b.unwrap_or(a)]),
        (None, _) => match units.first() {
            Some(Unit::Body(b)) => (b, &[]),
            _ => (&[], &[]),
        },
    };
    let drawings = annexes
        .iter()
        .flat_map(|a| images(&a.blocks))
        .filter_map(|src| data.drawings.get_key_value(src.as_str()))
        .map(|(k, v)| (*k, *v))
        .collect();
    View {
        common: &data.common,
        front: &[],
        body,
        annexes,
        drawings,
        part,
    }
}

/// Reads back, from the part `done` that holds the units `range`, each unit's page count
/// and its headings' pages. A unit starts where its first heading is found (the first
/// unit on the part's first page); a heading the template did not label where bascule
/// can find it keeps the page `layout` gave it.
fn measure(layout: &Layout, range: Range<usize>, done: &Compiled, into: &mut Layout) {
    let mut found = done.found.iter().copied();
    let founds: Vec<Vec<Option<usize>>> = range
        .clone()
        .map(|u| {
            layout.offsets[u]
                .iter()
                .map(|_| found.next().flatten())
                .collect()
        })
        .collect();
    let mut starts = Vec::new();
    let mut at = 1;
    for (k, u) in range.clone().enumerate() {
        let first = founds[k].first().copied().flatten();
        let start = if k == 0 { 1 } else { first.unwrap_or(at) };
        starts.push(start);
        at = start + layout.pages[u];
    }
    for (k, u) in range.enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(done.pages + 1);
        into.pages.push(end.saturating_sub(starts[k]));
        let offsets = founds[k].iter().zip(&layout.offsets[u]);
        into.offsets.push(
            offsets
                .map(|(f, &assumed)| f.map_or(assumed, |p| p.saturating_sub(starts[k])))
                .collect(),
        );
    }
}

/// The parts joined (one part is already the PDF), their warnings (each once) and their
/// text.
fn finish(data: &Data, parts: Vec<Compiled>) -> Result<Typeset, Box<Diagnostic>> {
    let mut warnings: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut pdfs = Vec::with_capacity(parts.len());
    for part in parts {
        for w in part.warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        text.push_str(&part.text);
        pdfs.push(part.bytes);
    }
    let bytes = if pdfs.len() == 1 {
        pdfs.remove(0)
    } else {
        let blocks = data.body.iter();
        let titles: BTreeMap<String, String> = blocks
            .chain(data.annexes.iter().flat_map(|a| &a.blocks))
            .filter_map(|b| match b {
                Block::Heading { text, id, .. } => Some((id.clone(), text.clone())),
                _ => None,
            })
            .collect();
        super::join(pdfs, &titles).map_err(part_error)?
    };
    Ok(Typeset {
        bytes,
        warnings,
        text,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annexes_are_grouped_up_to_the_pages_of_a_part_and_never_split() {
        let annexes = |n: usize| (0..n).map(Unit::Annexe).collect::<Vec<_>>();
        let parts = |pages: &[usize]| parts_of(&annexes(pages.len()), pages);
        assert_eq!(parts(&[]), Vec::<Range<usize>>::new());
        assert_eq!(parts(&[1]), vec![0..1]);
        assert_eq!(parts(&[39, 1, 1]), [0..2, 2..3]);
        assert_eq!(parts(&[40, 1]), [0..1, 1..2]);
        assert_eq!(parts(&[100, 2, 3]), [0..1, 1..3]);
        assert_eq!(parts(&[20, 20, 20, 20]), [0..2, 2..4]);
    }

    #[test]
    fn each_group_of_the_body_is_a_part_of_its_own_before_the_annexes() {
        let body: &[Block] = &[];
        let units = [
            Unit::Body(body),
            Unit::Body(body),
            Unit::Annexe(0),
            Unit::Annexe(1),
        ];
        assert_eq!(parts_of(&units, &[3, 90, 1, 1]), [0..1, 1..2, 2..4]);
        assert_eq!(parts_of(&units[..2], &[3, 90]), [0..1, 1..2]);
    }

    fn heading(level: u8, id: &str) -> Block {
        Block::Heading {
            level,
            text: id.into(),
            id: id.into(),
        }
    }

    fn prose(bytes: usize) -> Block {
        Block::Paragraph(vec![crate::render::blocks::Inline::Text("x".repeat(bytes))])
    }

    #[test]
    fn the_body_is_cut_at_sections_grouped_under_the_size_of_a_part() {
        let big = BODY_BYTES / 2 + 1;
        let body = [
            prose(10),
            heading(2, "a"),
            prose(big),
            heading(3, "a-1"),
            prose(10),
            heading(2, "b"),
            prose(big),
            heading(2, "c"),
            prose(10),
            heading(1, "d"),
            prose(3 * BODY_BYTES),
            heading(2, "e"),
            prose(10),
        ];
        let groups = body_groups(&body);
        let firsts: Vec<&Block> = groups.iter().map(|g| &g[0]).collect();
        assert_eq!(firsts, [&body[0], &body[5], &body[9], &body[11]]);
        assert_eq!(groups.iter().map(|g| g.len()).sum::<usize>(), body.len());
        assert_eq!(body_groups(&[]), [&[] as &[Block]]);
        let small = [heading(2, "a"), prose(10), heading(2, "b"), prose(10)];
        assert_eq!(body_groups(&small), [&small[..]], "one group: one compile");
    }

    fn compiled(pages: usize, found: &[Option<usize>]) -> Compiled {
        Compiled {
            bytes: Vec::new(),
            pages,
            warnings: Vec::new(),
            text: String::new(),
            found: found.to_vec(),
        }
    }

    #[test]
    fn a_part_measures_where_its_units_start_and_where_their_headings_fall() {
        let assumed = Layout {
            pages: vec![2, 1, 3],
            offsets: vec![vec![0], vec![0], vec![0, 1]],
        };
        assert_eq!(
            (assumed.start(0), assumed.start(2), assumed.total()),
            (1, 4, 6)
        );
        let measured = |done: &Compiled| {
            let mut into = Layout::default();
            measure(&assumed, 0..3, done, &mut into);
            into
        };
        let same = compiled(6, &[Some(1), Some(3), Some(4), Some(5)]);
        assert_eq!(measured(&same), assumed, "as predicted");
        let longer = measured(&compiled(7, &[Some(1), Some(4), Some(5), Some(5)]));
        assert_eq!(longer.pages, [3, 1, 3]);
        assert_eq!(longer.offsets, [vec![0], vec![0], vec![0, 0]]);
        // A heading not found keeps its assumed page; the last unit takes the rest.
        let lost = measured(&compiled(8, &[Some(1), None, Some(4), None]));
        assert_eq!(lost.pages, [2, 1, 5]);
        assert_eq!(lost.offsets, assumed.offsets);
        // A range that does not start at the first unit reads its pages from page 1.
        let mut tail = Layout::default();
        measure(&assumed, 2..3, &compiled(4, &[Some(1), Some(3)]), &mut tail);
        assert_eq!((tail.pages, tail.offsets), (vec![4], vec![vec![0, 2]]));
    }

    #[test]
    fn a_group_holds_sections_up_to_its_size_exactly() {
        // A first section larger than a part is a group of its own, with nothing empty before.
        let body = [prose(2 * BODY_BYTES), heading(2, "a"), prose(10)];
        assert_eq!(body_groups(&body), [&body[..1], &body[1..]]);
        // Two sections of exactly BODY_BYTES together stay in one group; a byte more, two.
        let overhead = json_size(&[heading(2, "a"), prose(0)]);
        let half = BODY_BYTES / 2 - overhead;
        let exact = [heading(2, "a"), prose(half), heading(2, "b"), prose(half)];
        assert_eq!(json_size(&exact[..2]) + json_size(&exact[2..]), BODY_BYTES);
        assert_eq!(body_groups(&exact).len(), 1);
        let over = [
            heading(2, "a"),
            prose(half),
            heading(2, "b"),
            prose(half + 1),
        ];
        assert_eq!(body_groups(&over), [&over[..2], &over[2..]]);
    }
}
