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
    let tree = usvg::Tree::from_str(svg, &font::options()).map_err(|e| e.to_string())?;
    Ok(tree.size().width())
}

/// Renders `svg` at `scale` (1.0: one pixel per SVG unit) on white and encodes it as an
/// 8-bit RGB PNG. Text uses the bundled DejaVu Sans only, so the output is byte-identical on
/// every machine. Compression: zlib level 1 with adaptive row filters. On the seed annexes
/// it is as fast as `png`'s `Fast` preset (fdeflate without good filtering: 2.4× bigger
/// files) and twice as fast as `Balanced` for files 1.5× bigger (see BENCHMARKS.md).
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(format!("invalid scale {scale}"));
    }
    let tree = usvg::Tree::from_str(svg, &font::options()).map_err(|e| e.to_string())?;
    let size = tree.size();
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
    Ok(out)
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
