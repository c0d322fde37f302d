//! The French migration document (Markdown), from `document.md.tera`.

use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::templates::Templates;

pub fn markdown(plan: &Plan, templates: &Templates) -> Result<String, Box<Diagnostic>> {
    let text = templates.render("document.md.tera", plan)?;
    Ok(tidy(&text))
}

/// Templates leave blank-line runs behind loops; collapse them and end with one newline.
fn tidy(text: &str) -> String {
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
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(super::tidy("\na\n\n\n\nb  \n\n"), "a\n\nb\n");
    }
}
