//! The document read back as structure, with pulldown-cmark: sections (found by the anchor
//! their heading carries), the rows of their tables as plain cell texts, their prose, and
//! every image. No wording of the default template is assumed.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Default)]
pub(crate) struct Section {
    /// The `id` of the `<a id="…"></a>` in its heading.
    pub anchor: Option<String>,
    pub heading: String,
    /// 1-based line of the heading.
    pub line: u32,
    /// Every row of every table (header rows included), as plain cell texts.
    pub rows: Vec<Vec<String>>,
    /// The text outside tables.
    pub prose: String,
}

#[derive(Debug, Default)]
pub(crate) struct Doc {
    /// The part before the first level-2 heading, then one per level-2 heading.
    pub sections: Vec<Section>,
    /// Every image's destination.
    pub images: Vec<String>,
}

impl Doc {
    pub(crate) fn section(&self, anchor: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.anchor.as_deref() == Some(anchor))
    }
}

/// `<a id="x">` → `x`.
fn anchor_of(html: &str) -> Option<String> {
    let rest = html.trim().strip_prefix("<a id=\"")?;
    Some(rest[..rest.find('"')?].to_string())
}

/// Where the parse is.
#[derive(Default)]
struct State {
    in_heading: bool,
    in_swatch: bool,
    row: Option<Vec<String>>,
    cell: Option<String>,
}

pub(crate) fn parse(md: &str) -> Doc {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    let line_at = |offset: usize| md[..offset.min(md.len())].matches('\n').count() as u32 + 1;
    let mut doc = Doc {
        sections: vec![Section::default()],
        images: Vec::new(),
    };
    let mut st = State::default();
    for (event, range) in Parser::new_ext(md, opts).into_offset_iter() {
        let sec = doc.sections.last_mut().expect("one section at least");
        match event {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                ..
            }) => {
                doc.sections.push(Section {
                    line: line_at(range.start),
                    ..Section::default()
                });
                st.in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => st.in_heading = false,
            Event::Start(Tag::TableRow | Tag::TableHead) => st.row = Some(Vec::new()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                if let Some(row) = st.row.take() {
                    sec.rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => st.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(cell), Some(row)) = (st.cell.take(), st.row.as_mut()) {
                    row.push(cell.trim().to_string());
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => doc.images.push(dest_url.to_string()),
            Event::InlineHtml(h) | Event::Html(h) => {
                if st.in_heading
                    && let Some(a) = anchor_of(&h)
                {
                    sec.anchor = Some(a);
                }
                // Our own colour swatch (`<span class="swatch …">■</span>`) is decoration.
                if h.starts_with("<span class=\"swatch") {
                    st.in_swatch = true;
                } else if h.starts_with("</span>") {
                    st.in_swatch = false;
                }
            }
            Event::Text(t) | Event::Code(t) if !st.in_swatch => {
                if st.in_heading {
                    sec.heading.push_str(&t);
                } else if let Some(cell) = st.cell.as_mut() {
                    cell.push_str(&t);
                } else {
                    sec.prose.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                sec.prose.push(' ');
            }
            _ => {}
        }
    }
    doc
}

/// Whether `word` stands in `text` as a whole token (not inside a longer word or number).
pub(crate) fn has_token(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_tables_prose_and_images() {
        let md = "# T\n\nIntro.\n\n## <a id=\"machines-virtuelles-proj\"></a>Machines virtuelles Proj\n\nVoir l’Octopus 57330.\n\n| a | b |\n|---|---|\n| x \\| y | <span class=\"swatch swatch-red\">■</span> ▲ z (rouge) |\n\n## <a id=\"machines-virtuelles-projets\"></a>Machines virtuelles Projets\n\n![alt](annexes/annexe-1.svg)\n";
        let d = parse(md);
        assert_eq!(d.sections.len(), 3);
        let proj = d.section("machines-virtuelles-proj").unwrap();
        assert_eq!(proj.heading, "Machines virtuelles Proj");
        assert_eq!(proj.line, 5);
        assert_eq!(proj.rows, [vec!["a", "b"], vec!["x | y", "▲ z (rouge)"]]);
        assert!(has_token(&proj.prose, "57330"));
        assert!(d.section("machines-virtuelles-projets").is_some());
        assert!(d.section("machines-virtuelles-pro").is_none());
        assert_eq!(d.images, ["annexes/annexe-1.svg"]);
    }

    #[test]
    fn tokens_are_whole() {
        assert!(has_token("Bonjour, campusweb.", "campusweb"));
        assert!(!has_token("campusweb2", "campusweb"));
        assert!(!has_token("a-campusweb", "campusweb"));
        assert!(!has_token("573301", "57330"));
        assert!(has_token("(57330)", "57330"));
    }
}
