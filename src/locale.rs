//! The language bascule writes in, defined once. Every output that declares a language
//! reads it here: the annexe SVG's `xml:lang`, the site's `<html lang>`, the PDF's text
//! (hyphenation, quotes), the Word styles and properties, the calendar's names.

/// The language, as ISO 639-1.
pub const LANGUAGE: &str = "fr";

/// The region whose usage the text follows (OQLF typography, AAAA-MM-JJ dates), ISO 3166-1.
pub const REGION: &str = "CA";

/// The BCP 47 tag of language and region: `fr-CA`.
pub fn tag() -> String {
    format!("{LANGUAGE}-{REGION}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tag_joins_language_and_region() {
        assert_eq!(super::tag(), "fr-CA");
    }
}
