//! SVG → PNG with resvg and the bundled fonts, encoded with the `png` crate.

use resvg::tiny_skia;

use crate::font;

/// The narrowest PNG [`default_scale`] produces, in pixels.
pub const MIN_WIDTH: f32 = 1600.0;

/// The scale for a picture `svg_width` px wide: the smallest multiple of ¼ that makes the PNG
/// at least [`MIN_WIDTH`] pixels wide, and never below 1 (a wide picture is not shrunk).
/// Quarter steps keep the picture's 1 px lines on a regular pixel grid.
pub fn default_scale(svg_width: f32) -> f32 {
    if svg_width.is_nan() || svg_width <= 0.0 {
        return 1.0;
    }
    ((MIN_WIDTH / svg_width * 4.0).ceil() / 4.0).max(1.0)
}

/// The width of an SVG document (its `width`, or its `viewBox`), through usvg.
pub fn svg_width(svg: &str) -> Result<f32, String> {
    // Fast path: a plain `width="N"` on the root element, as bascule writes it.
    if let Some(w) = root_width(svg) {
        return Ok(w);
    }
    let tree = usvg::Tree::from_str(svg, &font::options()).map_err(|e| e.to_string())?;
    Ok(tree.size().width())
}

fn root_width(svg: &str) -> Option<f32> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let w = root.split(" width=\"").nth(1)?.split('"').next()?;
    w.parse::<f32>().ok().filter(|w| w.is_finite() && *w > 0.0)
}

/// Renders `svg` at `scale` (1.0: one pixel per SVG unit) on white and encodes it as an
/// 8-bit RGB PNG. Text uses the bundled DejaVu Sans only, so the output is byte-identical on
/// every machine. Compression: zlib level 1 with adaptive row filters. On the seed annexes
/// it is as fast as `png`'s `Fast` preset (fdeflate without good filtering: 2.4× bigger
/// files) and twice as fast as `Balanced` for files 1.5× bigger (see BENCHMARKS.md).
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    png_at(svg, Some(scale))
}

/// As [`png`], with [`default_scale`] when `scale` is `None`; the SVG is parsed once.
pub fn png_at(svg: &str, scale: Option<f32>) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, &font::options()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let scale = scale.unwrap_or_else(|| default_scale(size.width()));
    if !scale.is_finite() || scale <= 0.0 {
        return Err(format!("invalid scale {scale}"));
    }
    let w = (size.width() * scale).ceil() as u32;
    let h = (size.height() * scale).ceil() as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot allocate a {w}×{h} picture"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque white background: premultiplied RGBA is plain RGBA; drop alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut enc = ::png::Encoder::new(&mut out, w, h);
        enc.set_color(::png::ColorType::Rgb);
        enc.set_depth(::png::BitDepth::Eight);
        enc.set_deflate_compression(::png::DeflateCompression::Level(1));
        enc.set_filter(::png::Filter::Adaptive);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    let stamp = format!(
        "source={:016x} pixels={:016x}",
        source_hash(svg, scale),
        fnv1a(&idat(&out)?)
    );
    insert_before_iend(
        &mut out,
        b"tEXt",
        format!("{STAMP_KEY}\0{stamp}").as_bytes(),
    )?;
    Ok(out)
}

/// Bump when the drawing or encoding changes in a way the SVG does not show (renderer,
/// font, encoder settings): stamps from older builds then stop matching.
const RENDER_REVISION: u32 = 1;
const STAMP_KEY: &str = "bascule";

/// What a PNG is a function of: the SVG, the scale, the renderer.
fn source_hash(svg: &str, scale: f32) -> u64 {
    let mut bytes = format!(
        "{}:{}:{}:",
        env!("CARGO_PKG_VERSION"),
        RENDER_REVISION,
        scale.to_bits()
    )
    .into_bytes();
    bytes.extend_from_slice(svg.as_bytes());
    fnv1a(&bytes)
}

/// FNV-1a, 64 bits: a stable fingerprint (not a defence against forgery).
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A PNG chunk as (type, data).
type Chunk<'a> = (&'a [u8], &'a [u8]);

/// The PNG's chunks.
fn chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, String> {
    let body = png
        .strip_prefix(b"\x89PNG\r\n\x1a\n".as_slice())
        .ok_or("not a PNG")?;
    let mut out = Vec::new();
    let mut rest = body;
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let end = 8usize
            .checked_add(len)
            .filter(|&e| e + 4 <= rest.len())
            .ok_or("truncated PNG chunk")?;
        out.push((&rest[4..8], &rest[8..end]));
        rest = &rest[end + 4..];
    }
    if !rest.is_empty() {
        return Err("trailing bytes after the PNG chunks".into());
    }
    Ok(out)
}

fn idat(png: &[u8]) -> Result<Vec<u8>, String> {
    Ok(chunks(png)?
        .into_iter()
        .filter(|(t, _)| *t == b"IDAT")
        .flat_map(|(_, d)| d.iter().copied())
        .collect())
}

fn insert_before_iend(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), String> {
    let at = png
        .len()
        .checked_sub(12)
        .filter(|&i| &png[i + 4..i + 8] == b"IEND")
        .ok_or("PNG without IEND")?;
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend_from_slice(
        &u32::try_from(data.len())
            .map_err(|e| e.to_string())?
            .to_be_bytes(),
    );
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    png.splice(at..at, chunk);
    Ok(())
}

/// True when `png` was drawn by this renderer from exactly `svg` at `scale` (or the default
/// scale) and its pixel data is untouched since: `check` then reuses it instead of drawing
/// again. A PNG edited by hand, stale, or from another bascule version is not reused.
pub fn is_rendering_of(png: &[u8], svg: &str, scale: Option<f32>) -> bool {
    let Ok(chunks) = chunks(png) else {
        return false;
    };
    let Some(text) = chunks.iter().find_map(|(t, d)| {
        (*t == b"tEXt")
            .then(|| d.strip_prefix(format!("{STAMP_KEY}\0").as_bytes()))
            .flatten()
    }) else {
        return false;
    };
    let scale = match scale {
        Some(s) => s,
        None => match svg_width(svg) {
            Ok(w) => default_scale(w),
            Err(_) => return false,
        },
    };
    let Ok(pixels) = idat(png) else {
        return false;
    };
    let expected = format!(
        "source={:016x} pixels={:016x}",
        source_hash(svg, scale),
        fnv1a(&pixels)
    );
    text == expected.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scale_reaches_the_minimum_width() {
        assert_eq!(default_scale(800.0), 2.0);
        assert_eq!(default_scale(1000.0), 1.75);
        assert_eq!(default_scale(3000.0), 1.0);
        for w in [333.0, 999.0, 1234.5, 1599.0] {
            assert!(w * default_scale(w) >= MIN_WIDTH);
        }
    }

    #[test]
    fn stamp_recognises_its_own_rendering_only() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'><rect width='5' height='5'/></svg>";
        let p = png(svg, 1.0).unwrap();
        assert!(is_rendering_of(&p, svg, Some(1.0)));
        assert!(!is_rendering_of(&p, svg, Some(2.0)), "other scale");
        assert!(
            !is_rendering_of(&p, &svg.replace("'5'", "'6'"), Some(1.0)),
            "other SVG"
        );
        // Pixels edited (a byte of IDAT changed, CRC left as is or not): refused.
        let mut edited = p.clone();
        let i = edited.windows(4).position(|w| w == b"IDAT").unwrap() + 6;
        edited[i] ^= 0xff;
        assert!(!is_rendering_of(&edited, svg, Some(1.0)));
        assert!(!is_rendering_of(b"not a png", svg, Some(1.0)));
        // The stamped file is still a valid PNG.
        let decoder = ::png::Decoder::new(std::io::Cursor::new(&p));
        assert!(decoder.read_info().is_ok());
    }

    #[test]
    fn rejects_bad_input() {
        assert!(png("<svg", 1.0).is_err());
        assert!(
            png(
                "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
                0.0
            )
            .is_err()
        );
    }
}
