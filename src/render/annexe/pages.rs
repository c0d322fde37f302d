//! Stage 3b of an annexe, for the PDF: the annexe cut into pages whose text prints at
//! [`MIN_TEXT_PT`] at least. The whole annexe stays on one page when it fits at that size,
//! portrait or landscape. Otherwise it is cut into parts: groups of VM rows one above the
//! other and groups of state columns side by side, each part laid out again with the title
//! (numbered, « partie 2 sur 4 »), the headings of its columns and the legend, in the
//! orientation that needs the fewest pages. Parts come row group by row group, so that a
//! VM's states are read on consecutive pages.

use super::content::{Content, Line};
use super::layout::{Layout, Rect, all_lines, layout};
use super::style::{COL_GAP, MARGIN, ROW_GAP, STROKE};
use crate::font;
use crate::model::Paper;

/// The smallest text an annexe may print at, in points.
pub(crate) const MIN_TEXT_PT: f32 = 7.0;

/// The room for a picture on a page of the default `document.typ`, in points, portrait:
/// the paper less its margins (2 cm at each side, 2.2 cm at the top, 2.4 cm at the bottom),
/// and of the height only the 78 % the template gives a picture (the annexe's heading and
/// its link share the page). A template with other margins should keep these.
pub(crate) fn room(paper: Paper, landscape: bool) -> (f32, f32) {
    let cm = 72.0 / 2.54;
    let (w, h) = match paper {
        Paper::Letter => (612.0, 792.0),
        Paper::A4 => (595.276, 841.89),
    };
    let (w, h) = if landscape { (h, w) } else { (w, h) };
    (w - 4.0 * cm, 0.78 * (h - 4.6 * cm))
}

/// An annexe as the PDF prints it: its orientation and its parts, one per page, each laid
/// out from the VM rows and state columns of `groups` (all of them when it prints whole).
pub(crate) struct Sheets {
    pub landscape: bool,
    pub parts: Vec<Layout>,
    pub groups: Vec<(Vec<usize>, Vec<usize>)>,
}

/// An annexe as the Word file prints it: on landscape pages or not, and when the PDF cuts it
/// into parts, what each part's page shows: its title, and the pieces of the annexe's one
/// picture it is made of (rectangles in the units of the annexe's layout, `size` wide and
/// tall). The same pages as the PDF's.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    /// Printed on landscape pages.
    pub landscape: bool,
    /// Width and height of the whole annexe's layout, in its units.
    pub size: (f32, f32),
    /// Each part's page, in order; empty when the annexe prints whole on one page.
    pub parts: Vec<PrintedPart>,
}

/// One page of an annexe cut into parts, in the Word file.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPart {
    /// The part's title, e.g. « Annexe 1 (partie 2 sur 3) » (labels: `annexe.part`).
    pub title: String,
    /// The rectangles of the whole picture it shows, top to bottom, in the layout's units.
    pub pieces: Vec<Rect>,
}

/// The scale (points per unit of the layout) at which `l` fits `room`.
fn scale(l: &Layout, room: (f32, f32)) -> f32 {
    (room.0 / l.width).min(room.1 / l.height)
}

/// The pages of the annexe `c` (laid out whole as `whole`), on `paper`; `titled(part,
/// parts)` titles a part (from 1).
pub(crate) fn sheets(
    c: &Content,
    whole: Layout,
    paper: Paper,
    titled: &dyn Fn(usize, usize) -> Line,
) -> Sheets {
    let smallest = all_lines(c).map(|l| l.size).fold(f32::MAX, f32::min);
    let least = MIN_TEXT_PT / smallest;
    let fits = |landscape: bool| {
        let k = scale(&whole, room(paper, landscape));
        (k >= least).then_some((k, landscape))
    };
    if let Some((_, landscape)) = [fits(false), fits(true)]
        .into_iter()
        .flatten()
        .reduce(|a, b| if b.0 > a.0 { b } else { a })
    {
        let all = (
            (0..c.boxes.len()).collect(),
            (0..c.headings.len()).collect(),
        );
        return Sheets {
            landscape,
            parts: vec![whole],
            groups: vec![all],
        };
    }
    // A part's title is reckoned as wide as « 99 sur 99 »: its width only decides whether a
    // part fits when the title alone is wider than the page, which no cut mends (digits are
    // all as wide, so « 120 sur 120 » is as wide as « 999 sur 999 »).
    let widest_title = titled(99, 99);
    let title_w = font::measure(&widest_title.text, widest_title.size, widest_title.bold);
    let cut = |landscape: bool| {
        let (w, h) = room(paper, landscape);
        let groups = groups(c, &whole, title_w, (w / least, h / least));
        (groups, landscape)
    };
    let (portrait, landscape) = (cut(false), cut(true));
    // Fewer pages wins; on a tie, landscape (a state column is wide, a row is short).
    let (groups, landscape) = if landscape.0.len() <= portrait.0.len() {
        landscape
    } else {
        portrait
    };
    let n = groups.len();
    let parts = groups
        .iter()
        .enumerate()
        .map(|(i, (rows, cols))| layout(&part(c, rows, cols, titled(i + 1, n))))
        .collect();
    Sheets {
        landscape,
        parts,
        groups,
    }
}

/// The pieces of the whole annexe's picture (`whole`) that show the part of VM rows `rows`
/// and state columns `cols`, top to bottom, in its units: the headings of those columns,
/// those rows (with the headings, in one piece, when they are the first ones), and the
/// legend; each with room for the boxes' outlines. The Word file shows a part so, cut
/// from the one picture of the annexe rather than drawn again.
pub(crate) fn pieces(whole: &Layout, rows: &[usize], cols: &[usize]) -> Vec<Rect> {
    let pad = STROKE + 1.0;
    let (Some(&c0), Some(&c1), Some(&r0), Some(&r1)) =
        (cols.first(), cols.last(), rows.first(), rows.last())
    else {
        return Vec::new();
    };
    let head = whole.headings[c0].1;
    let x = head.x - pad;
    let span = |top: f32, bottom: f32| Rect {
        x,
        y: top,
        w: whole.headings[c1].1.right() + pad - x,
        h: bottom - top,
    };
    let row_bottom = (whole.boxes[r1].iter())
        .map(|b| b.rect.bottom())
        .fold(0.0, f32::max);
    let mut out = if r0 == 0 {
        vec![span(head.y - pad, row_bottom + pad)]
    } else {
        let row_top = whole.boxes[r0][c0].rect.y;
        vec![
            span(head.y - pad, head.bottom() + pad),
            span(row_top - pad, row_bottom + pad),
        ]
    };
    let l = whole.legend.rect;
    out.push(Rect {
        x: l.x - pad,
        y: l.y - pad,
        w: l.w + 2.0 * pad,
        h: l.h + 2.0 * pad,
    });
    out
}

/// The parts of `c` whose layout fits `most` (width, height in layout units): row groups,
/// then within each the column groups. Sizes are read from the whole annexe's layout
/// (`whole`), without laying any part out: a column is as wide as its widest box there,
/// a row as tall as its tallest, so a part is never larger than reckoned. A part's title
/// is reckoned as wide as `title_w`. A single row or column that does not fit is a part of
/// its own all the same.
fn groups(
    c: &Content,
    whole: &Layout,
    title_w: f32,
    most: (f32, f32),
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let all_rows: Vec<usize> = (0..c.boxes.len()).collect();
    let all_cols: Vec<usize> = (0..c.headings.len()).collect();
    let least_w = 2.0 * MARGIN + whole.legend.rect.w.max(title_w);
    let fits_w = |cols: &[usize]| {
        let grid: f32 = cols.iter().map(|&s| whole.headings[s].1.w + COL_GAP).sum();
        (2.0 * MARGIN + grid - COL_GAP).max(least_w) <= most.0
    };
    let head = whole.headings.first().map_or(0.0, |(_, r, _)| r.bottom());
    let fixed = head + ROW_GAP + 6.0 + whole.legend.rect.h + MARGIN;
    let fits_h = |rows: &[usize]| {
        let grid: f32 = rows
            .iter()
            .map(|&r| whole.boxes[r].first().map_or(0.0, |b| b.rect.h) + ROW_GAP)
            .sum();
        fixed + grid <= most.1
    };
    let col_groups = greedy(&all_cols, &fits_w);
    let row_groups = greedy(&all_rows, &fits_h);
    row_groups
        .iter()
        .flat_map(|rows| {
            col_groups
                .iter()
                .map(move |cols| (rows.clone(), cols.clone()))
        })
        .collect()
}

/// `items` cut in order into runs as long as `fits` allows (at least one item each).
fn greedy(items: &[usize], fits: &dyn Fn(&[usize]) -> bool) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for &i in items {
        run.push(i);
        if run.len() > 1 && !fits(&run) {
            run.pop();
            out.push(std::mem::replace(&mut run, vec![i]));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The annexe `c` restricted to the VM rows `rows` and the state columns `cols`, titled
/// `title`; the legend whole.
fn part(c: &Content, rows: &[usize], cols: &[usize], title: Line) -> Content {
    Content {
        title,
        description: c.description.clone(),
        headings: cols.iter().map(|&s| c.headings[s].clone()).collect(),
        boxes: rows
            .iter()
            .map(|&r| cols.iter().map(|&s| c.boxes[r][s].clone()).collect())
            .collect(),
        legend_title: c.legend_title.clone(),
        legend: c.legend.clone(),
        actions: c.actions.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Labels;
    use crate::render::annexe::content::{self, line};
    use crate::render::annexe::style::{INK, TITLE_SIZE};

    fn titled(i: usize, n: usize) -> Line {
        line(&format!("Annexe ({i} sur {n})"), TITLE_SIZE, true, INK)
    }

    /// What `l`'s smallest text (13 units) prints at in `room`, reckoned here rather than
    /// by `scale`, so that a fault there shows.
    fn printed(l: &Layout, room: (f32, f32)) -> f32 {
        13.0 * f32::min(room.0 / l.width, room.1 / l.height)
    }

    fn smallest_print(s: &Sheets, paper: Paper) -> f32 {
        let room = room(paper, s.landscape);
        s.parts
            .iter()
            .map(|l| printed(l, room))
            .fold(f32::MAX, f32::min)
    }

    fn sample_content(vms: usize, seed: u64) -> Content {
        let text = crate::sample::inventory(crate::sample::Shape {
            seed,
            instances: 1,
            vms,
            vary: false,
            hostile: false,
        });
        let plan = crate::fixtures::plan_of(&text);
        content::content(&plan, &plan.instances[0], &Labels::defaults()).unwrap()
    }

    #[test]
    fn the_scale_is_the_tighter_side() {
        let l = layout(&sample_content(1, 3));
        assert_eq!(scale(&l, (l.width * 2.0, l.height)), 1.0);
        assert_eq!(scale(&l, (l.width, l.height * 3.0)), 1.0);
        assert_eq!(scale(&l, (l.width / 2.0, l.height)), 0.5);
        assert_eq!(scale(&l, (l.width, l.height / 4.0)), 0.25);
    }

    const PINNED: [(Paper, usize, bool); 2] = [(Paper::Letter, 16, false), (Paper::A4, 16, false)];

    /// The parts of a 14-VM annexe, pinned: how many, and in which orientation. They change
    /// when the annexe's sizes do (style.rs); each part must then still print at 7 pt, and
    /// no fewer pages must do.
    #[test]
    fn the_fewest_parts_that_print_at_7_pt() {
        let c = sample_content(14, 3);
        let whole = layout(&c);
        for (paper, parts, landscape) in PINNED {
            let s = sheets(&c, whole.clone(), paper, &titled);
            assert_eq!(
                (s.parts.len(), s.landscape),
                (parts, landscape),
                "{paper:?}"
            );
            assert!(smallest_print(&s, paper) >= MIN_TEXT_PT - 0.01);
        }
    }

    #[test]
    fn a_small_annexe_stays_whole_in_the_orientation_where_it_prints_larger() {
        let plan = crate::fixtures::seed_plan();
        let c = content::content(&plan, &plan.instances[1], &Labels::defaults()).unwrap();
        let whole = layout(&c);
        let s = sheets(&c, whole.clone(), Paper::Letter, &titled);
        assert_eq!(s.parts.len(), 1);
        assert_eq!(s.parts[0].title.line.text, c.title.text, "no part number");
        let (p, l) = (
            printed(&whole, room(Paper::Letter, false)),
            printed(&whole, room(Paper::Letter, true)),
        );
        assert_ne!(p, l);
        assert_eq!(s.landscape, l > p, "portrait {p} pt, landscape {l} pt");
        assert!(smallest_print(&s, Paper::Letter) >= MIN_TEXT_PT);
    }

    #[test]
    fn the_room_of_a_page() {
        let (w, h) = room(Paper::Letter, false);
        assert!(
            (w - 498.6).abs() < 0.1 && (h - 0.78 * 661.6).abs() < 0.1,
            "{w} {h}"
        );
        let (w, h) = room(Paper::A4, true);
        assert!(
            (w - 728.5).abs() < 0.1 && (h - 0.78 * 465.0).abs() < 0.2,
            "{w} {h}"
        );
    }

    #[test]
    fn a_large_annexe_is_cut_and_every_part_prints_at_7_pt() {
        let text = crate::sample::inventory(crate::sample::Shape {
            seed: 3,
            instances: 1,
            vms: 14,
            vary: false,
            hostile: false,
        });
        let plan = crate::fixtures::plan_of(&text);
        let inst = &plan.instances[0];
        let c = content::content(&plan, inst, &Labels::defaults()).unwrap();
        let whole = layout(&c);
        for paper in [Paper::Letter, Paper::A4] {
            let s = sheets(&c, whole.clone(), paper, &titled);
            assert!(s.parts.len() > 1, "{} × {}", whole.width, whole.height);
            assert!(smallest_print(&s, paper) >= MIN_TEXT_PT - 0.01);
            let boxes: usize = s
                .parts
                .iter()
                .map(|p| p.boxes.iter().flatten().count())
                .sum();
            assert_eq!(boxes, c.boxes.iter().flatten().count(), "every box once");
            let n = s.parts.len();
            assert_eq!(
                s.parts[n - 1].title.line.text,
                format!("Annexe ({n} sur {n})")
            );
        }
    }

    /// A part's pieces of the whole picture show its boxes and headings whole, no other
    /// box or heading, and the legend; the first row group's headings and rows are one piece.
    #[test]
    fn the_pieces_of_a_part_show_its_boxes_and_nothing_else() {
        let c = sample_content(14, 3);
        let whole = layout(&c);
        let s = sheets(&c, whole.clone(), Paper::Letter, &titled);
        assert!(s.groups.len() > 1);
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: whole.width,
            h: whole.height,
        };
        for (rows, cols) in &s.groups {
            let pieces = pieces(&whole, rows, cols);
            assert_eq!(pieces.len(), if rows[0] == 0 { 2 } else { 3 });
            assert!(pieces.iter().all(|p| bounds.contains(p)), "{pieces:?}");
            let (grid, legend) = pieces.split_at(pieces.len() - 1);
            // Room for the outlines (half a stroke beyond a box) and a point more.
            let (l, pad) = (whole.legend.rect, STROKE + 1.0);
            let around = |r: Rect| (r.x - pad, r.y - pad, r.w + 2.0 * pad, r.h + 2.0 * pad);
            let legend_piece = (legend[0].x, legend[0].y, legend[0].w, legend[0].h);
            assert_eq!(legend_piece, around(l));
            assert_eq!(grid[0].x, whole.headings[cols[0]].1.x - pad);
            let shown = |r: &Rect| grid.iter().any(|p| p.contains(r));
            let touched = |r: &Rect| grid.iter().any(|p| p.overlaps(r));
            for (v, row) in whole.boxes.iter().enumerate() {
                for (st, b) in row.iter().enumerate() {
                    let ours = rows.contains(&v) && cols.contains(&st);
                    assert_eq!(shown(&b.rect), ours, "box {v}, {st} in {rows:?} × {cols:?}");
                    assert_eq!(touched(&b.rect), ours, "box {v}, {st}: a sliver shows");
                }
            }
            for (st, (_, r, _)) in whole.headings.iter().enumerate() {
                assert_eq!(shown(r), cols.contains(&st), "heading {st}");
                assert_eq!(touched(r), cols.contains(&st), "heading {st}");
            }
        }
        assert!(pieces(&whole, &[], &[0]).is_empty());
    }

    /// One box that fits both orientations: it goes where it prints larger.
    #[test]
    fn a_whole_annexe_takes_the_orientation_where_it_prints_larger() {
        let c = sample_content(1, 7);
        let one = part(&c, &[0], &[0], c.title.clone());
        let whole = layout(&one);
        for paper in [Paper::Letter, Paper::A4] {
            let s = sheets(&one, whole.clone(), paper, &titled);
            assert_eq!(s.parts.len(), 1);
            let p = printed(&whole, room(paper, false));
            let l = printed(&whole, room(paper, true));
            assert!(p >= MIN_TEXT_PT && l >= MIN_TEXT_PT && p != l, "{p} {l}");
            assert_eq!(s.landscape, l > p, "portrait {p} pt, landscape {l} pt");
        }
    }

    #[test]
    fn greedy_runs_are_as_long_as_they_fit() {
        let fits = |run: &[usize]| run.len() <= 2;
        assert_eq!(
            greedy(&[0, 1, 2, 3, 4], &fits),
            vec![vec![0, 1], vec![2, 3], vec![4]]
        );
        let never = |_: &[usize]| false;
        assert_eq!(greedy(&[0, 1], &never), vec![vec![0], vec![1]]);
        assert!(greedy(&[], &fits).is_empty());
    }
}
