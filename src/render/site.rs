//! The documentation page: the Markdown document through pulldown-cmark, inside
//! `page.html.tera`, with its stylesheet.

use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::templates::Templates;
use pulldown_cmark::{Options, Parser, html};
use serde::Serialize;

#[derive(Serialize)]
struct Page<'a> {
    title: &'a str,
    inventory: &'a str,
    body: String,
}

/// Markdown → HTML fragment (tables on; raw HTML only comes from our own template,
/// inventory text was escaped when the Markdown was written).
pub fn markdown_to_html(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, Parser::new_ext(markdown, opts));
    out
}

/// `index.html` for the document.
pub fn index_html(
    plan: &Plan,
    templates: &Templates,
    markdown: &str,
    inventory_name: &str,
) -> Result<String, Box<Diagnostic>> {
    templates.render(
        "page.html.tera",
        &Page {
            title: &plan.title,
            inventory: inventory_name,
            body: markdown_to_html(markdown),
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_are_rendered() {
        let h = super::markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<table>") && h.contains("<td>1</td>"), "{h}");
    }
}
