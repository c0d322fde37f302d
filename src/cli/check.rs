//! `bascule check`: every fault, in the format asked.

use super::*;
use crate::{Common, Format};
use bascule::pipeline::{self};
use bascule::validate::Mode;
use std::path::Path;
use std::process::ExitCode;

pub fn check(
    common: &Common,
    out: Option<&Path>,
    format: Format,
    deny_warnings: bool,
    redraw: bool,
) -> ExitCode {
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
                    redraw,
                ));
                (diags, Some(prepared.source))
            }
        },
    };
    bascule::diag::sort(&mut diags);
    if matches!(format, Format::Human) {
        report(&diags, source.as_ref());
    }
    for d in &diags {
        match format {
            Format::Human => {}
            Format::Json => {
                if let Err(code) = print_out(&format!("{}\n", d.json())) {
                    return code;
                }
            }
            Format::Github => {
                if let Err(code) = print_out(&format!("{}\n", d.github())) {
                    return code;
                }
            }
        }
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if matches!(format, Format::Human) {
        say(&format!(
            "check: {errors} error(s), {warnings} warning(s)\n"
        ));
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
