//! Stages 2 and 3 of an annexe — measure and layout: every line is measured with the
//! bundled font, then placed on a fixed grid (one column per state, one row per VM). A
//! column is as wide as its widest text plus padding, a row as tall as its tallest box.
//! The result is pure data (rectangles and placed texts): the geometry tests run on it.

use super::content::{BoxContent, Content, Line};
use super::style::*;
use crate::font;
use crate::plan::ColourPlan;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// Whether `other` lies inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// A line, measured and placed: `x` its left edge, `top` the top of its line box.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub line: Line,
    pub width: f32,
    pub x: f32,
    pub top: f32,
}

impl Text {
    /// The box the text's glyphs occupy (its line box, as wide as measured).
    pub fn bounds(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.top,
            w: self.width,
            h: lh(self.line.size),
        }
    }
}

#[derive(Debug, Clone)]
pub struct BoxLayout {
    pub id: String,
    /// `None` for the placeholder of a VM absent at this state.
    pub colour: Option<ColourPlan>,
    pub rect: Rect,
    /// The coloured band with the machine name.
    pub band: Option<Rect>,
    /// In drawing order: name, badge, then the body lines (ids `…-t0`, `…-t1`, …).
    pub texts: Vec<Text>,
    /// The rule between the box's facts and its actions.
    pub rule: Option<RuleLine>,
}

/// A horizontal rule drawn just before text number `before` of its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleLine {
    pub before: usize,
    pub y: f32,
    pub x1: f32,
    pub x2: f32,
}

#[derive(Debug, Clone)]
pub struct LegendLayout {
    pub rect: Rect,
    pub swatches: Vec<(Rect, ColourPlan)>,
    pub texts: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub title: Text,
    pub headings: Vec<(String, Rect, Text)>,
    /// `boxes[vm][state]`.
    pub boxes: Vec<Vec<BoxLayout>>,
    pub legend: LegendLayout,
}

/// Height of one line of `size`.
pub(crate) fn lh(size: f32) -> f32 {
    size * LINE
}

fn band_h() -> f32 {
    (lh(NAME_SIZE) + 8.0).ceil()
}

/// Widths of every line of `c`, in one batch, in the order [`all_lines`] gives.
fn measure(c: &Content) -> Vec<f32> {
    let items: Vec<(&str, f32, bool)> = all_lines(c)
        .map(|l| (l.text.as_str(), l.size, l.bold))
        .collect();
    font::measure_all(&items)
}

pub(super) fn all_lines(c: &Content) -> impl Iterator<Item = &Line> {
    let boxes = c.boxes.iter().flatten().flat_map(|b| -> Vec<&Line> {
        match b {
            BoxContent::Absent { line, .. } => vec![line],
            BoxContent::Present {
                name, badge, body, ..
            } => [name, badge].into_iter().chain(body).collect(),
        }
    });
    let legend = c.legend.iter().flat_map(|e| [&e.symbol, &e.text]);
    std::iter::once(&c.title)
        .chain(c.headings.iter().map(|(_, l)| l))
        .chain(boxes)
        .chain(std::iter::once(&c.legend_title))
        .chain(legend)
        .chain(c.actions.iter())
}

/// A box's lines with their widths: (name, badge, body) or the placeholder's one line.
struct Measured<'a> {
    content: &'a BoxContent,
    widths: Vec<f32>,
}

impl Measured<'_> {
    fn w(&self) -> f32 {
        let inner = match self.content {
            BoxContent::Absent { .. } => self.widths[0],
            BoxContent::Present { .. } => {
                let band = self.widths[0] + BADGE_GAP + self.widths[1];
                self.widths[2..].iter().copied().fold(band, f32::max)
            }
        };
        inner + 2.0 * PAD
    }

    fn h(&self) -> f32 {
        match self.content {
            BoxContent::Absent { line, .. } => (VPAD + lh(line.size) + VPAD).ceil(),
            BoxContent::Present {
                body, actions_from, ..
            } => {
                let sep = if *actions_from < body.len() {
                    VPAD
                } else {
                    0.0
                };
                let lines: f32 = body.iter().map(|l| lh(l.size)).sum();
                (band_h() + VPAD + lines + sep + VPAD).ceil()
            }
        }
    }
}

fn place(line: &Line, width: f32, x: f32, top: f32) -> Text {
    Text {
        line: line.clone(),
        width,
        x,
        top,
    }
}

/// Every width of the picture, measured in one batch and handed out in order.
struct Widths<'a> {
    title: f32,
    headings: Vec<f32>,
    boxes: Vec<Vec<Measured<'a>>>,
    legend_title: f32,
    legend: Vec<f32>,
    actions: Option<f32>,
}

fn widths(c: &Content) -> Widths<'_> {
    let mut next = measure(c).into_iter();
    let mut take = |n: usize| -> Vec<f32> { (0..n).map(|_| next.next().unwrap_or(0.0)).collect() };
    let title = take(1)[0];
    let headings = take(c.headings.len());
    let boxes = c
        .boxes
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| {
                    let n = match b {
                        BoxContent::Absent { .. } => 1,
                        BoxContent::Present { body, .. } => 2 + body.len(),
                    };
                    Measured {
                        content: b,
                        widths: take(n),
                    }
                })
                .collect()
        })
        .collect();
    Widths {
        title,
        headings,
        boxes,
        legend_title: take(1)[0],
        legend: take(2 * c.legend.len()),
        actions: c.actions.as_ref().map(|_| take(1)[0]),
    }
}

/// The grid: each column as wide as its widest box or heading, each row as tall as its
/// tallest box. Returns (column x, column width, row height).
fn grid(w: &Widths) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let col_w: Vec<f32> = (0..w.headings.len())
        .map(|si| {
            w.boxes
                .iter()
                .map(|row| row[si].w())
                .fold(w.headings[si] + 2.0 * PAD, f32::max)
                .ceil()
        })
        .collect();
    let col_x = col_w
        .iter()
        .scan(MARGIN, |x, cw| {
            let here = *x;
            *x += cw + COL_GAP;
            Some(here)
        })
        .collect();
    let row_h = w
        .boxes
        .iter()
        .map(|row| row.iter().map(Measured::h).fold(0.0, f32::max))
        .collect();
    (col_x, col_w, row_h)
}

/// Where every rectangle and text of the annexe goes.
pub(crate) fn layout(c: &Content) -> Layout {
    let w = widths(c);
    let (col_x, col_w, row_h) = grid(&w);
    let grid_w = col_w.iter().sum::<f32>() + COL_GAP * col_w.len().saturating_sub(1) as f32;
    let head_top = (MARGIN + lh(TITLE_SIZE) + 16.0).ceil();
    let head_h = (lh(HEAD_SIZE) + 12.0).ceil();
    let headings = c
        .headings
        .iter()
        .enumerate()
        .map(|(si, (id, l))| {
            let rect = Rect {
                x: col_x[si],
                y: head_top,
                w: col_w[si],
                h: head_h,
            };
            let top = head_top + (head_h - lh(HEAD_SIZE)) / 2.0;
            (
                id.clone(),
                rect,
                place(l, w.headings[si], col_x[si] + PAD, top),
            )
        })
        .collect();
    let mut y = head_top + head_h + ROW_GAP;
    let mut boxes = Vec::with_capacity(w.boxes.len());
    for (row, h) in w.boxes.iter().zip(&row_h) {
        let rect = |si: usize| Rect {
            x: col_x[si],
            y,
            w: col_w[si],
            h: *h,
        };
        boxes.push(
            row.iter()
                .enumerate()
                .map(|(si, m)| place_box(m, rect(si)))
                .collect(),
        );
        y += h + ROW_GAP;
    }
    let legend = place_legend(c, y + 6.0, w.legend_title, &w.legend, w.actions);
    let widest = [
        grid_w,
        w.title,
        legend.rect.w,
        w.headings.iter().sum::<f32>(),
    ];
    Layout {
        width: (MARGIN * 2.0 + widest.into_iter().fold(0.0, f32::max)).ceil(),
        height: (legend.rect.bottom() + MARGIN).ceil(),
        title: place(&c.title, w.title, MARGIN, MARGIN),
        headings,
        boxes,
        legend,
    }
}

fn place_box(m: &Measured, rect: Rect) -> BoxLayout {
    match m.content {
        BoxContent::Absent { id, line } => BoxLayout {
            id: id.clone(),
            colour: None,
            rect,
            band: None,
            texts: vec![place(line, m.widths[0], rect.x + PAD, rect.y + VPAD)],
            rule: None,
        },
        BoxContent::Present {
            id,
            colour,
            name,
            badge,
            body,
            actions_from,
        } => {
            let band = Rect {
                h: band_h(),
                ..rect
            };
            let mut texts = vec![
                place(
                    name,
                    m.widths[0],
                    rect.x + PAD,
                    rect.y + (band.h - lh(NAME_SIZE)) / 2.0,
                ),
                place(
                    badge,
                    m.widths[1],
                    rect.right() - PAD - m.widths[1],
                    rect.y + (band.h - lh(BADGE_SIZE)) / 2.0,
                ),
            ];
            let mut ty = rect.y + band.h + VPAD;
            let mut rule = None;
            for (li, (l, w)) in body.iter().zip(&m.widths[2..]).enumerate() {
                if li == *actions_from {
                    rule = Some(RuleLine {
                        before: texts.len(),
                        y: ty + VPAD / 2.0,
                        x1: rect.x + PAD,
                        x2: rect.right() - PAD,
                    });
                    ty += VPAD;
                }
                texts.push(place(l, *w, rect.x + PAD, ty));
                ty += lh(l.size);
            }
            BoxLayout {
                id: id.clone(),
                colour: Some(ColourPlan::clone(colour)),
                rect,
                band: Some(band),
                texts,
                rule,
            }
        }
    }
}

fn place_legend(
    c: &Content,
    top: f32,
    title_w: f32,
    entry_w: &[f32],
    actions_w: Option<f32>,
) -> LegendLayout {
    let entry_h = lh(LEGEND_SIZE).max(SWATCH) + 6.0;
    let inner_w = (0..c.legend.len())
        .map(|i| SWATCH + 10.0 + entry_w[2 * i + 1])
        .chain(actions_w)
        .fold(title_w, f32::max);
    let h = VPAD
        + lh(HEAD_SIZE)
        + 4.0
        + entry_h * c.legend.len() as f32
        + actions_w.map_or(0.0, |_| lh(LEGEND_SIZE) + 4.0)
        + VPAD;
    let rect = Rect {
        x: MARGIN,
        y: top,
        w: (inner_w + 2.0 * PAD).ceil(),
        h: h.ceil(),
    };
    let mut texts = vec![place(&c.legend_title, title_w, MARGIN + PAD, top + VPAD)];
    let mut swatches = Vec::new();
    let mut ty = top + VPAD + lh(HEAD_SIZE) + 4.0;
    for (i, e) in c.legend.iter().enumerate() {
        let (sym_w, text_w) = (entry_w[2 * i], entry_w[2 * i + 1]);
        let sw = Rect {
            x: MARGIN + PAD,
            y: ty + (entry_h - SWATCH) / 2.0,
            w: SWATCH,
            h: SWATCH,
        };
        texts.push(place(
            &e.symbol,
            sym_w,
            sw.x + (SWATCH - sym_w) / 2.0,
            sw.y + (SWATCH - lh(e.symbol.size)) / 2.0,
        ));
        texts.push(place(
            &e.text,
            text_w,
            sw.right() + 10.0,
            ty + (entry_h - lh(e.text.size)) / 2.0,
        ));
        swatches.push((sw, e.colour.clone()));
        ty += entry_h;
    }
    if let (Some(l), Some(w)) = (&c.actions, actions_w) {
        texts.push(place(l, w, MARGIN + PAD, ty + 4.0));
    }
    LegendLayout {
        rect,
        swatches,
        texts,
    }
}
