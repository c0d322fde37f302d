//! Geometry on the layout itself: every text inside its box, no two boxes overlapping,
//! everything inside the picture, the grid aligned.

use super::layout::{Layout, Rect};
use super::*;
use crate::fixtures::{plan_of, seed_plan};

fn layouts(p: &Plan) -> Vec<Layout> {
    p.instances
        .iter()
        .map(|i| layout(p, i, &Labels::defaults()).unwrap().1)
        .collect()
}

fn check_geometry(l: &Layout) {
    let page = Rect {
        x: 0.0,
        y: 0.0,
        w: l.width,
        h: l.height,
    };
    assert!(page.contains(&l.title.bounds()));
    let mut all: Vec<Rect> = Vec::new();
    for (_, r, t) in &l.headings {
        assert!(r.contains(&t.bounds()), "heading text leaves its box");
        all.push(*r);
    }
    for b in l.boxes.iter().flatten() {
        for t in &b.texts {
            assert!(
                b.rect.contains(&t.bounds()),
                "{}: `{}` leaves its box",
                b.id,
                t.line.text
            );
            assert!(
                t.width > 0.0 || t.line.text.is_empty(),
                "{}: unmeasured",
                b.id
            );
        }
        if let Some(band) = &b.band {
            assert!(b.rect.contains(band));
        }
        all.push(b.rect);
    }
    for t in &l.legend.texts {
        assert!(
            l.legend.rect.contains(&t.bounds()),
            "legend: `{}` leaves its box",
            t.line.text
        );
    }
    all.push(l.legend.rect);
    for (i, a) in all.iter().enumerate() {
        assert!(page.contains(a), "a box leaves the picture");
        for b in &all[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn seed_geometry_holds() {
    for l in layouts(&seed_plan()) {
        check_geometry(&l);
        // A grid: every box of a column starts where its heading starts, every box of a
        // row at the same height.
        for row in &l.boxes {
            for (si, b) in row.iter().enumerate() {
                assert_eq!(b.rect.x, l.headings[si].1.x);
                assert_eq!(b.rect.w, l.headings[si].1.w);
                assert_eq!(b.rect.y, row[0].rect.y);
            }
        }
    }
}

#[test]
fn long_roles_wrap_and_many_states_add_columns() {
    let text = crate::fixtures::SEED
        .replace(
            "role: Serveur BD de production Campus\n",
            "role: Serveur de bases de données de production de la plateforme d’apprentissage en ligne, réplique primaire et secondaire\n",
        )
        .replace(
            "  - id: jour-m\n    kind: migration\n",
            "  - id: m-7\n    kind: before\n    offset_days: 7\n  - id: jour-m\n    kind: migration\n  - id: m7\n    kind: after\n    offset_days: 7\n",
        );
    let p = plan_of(&text);
    let ls = layouts(&p);
    check_geometry(&ls[0]);
    assert_eq!(ls[0].headings.len(), 5);
    let widest = ls[0]
        .boxes
        .iter()
        .flatten()
        .map(|b| b.rect.w)
        .fold(0.0, f32::max);
    assert!(widest < 520.0, "a long role widens a column to {widest}");
}

#[test]
fn svg_is_stable_parses_and_pairs_texts_with_boxes() {
    let p = seed_plan();
    let l = Labels::defaults();
    let a = svg(&p, &p.instances[0], &l).unwrap();
    assert_eq!(a, svg(&p, &p.instances[0], &l).unwrap());
    let tree = usvg::Tree::from_str(&a, &crate::font::options()).unwrap();
    assert!(
        tree.node_by_id("annexe-1-vm-1-state-reference-rect")
            .is_some()
    );
    assert!(tree.node_by_id("annexe-1-vm-1-state-jour-m-t3").is_some());
    assert!(a.contains("<title id=\"annexe-1-title\">Annexe 1. Migration Campus 3.1"));
    assert!(a.contains("↔ DNS campus.cegepadistance.ca ← campusweb"));
    assert!(a.contains("IP à attribuer"));
    assert!(a.contains("class=\"vm red\""));
}

#[test]
fn every_drawn_character_is_in_the_bundled_font() {
    let p = seed_plan();
    for inst in &p.instances {
        let s = svg(&p, inst, &Labels::defaults()).unwrap();
        let doc = usvg::roxmltree::Document::parse(&s).unwrap();
        for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
            for c in n.text().unwrap_or("").chars() {
                assert!(crate::font::covers(c), "{c:?} U+{:04X}", c as u32);
            }
        }
    }
}

/// The SVG's drawn elements in document order, as the shapes the PDF would draw them.
fn shapes_of_svg(svg: &str) -> Vec<shapes::Shape> {
    use shapes::Shape;
    let doc = usvg::roxmltree::Document::parse(svg).unwrap();
    let num =
        |n: &usvg::roxmltree::Node, a: &str| -> f32 { n.attribute(a).unwrap().parse().unwrap() };
    let colour = |n: &usvg::roxmltree::Node, a: &str| n.attribute(a).map(str::to_string);
    doc.descendants()
        .filter_map(|n| match n.tag_name().name() {
            "rect" => Some(Shape::Rect {
                x: num(&n, "x"),
                y: num(&n, "y"),
                w: num(&n, "width"),
                h: num(&n, "height"),
                fill: colour(&n, "fill").filter(|f| f != "none"),
                stroke: colour(&n, "stroke").map(|s| (s, num(&n, "stroke-width"))),
                dashed: n.attribute("stroke-dasharray") == Some("6 4"),
            }),
            "path" => {
                let d = n.attribute("d").unwrap();
                let (start, x2) = d.strip_prefix('M').unwrap().split_once('H').unwrap();
                let (x1, y) = start.split_once(' ').unwrap();
                Some(Shape::Rule {
                    x1: x1.parse().unwrap(),
                    x2: x2.parse().unwrap(),
                    y: y.parse().unwrap(),
                    stroke: colour(&n, "stroke").unwrap(),
                })
            }
            "text" => Some(Shape::Text {
                x: num(&n, "x"),
                baseline: num(&n, "y"),
                size: num(&n, "font-size"),
                bold: n.attribute("font-weight") == Some("bold"),
                fill: colour(&n, "fill").unwrap(),
                text: n.text().unwrap_or("").to_string(),
            }),
            _ => None,
        })
        .collect()
}

/// The SVG rounds coordinates to 0.1; the shapes keep what the layout computed.
fn rounded(s: &shapes::Shape) -> shapes::Shape {
    use shapes::Shape;
    let r = |v: f32| (v * 10.0).round() / 10.0;
    match s.clone() {
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
            dashed,
        } => Shape::Rect {
            x: r(x),
            y: r(y),
            w: r(w),
            h: r(h),
            fill,
            stroke,
            dashed,
        },
        Shape::Rule { x1, x2, y, stroke } => Shape::Rule {
            x1: r(x1),
            x2: r(x2),
            y: r(y),
            stroke,
        },
        Shape::Text {
            x,
            baseline,
            text,
            size,
            bold,
            fill,
        } => Shape::Text {
            x: r(x),
            baseline: r(baseline),
            text,
            size,
            bold,
            fill,
        },
    }
}

#[test]
fn the_pdf_draws_the_svg_shape_for_shape() {
    // The repo's inventory, and generated ones with hostile names (escaped in the SVG,
    // plain in the shapes).
    let sample = |seed| crate::sample::Shape {
        seed,
        instances: 3,
        vms: 7,
        vary: true,
        hostile: true,
    };
    let mut plans = vec![seed_plan()];
    plans.extend((1..4).map(|seed| plan_of(&crate::sample::inventory(sample(seed)))));
    let mut dashed = 0;
    for p in &plans {
        for inst in &p.instances {
            let labels = Labels::defaults();
            let svg_text = svg_and_sheets(p, inst, &labels, crate::model::Paper::Letter)
                .unwrap()
                .svg;
            assert_eq!(svg_text, svg(p, inst, &labels).unwrap());
            let (_, l) = layout(p, inst, &labels).unwrap();
            let drawing = shapes::drawing(&l, &format!("annexe-{}", inst.annexe));
            let doc = usvg::roxmltree::Document::parse(&svg_text).unwrap();
            let root = doc.root_element();
            assert_eq!(
                root.attribute("width"),
                Some(drawing.width.to_string().as_str())
            );
            assert_eq!(
                root.attribute("height"),
                Some(drawing.height.to_string().as_str())
            );
            let drawn: Vec<shapes::Shape> = drawing.shapes.iter().map(rounded).collect();
            let expected = shapes_of_svg(&svg_text);
            assert!(expected.len() > 20, "{}", expected.len());
            assert_eq!(drawn, expected, "annexe {}", inst.annexe);
            dashed += drawn
                .iter()
                .filter(|s| matches!(s, shapes::Shape::Rect { dashed: true, .. }))
                .count();
        }
    }
    assert!(
        dashed > 0,
        "no VM absent at a state: the dashed outline went untested"
    );
}

#[test]
fn the_word_file_prints_a_cut_annexe_on_the_pdfs_pages() {
    let p = seed_plan();
    let labels = Labels::defaults();
    let mut cut = 0;
    for inst in &p.instances {
        let d = svg_and_sheets(&p, inst, &labels, crate::model::Paper::Letter).unwrap();
        let (_, whole) = layout(&p, inst, &labels).unwrap();
        assert_eq!(d.printed.size, (whole.width, whole.height));
        assert_eq!(d.printed.landscape, d.sheets.landscape);
        let n = d.sheets.parts.len();
        if n == 1 {
            assert!(d.printed.parts.is_empty(), "a whole annexe is its picture");
            continue;
        }
        cut += 1;
        assert_eq!(d.printed.parts.len(), n);
        for (i, part) in d.printed.parts.iter().enumerate() {
            let expected = format!("Annexe {} (partie {} sur {n})", inst.annexe, i + 1);
            assert_eq!(part.title, expected);
            assert!(part.pieces.len() >= 2, "the grid and the legend at least");
        }
    }
    assert!(
        cut > 0,
        "no annexe of the repo's inventory is cut on Letter"
    );
}
