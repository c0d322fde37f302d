//! Stage 4 of an annexe — emit: the layout written as a standalone, accessible SVG.
//!
//! **Text in browsers.** The SVG does not embed a font. Every `<text>` carries
//! `font-family="'DejaVu Sans', Verdana, Arial, sans-serif"` and `textLength` = the width
//! measured with DejaVu Sans, with `lengthAdjust="spacingAndGlyphs"`: a browser without
//! DejaVu draws a look-alike squeezed or stretched to exactly the measured width, so no text
//! leaves its box. resvg (the PNG) has the bundled font, so there `textLength` equals the
//! natural width and changes nothing.

use super::layout::{Layout, Rect, Text, lh};
use super::style::{ASCENT, DESCENT, HEAD_FILL, RULE, STROKE};
use crate::font;
use crate::render::xml_escape;
use std::fmt::Write;

/// Baseline of a line of `size` whose line box starts at `top`: the glyph box centred.
fn baseline(top: f32, size: f32) -> f32 {
    top + (lh(size) - size * (ASCENT + DESCENT)) / 2.0 + size * ASCENT
}

struct Out {
    s: String,
}

impl Out {
    fn text(&mut self, id: &str, t: &Text) {
        let l = &t.line;
        if l.text.is_empty() {
            return;
        }
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

    fn rect(&mut self, id: &str, r: &Rect, attrs: &str) {
        let id = if id.is_empty() {
            String::new()
        } else {
            format!(" id=\"{id}\"")
        };
        let _ = writeln!(
            self.s,
            "<rect{id} x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {attrs}/>",
            r.x, r.y, r.w, r.h
        );
    }
}

/// The SVG of `layout`; `prefix` is `annexe-N`, `title` and `description` its accessible
/// name and description.
pub fn svg(layout: &Layout, prefix: &str, title: &str, description: &str) -> String {
    let (w, h) = (layout.width, layout.height);
    let mut o = Out {
        s: String::with_capacity(32 * 1024),
    };
    let _ = writeln!(
        o.s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xml:lang=\"fr\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{prefix}-title {prefix}-desc\" font-family=\"{}\">",
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
    o.rect(
        "",
        &Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
        },
        "fill=\"#ffffff\"",
    );
    o.text(&format!("{prefix}-heading"), &layout.title);
    for (id, rect, text) in &layout.headings {
        let _ = writeln!(o.s, "<g id=\"{id}\" class=\"heading\">");
        o.rect(
            &format!("{id}-rect"),
            rect,
            &format!("fill=\"{HEAD_FILL}\""),
        );
        o.text(&format!("{id}-t0"), text);
        o.s.push_str("</g>\n");
    }
    for b in layout.boxes.iter().flatten() {
        emit_box(&mut o, b);
    }
    emit_legend(&mut o, layout, prefix);
    o.s.push_str("</svg>\n");
    o.s
}

fn emit_box(o: &mut Out, b: &super::layout::BoxLayout) {
    let id = &b.id;
    match &b.colour {
        None => {
            let _ = writeln!(o.s, "<g id=\"{id}\" class=\"vm absent\">");
            o.rect(
                &format!("{id}-rect"),
                &b.rect,
                &format!(
                    "fill=\"none\" stroke=\"{RULE}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""
                ),
            );
        }
        Some(c) => {
            let _ = writeln!(o.s, "<g id=\"{id}\" class=\"vm {}\">", c.key);
            o.rect(
                &format!("{id}-rect"),
                &b.rect,
                &format!(
                    "fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"{STROKE}\"",
                    c.hex
                ),
            );
            if let Some(band) = &b.band {
                o.rect("", band, &format!("fill=\"{}\"", c.hex));
            }
        }
    }
    for (n, t) in b.texts.iter().enumerate() {
        if let Some(r) = b.rule.filter(|r| r.before == n) {
            let _ = writeln!(
                o.s,
                "<path d=\"M{:.1} {:.1}H{:.1}\" stroke=\"{RULE}\" stroke-width=\"1\"/>",
                r.x1, r.y, r.x2
            );
        }
        o.text(&format!("{id}-t{n}"), t);
    }
    o.s.push_str("</g>\n");
}

fn emit_legend(o: &mut Out, layout: &Layout, prefix: &str) {
    let id = format!("{prefix}-legend");
    let l = &layout.legend;
    let _ = writeln!(o.s, "<g id=\"{id}\" class=\"legend\">");
    o.rect(
        &format!("{id}-rect"),
        &l.rect,
        &format!("fill=\"#fafbfc\" stroke=\"{RULE}\" stroke-width=\"1\""),
    );
    let mut texts = l.texts.iter().enumerate();
    if let Some((n, t)) = texts.next() {
        o.text(&format!("{id}-t{n}"), t);
    }
    for (sw, c) in &l.swatches {
        o.rect(
            "",
            sw,
            &format!("fill=\"{}\" class=\"swatch-{}\"", c.hex, c.key),
        );
        for (n, t) in texts.by_ref().take(2) {
            o.text(&format!("{id}-t{n}"), t);
        }
    }
    for (n, t) in texts {
        o.text(&format!("{id}-t{n}"), t);
    }
    o.s.push_str("</g>\n");
}
