//! `bascule build`.

use super::*;
use crate::Common;
use bascule::pipeline::{self, Failure};
use std::path::Path;
use std::process::ExitCode;

pub fn build(common: &Common, out: &Path, force: bool) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let templates = match templates(common) {
        Ok(t) => t,
        Err(d) => return fail(Failure::from(d)),
    };
    let built = match pipeline::build(&path, &templates, out, &common.render_options(), force) {
        Ok(b) => b,
        Err(f) => return fail(f),
    };
    report(&built.prepared.diagnostics, Some(&built.prepared.source));
    for w in &built.written.warnings {
        say(&format!("warning: {w}\n"));
    }
    let shown = match std::fs::read_link(out) {
        Ok(_) => format!(
            "{} (the folder behind the link {})",
            built.written.out.display(),
            out.display()
        ),
        Err(_) => out.display().to_string(),
    };
    say(&format!(
        "wrote {} files to {shown} from {}\n",
        built.written.files, built.prepared.source.name
    ));
    ExitCode::SUCCESS
}
