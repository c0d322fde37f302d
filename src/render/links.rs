//! The exports' links. A PDF or Word file travels alone (attached to a ticket, mailed), so
//! a link to a file beside the document (`annexes/annexe-2.png`) would lead nowhere: it
//! leads to that file on the published site when the inventory says where the site is
//! (`document.site_url`), else it is plain text. Links with a scheme (`https:`, `mailto:`)
//! and links within the document (`#id`) are kept as they are.

use crate::render::blocks::{Block, Inline};

/// Settles every link of `blocks` against `site` (a folder URL ending with `/`).
pub(crate) fn settle(blocks: &mut [Block], site: Option<&url::Url>) {
    for b in blocks {
        match b {
            Block::Paragraph(inl) => settle_inlines(inl, site),
            Block::List { items, .. } => items.iter_mut().for_each(|i| settle(i, site)),
            Block::Table { header, rows } => {
                let cells = header.iter_mut().chain(rows.iter_mut().flatten());
                cells.for_each(|c| settle_inlines(c, site));
            }
            Block::Heading { .. } | Block::Image { .. } => {}
        }
    }
}

fn settle_inlines(inlines: &mut [Inline], site: Option<&url::Url>) {
    for i in inlines {
        match i {
            Inline::Link { href, children } => {
                *href = settled(href, site);
                settle_inlines(children, site);
            }
            Inline::Strong(c) | Inline::Emph(c) => settle_inlines(c, site),
            Inline::Text(_) | Inline::Code(_) | Inline::Swatch { .. } => {}
        }
    }
}

/// `href` as the export links it: absolute as it is, relative joined to `site`, or `""`
/// (no link) when there is no site to join it to.
fn settled(href: &str, site: Option<&url::Url>) -> String {
    if href.is_empty() || href.starts_with('#') {
        return href.to_string();
    }
    match url::Url::parse(href) {
        Ok(_) => href.to_string(),
        Err(url::ParseError::RelativeUrlWithoutBase) => site
            .and_then(|s| s.join(href).ok())
            .map_or_else(String::new, String::from),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_link_leads_to_the_site_or_nowhere() {
        let site = url::Url::parse("https://docs.example.ca/migration/").unwrap();
        let cases = [
            (
                "annexes/annexe-2.png",
                "https://docs.example.ca/migration/annexes/annexe-2.png",
                "",
            ),
            (
                "https://a.example.ca/x",
                "https://a.example.ca/x",
                "https://a.example.ca/x",
            ),
            (
                "mailto:a@example.ca",
                "mailto:a@example.ca",
                "mailto:a@example.ca",
            ),
            ("#annexe-2", "#annexe-2", "#annexe-2"),
            ("", "", ""),
            ("https://[bad", "", ""),
        ];
        for (href, with_site, without) in cases {
            assert_eq!(settled(href, Some(&site)), with_site, "{href}");
            assert_eq!(settled(href, None), without, "{href}");
        }
    }

    #[test]
    fn every_link_of_every_block_is_settled() {
        let link = |h: &str| Inline::Link {
            href: h.into(),
            children: vec![Inline::Strong(vec![Inline::Link {
                href: "b.png".into(),
                children: vec![],
            }])],
        };
        let mut blocks = vec![
            Block::Paragraph(vec![link("a.png")]),
            Block::List {
                ordered: false,
                items: vec![vec![Block::Paragraph(vec![Inline::Emph(vec![link(
                    "c.png",
                )])])]],
            },
            Block::Table {
                header: vec![vec![link("d.png")]],
                rows: vec![vec![vec![link("e.png")]]],
            },
        ];
        settle(&mut blocks, None);
        let text = format!("{blocks:?}");
        for name in ["a.png", "b.png", "c.png", "d.png", "e.png"] {
            assert!(!text.contains(name), "{name} still linked: {text}");
        }
    }
}
