//! The *render* stage: each module reads the plan and produces one kind of output.
//! None of them derives a fact: colours, counts and moves come from [`crate::plan`].

pub mod annexe;
pub mod blocks;
pub(crate) mod document;
pub mod docx;
pub mod exports;
pub(crate) mod ics;
pub(crate) mod links;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod png;
pub(crate) mod site;
pub mod tickets;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Inventory text as it is drawn: control characters (which XML 1.0 forbids or which would
/// break a line) and the non-characters U+FFFE/U+FFFF become spaces, runs of spaces collapse
/// to one (as SVG does by default, so the measured text is the drawn text). No-break spaces
/// (U+00A0, U+202F) are typography and stay.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{FFFE}' | '\u{FFFF}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        };
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_cleans() {
        assert_eq!(
            xml_escape("<script>&\"'|"),
            "&lt;script&gt;&amp;&quot;&apos;|"
        );
        assert_eq!(clean_text("  a\u{0}b\t\nc\u{FFFF}  "), "a b c");
        assert_eq!(clean_text("DNS\u{a0}: x\u{202f};"), "DNS\u{a0}: x\u{202f};");
    }
}
