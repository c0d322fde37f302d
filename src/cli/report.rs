//! How `build` and `check` report: diagnostics in the format asked (rustc-style on stderr,
//! JSON records or GitHub annotations on stdout), a closing summary, and usage errors in
//! that same format, so that CI reads every failure the same way.

use super::{print_out, say};
use bascule::diag::{self, Diagnostic};
use bascule::load::Source;
use std::process::ExitCode;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// rustc-style, with the source line and a caret
    #[default]
    Human,
    /// One JSON record per diagnostic and line, then a summary record (see the README)
    Json,
    /// GitHub Actions annotations
    Github,
}

/// The format usage errors are printed in, read from the command line before clap parses
/// it (a usage error may be the very reason clap fails).
static USAGE_FORMAT: OnceLock<Format> = OnceLock::new();

/// Finds `--format json` or `--format=github` among `args` (the diagnostic formats only:
/// other commands' formats are not these).
pub(crate) fn sniff_format(args: &[std::ffi::OsString]) -> Format {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let value = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--format") {
            Some("") => args.get(i + 1).copied(),
            Some(v) => v.strip_prefix('='),
            None => None,
        });
    match value {
        Some("json") => Format::Json,
        Some("github") => Format::Github,
        _ => Format::Human,
    }
}

/// Sets the format of usage errors for the rest of the run.
pub(crate) fn set_usage_format(f: Format) {
    let _ = USAGE_FORMAT.set(f);
}

/// A usage error, in the format of the run: exit 2.
pub(crate) fn usage(msg: &str) -> ExitCode {
    match USAGE_FORMAT.get().copied().unwrap_or_default() {
        Format::Human => say(&super::error_line(msg)),
        Format::Json => {
            let _ = print_out(&format!(
                "{}\n{}\n",
                diag::usage_json(msg),
                diag::json_summary("usage", 1, 0, 2)
            ));
        }
        Format::Github => {
            let _ = print_out(&format!("{}\n", diag::usage_github(msg)));
            say(&super::error_line(msg));
        }
    }
    ExitCode::from(2)
}

/// Prints `diags` in `format`: rustc-style on stderr (quoting the inventory's lines for its
/// own faults), or one record per line on stdout.
pub(crate) fn emit(
    format: Format,
    diags: &[Diagnostic],
    source: Option<&Source>,
) -> Result<(), ExitCode> {
    match format {
        Format::Human => {
            super::report(diags, source);
            Ok(())
        }
        Format::Json | Format::Github => {
            let mut text = String::new();
            for d in diags {
                text.push_str(&if format == Format::Json {
                    d.json(super::words())
                } else {
                    d.github(super::words())
                });
                text.push('\n');
            }
            print_out(&text)
        }
    }
}

/// The end of a run of `command`: its summary in JSON (the last record), and its exit code.
pub(crate) fn finish(format: Format, command: &str, diags: &[Diagnostic], exit: u8) -> ExitCode {
    if format == Format::Json {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let summary = diag::json_summary(command, errors, diags.len() - errors, exit);
        if let Err(code) = print_out(&format!("{summary}\n")) {
            return code;
        }
    }
    ExitCode::from(exit)
}
