//! `bascule probe`: the live DNS and sites against the plan, at the state in force or the
//! one asked.

use super::*;
use crate::Common;
use bascule::probe;
use report::Format;
use std::time::Duration;

/// `probe`'s own options.
#[derive(clap::Args)]
pub(crate) struct ProbeArgs {
    /// The state to probe, for every instance (default: the one in force today by each
    /// instance's dates)
    #[arg(long, value_name = "ID")]
    state: Option<String>,
    /// Only this instance (its id); repeatable
    #[arg(long = "instance", value_name = "ID")]
    instances: Vec<String>,
    /// The name server to ask (default: the system's first, from /etc/resolv.conf)
    #[arg(long, value_name = "ADDR[:PORT]")]
    dns_server: Option<String>,
    /// How long one query waits for its reply, in milliseconds
    #[arg(long, value_name = "N", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    timeout_ms: u64,
    /// The day whose state is in force, AAAA-MM-JJ (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    today: Option<bascule::date::Date>,
    /// PEM certificates of the authority the sites' certificates chain to (an internal CA;
    /// default: the system's roots)
    #[arg(long, value_name = "FILE")]
    ca_file: Option<std::path::PathBuf>,
    /// How to print the findings
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

fn parse_day(s: &str) -> Result<bascule::date::Date, String> {
    bascule::date::parse(s).map_err(|t| words().render(&t))
}

pub(crate) fn probe(common: &Common, args: &ProbeArgs) -> ExitCode {
    let (_, prepared) = match prepare_or_exit(common) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let ca = match &args.ca_file {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                let reason = format!("{}: {e}", path.display());
                return usage_of(&bascule::msg!("probe.usage.ca", reason = reason));
            }
        },
        None => None,
    };
    let opts = probe::Options {
        ca,
        state: args.state.clone(),
        instances: args.instances.clone(),
        server: args.dns_server.clone(),
        timeout: Duration::from_millis(args.timeout_ms),
        today: args.today.unwrap_or_else(bascule::date::today),
    };
    let source = &prepared.source.name;
    let report = match probe::run(&prepared.plan, &prepared.inventory, source, &opts) {
        Ok(r) => r,
        Err(e) => return usage_of(&e),
    };
    let text = match args.format {
        Format::Human => probe::human(&report, words()),
        Format::Json => probe::json(&report, words()),
        Format::Github => probe::github(&report, words()),
    };
    match print_out(&text) {
        Ok(()) => ExitCode::from(probe::exit_code(&report)),
        Err(code) => code,
    }
}
