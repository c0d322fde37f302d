//! pulldown-cmark's events read into blocks: containers, paragraphs (an image alone is a
//! block), lists, tables, inlines; raw HTML dropped but for our swatch and anchors.

use super::{Block, Inline, plain_text};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::iter::Peekable;

/// Containers nested deeper than this are flattened to text (a hostile template cannot
/// exhaust the stack).
const MAX_DEPTH: usize = 24;

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

pub(super) type Events<'a> = Peekable<Parser<'a>>;

/// Blocks until the end of the enclosing container (or of the input).
pub(super) fn parse_blocks(ev: &mut Events, depth: usize) -> Vec<Block> {
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
