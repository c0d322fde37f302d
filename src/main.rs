//! The `bascule` command line. Exit codes: 0 success, 1 faults in the input, 2 usage errors.

mod cli;

use bascule::pipeline;
use clap::{Parser, Subcommand};
use cli::report::{self, Format};
use cli::*;
use std::path::PathBuf;
use std::process::ExitCode;

/// clap's own outcome when it does not parse: help and version as clap prints them; a usage
/// error as clap prints it in the human format, else as a record of the format asked.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let done = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        );
    if done || report::sniff_format(&std::env::args_os().collect::<Vec<_>>()) == Format::Human {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("");
    usage(first.strip_prefix("error: ").unwrap_or(first))
}

#[derive(Parser)]
#[command(
    name = "bascule",
    version,
    about = "Render the VM migration document, annexes and Octopus tickets from one inventory YAML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of faults and messages (default: French, or English when LANG names it)
    #[arg(long, global = true, value_enum)]
    lang: Option<cli::choices::LangArg>,
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
    /// Paper of document.pdf and document.docx (default: the inventory's document.paper, else letter)
    #[arg(long, value_enum)]
    paper: Option<cli::choices::PaperArg>,
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
            paper: self.paper.map(Into::into),
            timestamp: source_date_epoch(),
            progress: None,
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
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
        /// A warning `--deny-warnings` lets pass, e.g. W0118 (a request sent, its number
        /// pending); repeatable
        #[arg(long, value_name = "CODE", requires = "deny_warnings", value_parser = cli::check::parse_allowed)]
        allow: Vec<bascule::diag::Code>,
        /// Accepted for older scripts: `check --out` always draws and typesets everything
        /// afresh now
        #[arg(long, requires = "out", hide = true)]
        redraw: bool,
    },
    /// Print the Octopus ticket texts (creation tickets, intervention drafts) for copy-paste
    Tickets {
        #[command(flatten)]
        common: Common,
        /// Only this instance's tickets (its id, e.g. `examens`)
        #[arg(long, value_name = "ID")]
        instance: Option<String>,
        /// Only this ticket: its Octopus number or its file name (e.g. `examens-jour-m`)
        #[arg(long, value_name = "N")]
        ticket: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: cli::choices::TicketsFormat,
    },
    /// On the day: does the live DNS match the plan at the state in force (or --state)?
    /// Exit 0 as planned, 4 when a name differs, 5 when one could not be told
    Probe {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: cli::probe::ProbeArgs,
    },
    /// Send the ticket e-mails to Octopus, each once: without --yes, a dry run that says
    /// what would be sent and why (new, update, already sent)
    Send {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: cli::send::Args,
    },
    /// Create a new migration project: an inventory skeleton, a .gitignore and CI recipes
    /// (never overwrites a file)
    Init {
        /// The project folder (created if needed)
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// The organisation that migrates (default: `à compléter`)
        #[arg(long, value_name = "NAME")]
        organisation: Option<String>,
        /// Instances, comma-separated: `ID` (named by capitalising it) or `ID=Name` (the name
        /// as written, e.g. `glpi=GLPI`) (default: `principale`)
        #[arg(long, value_name = "ID,…", value_delimiter = ',', value_parser = bascule::init::parse_id)]
        instances: Vec<String>,
        /// Replace the starter files that exist (schema, CI recipes) with bascule's; the
        /// inventory is never replaced, and `.gitignore` is always completed, never replaced
        #[arg(long)]
        force: bool,
    },
    /// What a change of the inventory does to the plan: VMs, colours and actions per state,
    /// DNS moves, tickets, counts, document facts
    Diff {
        /// OLD.yaml NEW.yaml (without --against)
        #[arg(value_name = "FILE", num_args = 0..=2)]
        files: Vec<PathBuf>,
        /// Compare the inventory with itself as committed at this Git revision (e.g. HEAD)
        #[arg(long, value_name = "REV", conflicts_with = "files")]
        against: Option<String>,
        /// With --against: the inventory (default: the one YAML file in inventory/)
        #[arg(long, value_name = "FILE", requires = "against")]
        inventory: Option<PathBuf>,
        /// Folder whose files override the embedded templates
        #[arg(long, value_name = "DIR", default_value = "templates")]
        templates: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: cli::choices::DiffFormat,
        /// Exit 1 when the plans differ and 0 when not, like `git diff --exit-code`; a fault
        /// (an invalid side, an unknown revision) then exits 128, as git does
        #[arg(long)]
        exit_code: bool,
    },
    /// Build, serve the site on http://127.0.0.1:8000/, and rebuild and reload the page at
    /// every edit of the inventory or the templates (Ctrl-C to stop)
    #[cfg(feature = "serve")]
    Serve {
        #[command(flatten)]
        common: Common,
        /// Output folder (its `site/` is served)
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Port; a busy port is an error; 0 takes any free port
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; anything but a loopback address lets other machines read
        /// the preview
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the page in the browser
        #[arg(long)]
        open: bool,
        /// Another name the preview answers to in `Host:` (besides localhost and its own
        /// address; others get 421, so that no web page can read it through DNS rebinding)
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Print the inventory's JSON Schema (committed at schema/inventory.schema.json, for
    /// editors)
    Schema,
    /// Print a synthetic inventory (for benchmarks and tests)
    #[command(hide = true)]
    Sample(SampleArgs),
}

/// `bascule sample`: a synthetic inventory for benchmarks and bug reports.
#[derive(clap::Args)]
struct SampleArgs {
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Instances (exactly, unless --vary)
    #[arg(long, default_value_t = 3)]
    instances: usize,
    /// VMs per instance (exactly, unless --vary)
    #[arg(long, default_value_t = 10)]
    vms: usize,
    /// Random counts up to --instances and --vms
    #[arg(long)]
    vary: bool,
    /// Names full of Markdown and HTML metacharacters
    #[arg(long)]
    hostile: bool,
}

/// The templates folder of a command that has one: its `diagnostics.yaml` overrides the
/// messages.
fn templates_of(command: &Command) -> Option<&std::path::Path> {
    match command {
        Command::Build { common, .. }
        | Command::Check { common, .. }
        | Command::Tickets { common, .. }
        | Command::Send { common, .. }
        | Command::Probe { common, .. } => Some(&common.templates),
        _ => None,
    }
}

/// The command line read, the language of its messages chosen and the render budget armed;
/// or how the process ends before any command runs.
fn start() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    report::set_usage_format(report::sniff_format(&args));
    let cli = Cli::try_parse_from(&args).map_err(clap_error)?;
    cli::set_words(cli.lang.map(Into::into), templates_of(&cli.command));
    let budget = bascule::bounds::from_env().map_err(|e| usage(&e))?;
    bascule::bounds::enable(budget, cli::words().lang());
    Ok(cli)
}

fn main() -> ExitCode {
    let cli = match start() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build {
            common,
            out,
            force,
            format,
        } => cli::build::build(&common, &out, force, format),
        Command::Check {
            common,
            out,
            format,
            deny_warnings,
            allow,
            redraw: _,
        } => cli::check::check(&common, out.as_deref(), format, (deny_warnings, &allow)),
        Command::Tickets {
            common,
            instance,
            ticket,
            format,
        } => cli::tickets::tickets(
            &common,
            instance.as_deref(),
            ticket.as_deref(),
            format.into(),
        ),
        Command::Send { common, args } => cli::send::send(&common, &args),
        Command::Probe { common, args } => cli::probe::probe(&common, &args),
        Command::Schema => {
            print_out(&bascule::schema::text()).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Command::Sample(a) => {
            let shape = bascule::sample::Shape {
                seed: a.seed,
                instances: a.instances.clamp(1, 1000),
                vms: a.vms.clamp(1, 1000),
                vary: a.vary,
                hostile: a.hostile,
            };
            print_out(&bascule::sample::inventory(shape)).map_or_else(|c| c, |()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            common,
            out,
            port,
            bind,
            open,
            allow_host,
        } => cli::serve::serve(&common, out, port, bind, (open, allow_host)),
        Command::Init {
            dir,
            organisation,
            instances,
            force,
        } => cli::init::init(&dir, organisation, instances, force),
        Command::Diff {
            files,
            against,
            inventory,
            templates,
            format,
            exit_code,
        } => {
            let sides = match cli::diff::diff_sides(files, against, inventory) {
                Ok(s) => s,
                Err(e) => return usage(&e),
            };
            cli::diff::diff(&sides, &templates, format.into(), exit_code)
        }
    }
}
