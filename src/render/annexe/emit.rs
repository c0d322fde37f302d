//! Stage 4 of an annexe — emit: what is drawn, in which order and with which paint, told
//! to a [`Painter`]. Two painters: the standalone, accessible SVG (here), and the shapes
//! the PDF draws natively ([`super::shapes`]). Both see the same calls, so the picture in
//! the PDF is the SVG's, box for box.
//!
//! **Text in browsers.** The SVG does not embed a font. Every `<text>` carries
//! `font-family="'DejaVu Sans', Verdana, Arial, sans-serif"` and `textLength` = the width
//! measured with DejaVu Sans, with `lengthAdjust="spacingAndGlyphs"`: a browser without
//! DejaVu draws a look-alike squeezed or stretched to exactly the measured width, so no text
//! leaves its box. resvg (the PNG) has the bundled font, so there `textLength` equals the
//! natural width and changes nothing.

use super::layout::{BoxLayout, Layout, Rect, Text, lh};
use super::style::{ASCENT, DESCENT, HEAD_FILL, RULE, STROKE};
use crate::font;
use crate::render::xml_escape;
use std::fmt::Write;

/// Baseline of a line of `size` whose line box starts at `top`: the glyph box centred.
pub(crate) fn baseline(top: f32, size: f32) -> f32 {
    top + (lh(size) - size * (ASCENT + DESCENT)) / 2.0 + size * ASCENT
}

/// How a rectangle is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paint<'a> {
    /// `None`: not filled.
    pub fill: Option<&'a str>,
    /// Colour and width of the outline, if any.
    pub stroke: Option<(&'a str, f32)>,
    /// The outline dashed (6 on, 4 off): a VM absent at this state.
    pub dashed: bool,
    /// The legend's swatch of this colour key.
    pub swatch: Option<&'a str>,
}

impl<'a> Paint<'a> {
    fn fill(colour: &'a str) -> Self {
        Paint {
            fill: Some(colour),
            stroke: None,
            dashed: false,
            swatch: None,
        }
    }
}

/// What an annexe is drawn with. Ids are the SVG's (`annexe-1-vm-2-state-jour-m-rect`);
/// an empty id means none.
pub(crate) trait Painter {
    /// A group of shapes (a box, a heading, the legend) begins; `class` as the SVG's.
    fn begin(&mut self, id: &str, class: &str);
    fn end(&mut self);
    fn rect(&mut self, id: &str, r: &Rect, paint: Paint);
    /// A horizontal rule from `x1` to `x2` at `y`, 1 unit wide, in `RULE`'s colour.
    fn rule(&mut self, x1: f32, x2: f32, y: f32);
    /// A line of text; never called for an empty one.
    fn text(&mut self, id: &str, t: &Text);
}

/// Tells `painter` the whole picture, background first.
pub(crate) fn paint(layout: &Layout, prefix: &str, p: &mut dyn Painter) {
    let whole = Rect {
        x: 0.0,
        y: 0.0,
        w: layout.width,
        h: layout.height,
    };
    p.rect("", &whole, Paint::fill("#ffffff"));
    text(p, &format!("{prefix}-heading"), &layout.title);
    for (id, rect, t) in &layout.headings {
        p.begin(id, "heading");
        p.rect(&format!("{id}-rect"), rect, Paint::fill(HEAD_FILL));
        text(p, &format!("{id}-t0"), t);
        p.end();
    }
    for b in layout.boxes.iter().flatten() {
        paint_box(p, b);
    }
    paint_legend(p, layout, prefix);
}

fn text(p: &mut dyn Painter, id: &str, t: &Text) {
    if !t.line.text.is_empty() {
        p.text(id, t);
    }
}

fn paint_box(p: &mut dyn Painter, b: &BoxLayout) {
    let id = &b.id;
    let rect_id = format!("{id}-rect");
    match &b.colour {
        None => {
            p.begin(id, "vm absent");
            let paint = Paint {
                fill: None,
                stroke: Some((RULE, 1.5)),
                dashed: true,
                swatch: None,
            };
            p.rect(&rect_id, &b.rect, paint);
        }
        Some(c) => {
            p.begin(id, &format!("vm {}", c.key));
            let paint = Paint {
                stroke: Some((c.hex, STROKE)),
                ..Paint::fill("#ffffff")
            };
            p.rect(&rect_id, &b.rect, paint);
            if let Some(band) = &b.band {
                p.rect("", band, Paint::fill(c.hex));
            }
        }
    }
    for (n, t) in b.texts.iter().enumerate() {
        if let Some(r) = b.rule.filter(|r| r.before == n) {
            p.rule(r.x1, r.x2, r.y);
        }
        text(p, &format!("{id}-t{n}"), t);
    }
    p.end();
}

fn paint_legend(p: &mut dyn Painter, layout: &Layout, prefix: &str) {
    let id = format!("{prefix}-legend");
    let l = &layout.legend;
    p.begin(&id, "legend");
    let frame = Paint {
        stroke: Some((RULE, 1.0)),
        ..Paint::fill("#fafbfc")
    };
    p.rect(&format!("{id}-rect"), &l.rect, frame);
    let mut texts = l.texts.iter().enumerate();
    if let Some((n, t)) = texts.next() {
        text(p, &format!("{id}-t{n}"), t);
    }
    for (sw, c) in &l.swatches {
        let paint = Paint {
            swatch: Some(c.key),
            ..Paint::fill(c.hex)
        };
        p.rect("", sw, paint);
        for (n, t) in texts.by_ref().take(2) {
            text(p, &format!("{id}-t{n}"), t);
        }
    }
    for (n, t) in texts {
        text(p, &format!("{id}-t{n}"), t);
    }
    p.end();
}

/// The SVG painter: XML into a string.
struct Svg {
    s: String,
}

impl Painter for Svg {
    fn begin(&mut self, id: &str, class: &str) {
        let _ = writeln!(self.s, "<g id=\"{id}\" class=\"{class}\">");
    }

    fn end(&mut self) {
        self.s.push_str("</g>\n");
    }

    fn rect(&mut self, id: &str, r: &Rect, paint: Paint) {
        let id = if id.is_empty() {
            String::new()
        } else {
            format!(" id=\"{id}\"")
        };
        let _ = write!(
            self.s,
            "<rect{id} x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"",
            r.x,
            r.y,
            r.w,
            r.h,
            paint.fill.unwrap_or("none")
        );
        if let Some((colour, width)) = paint.stroke {
            let _ = write!(self.s, " stroke=\"{colour}\" stroke-width=\"{width}\"");
        }
        if paint.dashed {
            self.s.push_str(" stroke-dasharray=\"6 4\"");
        }
        if let Some(key) = paint.swatch {
            let _ = write!(self.s, " class=\"swatch-{key}\"");
        }
        self.s.push_str("/>\n");
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        let _ = writeln!(
            self.s,
            "<path d=\"M{x1:.1} {y:.1}H{x2:.1}\" stroke=\"{RULE}\" stroke-width=\"1\"/>"
        );
    }

    fn text(&mut self, id: &str, t: &Text) {
        let l = &t.line;
        let _ = writeln!(
            self.s,
            "<text id=\"{id}\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}\"{} fill=\"{}\" textLength=\"{:.2}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
            t.x,
            baseline(t.top, l.size),
            l.size,
            if l.bold { " font-weight=\"bold\"" } else { "" },
            l.fill,
            t.width,
            xml_escape(&l.text)
        );
    }
}

/// The SVG of `layout`; `prefix` is `annexe-N`, `title` and `description` its accessible
/// name and description.
pub(crate) fn svg(layout: &Layout, prefix: &str, title: &str, description: &str) -> String {
    let (w, h) = (layout.width, layout.height);
    let mut o = Svg {
        s: String::with_capacity(32 * 1024),
    };
    let _ = writeln!(
        o.s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xml:lang=\"{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{prefix}-title {prefix}-desc\" font-family=\"{}\">",
        crate::locale::LANGUAGE,
        font::CSS_FAMILY
    );
    let _ = writeln!(
        o.s,
        "<title id=\"{prefix}-title\">{}</title>",
        xml_escape(title)
    );
    let _ = writeln!(
        o.s,
        "<desc id=\"{prefix}-desc\">{}</desc>",
        xml_escape(description)
    );
    paint(layout, prefix, &mut o);
    o.s.push_str("</svg>\n");
    o.s
}
