//! The annexe schemas read back by usvg and resvg (an oracle independent of our layout):
//! geometry, colours in the pixels, text really drawn, determinism, escaping. The SVGs of the
//! reference inventory are golden files in `out/annexes/` (see tests/build.rs).
//!
//! `BASCULE_PREVIEW=1` writes the PNGs to the temporary folder (`/tmp/annexe-N.png`).

use crate::common::{SEED, plan_of};

use bascule::plan::{InstancePlan, Plan};
use bascule::render::{annexe, png};
use usvg::Node;

fn svg_of(p: &Plan, inst: &InstancePlan) -> String {
    annexe::svg(p, inst, &bascule::labels::Labels::defaults()).unwrap()
}

fn tree(svg: &str) -> usvg::Tree {
    usvg::Tree::from_str(svg, &bascule::font::options()).expect("the SVG parses")
}

/// Every `<g id="…">` box of the picture: id of the group, as written.
fn box_ids(svg: &str) -> Vec<String> {
    let doc = usvg::roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("id").map(str::to_owned))
        .collect()
}

fn rect(t: &usvg::Tree, id: &str) -> (usvg::Rect, usvg::Rect) {
    match t.node_by_id(&format!("{id}-rect")) {
        Some(Node::Path(p)) => (p.abs_bounding_box(), p.abs_stroke_bounding_box()),
        other => panic!("{id}-rect: {other:?}"),
    }
}

fn texts(t: &usvg::Tree, id: &str) -> Vec<(usvg::Rect, String)> {
    (0..)
        .map_while(|n| match t.node_by_id(&format!("{id}-t{n}")) {
            Some(Node::Text(tx)) => Some((
                tx.abs_bounding_box(),
                tx.chunks().iter().map(|c| c.text()).collect(),
            )),
            _ => None,
        })
        .collect()
}

fn overlaps(a: &usvg::Rect, b: &usvg::Rect) -> bool {
    a.left() < b.right() && b.left() < a.right() && a.top() < b.bottom() && b.top() < a.bottom()
}

fn check_geometry(svg: &str) {
    let t = tree(svg);
    let ids = box_ids(svg);
    assert!(!ids.is_empty());
    let mut boxes = Vec::new();
    for id in &ids {
        let (fill, stroke) = rect(&t, id);
        let tx = texts(&t, id);
        assert!(!tx.is_empty(), "{id} has no text");
        for (bb, s) in &tx {
            assert!(bb.width() > 0.0, "{id}: {s:?} was not laid out (no font?)");
            let inset = 1.5;
            assert!(
                bb.left() >= fill.left() + inset
                    && bb.right() <= fill.right() - inset
                    && bb.top() >= fill.top() + inset
                    && bb.bottom() <= fill.bottom() - inset,
                "{id}: {s:?} {bb:?} leaves {fill:?}"
            );
        }
        for (i, (a, sa)) in tx.iter().enumerate() {
            for (b, sb) in &tx[i + 1..] {
                assert!(!overlaps(a, b), "{id}: {sa:?} overlaps {sb:?}");
            }
        }
        boxes.push((id.clone(), stroke));
    }
    for (i, (ia, a)) in boxes.iter().enumerate() {
        assert!(a.left() >= 0.0 && a.top() >= 0.0);
        assert!(a.right() <= t.size().width() && a.bottom() <= t.size().height());
        for (ib, b) in &boxes[i + 1..] {
            assert!(!overlaps(a, b), "{ia} overlaps {ib}");
        }
    }
}

fn render_png(svg: &str) -> Vec<u8> {
    let w = tree(svg).size().width();
    png::png(svg, png::default_scale(w)).unwrap()
}

struct Decoded {
    w: u32,
    h: u32,
    rgb: Vec<u8>,
}

impl Decoded {
    fn px(&self, x: f32, y: f32) -> [u8; 3] {
        let (x, y) = (x as u32, y as u32);
        assert!(x < self.w && y < self.h);
        let i = ((y * self.w + x) * 3) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

fn decode(bytes: &[u8]) -> Decoded {
    let dec = ::png::Decoder::new(std::io::Cursor::new(bytes));
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, ::png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    Decoded {
        w: info.width,
        h: info.height,
        rgb: buf,
    }
}

fn hex(s: &str) -> [u8; 3] {
    let v = u32::from_str_radix(s.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 6)
}

fn for_each_annexe(f: impl Fn(&Plan, &InstancePlan, &str)) {
    let p = plan_of(SEED);
    for inst in &p.instances {
        let s = svg_of(&p, inst);
        f(&p, inst, &s);
    }
}

#[test]
fn texts_stay_in_their_boxes_and_boxes_do_not_overlap() {
    for_each_annexe(|_, _, s| check_geometry(s));
}

#[test]
fn png_is_deterministic_wide_enough_and_coloured_from_the_plan() {
    for_each_annexe(|_, inst, s| {
        let a = render_png(s);
        assert_eq!(a, render_png(s), "two renders differ");
        let img = decode(&a);
        assert!(img.w >= 1600, "{} px", img.w);
        if std::env::var_os("BASCULE_PREVIEW").is_some() {
            let p = std::env::temp_dir().join(format!("annexe-{}.png", inst.annexe));
            std::fs::write(p, &a).unwrap();
        }
        let t = tree(s);
        let scale = img.w as f32 / t.size().width();
        for (vi, vm) in inst.vms.iter().enumerate() {
            for (si, cell) in vm.cells.iter().enumerate() {
                if !cell.present {
                    continue;
                }
                let id = annexe::box_id(inst, vi, si);
                let (r, _) = rect(&t, &id);
                // On the left border, half-way down, and on the bottom border.
                let points = [
                    (r.left(), (r.top() + r.bottom()) / 2.0),
                    ((r.left() + r.right()) / 2.0, r.bottom()),
                ];
                for (x, y) in points {
                    let got = img.px(x * scale, y * scale);
                    assert!(
                        close(got, hex(cell.colour.hex)),
                        "{id}: {got:?} is not {} at ({x}, {y})",
                        cell.colour.hex
                    );
                }
            }
        }
    });
}

#[test]
fn text_is_really_drawn() {
    // usvg silently drops text without a font: count dark pixels where the title is.
    for_each_annexe(|_, inst, s| {
        let img = decode(&render_png(s));
        let t = tree(s);
        let scale = img.w as f32 / t.size().width();
        let id = format!("annexe-{}-heading", inst.annexe);
        let Some(Node::Text(title)) = t.node_by_id(&id) else {
            panic!("no {id}")
        };
        let bb = title.abs_bounding_box();
        let mut dark = 0;
        let mut total = 0;
        let mut y = bb.top();
        while y < bb.bottom() {
            let mut x = bb.left();
            while x < bb.right() {
                total += 1;
                if img.px(x * scale, y * scale).iter().all(|&c| c < 100) {
                    dark += 1;
                }
                x += 1.0 / scale;
            }
            y += 1.0 / scale;
        }
        assert!(dark * 20 > total, "only {dark} dark pixels of {total}");
    });
}

#[test]
fn hostile_inventory_text_is_escaped() {
    let hostile = |evil: &str| {
        SEED.replace(
            "Serveur BD de production Campus\n        role_after",
            &format!(
                "\"{}\"\n        role_after",
                evil.replace('"', "\\\"")
                    .replace('\u{1}', "\\x01")
                    .replace('\u{7}', "\\a")
            ),
        )
    };
    // Control characters never reach a renderer: validation refuses them (E0120); the
    // renderers' own guard against them is `render::clean_text`, tested on its own.
    let (_, inv) = bascule::load::load_bytes("i.yaml", hostile("a\u{1}\u{7}").as_bytes()).unwrap();
    let labels = bascule::labels::Labels::defaults();
    let v = bascule::validate::validate("i.yaml", &inv, bascule::validate::Mode::Build, &labels);
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.code == bascule::diag::Code::E0120)
    );
    assert!(v.checked.is_none());
    let yaml = hostile("<script>alert(1)</script>&\"'|");
    assert_ne!(yaml, SEED);
    let p = plan_of(&yaml);
    let s = svg_of(&p, &p.instances[0]);
    assert!(!s.contains("<script>"));
    assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;|"));
    usvg::roxmltree::Document::parse(&s).expect("well-formed XML");
    check_geometry(&s);
}

#[test]
fn a_long_inventory_grows_the_picture() {
    let p = plan_of(SEED);
    let small = tree(&svg_of(&p, &p.instances[1])).size();
    let big = tree(&svg_of(&p, &p.instances[0])).size();
    assert!(big.height() > small.height() + 200.0);
    check_geometry(&svg_of(&p, &p.instances[0]));
}

#[test]
fn renders_in_parallel() {
    let p = plan_of(SEED);
    let pngs: Vec<Vec<u8>> = std::thread::scope(|sc| {
        let hs: Vec<_> = p
            .instances
            .iter()
            .map(|i| sc.spawn(|| render_png(&svg_of(&p, i))))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, b) in p.instances.iter().zip(pngs) {
        assert_eq!(b, render_png(&svg_of(&p, i)));
    }
}

#[test]
fn a_vm_gone_at_a_state_gets_a_dashed_placeholder() {
    let yaml = SEED.replace(
        "- { state: m30, do: [delete] }\n    already_deleted",
        "- { state: jour-m, do: [delete] }\n    already_deleted",
    );
    assert_ne!(yaml, SEED);
    let p = plan_of(&yaml);
    let inst = &p.instances[0];
    let s = svg_of(&p, inst);
    let vi = inst
        .vms
        .iter()
        .position(|v| v.machine == "campus-dev")
        .unwrap();
    assert!(!inst.vms[vi].cells[2].present);
    let id = annexe::box_id(inst, vi, 2);
    assert!(s.contains(&format!("<g id=\"{id}\" class=\"vm absent\">")));
    check_geometry(&s);
}
