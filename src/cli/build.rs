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
    let mut opts = common.render_options();
    let line = progress::line().map(|(p, line)| {
        opts.progress = Some(p);
        line
    });
    let built = pipeline::build(&path, &templates, out, &opts, force);
    drop(line); // cleared before anything else is printed
    let built = match built {
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
