//! The annexe's look: sizes, spacing and colours of everything but the plan's own colours.

/// Space around the picture.
pub(crate) const MARGIN: f32 = 32.0;
/// Stroke width of a VM box.
pub(crate) const STROKE: f32 = 3.0;
pub(crate) const TITLE_SIZE: f32 = 24.0;
pub(crate) const HEAD_SIZE: f32 = 15.0;
pub(crate) const NAME_SIZE: f32 = 16.0;
pub(crate) const BADGE_SIZE: f32 = 13.0;
pub(crate) const BODY_SIZE: f32 = 14.0;
pub(crate) const LEGEND_SIZE: f32 = 14.0;
/// Line height, in font sizes.
pub(crate) const LINE: f32 = 1.45;
/// DejaVu Sans ascent and descent, in font sizes (hhea: 1901 and 483 of 2048).
pub(crate) const ASCENT: f32 = 0.928;
pub(crate) const DESCENT: f32 = 0.236;
/// Horizontal padding inside a box.
pub(crate) const PAD: f32 = 12.0;
/// Vertical padding inside a box body.
pub(crate) const VPAD: f32 = 8.0;
pub(crate) const BADGE_GAP: f32 = 16.0;
pub(crate) const COL_GAP: f32 = 28.0;
pub(crate) const ROW_GAP: f32 = 18.0;
pub(crate) const SWATCH: f32 = 20.0;
pub(crate) const INK: &str = "#1a1a1a";
pub(crate) const MUTED: &str = "#595959";
pub(crate) const WHITE: &str = "#ffffff";
pub(crate) const HEAD_FILL: &str = "#e8edf3";
pub(crate) const RULE: &str = "#c9d1dc";
