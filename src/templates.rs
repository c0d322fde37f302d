//! Templates: prose lives here, logic in Rust.
//!
//! Defaults are embedded in the binary; a file of the same name in the templates folder
//! (`templates/` by default) overrides it. Escaping is chosen by the template's name:
//! `*.md.tera` escapes every value for Markdown, `*.html.tera` for HTML, `*.txt.tera`
//! (plain text tickets) writes values as they are (the validator refuses control characters).

use crate::diag::{Code, Diagnostic, Pos};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tera::{Context, Kwargs, State, Tera};

/// Every template bascule knows, with its embedded default.
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "document.md.tera",
        include_str!("../templates/document.md.tera"),
    ),
    // The site's layout first: the pages extend it.
    (
        "site-layout.html.tera",
        include_str!("../templates/site-layout.html.tera"),
    ),
    (
        "site-index.html.tera",
        include_str!("../templates/site-index.html.tera"),
    ),
    (
        "site-annexe.html.tera",
        include_str!("../templates/site-annexe.html.tera"),
    ),
    (
        "site-tickets.html.tera",
        include_str!("../templates/site-tickets.html.tera"),
    ),
    (
        "site-calendar.html.tera",
        include_str!("../templates/site-calendar.html.tera"),
    ),
    ("style.css", include_str!("../templates/style.css")),
    ("site.js", include_str!("../templates/site.js")),
    ("document.typ", include_str!("../templates/document.typ")),
    (
        "ticket-creation.txt.tera",
        include_str!("../templates/ticket-creation.txt.tera"),
    ),
    (
        "ticket-intervention.txt.tera",
        include_str!("../templates/ticket-intervention.txt.tera"),
    ),
    ("diff.txt.tera", include_str!("../templates/diff.txt.tera")),
    ("diff.md.tera", include_str!("../templates/diff.md.tera")),
];

/// Every template and asset of a build, compiled once: the defaults, each replaced by the
/// writer's own file of the same name, and the labels.
pub struct Templates {
    md: Tera,
    html: Tera,
    text: Tera,
    /// Non-template files (the site's stylesheet and script, the Typst template), possibly
    /// overridden.
    assets: Vec<(String, String)>,
    /// The short strings (`labels.yaml`), possibly overridden key by key.
    pub labels: crate::labels::Labels,
    /// The names of the defaults a file of the writer's replaces.
    overridden: Vec<&'static str>,
}

/// Collapses the blank-line runs that template loops leave, trims line ends and the
/// text's leading and trailing blank lines.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blanks += 1;
            if blanks > 1 {
                continue;
            }
        } else {
            blanks = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
}

/// Escapes text for Markdown: inline syntax, table pipes, HTML. Newlines become spaces
/// so that a value never breaks a table row or starts a block.
pub fn escape_markdown(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    buf.write_all(out.as_bytes())
}

/// Markdown link destination: spaces and brackets percent-encoded.
fn md_url(s: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn new_tera(suffix: &'static str) -> Tera {
    let mut t = Tera::new();
    t.autoescape_on([suffix]);
    crate::locale::register_filters(&mut t);
    t.register_filter("md_url", md_url);
    t
}

impl Templates {
    /// Loads the defaults, then every file of `dir` that overrides one (or adds a
    /// `ticket-*.txt.tera`). A missing `dir` means defaults only.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Box<Diagnostic>> {
        let mut md = new_tera(".md.tera");
        md.set_escape_fn(escape_markdown);
        let mut t = Templates {
            md,
            html: new_tera(".html.tera"),
            text: new_tera(".nothing-is-escaped"),
            assets: Vec::new(),
            labels: crate::labels::Labels::load(dir)?,
            overridden: Vec::new(),
        };
        for (name, default) in DEFAULTS {
            let path = dir.map(|d| d.join(name));
            let read = path
                .as_deref()
                .map(crate::overrides::read_override)
                .transpose()
                .map_err(|e| {
                    let file = path.as_deref().unwrap_or(Path::new(name)).display();
                    Box::new(Diagnostic::error(
                        Code::E0401,
                        &file.to_string(),
                        Pos::default(),
                        crate::msg!("template.unreadable", reason = e),
                    ))
                })?;
            let (origin, text) = match (path, read.flatten()) {
                (Some(p), Some(text)) => {
                    t.overridden.push(name);
                    (p, text)
                }
                _ => (
                    PathBuf::from(format!("(embedded) {name}")),
                    default.to_string(),
                ),
            };
            t.add(name, &origin, &text)?;
        }
        Ok(t)
    }

    fn engine(&mut self, name: &str) -> Option<&mut Tera> {
        if name.ends_with(".md.tera") {
            Some(&mut self.md)
        } else if name.ends_with(".html.tera") {
            Some(&mut self.html)
        } else if name.ends_with(".tera") {
            Some(&mut self.text)
        } else {
            None
        }
    }

    fn add(&mut self, name: &str, origin: &Path, text: &str) -> Result<(), Box<Diagnostic>> {
        match self.engine(name) {
            Some(tera) => tera
                .add_raw_template(name, text)
                .map_err(|e| template_error(origin, &e)),
            None => {
                self.assets.push((name.to_string(), text.to_string()));
                Ok(())
            }
        }
    }

    /// Renders a template with a serializable context (usually the plan).
    pub fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, Box<Diagnostic>> {
        let tera = if name.ends_with(".md.tera") {
            &self.md
        } else if name.ends_with(".html.tera") {
            &self.html
        } else {
            &self.text
        };
        let ctx = Context::from_serialize(ctx).map_err(|e| template_error(Path::new(name), &e))?;
        let _bounded = crate::bounds::guard(name);
        tera.render(name, &ctx)
            .map_err(|e| template_error(Path::new(name), &e))
    }

    /// Whether the writer's templates folder replaces the default `name`.
    pub fn is_overridden(&self, name: &str) -> bool {
        self.overridden.contains(&name)
    }

    /// A non-template file such as `style.css`.
    pub fn asset(&self, name: &str) -> Option<&str> {
        self.assets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }
}

/// Tera's own report names the template, line and column; keep it whole.
fn template_error(origin: &Path, e: &tera::Error) -> Box<Diagnostic> {
    let text = crate::diag::chain(e, "\n");
    Box::new(
        Diagnostic::error(
            Code::E0402,
            &origin.display().to_string(),
            Pos::default(),
            crate::msg!("template.error", reason = text.trim()),
        )
        .with_help(crate::msg!("template.help")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        let mut v = Vec::new();
        escape_markdown(s, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("\na\n\n\n\nb  \n\n"), "a\n\nb");
    }

    #[test]
    fn markdown_escape_neutralises_tables_and_html() {
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("<script>&"), "&lt;script&gt;&amp;");
        assert_eq!(md("*x* _y_ [z](u)"), "\\*x\\* \\_y\\_ \\[z\\](u)");
        assert_eq!(md("l1\nl2"), "l1 l2");
    }

    #[test]
    fn undefined_variables_are_errors_naming_the_template() {
        let mut t = Templates::load(None).unwrap();
        t.add("x.md.tera", Path::new("x.md.tera"), "ligne 1\n{{ nope }}")
            .unwrap();
        let e = t.render("x.md.tera", &serde_json::json!({})).unwrap_err();
        assert!(e.message.en().contains("nope"), "{}", e.message.en());
        assert!(e.message.en().contains(":2:"), "{}", e.message.en());
    }

    #[test]
    fn an_unreadable_template_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("document.md.tera"),
            b"\xff\xfe pas de l'UTF-8",
        )
        .unwrap();
        let e = Templates::load(Some(dir.path())).err().unwrap();
        assert_eq!(e.code, Code::E0401);
        assert!(e.file.ends_with("document.md.tera"), "{}", e.file);
    }

    #[test]
    fn french_number_words() {
        let mut t = Templates::load(None).unwrap();
        t.add(
            "n.md.tera",
            Path::new("n"),
            "{{ 3 | en_lettres }} {{ 42 | en_lettres }}",
        )
        .unwrap();
        assert_eq!(
            t.render("n.md.tera", &serde_json::json!({})).unwrap(),
            "trois 42"
        );
    }
}
