//! The command line's shared pieces: where messages go (stderr never panics, a closed
//! stdout ends quietly), how faults are reported, and the steps every command starts with.
//! One file per command.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod choices;
pub(crate) mod diff;
pub(crate) mod init;
pub(crate) mod probe;
pub(crate) mod progress;
pub(crate) mod report;
pub(crate) mod send;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod tickets;

use crate::Common;
use bascule::diag::{Catalog, Diagnostic, Lang};
use bascule::pipeline::{self, Failure};
use bascule::templates::Templates;
use bascule::validate::Mode;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) use report::usage;

/// The messages of this run, in its language.
static WORDS: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();

/// The messages of this run: set once by [`set_words`], else the embedded catalog in the
/// locale's language.
pub(crate) fn words() -> &'static Catalog {
    WORDS.get_or_init(|| Catalog::embedded(Lang::from_env()))
}

/// Chooses the language (`--lang`, else the locale) and reads `templates/diagnostics.yaml`
/// when the command has a templates folder. An unreadable override is said, and the
/// embedded messages are used.
pub(crate) fn set_words(lang: Option<Lang>, templates: Option<&Path>) {
    let lang = lang.unwrap_or_else(Lang::from_env);
    let catalog = Catalog::load(lang, templates).unwrap_or_else(|fault| {
        let embedded = Catalog::embedded(lang);
        say(&embedded.line(&bascule::msg!("cli.warning_line", text = fault)));
        embedded
    });
    let _ = WORDS.set(catalog);
}

/// `text` in this run's language, as a line.
pub(crate) fn line(text: &bascule::diag::Text) -> String {
    words().line(text)
}

/// `text` behind the word « error » of this run's language, as a line.
pub(crate) fn error_line(text: impl bascule::diag::IntoArg) -> String {
    line(&bascule::msg!("cli.error_line", text = text))
}

/// The last line of a build that stopped: how many errors, and that nothing changed.
pub(crate) fn say_unchanged(diags: &[Diagnostic]) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let errors = bascule::diag::Count::of(errors);
    say(&line(&bascule::msg!("cli.unchanged", errors = errors)));
}

/// A usage error (exit code 2) said in this run's language.
pub(crate) fn usage_of(text: &bascule::diag::Text) -> ExitCode {
    usage(&words().render(text))
}

/// Writes to stderr; a closed stderr is not worth a panic.
pub(crate) fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes to stdout. A reader that went away (`bascule tickets | head -1`) ends the
/// process quietly with success, as ripgrep does; other failures are reported.
pub(crate) fn print_out(text: &str) -> Result<(), ExitCode> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            say(&format!(
                "error: cannot write to the standard output: {e}\n"
            ));
            Err(ExitCode::from(1))
        }
    }
}

pub(crate) fn inventory_path(common: &Common) -> Result<PathBuf, bascule::diag::Text> {
    match &common.inventory {
        Some(p) => Ok(p.clone()),
        None => pipeline::default_inventory(Path::new("inventory")),
    }
}

pub(crate) fn templates(common: &Common) -> Result<Templates, Box<Diagnostic>> {
    Templates::load(Some(&common.templates))
}

/// Every diagnostic, rustc-style; the inventory's lines are quoted for its own faults.
pub(crate) fn report(diags: &[Diagnostic], source: Option<&bascule::load::Source>) {
    let lines: Vec<&str> = source.map_or_else(Vec::new, |s| s.text.lines().collect());
    for d in diags {
        let line = source
            .filter(|s| s.name == d.file)
            .and_then(|_| lines.get((d.line as usize).checked_sub(1)?))
            .copied();
        say(&d.human_quoting(line, words()));
    }
}

pub(crate) fn fail(f: Failure) -> ExitCode {
    report(&f.diagnostics, f.source.as_ref());
    say_unchanged(&f.diagnostics);
    ExitCode::from(bascule::diag::exit_code(&f.diagnostics, false))
}

/// Loads the templates, then loads, validates and plans for `build` and `tickets`;
/// warnings are reported, errors end the run.
pub(crate) fn prepare_or_exit(
    common: &Common,
) -> Result<(Templates, pipeline::Prepared), ExitCode> {
    let path = inventory_path(common).map_err(|e| usage_of(&e))?;
    let templates = templates(common).map_err(|d| fail(Failure::from(d)))?;
    let prepared = pipeline::prepare(&path, Mode::Build, &templates).map_err(fail)?;
    report(&prepared.diagnostics, Some(&prepared.source));
    Ok((templates, prepared))
}
