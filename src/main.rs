//! The `bascule` command line. Exit codes: 0 success, 1 faults in the input, 2 usage errors.

use bascule::diag::Diagnostic;
use bascule::pipeline::{self, Failure};
use bascule::templates::Templates;
use bascule::validate::Mode;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bascule",
    version,
    about = "Render the VM migration document, annexes and Octopus tickets from one inventory YAML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Common {
    /// The inventory (default: the one YAML file in inventory/)
    #[arg(long, value_name = "FILE")]
    inventory: Option<PathBuf>,
    /// Folder whose files override the embedded templates
    #[arg(long, value_name = "DIR", default_value = "templates")]
    templates: PathBuf,
    /// Scale of the annexe PNGs (default: at least 1600 px wide)
    #[arg(long, value_name = "SCALE", value_parser = parse_scale)]
    png_scale: Option<f32>,
    /// Octopus mailbox for the ticket emails' To: (default: the inventory's, if any)
    #[arg(long, value_name = "ADDRESS")]
    to: Option<String>,
    /// Paper of document.pdf and document.docx
    #[arg(long, value_enum, default_value_t = bascule::render::exports::Paper::Letter)]
    paper: bascule::render::exports::Paper,
}

fn parse_scale(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if x.is_finite() && (0.25..=8.0).contains(&x) => Ok(x),
        _ => Err("a number from 0.25 to 8".into()),
    }
}

/// `SOURCE_DATE_EPOCH`, when set to whole seconds: the exports' creation date.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

impl Common {
    fn render_options(&self) -> pipeline::RenderOptions {
        pipeline::RenderOptions {
            png_scale: self.png_scale,
            to: self.to.clone(),
            paper: self.paper,
            timestamp: source_date_epoch(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Validate the inventory and write every output into the output folder (atomically)
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Replace the output folder even if it holds files bascule did not write (they are
        /// deleted)
        #[arg(long)]
        force: bool,
    },
    /// Prove that the inventory holds and that every output agrees with it
    Check {
        #[command(flatten)]
        common: Common,
        /// Also compare this output folder with a fresh build, byte for byte
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// With --out: draw every annexe PNG again instead of trusting their stamps
        #[arg(long, requires = "out")]
        redraw: bool,
    },
    /// Print the Octopus ticket texts (creation tickets, intervention drafts) for copy-paste
    Tickets {
        #[command(flatten)]
        common: Common,
        /// Only this instance's tickets (its id, e.g. `campus`)
        #[arg(long, value_name = "ID")]
        instance: Option<String>,
        /// Only this ticket: an Octopus number or a draft name (e.g. `campus-jour-m`)
        #[arg(long, value_name = "N")]
        ticket: Option<String>,
        #[arg(long, value_enum, default_value_t = bascule::render::tickets::Format::Text)]
        format: bascule::render::tickets::Format,
    },
    /// Print the inventory's JSON Schema (committed at schema/inventory.schema.json, for
    /// editors)
    Schema,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// rustc-style, with the source line and a caret
    Human,
    /// One JSON object per diagnostic and line
    Json,
    /// GitHub Actions annotations
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { common, out, force } => build(&common, &out, force),
        Command::Check {
            common,
            out,
            format,
            deny_warnings,
            redraw,
        } => check(&common, out.as_deref(), format, deny_warnings, redraw),
        Command::Tickets {
            common,
            instance,
            ticket,
            format,
        } => tickets(&common, instance.as_deref(), ticket.as_deref(), format),
        Command::Schema => {
            print_out(&bascule::schema::text()).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    say(&format!("error: {msg}\n"));
    ExitCode::from(2)
}

/// Writes to stderr; a closed stderr is not worth a panic.
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes to stdout. A reader that went away (`bascule tickets | head -1`) ends the
/// process quietly with success, as ripgrep does; other failures are reported.
fn print_out(text: &str) -> Result<(), ExitCode> {
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

fn inventory_path(common: &Common) -> Result<PathBuf, String> {
    match &common.inventory {
        Some(p) => Ok(p.clone()),
        None => pipeline::default_inventory(Path::new("inventory")),
    }
}

fn templates(common: &Common) -> Result<Templates, Box<Diagnostic>> {
    Templates::load(Some(&common.templates))
}

/// Every diagnostic, rustc-style; the inventory's lines are quoted for its own faults (the
/// lines are split once, however many the diagnostics).
fn report(diags: &[Diagnostic], source: Option<&bascule::load::Source>) {
    let lines: Vec<&str> = source.map_or_else(Vec::new, |s| s.text.lines().collect());
    for d in diags {
        let line = source
            .filter(|s| s.name == d.file)
            .and_then(|_| lines.get((d.line as usize).checked_sub(1)?))
            .copied();
        say(&d.human_quoting(line));
    }
}

fn fail(f: Failure) -> ExitCode {
    report(&f.diagnostics, f.source.as_ref());
    let errors = f.diagnostics.iter().filter(|d| d.is_error()).count();
    say(&format!(
        "error: {errors} error(s); the output folder was not changed\n"
    ));
    ExitCode::from(1)
}

/// Loads the templates, then loads, validates and plans for `build` and `tickets`;
/// warnings are reported, errors end the run.
fn prepare_or_exit(common: &Common) -> Result<(Templates, pipeline::Prepared), ExitCode> {
    let path = inventory_path(common).map_err(|e| usage(&e))?;
    let templates = templates(common).map_err(|d| fail(Failure::from(d)))?;
    let prepared = pipeline::prepare(&path, Mode::Build, &templates).map_err(fail)?;
    report(&prepared.diagnostics, Some(&prepared.source));
    Ok((templates, prepared))
}

fn build(common: &Common, out: &Path, force: bool) -> ExitCode {
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

fn check(
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

fn tickets(
    common: &Common,
    instance: Option<&str>,
    ticket: Option<&str>,
    format: bascule::render::tickets::Format,
) -> ExitCode {
    use bascule::render::tickets as t;
    let (templates, prepared) = match prepare_or_exit(common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let list = match t::tickets(&prepared.plan, &templates) {
        Ok(l) => l,
        Err(d) => return fail(Failure::from(d)),
    };
    match t::print(&list, instance, ticket, format, &templates.labels) {
        Ok(text) => print_out(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS),
        Err(e) => usage(&e),
    }
}
