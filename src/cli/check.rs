//! `bascule check`: every fault, in the format asked.

use super::report::{self, Format};
use super::*;
use crate::Common;
use bascule::pipeline::{self};
use bascule::validate::Mode;
use std::path::Path;
use std::process::ExitCode;

pub fn check(common: &Common, out: Option<&Path>, format: Format, deny_warnings: bool) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let (mut diags, source) = match templates(common) {
        Err(d) => (vec![*d], None),
        Ok(t) => match pipeline::prepare(&path, Mode::Check, &t) {
            Err(f) => (f.diagnostics, f.source),
            Ok(prepared) => {
                let mut diags = prepared.diagnostics.clone();
                diags.extend(bascule::check::run(
                    &prepared,
                    &t,
                    &common.render_options(),
                    out,
                ));
                (diags, Some(prepared.source))
            }
        },
    };
    bascule::diag::sort(&mut diags);
    if let Err(code) = report::emit(format, &diags, source.as_ref()) {
        return code;
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if format == Format::Human {
        say(&format!(
            "check: {errors} error(s), {warnings} warning(s)\n"
        ));
    }
    let exit = bascule::diag::exit_code(&diags, deny_warnings);
    report::finish(format, "check", &diags, exit)
}
