//! The annexe schema of one instance: a standalone, accessible SVG.
//!
//! Layout is a fixed grid: one column per state, one row per VM (inventory order). A column
//! is as wide as its widest text, measured with the bundled DejaVu Sans through usvg's own
//! layout ([`crate::font::measure`]), plus padding; a row is as tall as its tallest box. The
//! picture grows with the inventory, never shrinks its text, and nothing overlaps.
//!
//! **Text in browsers.** The SVG does not embed a font. Every `<text>` carries
//! `font-family="'DejaVu Sans', Verdana, Arial, sans-serif"` and
//! `textLength` = the width measured with DejaVu Sans, with
//! `lengthAdjust="spacingAndGlyphs"`: a browser without DejaVu draws a look-alike squeezed or
//! stretched to exactly the measured width, so no text leaves its box. resvg (the PNG) has the
//! bundled font, so there `textLength` equals the natural width and changes nothing.
//!
//! Each box is a `<g id="…">` holding a `<rect id="…-rect">` then texts `id="…-t0"`, `…-t1`,
//! …: tests (and anyone) can pair a text with its box. Box ids are stable:
//! [`box_id`] gives `annexe-1-vm-2-state-jour-m` (VMs counted from 1 in inventory order).
//!
//! Colours are read from the plan ([`crate::plan::CellPlan::colour`]), never recomputed.

use std::fmt::Write;

use super::{clean_text, slug, xml_escape};
use crate::font;
use crate::plan::{Colour, InstancePlan, Plan};

/// Space around the picture.
pub const MARGIN: f32 = 32.0;
/// Stroke width of a VM box.
pub const STROKE: f32 = 3.0;
const TITLE_SIZE: f32 = 24.0;
const HEAD_SIZE: f32 = 15.0;
const NAME_SIZE: f32 = 16.0;
const BADGE_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 14.0;
const LEGEND_SIZE: f32 = 14.0;
/// Line height, in font sizes.
const LINE: f32 = 1.45;
/// DejaVu Sans ascent and descent, in font sizes (hhea: 1901 and 483 of 2048).
const ASCENT: f32 = 0.928;
const DESCENT: f32 = 0.236;
/// Horizontal padding inside a box.
const PAD: f32 = 12.0;
/// Vertical padding inside a box body.
const VPAD: f32 = 8.0;
const BADGE_GAP: f32 = 16.0;
const COL_GAP: f32 = 28.0;
const ROW_GAP: f32 = 18.0;
const SWATCH: f32 = 20.0;
const INK: &str = "#1a1a1a";
const MUTED: &str = "#595959";
const HEAD_FILL: &str = "#e8edf3";
const RULE: &str = "#c9d1dc";

/// The id of the box of VM `vm` (index in `inst.vms`) at state `state` (index in
/// `inst.columns`).
pub fn box_id(inst: &InstancePlan, vm: usize, state: usize) -> String {
    format!(
        "annexe-{}-vm-{}-state-{}",
        inst.annexe,
        vm + 1,
        slug(&inst.columns[state].state_id)
    )
}

/// The id of the heading box of column `state`.
pub fn heading_id(inst: &InstancePlan, state: usize) -> String {
    format!(
        "annexe-{}-heading-{}",
        inst.annexe,
        slug(&inst.columns[state].state_id)
    )
}

/// The id of the legend box.
pub fn legend_id(inst: &InstancePlan) -> String {
    format!("annexe-{}-legend", inst.annexe)
}

/// One line of text, cleaned, with its measured width.
#[derive(Clone)]
struct Line {
    text: String,
    size: f32,
    bold: bool,
    fill: &'static str,
    width: f32,
}

fn line(text: &str, size: f32, bold: bool, fill: &'static str) -> Line {
    Line {
        text: clean_text(text),
        size,
        bold,
        fill,
        width: 0.0,
    }
}

/// Height of one line of `size`.
fn lh(size: f32) -> f32 {
    size * LINE
}

/// Baseline of a line of `size` whose line box starts at `top`: the glyph box centred.
fn baseline(top: f32, size: f32) -> f32 {
    top + (lh(size) - size * (ASCENT + DESCENT)) / 2.0 + size * ASCENT
}

struct CellBox {
    id: String,
    /// `None`: the VM does not exist at this state.
    colour: Option<Colour>,
    name: Line,
    badge: Line,
    body: Vec<Line>,
    /// Index in `body` of the first action line.
    actions_from: usize,
}

impl CellBox {
    fn band_h(&self) -> f32 {
        (lh(NAME_SIZE) + 8.0).ceil()
    }

    fn content_w(&self) -> f32 {
        let band = match self.colour {
            Some(_) => self.name.width + BADGE_GAP + self.badge.width,
            None => 0.0,
        };
        self.body.iter().map(|l| l.width).fold(band, f32::max) + 2.0 * PAD
    }

    fn content_h(&self) -> f32 {
        let band = if self.colour.is_some() {
            self.band_h()
        } else {
            0.0
        };
        let sep = if self.actions_from < self.body.len() {
            VPAD
        } else {
            0.0
        };
        let lines: f32 = self.body.iter().map(|l| lh(l.size)).sum();
        (band + VPAD + lines + sep + VPAD).ceil()
    }
}

struct Out {
    s: String,
}

impl Out {
    fn text(&mut self, id: &str, x: f32, top: f32, l: &Line) {
        if l.text.is_empty() {
            return;
        }
        let _ = writeln!(
            self.s,
            "<text id=\"{id}\" x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{}\"{} fill=\"{}\" textLength=\"{:.2}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
            baseline(top, l.size),
            l.size,
            if l.bold { " font-weight=\"bold\"" } else { "" },
            l.fill,
            l.width,
            xml_escape(&l.text)
        );
    }

    fn rect(&mut self, id: &str, x: f32, y: f32, w: f32, h: f32, attrs: &str) {
        let id = if id.is_empty() {
            String::new()
        } else {
            format!(" id=\"{id}\"")
        };
        let _ = writeln!(
            self.s,
            "<rect{id} x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" {attrs}/>"
        );
    }
}

/// Every line of the picture, so they can be measured in one batch.
fn measure(lines: &mut [&mut Line]) {
    let items: Vec<(&str, f32, bool)> = lines
        .iter()
        .map(|l| (l.text.as_str(), l.size, l.bold))
        .collect();
    let widths = font::measure_all(&items);
    for (l, w) in lines.iter_mut().zip(widths) {
        l.width = w;
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A French sentence describing the schema, for `<desc>`.
fn description(plan: &Plan, inst: &InstancePlan) -> String {
    let headings: Vec<String> = inst
        .columns
        .iter()
        .map(|c| c.heading.to_lowercase())
        .collect();
    let colours: Vec<String> = plan
        .legend
        .iter()
        .map(|e| format!("{} {} : {}", e.symbol, e.name, e.meaning))
        .collect();
    format!(
        "Schéma de la migration de {} vers Moodle {} : {} sur {} ({}). \
         Chaque boîte donne le nom de la machine, ses noms DNS, son adresse IP, son rôle et \
         les interventions demandées ; sa couleur suit la légende ({}). \
         En tout : {}, {}, {}.",
        inst.name,
        plan.moodle_target_branch,
        plural(inst.vms.len(), "machine virtuelle", "machines virtuelles"),
        plural(inst.columns.len(), "état", "états"),
        headings.join(" ; "),
        colours.join(" ; "),
        plural(inst.to_create, "création", "créations"),
        plural(inst.deleted.len(), "suppression", "suppressions"),
        plural(
            inst.dns_moves.len(),
            "changement de DNS",
            "changements de DNS"
        ),
    )
}

/// The annexe schema of `inst` as a standalone SVG document (UTF-8, byte-identical across
/// runs).
pub fn svg(plan: &Plan, inst: &InstancePlan) -> String {
    let n_states = inst.columns.len();
    let prefix = format!("annexe-{}", inst.annexe);

    // 1. The texts.
    let mut title = line(&inst.annexe_title, TITLE_SIZE, true, INK);
    let mut headings: Vec<Line> = inst
        .columns
        .iter()
        .map(|c| line(&c.heading, HEAD_SIZE, true, INK))
        .collect();
    let mut cells: Vec<Vec<CellBox>> = inst
        .vms
        .iter()
        .enumerate()
        .map(|(vi, vm)| {
            (0..n_states)
                .map(|si| {
                    let id = box_id(inst, vi, si);
                    let Some(cell) = vm.cells.get(si).filter(|c| c.present) else {
                        return CellBox {
                            id,
                            colour: None,
                            name: line("", NAME_SIZE, true, INK),
                            badge: line("", BADGE_SIZE, true, INK),
                            body: vec![line(
                                &format!("{} : absente à cet état", vm.machine),
                                BODY_SIZE,
                                false,
                                MUTED,
                            )],
                            actions_from: 1,
                        };
                    };
                    let c = cell.colour;
                    let mut body: Vec<Line> = Vec::new();
                    if cell.dns.is_empty() {
                        body.push(line("DNS : aucun", BODY_SIZE, false, MUTED));
                    }
                    for d in &cell.dns {
                        body.push(line(&format!("DNS : {d}"), BODY_SIZE, false, INK));
                    }
                    body.push(match &cell.ip {
                        Some(ip) => line(&format!("IP : {ip}"), BODY_SIZE, false, INK),
                        None => line("IP à attribuer", BODY_SIZE, false, INK),
                    });
                    if !clean_text(&cell.role).is_empty() {
                        body.push(line(&cell.role, BODY_SIZE, false, INK));
                    }
                    let actions_from = body.len();
                    for a in &cell.actions {
                        body.push(line(&a.text, BODY_SIZE, true, c.hex()));
                    }
                    CellBox {
                        id,
                        colour: Some(c),
                        name: line(&vm.machine, NAME_SIZE, true, "#ffffff"),
                        badge: line(
                            &format!("{} {}", c.symbol(), c.name()),
                            BADGE_SIZE,
                            true,
                            "#ffffff",
                        ),
                        body,
                        actions_from,
                    }
                })
                .collect()
        })
        .collect();
    let mut legend_title = line("Légende", HEAD_SIZE, true, INK);
    let mut legend: Vec<(Line, Line)> = plan
        .legend
        .iter()
        .map(|e| {
            (
                line(e.symbol, BADGE_SIZE, true, "#ffffff"),
                line(
                    &format!("{} – {}", e.name, e.meaning),
                    LEGEND_SIZE,
                    false,
                    INK,
                ),
            )
        })
        .collect();
    // The action symbols used in this annexe, in order of first appearance.
    let mut kinds: Vec<(&str, String)> = Vec::new();
    for vm in &inst.vms {
        for cell in &vm.cells {
            for a in &cell.actions {
                let shown = format!("{} {}", a.symbol, a.word);
                if !kinds.iter().any(|(_, s)| *s == shown) {
                    kinds.push((a.kind, shown));
                }
            }
        }
    }
    let mut actions_line = (!kinds.is_empty()).then(|| {
        let list: Vec<&str> = kinds.iter().map(|(_, s)| s.as_str()).collect();
        line(
            &format!("Interventions : {}", list.join(" · ")),
            LEGEND_SIZE,
            false,
            INK,
        )
    });

    {
        let mut all: Vec<&mut Line> = vec![&mut title, &mut legend_title];
        all.extend(headings.iter_mut());
        for row in cells.iter_mut() {
            for c in row.iter_mut() {
                all.push(&mut c.name);
                all.push(&mut c.badge);
                all.extend(c.body.iter_mut());
            }
        }
        for (s, t) in legend.iter_mut() {
            all.push(s);
            all.push(t);
        }
        if let Some(l) = actions_line.as_mut() {
            all.push(l);
        }
        measure(&mut all);
    }

    // 2. The grid.
    let col_w: Vec<f32> = (0..n_states)
        .map(|si| {
            cells
                .iter()
                .map(|row| row[si].content_w())
                .fold(headings[si].width + 2.0 * PAD, f32::max)
                .ceil()
        })
        .collect();
    let col_x: Vec<f32> = col_w
        .iter()
        .scan(MARGIN, |x, w| {
            let here = *x;
            *x += w + COL_GAP;
            Some(here)
        })
        .collect();
    let grid_w: f32 = col_w.iter().sum::<f32>() + COL_GAP * (n_states.saturating_sub(1)) as f32;
    let row_h: Vec<f32> = cells
        .iter()
        .map(|row| row.iter().map(CellBox::content_h).fold(0.0, f32::max))
        .collect();

    let title_top = MARGIN;
    let head_top = (title_top + lh(TITLE_SIZE) + 16.0).ceil();
    let head_h = (lh(HEAD_SIZE) + 12.0).ceil();
    let rows_top = head_top + head_h + ROW_GAP;
    let mut row_y = Vec::with_capacity(row_h.len());
    let mut y = rows_top;
    for h in &row_h {
        row_y.push(y);
        y += h + ROW_GAP;
    }
    let legend_top = y + 6.0;
    let entry_h = lh(LEGEND_SIZE).max(SWATCH) + 6.0;
    let legend_inner_w = legend
        .iter()
        .map(|(_, t)| SWATCH + 10.0 + t.width)
        .chain(actions_line.iter().map(|l| l.width))
        .fold(legend_title.width, f32::max);
    let legend_w = (legend_inner_w + 2.0 * PAD).ceil();
    let legend_h = (VPAD
        + lh(HEAD_SIZE)
        + 4.0
        + entry_h * legend.len() as f32
        + actions_line.as_ref().map_or(0.0, |l| lh(l.size) + 4.0)
        + VPAD)
        .ceil();
    let width = (MARGIN * 2.0
        + grid_w
            .max(title.width)
            .max(legend_w)
            .max(headings.iter().map(|h| h.width).sum::<f32>()))
    .ceil();
    let height = (legend_top + legend_h + MARGIN).ceil();

    // 3. The document.
    let mut o = Out {
        s: String::with_capacity(32 * 1024),
    };
    let _ = writeln!(
        o.s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xml:lang=\"fr\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{prefix}-title {prefix}-desc\" font-family=\"{}\">",
        font::CSS_FAMILY
    );
    let _ = writeln!(
        o.s,
        "<title id=\"{prefix}-title\">{}</title>",
        xml_escape(&clean_text(&inst.annexe_title))
    );
    let _ = writeln!(
        o.s,
        "<desc id=\"{prefix}-desc\">{}</desc>",
        xml_escape(&clean_text(&description(plan, inst)))
    );
    o.rect("", 0.0, 0.0, width, height, "fill=\"#ffffff\"");
    o.text(&format!("{prefix}-heading"), MARGIN, title_top, &title);

    for (si, h) in headings.iter().enumerate() {
        let id = heading_id(inst, si);
        let _ = writeln!(o.s, "<g id=\"{id}\" class=\"heading\">");
        o.rect(
            &format!("{id}-rect"),
            col_x[si],
            head_top,
            col_w[si],
            head_h,
            &format!("fill=\"{HEAD_FILL}\""),
        );
        o.text(
            &format!("{id}-t0"),
            col_x[si] + PAD,
            head_top + (head_h - lh(HEAD_SIZE)) / 2.0,
            h,
        );
        o.s.push_str("</g>\n");
    }

    for (vi, row) in cells.iter().enumerate() {
        let y = row_y[vi];
        let h = row_h[vi];
        for (si, c) in row.iter().enumerate() {
            let x = col_x[si];
            let w = col_w[si];
            let id = &c.id;
            let mut n = 0;
            let mut next_id = || {
                n += 1;
                format!("{id}-t{}", n - 1)
            };
            let Some(colour) = c.colour else {
                let _ = writeln!(o.s, "<g id=\"{id}\" class=\"vm absent\">");
                o.rect(
                    &format!("{id}-rect"),
                    x,
                    y,
                    w,
                    h,
                    &format!(
                        "fill=\"none\" stroke=\"{RULE}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""
                    ),
                );
                o.text(&next_id(), x + PAD, y + VPAD, &c.body[0]);
                o.s.push_str("</g>\n");
                continue;
            };
            let hex = colour.hex();
            let _ = writeln!(o.s, "<g id=\"{id}\" class=\"vm {}\">", colour.name());
            o.rect(
                &format!("{id}-rect"),
                x,
                y,
                w,
                h,
                &format!("fill=\"#ffffff\" stroke=\"{hex}\" stroke-width=\"{STROKE}\""),
            );
            let band = c.band_h();
            o.rect("", x, y, w, band, &format!("fill=\"{hex}\""));
            let band_top = y + (band - lh(NAME_SIZE)) / 2.0;
            o.text(&next_id(), x + PAD, band_top, &c.name);
            o.text(
                &next_id(),
                x + w - PAD - c.badge.width,
                y + (band - lh(BADGE_SIZE)) / 2.0,
                &c.badge,
            );
            let mut ty = y + band + VPAD;
            for (li, l) in c.body.iter().enumerate() {
                if li == c.actions_from {
                    let _ = writeln!(
                        o.s,
                        "<path d=\"M{:.1} {:.1}H{:.1}\" stroke=\"{RULE}\" stroke-width=\"1\"/>",
                        x + PAD,
                        ty + VPAD / 2.0,
                        x + w - PAD
                    );
                    ty += VPAD;
                }
                o.text(&next_id(), x + PAD, ty, l);
                ty += lh(l.size);
            }
            o.s.push_str("</g>\n");
        }
    }

    let id = legend_id(inst);
    let _ = writeln!(o.s, "<g id=\"{id}\" class=\"legend\">");
    o.rect(
        &format!("{id}-rect"),
        MARGIN,
        legend_top,
        legend_w,
        legend_h,
        &format!("fill=\"#fafbfc\" stroke=\"{RULE}\" stroke-width=\"1\""),
    );
    let mut n = 0;
    let mut next_id = || {
        n += 1;
        format!("{id}-t{}", n - 1)
    };
    let mut ty = legend_top + VPAD;
    o.text(&next_id(), MARGIN + PAD, ty, &legend_title);
    ty += lh(HEAD_SIZE) + 4.0;
    for (e, (sym, text)) in plan.legend.iter().zip(&legend) {
        let sy = ty + (entry_h - SWATCH) / 2.0;
        let sx = MARGIN + PAD;
        o.rect(
            "",
            sx,
            sy,
            SWATCH,
            SWATCH,
            &format!("fill=\"{}\" class=\"swatch-{}\"", e.hex, e.name),
        );
        o.text(
            &next_id(),
            sx + (SWATCH - sym.width) / 2.0,
            sy + (SWATCH - lh(sym.size)) / 2.0,
            sym,
        );
        o.text(
            &next_id(),
            sx + SWATCH + 10.0,
            ty + (entry_h - lh(text.size)) / 2.0,
            text,
        );
        ty += entry_h;
    }
    if let Some(l) = &actions_line {
        o.text(&next_id(), MARGIN + PAD, ty + 4.0, l);
    }
    o.s.push_str("</g>\n</svg>\n");
    o.s
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fixtures::seed_plan as seed;

    #[test]
    fn svg_is_stable_and_parses() {
        let p = seed();
        let a = svg(&p, &p.instances[0]);
        assert_eq!(a, svg(&p, &p.instances[0]));
        let tree = usvg::Tree::from_str(&a, &font::options()).unwrap();
        assert!(
            tree.node_by_id("annexe-1-vm-1-state-reference-rect")
                .is_some()
        );
        assert!(a.contains("<title id=\"annexe-1-title\">Annexe 1. Migration Campus 3.1"));
        assert!(a.contains("↔ DNS campus.cegepadistance.ca ← campusweb"));
        assert!(a.contains("↔ DNS campus.cegepadistance.ca → campus35web"));
        assert!(a.contains("IP à attribuer"));
    }

    #[test]
    fn every_drawn_character_is_in_the_bundled_font() {
        let p = seed();
        for inst in &p.instances {
            let s = svg(&p, inst);
            let tree = roxml(&s);
            for n in tree.descendants().filter(|n| n.has_tag_name("text")) {
                for c in n.text().unwrap_or("").chars() {
                    assert!(font::covers(c), "{c:?} U+{:04X}", c as u32);
                }
            }
        }
    }

    fn roxml(s: &str) -> usvg::roxmltree::Document<'_> {
        usvg::roxmltree::Document::parse(s).unwrap()
    }
}
