//! The `bascule` command line. Exit codes: 0 success, 1 faults in the input, 2 usage errors.

use bascule::diag::Diagnostic;
use bascule::pipeline::{self, Failure};
use bascule::templates::Templates;
use bascule::validate::Mode;
use bascule::write;
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
        Command::Build { common, out } => build(&common, &out),
        Command::Check {
            common,
            out,
            format,
            deny_warnings,
        } => check(&common, out.as_deref(), format, deny_warnings),
        Command::Tickets {
            common,
            instance,
            ticket,
            format,
        } => tickets(&common, instance.as_deref(), ticket.as_deref(), format),
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
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

fn report(diags: &[Diagnostic], source: Option<&str>) {
    for d in diags {
        eprint!("{}", d.human(source));
    }
}

fn fail(f: Failure) -> ExitCode {
    report(&f.diagnostics, f.source.as_deref());
    let errors = f.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("error: {errors} error(s); nothing was written");
    ExitCode::from(1)
}

/// Loads and validates for `build` and `tickets`; warnings are reported, errors end the run.
fn prepare_or_exit(common: &Common) -> Result<pipeline::Prepared, ExitCode> {
    let path = inventory_path(common).map_err(|e| usage(&e))?;
    let prepared = pipeline::prepare(&path, Mode::Build).map_err(fail)?;
    report(&prepared.diagnostics, Some(&prepared.source.text));
    Ok(prepared)
}

fn build(common: &Common, out: &Path) -> ExitCode {
    let prepared = match prepare_or_exit(common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let files = match templates(common)
        .and_then(|t| pipeline::generate(&prepared, &t, &common.render_options(), None))
    {
        Ok(f) => f,
        Err(d) => return fail(Failure::from(d)),
    };
    if let Err(e) = write::write_atomic(out, &files) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "wrote {} files to {} from {}",
        files.len(),
        out.display(),
        prepared.source.name
    );
    ExitCode::SUCCESS
}

fn check(common: &Common, out: Option<&Path>, format: Format, deny_warnings: bool) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let (mut diags, source) = match pipeline::prepare(&path, Mode::Check) {
        Err(f) => (f.diagnostics, f.source),
        Ok(prepared) => {
            let mut diags = prepared.diagnostics.clone();
            match templates(common) {
                Err(d) => diags.push(*d),
                Ok(t) => diags.extend(bascule::check::run(
                    &prepared,
                    &t,
                    &common.render_options(),
                    out,
                )),
            }
            (diags, Some(prepared.source.text))
        }
    };
    bascule::diag::sort(&mut diags);
    let inventory_name = path.display().to_string();
    for d in &diags {
        match format {
            Format::Human => {
                let src = (d.file == inventory_name)
                    .then_some(source.as_deref())
                    .flatten();
                eprint!("{}", d.human(src));
            }
            Format::Json => println!("{}", d.json()),
            Format::Github => println!("{}", d.github()),
        }
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if matches!(format, Format::Human) {
        eprintln!("check: {errors} error(s), {warnings} warning(s)");
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
    let prepared = match prepare_or_exit(common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let list = match templates(common).and_then(|tpl| t::tickets(&prepared.plan, &tpl)) {
        Ok(l) => l,
        Err(d) => return fail(Failure::from(d)),
    };
    match t::print(&list, instance, ticket, format) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => usage(&e),
    }
}
