//! SVG → PNG with resvg and the bundled fonts, encoded with the `png` crate, stamped with
//! what it was drawn from.
//!
//! The stamp (a `tEXt` chunk written through the crate's text-chunk API) holds two SHA-256:
//! of the drawing input (bascule's version, the renderer revision, the scale, the SVG) and
//! of the pixels. A build or `check --out` reuses a PNG only when both still match; a PNG
//! repainted by hand, stale, or from another version is drawn again. The stamp catches
//! accidents, not forgery: anyone can recompute a hash, so `check --out --redraw` draws
//! every PNG again and compares bytes.

use resvg::tiny_skia;
use sha2::{Digest, Sha256};

use crate::font;

/// The narrowest PNG [`default_scale`] produces, in pixels.
pub const MIN_WIDTH: f32 = 1600.0;
/// The largest picture drawn, in pixels (40 megapixels: 160 MB while drawing). Checked
/// before anything is allocated.
pub const MAX_PIXELS: u64 = 40_000_000;

/// Why an SVG could not be drawn as a PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PngError {
    /// The picture would be `w` × `h` pixels, over [`MAX_PIXELS`].
    TooLarge {
        /// Width, in pixels.
        w: u64,
        /// Height, in pixels.
        h: u64,
    },
    /// Any other fault (an SVG that does not parse, a failed encoding), as text.
    Other(String),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::TooLarge { w, h } => write!(
                f,
                "the picture would be {w} × {h} pixels, over the limit of {} megapixels",
                MAX_PIXELS / 1_000_000
            ),
            PngError::Other(e) => f.write_str(e),
        }
    }
}

fn other(e: impl std::fmt::Display) -> PngError {
    PngError::Other(e.to_string())
}

/// The scale for a picture `svg_width` px wide: the smallest multiple of ¼ that makes the PNG
/// at least [`MIN_WIDTH`] pixels wide, and never below 1 (a wide picture is not shrunk).
/// Quarter steps keep the picture's 1 px lines on a regular pixel grid.
pub fn default_scale(svg_width: f32) -> f32 {
    if svg_width.is_nan() || svg_width <= 0.0 {
        return 1.0;
    }
    ((MIN_WIDTH / svg_width * 4.0).ceil() / 4.0).max(1.0)
}

/// The pixel size of a `w` × `h` picture at `scale`, or [`PngError::TooLarge`].
pub fn pixel_size(w: f32, h: f32, scale: f32) -> Result<(u32, u32), PngError> {
    let pw = (f64::from(w) * f64::from(scale)).ceil().max(1.0);
    let ph = (f64::from(h) * f64::from(scale)).ceil().max(1.0);
    if !pw.is_finite() || !ph.is_finite() || pw * ph > MAX_PIXELS as f64 {
        return Err(PngError::TooLarge {
            w: pw.min(u64::MAX as f64) as u64,
            h: ph.min(u64::MAX as f64) as u64,
        });
    }
    Ok((pw as u32, ph as u32))
}

/// Rows drawn at a time: memory holds one strip (4 bytes per pixel), not the picture.
const STRIP_ROWS: u32 = 256;
/// Rows drawn above and below a strip and thrown away: the rasteriser anti-aliases an edge
/// differently near the border of its canvas, so no kept row is near one.
const STRIP_MARGIN: u32 = 8;

/// Renders `svg` at `scale` (1.0: one pixel per SVG unit; `None`: [`default_scale`]) on
/// white and encodes it as an 8-bit RGB PNG: zlib level 2 with adaptive row filters (zlib-rs'
/// level 1 uses fixed Huffman codes: a third larger, for 15 % less encoding time). Text
/// uses the bundled DejaVu Sans only, so the bytes are the same on every machine. The picture
/// is drawn in strips of [`STRIP_ROWS`] rows streamed into the encoder, so a tall annexe
/// costs no more memory than a short one; the stamp follows the pixels.
pub fn png_at(svg: &str, scale: Option<f32>) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(svg, &font::options()).map_err(other)?;
    let size = tree.size();
    let scale = scale.unwrap_or_else(|| default_scale(size.width()));
    if !scale.is_finite() || scale <= 0.0 {
        return Err(PngError::Other(format!("invalid scale {scale}")));
    }
    let (w, h) = pixel_size(size.width(), size.height(), scale)?;
    let canvas = STRIP_ROWS.min(h) + 2 * STRIP_MARGIN;
    let mut strip = tiny_skia::Pixmap::new(w, canvas)
        .ok_or_else(|| other(format!("cannot allocate a {w}×{canvas} strip")))?;
    let mut out = Vec::with_capacity((w * h) as usize / 4);
    let mut enc = ::png::Encoder::new(&mut out, w, h);
    enc.set_color(::png::ColorType::Rgb);
    enc.set_depth(::png::BitDepth::Eight);
    enc.set_deflate_compression(::png::DeflateCompression::Level(2));
    enc.set_filter(::png::Filter::Adaptive);
    let mut writer = enc.write_header().map_err(other)?;
    {
        use std::io::Write;
        let mut stream = writer.stream_writer().map_err(other)?;
        let mut top = 0;
        // One row of RGB, filled from each row of the strip's RGBA.
        let mut rgb = vec![0u8; w as usize * 3];
        while top < h {
            let rows = STRIP_ROWS.min(h - top);
            strip.fill(tiny_skia::Color::WHITE);
            let shift = top as f32 - STRIP_MARGIN as f32;
            let at = tiny_skia::Transform::from_translate(0.0, -shift).pre_scale(scale, scale);
            resvg::render(&tree, at, &mut strip.as_mut());
            // Opaque white background: premultiplied RGBA is plain RGBA; rows drop alpha.
            let stride = w as usize * 4;
            let first = STRIP_MARGIN as usize * stride;
            let data = &strip.data()[first..first + rows as usize * stride];
            for row in data.chunks_exact(stride) {
                for (to, from) in rgb.chunks_exact_mut(3).zip(row.chunks_exact(4)) {
                    to.copy_from_slice(&from[..3]);
                }
                stream.write_all(&rgb).map_err(other)?;
            }
            top += rows;
        }
        stream.finish().map_err(other)?;
    }
    let stamp = stamp(svg, scale);
    writer
        .write_text_chunk(&::png::text_metadata::TEXtChunk::new(STAMP_KEY, stamp))
        .map_err(other)?;
    writer.finish().map_err(other)?;
    Ok(out)
}

/// [`png_at`] at a given scale.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    png_at(svg, Some(scale))
}

/// Bump when the drawing or encoding changes in a way the SVG does not show (renderer,
/// font, encoder settings, the stamp itself): stamps from older builds then stop matching.
/// 5: the stamp names the source only (the SHA-256 of the pixels was 12 % of a drawing, and
/// only served to trust a PNG no manifest vouched for, which is now drawn again).
const RENDER_REVISION: u32 = 5;
const STAMP_KEY: &str = "bascule";

/// The stamp: `source=` and the SHA-256 of what the picture is drawn from (bascule's
/// version, the renderer revision, the scale, the SVG).
fn stamp(svg: &str, scale: f32) -> String {
    let mut source = Sha256::new();
    source.update(format!(
        "{}:{}:{}:",
        env!("CARGO_PKG_VERSION"),
        RENDER_REVISION,
        scale.to_bits()
    ));
    source.update(svg.as_bytes());
    format!("source={:x}", source.finalize())
}

/// The width of an SVG document as bascule writes it (`width="N"` on the root element).
pub fn svg_width(svg: &str) -> Option<f32> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let w = root.split(" width=\"").nth(1)?.split('"').next()?;
    w.parse::<f32>().ok().filter(|w| w.is_finite() && *w > 0.0)
}

/// The scale a PNG of `svg` is drawn at: the one asked for, or the default for its width.
fn scale_for(svg: &str, scale: Option<f32>) -> Option<f32> {
    scale.or_else(|| svg_width(svg).map(default_scale))
}

/// The text of the stamp chunk (`tEXt`, keyword `bascule`), found by walking the chunks
/// without inflating the pixels.
fn stamp_text(png: &[u8]) -> Option<&str> {
    let mut rest = png.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    while rest.len() >= 12 {
        let len = usize::try_from(u32::from_be_bytes(rest[..4].try_into().ok()?)).ok()?;
        let (kind, data) = (&rest[4..8], rest.get(8..8 + len)?);
        let stamp = data
            .strip_prefix(STAMP_KEY.as_bytes())
            .and_then(|t| t.strip_prefix(b"\0"));
        if let (b"tEXt", Some(text)) = (kind, stamp) {
            return std::str::from_utf8(text).ok();
        }
        rest = rest.get(12 + len..)?;
    }
    None
}

/// True when `png`'s stamp says it was drawn by this renderer from exactly `svg` at `scale`
/// (or the default scale). Its pixels are not read: only for a file whose bytes are known to
/// be the ones bascule wrote (its digest in the output's manifest); any other PNG is drawn
/// again.
pub fn is_stamped_from(png: &[u8], svg: &str, scale: Option<f32>) -> bool {
    let Some(scale) = scale_for(svg, scale) else {
        return false;
    };
    stamp_text(png) == Some(stamp(svg, scale).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'><rect width='5' height='5'/></svg>";

    #[test]
    fn default_scale_reaches_the_minimum_width() {
        assert_eq!(default_scale(800.0), 2.0);
        assert_eq!(default_scale(1000.0), 1.75);
        assert_eq!(default_scale(3000.0), 1.0);
        assert_eq!(default_scale(0.0), 1.0);
        assert_eq!(default_scale(f32::NAN), 1.0);
        for w in [333.0, 999.0, 1234.5, 1599.0] {
            assert!(w * default_scale(w) >= MIN_WIDTH);
        }
    }

    #[test]
    fn the_stamp_names_the_source_and_is_read_without_the_pixels() {
        let p = png(SVG, 1.0).unwrap();
        assert!(is_stamped_from(&p, SVG, Some(1.0)));
        assert!(!is_stamped_from(&p, SVG, Some(2.0)), "other scale");
        assert!(
            !is_stamped_from(&p, &SVG.replace("'5'", "'6'"), Some(1.0)),
            "other SVG"
        );
        assert!(!is_stamped_from(b"not a png", SVG, Some(1.0)));
        assert!(
            !is_stamped_from(&p[..p.len() / 2], SVG, Some(1.0)),
            "cut short"
        );
        let text = stamp_text(&p).unwrap();
        assert!(
            text.starts_with("source=") && text.len() == 7 + 64,
            "{text}"
        );
        // A stamp one character off (same length, so the chunk still reads): not ours.
        let at = p.windows(7).position(|w| w == b"source=").unwrap() + 7;
        let mut forged = p.clone();
        forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
        assert!(stamp_text(&forged).is_some());
        assert!(!is_stamped_from(&forged, SVG, Some(1.0)));
        // The stamped file is a valid PNG, with the stamp in a tEXt chunk.
        let decoder = ::png::Decoder::new(std::io::Cursor::new(&p));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        reader.finish().unwrap();
        let t = &reader.info().uncompressed_latin1_text[0];
        assert_eq!((t.keyword.as_str(), t.text.as_str()), ("bascule", text));
    }

    /// Drawing in strips (with their margins) gives the very pixels of drawing the picture at
    /// once. Without the margins, edges crossing a strip's border differed by up to 43 levels.
    #[test]
    fn strips_draw_the_same_pixels_as_one_picture() {
        let p = crate::fixtures::seed_plan();
        let labels = crate::labels::Labels::defaults();
        let svg = crate::render::annexe::svg(&p, &p.instances[0], &labels).unwrap();
        let bytes = png_at(&svg, None).unwrap();
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(&bytes))
            .read_info()
            .unwrap();
        let mut strips = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut strips).unwrap();
        assert!(
            frame.height > STRIP_ROWS,
            "the seed annexe spans several strips"
        );
        let tree = usvg::Tree::from_str(&svg, &font::options()).unwrap();
        let scale = default_scale(tree.size().width());
        let mut whole = tiny_skia::Pixmap::new(frame.width, frame.height).unwrap();
        whole.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut whole.as_mut(),
        );
        let rgb: Vec<u8> = whole
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let differing = rgb.iter().zip(&strips).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} of {} bytes differ", rgb.len());
    }

    #[test]
    fn huge_pictures_are_refused_before_allocation() {
        assert_eq!(pixel_size(10.0, 10.0, 1.0), Ok((10, 10)));
        let e = pixel_size(20_000.0, 20_000.0, 1.0).unwrap_err();
        assert_eq!(
            e,
            PngError::TooLarge {
                w: 20_000,
                h: 20_000
            }
        );
        assert!(e.to_string().contains("40 megapixels"));
        assert!(pixel_size(f32::INFINITY, 1.0, 1.0).is_err());
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='100000' height='100000'/>";
        assert!(matches!(
            png_at(svg, Some(1.0)),
            Err(PngError::TooLarge { .. })
        ));
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
        assert_eq!(svg_width("<svg width=\"12.5\" height=\"3\">"), Some(12.5));
        assert_eq!(svg_width("<svg height=\"3\">"), None);
    }
}
