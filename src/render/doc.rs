//! The rendered Markdown document as a small tree of blocks and inlines, which the PDF
//! and Word exports typeset: the prose is written once, in `document.md.tera`.
//!
//! Raw HTML is dropped, except the colour swatch our own template writes
//! (`<span class="swatch swatch-KEY">■</span>`), which becomes [`Inline::Swatch`].
//! Inventory text was escaped when the Markdown was written, so it never yields HTML.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeSet;
use std::iter::Peekable;

/// Containers nested deeper than this are flattened to text (a hostile template cannot
/// exhaust the stack).
const MAX_DEPTH: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Block {
    /// `id`: the `{#id}` attribute, else a slug of the text; unique in the document.
    Heading {
        level: u8,
        text: String,
        id: String,
    },
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A paragraph made only of an image.
    Image {
        src: String,
        alt: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text; a hard line break is a `"\n"`.
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Code(String),
    Link {
        href: String,
        children: Vec<Inline>,
    },
    /// A colour swatch; the colour is the legend's entry named `key`.
    Swatch {
        key: String,
    },
}

/// Parses the rendered Markdown (tables and heading attributes on).
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut events = Parser::new_ext(markdown, opts).peekable();
    let mut blocks = Vec::new();
    while events.peek().is_some() {
        blocks.extend(parse_blocks(&mut events, 0));
    }
    unique_ids(&mut blocks);
    blocks
}

/// The text of inlines, without formatting.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } => {
                out.push_str(&plain_text(c));
            }
            Inline::Swatch { .. } => out.push('■'),
        }
    }
    out
}

/// An inline as collected, before a paragraph decides whether its images stand alone.
enum Piece {
    Inline(Inline),
    Image {
        src: String,
        alt: String,
    },
    /// `<a id="…"></a>`: the id of the heading it stands in.
    Anchor(String),
}

type Events<'a> = Peekable<Parser<'a>>;

/// Blocks until the end of the enclosing container (or of the input).
fn parse_blocks(ev: &mut Events, depth: usize) -> Vec<Block> {
    let mut out = Vec::new();
    // Inline content outside a paragraph (the items of a tight list).
    let mut loose: Vec<Piece> = Vec::new();
    while let Some(e) = ev.next() {
        match e {
            Event::End(_) => break,
            Event::Start(tag) if is_block(&tag) => {
                flush(&mut loose, &mut out);
                block(tag, ev, depth, &mut out);
            }
            Event::Html(_) | Event::Rule => {}
            other => inline_event(other, ev, depth, &mut loose),
        }
    }
    flush(&mut loose, &mut out);
    out
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

/// One block container whose start was just read.
fn block(tag: Tag, ev: &mut Events, depth: usize, out: &mut Vec<Block>) {
    if depth >= MAX_DEPTH {
        let text = skip_to_end(ev);
        if !text.trim().is_empty() {
            out.push(Block::Paragraph(vec![Inline::Text(text)]));
        }
        return;
    }
    match tag {
        Tag::Paragraph => paragraph(collect_inlines(ev, depth), out),
        Tag::Heading { level, id, .. } => {
            let pieces = collect_inlines(ev, depth);
            let anchor = pieces.iter().find_map(|p| match p {
                Piece::Anchor(a) => Some(a.clone()),
                _ => None,
            });
            let text = plain_text(&inlines_only(pieces));
            out.push(Block::Heading {
                level: heading_level(level),
                text: text.trim().to_string(),
                id: id.map(|s| s.to_string()).or(anchor).unwrap_or_default(),
            });
        }
        Tag::List(start) => out.push(list(ev, start.is_some(), depth)),
        Tag::Table(_) => out.push(table(ev, depth)),
        Tag::CodeBlock(_) => {
            let code = skip_to_end(ev);
            out.push(Block::Paragraph(vec![Inline::Code(code)]));
        }
        Tag::HtmlBlock | Tag::MetadataBlock(_) => {
            skip_to_end(ev);
        }
        // Quotes, stray items, footnotes, definitions: their content, unwrapped.
        _ => out.extend(parse_blocks(ev, depth + 1)),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A paragraph made only of images (and blanks) is one image block per image; elsewhere
/// an image reads as its alternative text.
fn paragraph(pieces: Vec<Piece>, out: &mut Vec<Block>) {
    let only_images = pieces.iter().any(|p| matches!(p, Piece::Image { .. }))
        && pieces.iter().all(|p| match p {
            Piece::Image { .. } | Piece::Anchor(_) => true,
            Piece::Inline(Inline::Text(t)) => t.trim().is_empty(),
            Piece::Inline(_) => false,
        });
    if only_images {
        for p in pieces {
            if let Piece::Image { src, alt } = p {
                out.push(Block::Image { src, alt });
            }
        }
    } else {
        let inlines = inlines_only(pieces);
        if !inlines.is_empty() {
            out.push(Block::Paragraph(inlines));
        }
    }
}

/// Loose inline content (a tight list item) becomes a paragraph.
fn flush(loose: &mut Vec<Piece>, out: &mut Vec<Block>) {
    if !loose.is_empty() {
        paragraph(std::mem::take(loose), out);
    }
}

fn list(ev: &mut Events, ordered: bool, depth: usize) -> Block {
    let mut items = Vec::new();
    while let Some(e) = ev.next() {
        match e {
            Event::Start(Tag::Item) => items.push(parse_blocks(ev, depth + 1)),
            Event::End(_) => break,
            _ => {}
        }
    }
    Block::List { ordered, items }
}

fn table(ev: &mut Events, depth: usize) -> Block {
    let mut header = Vec::new();
    let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut in_head = false;
    while let Some(e) = ev.next() {
        match e {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                let cell = inlines_only(collect_inlines(ev, depth));
                match rows.last_mut() {
                    Some(row) if !in_head => row.push(cell),
                    _ => header.push(cell),
                }
            }
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    Block::Table { header, rows }
}

/// Inline events until the end of the enclosing container.
fn collect_inlines(ev: &mut Events, depth: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    while let Some(e) = ev.next() {
        match e {
            Event::End(_) => break,
            other => inline_event(other, ev, depth, &mut out),
        }
    }
    merge_text(out)
}

fn inline_event(e: Event, ev: &mut Events, depth: usize, out: &mut Vec<Piece>) {
    let inline = match e {
        Event::Text(t) => Inline::Text(t.to_string()),
        Event::Code(t) => Inline::Code(t.to_string()),
        Event::SoftBreak => Inline::Text(" ".into()),
        Event::HardBreak => Inline::Text("\n".into()),
        Event::InlineHtml(h) => match (swatch_key(&h), anchor_id(&h)) {
            (Some(key), _) => {
                skip_swatch_body(ev);
                Inline::Swatch { key }
            }
            (None, Some(id)) => return out.push(Piece::Anchor(id)),
            (None, None) => return,
        },
        Event::Start(tag) if depth >= MAX_DEPTH => {
            drop(tag);
            Inline::Text(skip_to_end(ev))
        }
        Event::Start(Tag::Strong) => Inline::Strong(inlines_only(collect_inlines(ev, depth + 1))),
        Event::Start(Tag::Emphasis) => Inline::Emph(inlines_only(collect_inlines(ev, depth + 1))),
        Event::Start(Tag::Link { dest_url, .. }) => Inline::Link {
            href: dest_url.to_string(),
            children: inlines_only(collect_inlines(ev, depth + 1)),
        },
        Event::Start(Tag::Image { dest_url, .. }) => {
            let alt = plain_text(&inlines_only(collect_inlines(ev, depth + 1)));
            out.push(Piece::Image {
                src: dest_url.to_string(),
                alt,
            });
            return;
        }
        // Strikethrough and the like: their content, unwrapped.
        Event::Start(_) => {
            out.extend(collect_inlines(ev, depth + 1));
            return;
        }
        _ => return,
    };
    out.push(Piece::Inline(inline));
}

/// `ID` of the anchor `<a id="ID">` our template puts in a heading (`[a-z0-9-]+`).
fn anchor_id(html: &str) -> Option<String> {
    let id = html.trim().strip_prefix("<a id=\"")?.split('"').next()?;
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then(|| id.to_string())
}

/// `KEY` of `<span class="swatch swatch-KEY">`, KEY being `[a-z]+`.
fn swatch_key(html: &str) -> Option<String> {
    let key = html
        .strip_prefix("<span class=\"swatch swatch-")?
        .strip_suffix("\">")?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase())).then(|| key.to_string())
}

/// Drops the swatch's own text, up to its `</span>`.
fn skip_swatch_body(ev: &mut Events) {
    while let Some(e) = ev.peek() {
        match e {
            Event::Text(_) => {
                ev.next();
            }
            Event::InlineHtml(h) if h.trim() == "</span>" => {
                ev.next();
                return;
            }
            _ => return,
        }
    }
}

/// Consumes a container whose start was read, returning its text.
fn skip_to_end(ev: &mut Events) -> String {
    let mut text = String::new();
    let mut open = 1usize;
    for e in ev.by_ref() {
        match e {
            Event::Start(_) => open += 1,
            Event::End(_) => {
                open -= 1;
                if open == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Images read as their alternative text.
fn inlines_only(pieces: Vec<Piece>) -> Vec<Inline> {
    let inlines = pieces.into_iter().map(|p| match p {
        Piece::Inline(i) => i,
        Piece::Image { alt, .. } => Inline::Text(alt),
        Piece::Anchor(_) => Inline::Text(String::new()),
    });
    merge_inlines(inlines)
}

fn merge_text(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match (out.last_mut(), p) {
            (Some(Piece::Inline(Inline::Text(a))), Piece::Inline(Inline::Text(b))) => {
                a.push_str(&b);
            }
            (_, p) => out.push(p),
        }
    }
    out
}

fn merge_inlines(inlines: impl Iterator<Item = Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in inlines {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (_, Inline::Text(b)) if b.is_empty() => {}
            (_, i) => out.push(i),
        }
    }
    out
}

/// Gives every heading an id: its own `{#id}`, else a slug of its text; a repeated id
/// takes the first free `-1`, `-2`… suffix.
fn unique_ids(blocks: &mut [Block]) {
    give_ids(blocks, &mut BTreeSet::new());
}

fn give_ids(blocks: &mut [Block], used: &mut BTreeSet<String>) {
    for b in blocks.iter_mut() {
        if let Block::List { items, .. } = b {
            for item in items.iter_mut() {
                give_ids(item, used);
            }
        }
        if let Block::Heading { text, id, .. } = b {
            let base = if id.is_empty() {
                slug(text)
            } else {
                id.clone()
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.insert(candidate.clone());
            *id = candidate;
        }
    }
}

/// `Schémas de machines virtuelles` → `schemas-de-machines-virtuelles`: lowercase ASCII
/// letters and digits, French accents folded, anything else a single `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold(c);
        if !folded.is_empty() {
            out.push_str(folded);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// The ASCII letters of an accented Latin letter (empty for anything else).
fn fold(c: char) -> &'static str {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn headings_take_their_attribute_or_a_unique_slug() {
        let blocks = parse(
            "# Titre {#haut}\n\n## Schémas de VM\n\n## Schémas de VM\n\n## Schémas de VM-1\n\n### Œuvre ç\n\n## ???\n\n## <a id=\"machines-virtuelles-campus\"></a>Machines virtuelles Campus\n",
        );
        let ids: Vec<(u8, &str, &str)> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text, id } => (*level, text.as_str(), id.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            ids,
            [
                (1, "Titre", "haut"),
                (2, "Schémas de VM", "schemas-de-vm"),
                (2, "Schémas de VM", "schemas-de-vm-1"),
                (2, "Schémas de VM-1", "schemas-de-vm-1-1"),
                (3, "Œuvre ç", "oeuvre-c"),
                (2, "???", "section"),
                (
                    2,
                    "Machines virtuelles Campus",
                    "machines-virtuelles-campus"
                ),
            ]
        );
    }

    #[test]
    fn every_heading_level() {
        let levels: Vec<u8> = parse("# a\n## b\n### c\n#### d\n##### e\n###### f\n")
            .iter()
            .map(|b| match b {
                Block::Heading { level, .. } => *level,
                _ => 0,
            })
            .collect();
        assert_eq!(levels, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn paragraphs_with_every_inline() {
        let blocks =
            parse("a **gras** *it* `code` [lien](https://x.y/a%20b) \\*b\\*  \nfin\nsuite");
        assert_eq!(
            blocks,
            [Block::Paragraph(vec![
                text("a "),
                Inline::Strong(vec![text("gras")]),
                text(" "),
                Inline::Emph(vec![text("it")]),
                text(" "),
                Inline::Code("code".into()),
                text(" "),
                Inline::Link {
                    href: "https://x.y/a%20b".into(),
                    children: vec![text("lien")]
                },
                text(" *b*\nfin suite"),
            ])]
        );
    }

    #[test]
    fn tight_and_loose_lists_nest() {
        let blocks = parse("- un\n  - deux ;\n- trois\n\n1. a\n2. b\n");
        let [
            Block::List {
                ordered: false,
                items,
            },
            Block::List {
                ordered: true,
                items: o,
            },
        ] = blocks.as_slice()
        else {
            panic!("{blocks:?}")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0][0], Block::Paragraph(vec![text("un")]));
        assert_eq!(
            items[0][1],
            Block::List {
                ordered: false,
                items: vec![vec![Block::Paragraph(vec![text("deux ;")])]]
            }
        );
        assert_eq!(items[1], [Block::Paragraph(vec![text("trois")])]);
        assert_eq!(o.len(), 2);
        let loose = parse("- a\n\n- b\n");
        assert_eq!(
            loose,
            [Block::List {
                ordered: false,
                items: vec![
                    vec![Block::Paragraph(vec![text("a")])],
                    vec![Block::Paragraph(vec![text("b")])]
                ]
            }]
        );
    }

    #[test]
    fn tables_keep_header_rows_and_inline_cells() {
        let blocks = parse("| A | **B** |\n|---|---|\n| 1 | a\\|b |\n|  | x |\n");
        assert_eq!(
            blocks,
            [Block::Table {
                header: vec![vec![text("A")], vec![Inline::Strong(vec![text("B")])]],
                rows: vec![
                    vec![vec![text("1")], vec![text("a|b")]],
                    vec![vec![], vec![text("x")]],
                ],
            }]
        );
    }

    #[test]
    fn a_lone_image_is_a_block_and_an_inline_one_its_alt_text() {
        assert_eq!(
            parse("![Annexe 1](annexes/annexe-1.svg)\n"),
            [Block::Image {
                src: "annexes/annexe-1.svg".into(),
                alt: "Annexe 1".into()
            }]
        );
        assert_eq!(
            parse("voir ![le schéma](a.svg) ici\n"),
            [Block::Paragraph(vec![text("voir le schéma ici")])]
        );
        assert_eq!(
            parse("[![x](a.png)](b)\n"),
            [Block::Paragraph(vec![Inline::Link {
                href: "b".into(),
                children: vec![text("x")]
            }])]
        );
    }

    #[test]
    fn swatches_are_kept_and_other_html_dropped() {
        let blocks = parse(
            "- <span class=\"swatch swatch-vert\">■</span> (vert) ;\n- <span class=\"x\">a</span> <b>b</b>\n\n<div>\nbloc\n</div>\n\nfin <span class=\"swatch swatch-Vert\">■</span> <span class=\"swatch swatch-\">■</span>\n",
        );
        assert_eq!(
            blocks,
            [
                Block::List {
                    ordered: false,
                    items: vec![
                        vec![Block::Paragraph(vec![
                            Inline::Swatch { key: "vert".into() },
                            text(" (vert) ;")
                        ])],
                        vec![Block::Paragraph(vec![text("a b")])],
                    ]
                },
                Block::Paragraph(vec![text("fin ■ ■")]),
            ]
        );
    }

    #[test]
    fn escaped_inventory_text_stays_text() {
        assert_eq!(
            parse("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\[x\\](y)\n"),
            [Block::Paragraph(vec![text(
                "<script>alert(1)</script> & [x](y)"
            )])]
        );
    }

    #[test]
    fn quotes_code_blocks_and_rules_are_unwrapped() {
        assert_eq!(
            parse("> cité\n\n---\n\n```\nfn x\n```\n"),
            [
                Block::Paragraph(vec![text("cité")]),
                Block::Paragraph(vec![Inline::Code("fn x\n".into())]),
            ]
        );
    }

    #[test]
    fn deep_nesting_is_flattened_without_overflow() {
        let deep = format!("{}x\n", "> ".repeat(5000));
        let blocks = parse(&deep);
        assert_eq!(plain(&blocks), "x");
        let stars = format!("{}x{}", "*a ".repeat(3000), " b*".repeat(3000));
        assert!(plain(&parse(&stars)).contains('x'));
        let lists = format!("{}x\n", "- ".repeat(3000));
        assert!(plain(&parse(&lists)).contains('x'));
    }

    fn plain(blocks: &[Block]) -> String {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(i) => plain_text(i),
                Block::List { items, .. } => items.iter().map(|i| plain(i)).collect(),
                Block::Heading { text, .. } => text.clone(),
                Block::Table { .. } | Block::Image { .. } => String::new(),
            })
            .collect()
    }

    #[test]
    fn plain_text_flattens_formatting() {
        let i = [
            Inline::Strong(vec![text("a"), Inline::Emph(vec![text("b")])]),
            Inline::Code("c".into()),
            Inline::Link {
                href: "h".into(),
                children: vec![text("d")],
            },
            Inline::Swatch { key: "k".into() },
        ];
        assert_eq!(plain_text(&i), "abcd■");
    }

    #[test]
    fn serializes_with_kind_and_value() {
        let b = Block::Paragraph(vec![Inline::Swatch {
            key: "rouge".into(),
        }]);
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"kind":"paragraph","value":[{"kind":"swatch","value":{"key":"rouge"}}]}"#
        );
    }

    #[test]
    fn the_seed_document_parses_into_its_sections() {
        let plan = crate::fixtures::seed_plan();
        let t = crate::templates::Templates::load(None).unwrap();
        let md = crate::render::document::markdown(&plan, &t).unwrap();
        let blocks = parse(&md);
        let headings = blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading { level: 2, .. }))
            .count();
        assert_eq!(headings, 8);
        let swatches = md.matches("class=\"swatch").count();
        // The legend, and one per box of the operations tables.
        assert_eq!(swatches, 4 + 3 * 8);
        assert!(blocks.iter().any(|b| matches!(b, Block::Image { .. })));
        assert_eq!(
            blocks
                .iter()
                .filter(|b| matches!(b, Block::Table { .. }))
                .count(),
            5
        );
    }
}
