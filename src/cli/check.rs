//! `bascule check`: every fault, in the format asked.

use super::report::{self, Format};
use super::*;
use crate::Common;
use bascule::pipeline::{self};
use bascule::validate::Mode;
use std::path::Path;
use std::process::ExitCode;

/// One line before the per-file details when the output folder is behind its inventory:
/// how many files differ, missing or extra, a few of their names, and what to run.
fn stale_summary(diags: &[bascule::diag::Diagnostic], out: &Path) -> Option<String> {
    use bascule::diag::Code;
    let of = |c: Code| diags.iter().filter(|d| d.code == c).collect::<Vec<_>>();
    let (changed, missing, extra) = (of(Code::E0512), of(Code::E0511), of(Code::E0513));
    let all: Vec<&str> = [&changed, &missing, &extra]
        .iter()
        .flat_map(|v| v.iter().map(|d| d.file.as_str()))
        .collect();
    if all.is_empty() {
        return None;
    }
    let folder = out.display().to_string();
    let prefix = format!("{folder}/");
    // The manifest is counted, not named: it changes whenever anything does.
    let named: Vec<&str> = all
        .iter()
        .map(|f| f.strip_prefix(&prefix).unwrap_or(f))
        .filter(|f| *f != ".bascule-manifest.json")
        .collect();
    let names: Vec<&str> = named.iter().take(3).copied().collect();
    let more = match named.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    Some(format!(
        "{folder}/ is stale: {} file(s) differ from a fresh build, {} missing, {} extra ({}{more}); \
         run `bascule build` and commit {folder}/ — the details follow\n",
        changed.len(),
        missing.len(),
        extra.len(),
        names.join(", ")
    ))
}

/// `--allow`: warning codes that `--deny-warnings` lets pass (W0118, a request waiting for its
/// number); an error code cannot be allowed.
pub(crate) fn parse_allowed(code: &str) -> Result<bascule::diag::Code, String> {
    let found = bascule::diag::Code::ALL
        .iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(code.trim()));
    match found {
        Some(c) if c.as_str().starts_with('W') => Ok(*c),
        Some(c) => Err(format!(
            "{} is an error: only warnings can be allowed",
            c.as_str()
        )),
        None => Err(format!("no diagnostic code is named `{code}` (e.g. W0118)")),
    }
}

pub(crate) fn check(
    common: &Common,
    out: Option<&Path>,
    format: Format,
    (deny_warnings, allowed): (bool, &[bascule::diag::Code]),
) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage_of(&e),
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
    if format == Format::Human
        && let Some(line) = out.and_then(|o| stale_summary(&diags, o))
    {
        say(&line);
    }
    if let Err(code) = report::emit(format, &diags, source.as_ref()) {
        return code;
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if format == Format::Human {
        use bascule::diag::Count;
        let (errors, warnings) = (Count::of(errors), Count::of(warnings));
        let text = bascule::msg!("cli.checked", errors = errors, warnings = warnings);
        say(&super::line(&text));
    }
    let counted: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error() || !allowed.contains(&d.code))
        .cloned()
        .collect();
    let exit = bascule::diag::exit_code(&counted, deny_warnings);
    report::finish(format, "check", &diags, exit)
}
