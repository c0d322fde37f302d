//! `bascule build`.

use super::report::{self, Format};
use super::*;
use crate::Common;
use bascule::diag::{Code, Diagnostic, Pos};
use bascule::pipeline;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn build(common: &Common, out: &Path, force: bool, format: Format) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage_of(&e),
    };
    let templates = match templates(common) {
        Ok(t) => t,
        Err(d) => return failed(format, &[*d], None),
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
        Err(f) => return failed(format, &f.diagnostics, f.source.as_ref()),
    };
    let mut diags = built.prepared.diagnostics.clone();
    let shown_out = out.display().to_string();
    diags.extend(built.written.warnings.iter().map(|w| {
        Diagnostic::warning(Code::W0708, &shown_out, Pos::default(), w.clone())
            .with_help(bascule::msg!("write.warning.help"))
    }));
    if let Err(code) = report::emit(format, &diags, Some(&built.prepared.source)) {
        return code;
    }
    let link = std::fs::read_link(out).is_ok();
    say(&super::line(&bascule::msg!(
        "cli.wrote",
        files = built.written.files,
        out = built.written.out.display(),
        link = if link {
            out.display().to_string()
        } else {
            String::new()
        },
        inventory = &built.prepared.source.name
    )));
    report::finish(format, "build", &diags, 0)
}

/// A build that stopped: its diagnostics, and the exit code of their cause.
fn failed(
    format: Format,
    diags: &[Diagnostic],
    source: Option<&bascule::load::Source>,
) -> ExitCode {
    if let Err(code) = report::emit(format, diags, source) {
        return code;
    }
    super::say_unchanged(diags);
    let exit = bascule::diag::exit_code(diags, false);
    report::finish(format, "build", diags, exit)
}
