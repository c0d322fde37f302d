//! The document's blocks ([`crate::render::blocks`]) as the HTML of the site's home page, and
//! its table of contents.
//!
//! Every text is escaped here: the blocks hold plain text (the Markdown's escapes already
//! undone), and no raw HTML ever reaches them but the template's swatches, which are typed.
//! Links keep only safe destinations (relative, `#…`, `http(s):`, `mailto:`).

use crate::render::blocks::{Block, Inline, plain_text};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use serde::Serialize;
use std::fmt::Write as _;

/// An annexe picture of the document and the page that shows it at full size.
pub(crate) struct AnnexeFigure {
    /// The picture's path, as the Markdown gives it (`annexes/annexe-1.svg`).
    pub src: String,
    /// The annexe page (`annexe-1.html`).
    pub href: String,
    /// The link's text (label `site.annexe_link`).
    pub text: String,
}

/// One entry of the table of contents: a section and its subsections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TocEntry {
    pub id: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

/// The front matter: the title (level 1) and the paragraphs that only repeat what the
/// page's header says (`known`). Whatever else the template writes there is kept.
pub(crate) fn without_front(blocks: &[Block], known: &[&str]) -> Vec<Block> {
    let front = blocks
        .iter()
        .position(|b| !matches!(b, Block::Heading { level: 1, .. } | Block::Paragraph(_)))
        .unwrap_or(blocks.len());
    let repeats = |b: &Block| match b {
        Block::Heading { level: 1, .. } => true,
        Block::Paragraph(p) => known.contains(&plain_text(p).trim()),
        _ => false,
    };
    let mut out: Vec<Block> = blocks[..front]
        .iter()
        .filter(|b| !repeats(b))
        .cloned()
        .collect();
    out.extend_from_slice(&blocks[front..]);
    out
}

/// The sections (level 2) and their subsections (level 3) of `blocks`.
pub(crate) fn toc(blocks: &[Block]) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::new();
    for b in blocks {
        let Block::Heading { level, text, id } = b else {
            continue;
        };
        let entry = TocEntry {
            id: id.clone(),
            text: text.clone(),
            children: Vec::new(),
        };
        match (level, out.last_mut()) {
            (2, _) => out.push(entry),
            (3, Some(parent)) => parent.children.push(entry),
            _ => {}
        }
    }
    out
}

/// `blocks` as an HTML fragment.
pub(crate) fn blocks_html(blocks: &[Block], figures: &[AnnexeFigure]) -> String {
    let mut w = Writer {
        out: String::new(),
        figures,
    };
    w.blocks(blocks);
    w.out
}

struct Writer<'a> {
    out: String,
    figures: &'a [AnnexeFigure],
}

impl Writer<'_> {
    fn text(&mut self, s: &str) {
        let _ = escape_html_body_text(&mut self.out, s);
    }

    fn attr(&mut self, s: &str) {
        let _ = escape_html(&mut self.out, s);
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading { level, text, id } => {
                let level = (*level).clamp(2, 6);
                self.out.push_str(&format!("<h{level} id=\""));
                self.attr(id);
                self.out.push_str("\">");
                self.text(text);
                self.out.push_str(&format!("</h{level}>\n"));
            }
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            Block::List { ordered, items } => self.list(*ordered, items),
            Block::Table { header, rows } => self.table(header, rows),
            Block::Image { src, alt } => self.figure(src, alt),
        }
    }

    /// A tight item's first paragraph is written without `<p>`.
    fn list(&mut self, ordered: bool, items: &[Vec<Block>]) {
        let tag = if ordered { "ol" } else { "ul" };
        self.out.push_str(&format!("<{tag}>\n"));
        for item in items {
            self.out.push_str("<li>");
            let rest = match item.split_first() {
                Some((Block::Paragraph(inlines), rest)) => {
                    self.inlines(inlines);
                    rest
                }
                _ => item.as_slice(),
            };
            if !rest.is_empty() {
                self.out.push('\n');
                self.blocks(rest);
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// A table in a focusable scrolling box (a wide table scrolls on a phone, by keyboard
    /// too). A cell that opens with a swatch is a state cell: `state state-KEY`.
    fn table(&mut self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        self.out
            .push_str("<div class=\"table-scroll\" tabindex=\"0\">\n<table>\n<thead>\n<tr>");
        for cell in header {
            self.out.push_str("<th scope=\"col\">");
            self.inlines(cell);
            self.out.push_str("</th>");
        }
        self.out.push_str("</tr>\n</thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for cell in row {
                match cell.first() {
                    Some(Inline::Swatch { key }) => {
                        self.out.push_str("<td class=\"state state-");
                        self.attr(key);
                        self.out.push_str("\">");
                    }
                    _ => self.out.push_str("<td>"),
                }
                self.inlines(cell);
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n</div>\n");
    }

    /// A picture; an annexe's links to its own page.
    fn figure(&mut self, src: &str, alt: &str) {
        self.out.push_str("<figure class=\"picture\">\n<img src=\"");
        self.href(src);
        self.out.push_str("\" alt=\"");
        self.attr(alt);
        self.out.push_str("\">\n");
        if let Some(f) = self.figures.iter().find(|f| f.src == src) {
            self.out.push_str("<figcaption><a href=\"");
            self.href(&f.href);
            self.out.push_str("\">");
            self.text(&f.text);
            self.out.push_str("</a></figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn href(&mut self, href: &str) {
        let _ = escape_href(&mut self.out, href);
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text(t) => {
                let mut lines = t.split('\n');
                if let Some(first) = lines.next() {
                    self.text(first);
                }
                for line in lines {
                    self.out.push_str("<br>");
                    self.text(line);
                }
            }
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Emph(c) => self.wrapped("em", c),
            Inline::Code(t) => {
                self.out.push_str("<code>");
                self.text(t);
                self.out.push_str("</code>");
            }
            Inline::Link { href, children } if safe_href(href) => {
                self.out.push_str("<a href=\"");
                self.href(href);
                self.out.push_str("\">");
                self.inlines(children);
                self.out.push_str("</a>");
            }
            Inline::Link { children, .. } => self.inlines(children),
            Inline::Swatch { key } => {
                self.out.push_str("<span class=\"swatch swatch-");
                self.attr(key);
                self.out.push_str("\" aria-hidden=\"true\">■</span>");
            }
        }
    }

    fn wrapped(&mut self, tag: &str, children: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(children);
        let _ = write!(self.out, "</{tag}>");
    }
}

/// A destination a page may link to: `http:`, `https:`, `mailto:`, or no scheme at all
/// (a relative path or an anchor); never `javascript:` and the like.
pub(crate) fn safe_href(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if lower.as_bytes()[i] == b':' => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::blocks::parse;

    fn html(md: &str) -> String {
        blocks_html(&parse(md), &[])
    }

    #[test]
    fn headings_keep_their_ids_and_text_is_escaped() {
        assert_eq!(
            html("## <a id=\"annexe-1\"></a>Annexe &lt;1&gt; &amp; \\*x\\*\n"),
            "<h2 id=\"annexe-1\">Annexe &lt;1&gt; &amp; *x*</h2>\n"
        );
        assert_eq!(
            html("&lt;script&gt;alert(1)&lt;/script&gt; \"q\"\n"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; \"q\"</p>\n"
        );
    }

    #[test]
    fn state_cells_take_the_class_of_their_swatch() {
        let h = html(
            "| VM | État |\n|---|---|\n| a | <span class=\"swatch swatch-red\">■</span> × suppression (rouge) |\n",
        );
        assert!(h.contains("<th scope=\"col\">VM</th>"), "{h}");
        assert!(
            h.contains("<td class=\"state state-red\"><span class=\"swatch swatch-red\" aria-hidden=\"true\">■</span> × suppression (rouge)</td>"),
            "{h}"
        );
        assert!(h.contains("<td>a</td>"), "{h}");
    }

    #[test]
    fn lists_links_and_pictures() {
        let h =
            html("- **a** [b](https://x.y/?a=1&b=\"2\")\n  - c\n\n1. [j](javascript:alert(1))\n");
        assert_eq!(
            h,
            "<ul>\n<li><strong>a</strong> <a href=\"https://x.y/?a=1&amp;b=%222%22\">b</a>\n<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n<ol>\n<li>j</li>\n</ol>\n"
        );
        let figures = [AnnexeFigure {
            src: "annexes/annexe-1.svg".into(),
            href: "annexe-1.html".into(),
            text: "Annexe 1 en grand".into(),
        }];
        let h = blocks_html(&parse("![A \"1\"](annexes/annexe-1.svg)\n"), &figures);
        assert_eq!(
            h,
            "<figure class=\"picture\">\n<img src=\"annexes/annexe-1.svg\" alt=\"A &quot;1&quot;\">\n<figcaption><a href=\"annexe-1.html\">Annexe 1 en grand</a></figcaption>\n</figure>\n"
        );
    }

    #[test]
    fn only_safe_destinations_are_links() {
        for ok in [
            "https://a",
            "HTTP://a",
            "mailto:x@y",
            "a/b.png",
            "#x",
            "a.html#b",
            "?q=a:b",
        ] {
            assert!(safe_href(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn front_matter_and_toc() {
        let blocks = parse("# T\n\nOrg\n\nAutre\n\n## A\n\n### A1\n\n## B\n\nOrg\n");
        let body = without_front(&blocks, &["Org", "T"]);
        assert_eq!(plain(&body), ["Autre", "A", "A1", "B", "Org"]);
        let t = toc(&body);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].id.as_str(), t[0].children.len()), ("a", 1));
        assert_eq!(t[0].children[0].text, "A1");
    }

    fn plain(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. } => text.clone(),
                Block::Paragraph(p) => plain_text(p),
                _ => String::new(),
            })
            .collect()
    }
}
