//! The bundled DejaVu Sans fonts, the one font database every renderer shares, and text
//! measurement with usvg's own layout, so that a width computed for the layout is the width
//! resvg draws.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use usvg::fontdb;

/// DejaVu Sans (Book), licence in `assets/fonts/LICENSE-DejaVu.txt`.
pub const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name inside both files.
pub const FAMILY: &str = "DejaVu Sans";
/// The `font-family` written in SVGs: the bundled font first, then look-alikes a browser
/// without DejaVu has (the `textLength` of each text keeps the measured width anyway).
pub const CSS_FAMILY: &str = "'DejaVu Sans', Verdana, Arial, sans-serif";

/// The shared font database: the two bundled faces only (no system fonts, so a render is
/// the same on every machine), DejaVu Sans also answering for `sans-serif` and `serif`.
/// Built once; cloning the `Arc` is cheap and the database is `Send + Sync`.
pub fn fontdb() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// usvg options that resolve every text with the bundled fonts.
pub fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: fontdb(),
        ..usvg::Options::default()
    }
}

/// Whether both bundled faces have a glyph for `c`.
pub fn covers(c: char) -> bool {
    use skrifa::MetadataProvider;
    static FACES: OnceLock<[skrifa::charmap::Charmap<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        let face = |data: &'static [u8]| {
            skrifa::FontRef::new(data)
                .expect("the bundled font parses")
                .charmap()
        };
        [face(REGULAR), face(BOLD)]
    });
    faces.iter().all(|m| m.map(c).is_some())
}

type Key = (String, u32, bool);

fn cache() -> &'static Mutex<BTreeMap<Key, f32>> {
    static CACHE: OnceLock<Mutex<BTreeMap<Key, f32>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// Empties the measurement cache (benchmarks time a cold start with it).
pub fn clear_measure_cache() {
    cache().lock().unwrap_or_else(|e| e.into_inner()).clear();
}

fn key(text: &str, size: f32, bold: bool) -> Key {
    (text.to_owned(), (size * 100.0).round() as u32, bold)
}

/// The advance width, in px, of `text` (already cleaned with [`crate::render::clean_text`])
/// at `size` px, as usvg lays it out with the bundled fonts.
pub fn measure(text: &str, size: f32, bold: bool) -> f32 {
    measure_all(&[(text, size, bold)])[0]
}

/// [`measure`] for many texts at once: the ones not cached yet are laid out by a single
/// usvg parse, which is much faster than one parse per text.
pub fn measure_all(items: &[(&str, f32, bool)]) -> Vec<f32> {
    let mut missing: Vec<(&str, f32, bool)> = Vec::new();
    {
        let c = cache().lock().unwrap_or_else(|e| e.into_inner());
        for &(t, s, b) in items {
            if !t.is_empty() && !c.contains_key(&key(t, s, b)) && !missing.contains(&(t, s, b)) {
                missing.push((t, s, b));
            }
        }
    }
    if !missing.is_empty() {
        let widths = layout_widths(&missing);
        let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
        for (&(t, s, b), w) in missing.iter().zip(widths) {
            c.insert(key(t, s, b), w);
        }
    }
    let c = cache().lock().unwrap_or_else(|e| e.into_inner());
    items
        .iter()
        .map(|&(t, s, b)| {
            if t.is_empty() {
                0.0
            } else {
                c.get(&key(t, s, b)).copied().unwrap_or(0.0)
            }
        })
        .collect()
}

/// Widths from the shaper usvg uses (harfrust, same version), with one shaper cache per
/// face instead of one per text: the sum of the glyph advances, which is what usvg's
/// text bounding box spans for a single-line, unspaced text (tested against usvg below).
fn layout_widths(items: &[(&str, f32, bool)]) -> Vec<f32> {
    items
        .iter()
        .map(|&(t, size, bold)| shaped_advance(t, bold) * size)
        .collect()
}

struct Shaping {
    data: harfrust::ShaperData,
    units_per_em: f32,
}

fn shaping(bold: bool) -> Option<&'static Shaping> {
    static FACES: OnceLock<[Option<Shaping>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [REGULAR, BOLD].map(|data| {
            use skrifa::raw::TableProvider;
            let font = harfrust::FontRef::from_index(data, 0).ok()?;
            let units_per_em =
                f32::from(skrifa::FontRef::new(data).ok()?.head().ok()?.units_per_em());
            Some(Shaping {
                data: harfrust::ShaperData::new(&font),
                units_per_em,
            })
        })
    });
    faces[usize::from(bold)].as_ref()
}

/// Advance of `text` for a font size of 1.
fn shaped_advance(text: &str, bold: bool) -> f32 {
    let Some(s) = shaping(bold) else { return 0.0 };
    let data = if bold { BOLD } else { REGULAR };
    let Ok(font) = harfrust::FontRef::from_index(data, 0) else {
        return 0.0;
    };
    let shaper = s.data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let out = shaper.shape(buffer, harfrust::ShapeOptions::new());
    let units: i64 = out
        .glyph_positions()
        .iter()
        .map(|p| i64::from(p.x_advance))
        .sum();
    units as f32 / s.units_per_em
}

/// The usvg layout path, kept as the oracle of the tests.
#[cfg(test)]
fn usvg_widths(items: &[(&str, f32, bool)]) -> Vec<f32> {
    use std::fmt::Write;
    let mut svg =
        String::from("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">");
    for (i, (t, s, b)) in items.iter().enumerate() {
        let _ = write!(
            svg,
            "<text id=\"m{i}\" x=\"0\" y=\"50\" font-family=\"{CSS_FAMILY}\" font-size=\"{s}\"{}>{}</text>",
            if *b { " font-weight=\"bold\"" } else { "" },
            crate::render::xml_escape(t)
        );
    }
    svg.push_str("</svg>");
    let tree = match usvg::Tree::from_str(&svg, &options()) {
        Ok(t) => t,
        Err(_) => return vec![0.0; items.len()],
    };
    (0..items.len())
        .map(|i| match tree.node_by_id(&format!("m{i}")) {
            Some(usvg::Node::Text(t)) => t.bounding_box().width(),
            _ => 0.0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_has_exactly_the_two_bundled_faces() {
        let db = fontdb();
        assert_eq!(db.len(), 2);
        assert!(db.faces().all(|f| f.families[0].0 == FAMILY));
        assert!(Arc::ptr_eq(&db, &fontdb()), "built once");
    }

    #[test]
    fn widths_grow_with_text_size_and_weight() {
        let a = measure("campusweb", 14.0, false);
        assert!(a > 40.0 && a < 120.0, "{a}");
        assert!(measure("campusweb", 28.0, false) > 1.9 * a);
        assert!(measure("campusweb", 14.0, true) > a);
        assert!(measure("campusweb campusweb", 14.0, false) > 2.0 * a);
        assert_eq!(measure("", 14.0, false), 0.0);
        let batch = measure_all(&[("a", 14.0, false), ("campusweb", 14.0, false)]);
        assert_eq!(batch[1], a);
    }

    #[test]
    fn shaper_widths_equal_usvg_layout_widths() {
        let texts = [
            "campusweb",
            "DNS : campus.cegepadistance.ca",
            "État le jour de migration (jour M)",
            "↔ DNS campus.cegepadistance.ca → campus35web",
            "○ désactivation",
            "Serveur fichiers de production (Campus) — “AV” To Wa fi",
            "Annexe 1. Migration Campus 3.1 vers Moodle version 3.5",
        ];
        for bold in [false, true] {
            for size in [13.0, 14.0, 16.0, 22.0] {
                let items: Vec<(&str, f32, bool)> =
                    texts.iter().map(|t| (*t, size, bold)).collect();
                for ((t, _, _), (a, b)) in items
                    .iter()
                    .zip(layout_widths(&items).into_iter().zip(usvg_widths(&items)))
                {
                    assert!(
                        (a - b).abs() < 0.01,
                        "{t:?} {size} {bold}: shaper {a} vs usvg {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn coverage() {
        assert!("éÉ’√•▲×↔←→–○".chars().all(covers));
        assert!(!covers('⏻'));
    }
}
