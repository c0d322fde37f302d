//! The rendered Markdown document as a small tree of blocks and inlines, which the site,
//! the PDF and the Word exports render: the prose is written once, in `document.md.tera`.
//!
//! Raw HTML is dropped, except the colour swatch our own template writes
//! (`<span class="swatch swatch-KEY">■</span>`), which becomes [`Inline::Swatch`].
//! Inventory text was escaped when the Markdown was written, so it never yields HTML.

//!
//! [`events`] reads pulldown-cmark's events into blocks; [`ids`] gives headings their ids.

mod events;
mod ids;

use events::parse_blocks;
pub use ids::slug;
use ids::unique_ids;
use pulldown_cmark::{Options, Parser};
use serde::Serialize;

/// A block of the document (serialized as `{kind, value}`, kinds in snake case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Block {
    /// `id`: the `{#id}` attribute, else a slug of the text; unique in the document.
    Heading {
        /// 1 to 6, as `#` to `######`.
        level: u8,
        /// The heading's plain text, trimmed (formatting dropped).
        text: String,
        /// Its id, as described above (what a link `#id` names).
        id: String,
    },
    /// A paragraph's inlines (a code block is a paragraph of one [`Inline::Code`]).
    Paragraph(Vec<Inline>),
    /// A bulleted or numbered list.
    List {
        /// Numbered (`1.`) rather than bulleted.
        ordered: bool,
        /// Each item's blocks, in order.
        items: Vec<Vec<Block>>,
    },
    /// A Markdown table.
    Table {
        /// The header row: each cell's inlines.
        header: Vec<Vec<Inline>>,
        /// The body rows, each a list of cells, each cell its inlines.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A paragraph made only of an image.
    Image {
        /// The image's address as the Markdown writes it (a path relative to the document).
        src: String,
        /// Its alternative text.
        alt: String,
    },
}

/// Text inside a block (serialized as `{kind, value}`, kinds in snake case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text; a hard line break is a `"\n"`.
    Text(String),
    /// Bold (`**…**`), around its inlines.
    Strong(Vec<Inline>),
    /// Italic (`*…*`), around its inlines.
    Emph(Vec<Inline>),
    /// Code, shown as it is in a fixed-width font.
    Code(String),
    /// A link around inlines.
    Link {
        /// The target, as the Markdown writes it.
        href: String,
        /// The linked text.
        children: Vec<Inline>,
    },
    /// A colour swatch; the colour is the legend's entry named `key`.
    Swatch {
        /// The legend key of the swatch's colour (`KEY` of `swatch-KEY`), e.g. `vert`.
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

#[cfg(test)]
mod tests;
