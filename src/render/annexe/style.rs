//! The annexe's look: sizes, spacing and colours of everything but the plan's own colours.

/// Space around the picture.
pub const MARGIN: f32 = 32.0;
/// Stroke width of a VM box.
pub const STROKE: f32 = 3.0;
pub const TITLE_SIZE: f32 = 24.0;
pub const HEAD_SIZE: f32 = 15.0;
pub const NAME_SIZE: f32 = 16.0;
pub const BADGE_SIZE: f32 = 13.0;
pub const BODY_SIZE: f32 = 14.0;
pub const LEGEND_SIZE: f32 = 14.0;
/// Line height, in font sizes.
pub const LINE: f32 = 1.45;
/// DejaVu Sans ascent and descent, in font sizes (hhea: 1901 and 483 of 2048).
pub const ASCENT: f32 = 0.928;
pub const DESCENT: f32 = 0.236;
/// Horizontal padding inside a box.
pub const PAD: f32 = 12.0;
/// Vertical padding inside a box body.
pub const VPAD: f32 = 8.0;
pub const BADGE_GAP: f32 = 16.0;
pub const COL_GAP: f32 = 28.0;
pub const ROW_GAP: f32 = 18.0;
pub const SWATCH: f32 = 20.0;
pub const INK: &str = "#1a1a1a";
pub const MUTED: &str = "#595959";
pub const WHITE: &str = "#ffffff";
pub const HEAD_FILL: &str = "#e8edf3";
pub const RULE: &str = "#c9d1dc";
