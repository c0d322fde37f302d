//! Stage 4, for the PDF — the annexe as plain shapes (rectangles, rules, lines of text at
//! their baselines), which `document.typ` draws natively. Typst then lays out a few hundred
//! small shapes per annexe instead of parsing an SVG image into a usvg tree that holds
//! every glyph as an outline beside the text (4.6 MB for an annexe of 20 VMs, for the
//! whole typesetting): a third less time and 150 MB less at 100 annexes.

use super::emit::{Paint, Painter, baseline};
use super::layout::{Layout, Rect, Text};
use super::style::RULE;
use serde::Serialize;

/// One annexe, or one part of it, in the SVG's units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drawing {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

/// An annexe as the PDF prints it (what `document.typ` reads as `data.drawings.at(src)`):
/// its orientation, and one drawing per page (see `pages`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheets {
    pub landscape: bool,
    pub parts: Vec<Drawing>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<String>,
        /// Outline colour and width.
        stroke: Option<(String, f32)>,
        dashed: bool,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        stroke: String,
    },
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        fill: String,
        text: String,
    },
}

impl Painter for Drawing {
    fn begin(&mut self, _id: &str, _class: &str) {}

    fn end(&mut self) {}

    fn rect(&mut self, _id: &str, r: &Rect, paint: Paint) {
        self.shapes.push(Shape::Rect {
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
            fill: paint.fill.map(str::to_string),
            stroke: paint.stroke.map(|(c, w)| (c.to_string(), w)),
            dashed: paint.dashed,
        });
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        self.shapes.push(Shape::Rule {
            x1,
            x2,
            y,
            stroke: RULE.to_string(),
        });
    }

    fn text(&mut self, _id: &str, t: &Text) {
        let l = &t.line;
        self.shapes.push(Shape::Text {
            x: t.x,
            baseline: baseline(t.top, l.size),
            size: l.size,
            bold: l.bold,
            fill: l.fill.to_string(),
            text: l.text.clone(),
        });
    }
}

/// The shapes of `layout`, in the SVG's order (what is drawn later covers what came before).
pub(crate) fn drawing(layout: &Layout, prefix: &str) -> Drawing {
    let mut d = Drawing {
        width: layout.width,
        height: layout.height,
        shapes: Vec::new(),
    };
    super::emit::paint(layout, prefix, &mut d);
    d
}
