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

#[cfg(test)]
mod tests;
