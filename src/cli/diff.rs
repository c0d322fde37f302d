//! `bascule diff`: what a change of the inventory does to the plan.

use super::*;
use bascule::pipeline::{self};
use bascule::templates::Templates;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The two sides of `diff`: two files, or the inventory at a revision and as it is now.
pub(crate) fn diff_sides(
    files: Vec<PathBuf>,
    against: Option<String>,
    inventory: Option<PathBuf>,
) -> Result<[bascule::diff::Side; 2], String> {
    use bascule::diff::Side;
    match (against, <[PathBuf; 2]>::try_from(files)) {
        (Some(rev), _) => {
            let path = match inventory {
                Some(p) => p,
                None => pipeline::default_inventory(Path::new("inventory"))
                    .map_err(|e| super::words().render(&e))?,
            };
            Ok([Side::Git { rev, path: path.clone() }, Side::File(path)])
        }
        (None, Ok([old, new])) => Ok([Side::File(old), Side::File(new)]),
        (None, Err(_)) => {
            Err("give two inventories (`bascule diff OLD.yaml NEW.yaml`) or a revision (`bascule diff --against HEAD`)".into())
        }
    }
}

pub(crate) fn diff(
    sides: &[bascule::diff::Side; 2],
    templates: &Path,
    format: bascule::diff::Format,
    exit_code: bool,
) -> ExitCode {
    let fault = ExitCode::from(if exit_code { 128 } else { 1 });
    let templates = match Templates::load(Some(templates)) {
        Ok(t) => t,
        Err(d) => {
            report(&[*d], None);
            return fault;
        }
    };
    let [old, new] = sides.each_ref().map(|s| s.prepare(&templates));
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            for (side, f) in sides.iter().zip([o.err(), n.err()]) {
                if let Some(f) = f {
                    report(&f.diagnostics, f.source.as_ref());
                    say(&format!(
                        "error: {} cannot be compared: it does not load, validate and plan\n",
                        side.name()
                    ));
                }
            }
            return fault;
        }
    };
    let d = bascule::diff::compare(&sides[0].name(), &old.plan, &sides[1].name(), &new.plan);
    let colour = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let text = match bascule::diff::render(&d, &templates, format, colour) {
        Ok(t) => t,
        Err(e) => {
            report(&[*e], None);
            return fault;
        }
    };
    if let Err(code) = print_out(&text) {
        return code;
    }
    if exit_code && !d.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
