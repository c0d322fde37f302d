//! The French migration document (Markdown), from `document.md.tera`.

use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::templates::Templates;

pub(crate) fn markdown(plan: &Plan, templates: &Templates) -> Result<String, Box<Diagnostic>> {
    let text = templates.render("document.md.tera", plan)?;
    Ok(format!("{}\n", crate::templates::tidy(&text)))
}
