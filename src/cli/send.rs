//! `bascule send`: the dry run (what would be sent, to whom, and why), then with `--yes` the
//! deliveries over SMTP, the journal beside the inventory written at each step.

use super::*;
use crate::Common;
use bascule::diag::{Count, Text};
use bascule::journal;
use bascule::send::smtp::{self, Server, TlsMode};
use bascule::send::{self as s, Request, run::Settings};
use std::collections::BTreeSet;

/// The environment variable that holds the SMTP password (never a flag or a file).
pub(crate) const PASSWORD_VAR: &str = "BASCULE_SMTP_PASSWORD";

/// What `send` was asked, besides the inventory.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The output folder whose tickets are sent (it must match the inventory)
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Only these requests (their file names, e.g. `examens-jour-m`)
    #[arg(long, value_name = "KEY", num_args = 1..)]
    pub only: Vec<String>,
    /// Send again these requests whose delivery was cut (once you have seen that
    /// Octopus did not get them)
    #[arg(long, value_name = "KEY", num_args = 1..)]
    pub retry: Vec<String>,
    /// Send (without it, nothing is sent)
    #[arg(long)]
    pub yes: bool,
    /// The SMTP server, HOST:PORT (the port defaults to 587, 465 with --tls tls)
    #[arg(long, value_name = "HOST:PORT")]
    pub smtp: Option<String>,
    /// The SMTP login; the password is read from BASCULE_SMTP_PASSWORD
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// Encryption: STARTTLS, TLS from the start, or none (a loopback address only)
    #[arg(long, value_enum, default_value_t)]
    pub tls: super::choices::TlsArg,
    /// A certificate authority (PEM) to trust besides the system's
    #[arg(long, value_name = "FILE")]
    pub smtp_ca: Option<PathBuf>,
}

/// `HOST:PORT` (or `HOST`, on the mode's usual port; `[::1]:25` for IPv6).
fn server(args: &Args) -> Result<Option<Server>, Text> {
    use bascule::msg;
    let Some(spec) = &args.smtp else {
        return if args.yes {
            Err(msg!("send.usage.no_server"))
        } else {
            Ok(None)
        };
    };
    let default_port = match TlsMode::from(args.tls) {
        TlsMode::Starttls => 587,
        TlsMode::Tls => 465,
        TlsMode::None => 25,
    };
    let (host, port) = match spec.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && !p.contains(']') => (
            h,
            p.parse::<u16>()
                .map_err(|_| msg!("send.usage.port", spec = spec))?,
        ),
        _ => (spec.as_str(), default_port),
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    if host.is_empty() || port == 0 {
        return Err(msg!("send.usage.host", spec = spec));
    }
    let password = std::env::var(PASSWORD_VAR).ok();
    if args.smtp_user.is_some() && password.is_none() {
        return Err(msg!("send.usage.password", var = PASSWORD_VAR));
    }
    let ca = match &args.smtp_ca {
        Some(p) => Some(
            std::fs::read(p).map_err(|e| msg!("send.usage.ca", path = p.display(), reason = e))?,
        ),
        None => None,
    };
    let server = Server {
        host,
        port,
        tls: args.tls.into(),
        user: args.smtp_user.clone(),
        password,
        ca,
    };
    if TlsMode::from(args.tls) == TlsMode::None {
        smtp::addresses(&server).map_err(|e| msg!("send.usage.smtp", reason = e))?;
    }
    Ok(Some(server))
}

/// Every key asked for (`--only`, `--retry`) names a request.
fn known_keys(requests: &[Request], args: &Args) -> Result<(), Text> {
    let keys: Vec<&str> = requests.iter().map(|r| r.ticket.id.as_str()).collect();
    for k in args.only.iter().chain(&args.retry) {
        if !keys.contains(&k.as_str()) {
            let hint = match bascule::diag::did_you_mean(k, keys.iter().copied()) {
                Some(d) => bascule::msg!("did_you_mean", word = d),
                None => bascule::msg!("send.usage.requests", keys = keys.join(", ")),
            };
            return Err(bascule::msg!("send.usage.unknown", key = k, hint = hint));
        }
    }
    Ok(())
}

/// The requests of the inventory and what to do with each, `--only` applied.
fn requests(
    templates: &Templates,
    prepared: pipeline::Prepared,
    journal: &journal::Journal,
    args: &Args,
) -> Result<Vec<Request>, ExitCode> {
    let tickets = bascule::render::tickets::tickets(&prepared.plan, templates)
        .map_err(|d| fail(Failure::from(d)))?;
    let erased = s::erased_tickets(&prepared.source.name, prepared.inventory, templates)
        .map_err(|d| fail(Failure::from(d)))?;
    let retry: BTreeSet<String> = args.retry.iter().cloned().collect();
    let all = s::decide(&tickets, &erased, journal, &retry);
    known_keys(&all, args).map_err(|e| usage_of(&e))?;
    Ok(all
        .into_iter()
        .filter(|r| args.only.is_empty() || args.only.contains(&r.ticket.id))
        .collect())
}

/// The dry run's lines: one per request, what and why.
fn listing(requests: &[Request], settings: &Settings) -> String {
    let words = super::words();
    let word_of: Vec<String> = (requests.iter())
        .map(|r| words.render(&r.action.word()))
        .collect();
    let width = word_of.iter().map(|w| w.chars().count());
    // The English words fit in 9 columns; a longer word widens the column for all.
    let width = width.max().unwrap_or(0).max(9) + 1;
    let mut out = String::new();
    for (r, word) in requests.iter().zip(&word_of) {
        let pad = " ".repeat(width - word.chars().count());
        let subject = r.subject(&settings.octopus);
        let row = bascule::msg!("send.row", key = &r.ticket.id, subject = subject);
        out.push_str(&format!(
            "{word}{pad}{}\n{}{}\n",
            words.render(&row),
            " ".repeat(width),
            words.render(&r.action.why())
        ));
    }
    let count = |f: fn(&s::Action) -> bool| requests.iter().filter(|r| f(&r.action)).count();
    let new = count(|a| matches!(a, s::Action::New));
    let update = count(|a| matches!(a, s::Action::Update { .. }));
    let text = bascule::msg!(
        "send.count",
        to_send = Count::of(new + update),
        new = Count::of(new),
        update = Count::of(update),
        held = Count::of(requests.len() - new - update)
    );
    out.push_str(&super::line(&text));
    out
}

/// The sender and the mailbox, which sending needs.
fn settings(plan: &bascule::plan::Plan, common: &Common) -> Result<Settings, Text> {
    let to = common.to.clone().or_else(|| plan.octopus_mailbox.clone());
    let missing = |what: &str| bascule::msg!("send.missing_setting", what = what);
    Ok(Settings {
        from: plan
            .octopus
            .sender
            .clone()
            .ok_or_else(|| missing("sender"))?,
        to: to.ok_or_else(|| missing("mailbox"))?,
        octopus: plan.octopus.clone(),
    })
}

pub(crate) fn send(common: &Common, args: &Args) -> ExitCode {
    let path = match inventory_path(common) {
        Ok(p) => p,
        Err(e) => return usage_of(&e),
    };
    let server = match server(args) {
        Ok(s) => s,
        Err(e) => return usage_of(&e),
    };
    let (templates, prepared) = match prepare_quietly(common, &path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let _lock = match bascule::write::lock::exclusive_file(&path, bascule::write::lock::wait()) {
        Ok(l) => l,
        Err(e) => {
            say(&error_line(lock_message(&path, e)));
            return ExitCode::from(bascule::diag::EXIT_ENVIRONMENT);
        }
    };
    if let Err(code) = out_is_current(&prepared, &templates, common, &args.out) {
        return code;
    }
    let journal_path = journal::path_for(&path);
    let mut journal = match journal::read(&journal_path) {
        Ok(j) => j,
        Err(d) => return fail_send(vec![*d]),
    };
    let settings = match settings(&prepared.plan, common) {
        Ok(s) => s,
        Err(e) => {
            say(&error_line(e));
            return ExitCode::from(1);
        }
    };
    let requests = match requests(&templates, prepared, &journal, args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(server) = server.filter(|_| args.yes) else {
        let head = super::line(&bascule::msg!(
            "send.dry_run",
            from = &settings.from,
            to = &settings.to,
            journal = journal_path.display()
        ));
        let text = head + &listing(&requests, &settings);
        return print_out(&text).map_or_else(|c| c, |()| ExitCode::SUCCESS);
    };
    deliver(
        &server,
        &requests,
        &settings,
        &args.out,
        (&mut journal, &journal_path),
    )
}

/// Connects and sends; the exit code says how it went.
fn deliver(
    server: &Server,
    requests: &[Request],
    settings: &Settings,
    out: &Path,
    journal: (&mut journal::Journal, &Path),
) -> ExitCode {
    let to_send = requests.iter().filter(|r| r.action.sends()).count();
    if to_send == 0 {
        say(&super::line(&bascule::msg!("send.nothing")));
        return ExitCode::SUCCESS;
    }
    let mut session = match smtp::connect(server) {
        Ok(s) => s,
        Err(e) => {
            say(&error_line(bascule::msg!("send.not_connected", reason = e)));
            return ExitCode::from(bascule::diag::EXIT_ENVIRONMENT);
        }
    };
    if !ascii_addresses(settings) && !session.smtputf8() {
        say(&error_line(bascule::msg!("send.smtputf8")));
        session.quit();
        return ExitCode::from(1);
    }
    let summary = s::run::run(
        &mut session,
        requests,
        settings,
        out,
        journal,
        &mut |line| say(&super::line(&line)),
    );
    session.quit();
    say(&super::line(&bascule::msg!(
        "send.done",
        sent = Count::of(summary.sent.len()),
        refused = Count::of(summary.refused.len()),
        left = Count::of(to_send - summary.sent.len() - summary.refused.len())
    )));
    if let Some(stop) = &summary.stopped {
        say(&error_line(stop.clone()));
        return ExitCode::from(bascule::diag::EXIT_ENVIRONMENT);
    }
    ExitCode::from(if summary.refused.is_empty() { 0 } else { 1 })
}

/// The envelope's addresses are ASCII (a display name may be anything: it is encoded).
fn ascii_addresses(settings: &Settings) -> bool {
    s::run::envelope(settings).is_ok_and(|(from, to)| {
        from.to_string().is_ascii() && to.iter().all(|a| a.to_string().is_ascii())
    })
}

fn lock_message(path: &Path, e: bascule::write::lock::LockError) -> Text {
    match e {
        bascule::write::lock::LockError::Busy { waited, .. } => {
            bascule::msg!("send.busy", path = path.display(), secs = waited.as_secs())
        }
        bascule::write::lock::LockError::Io(p, e) => {
            bascule::msg!("send.lock", path = p.display(), reason = e)
        }
    }
}

fn fail_send(diags: Vec<bascule::diag::Diagnostic>) -> ExitCode {
    report(&diags, None);
    say(&error_line(bascule::msg!("send.nothing_sent")));
    ExitCode::from(bascule::diag::exit_code(&diags, false))
}

/// Loads, validates and plans; warnings are `check`'s business, errors end the run.
fn prepare_quietly(
    common: &Common,
    path: &Path,
) -> Result<(Templates, pipeline::Prepared), ExitCode> {
    let templates = templates(common).map_err(|d| fail_send(vec![*d]))?;
    match pipeline::prepare(path, Mode::Build, &templates) {
        Ok(p) => Ok((templates, p)),
        Err(f) => {
            report(&f.diagnostics, f.source.as_ref());
            say(&error_line(bascule::msg!("send.inventory_errors")));
            Err(ExitCode::from(bascule::diag::exit_code(
                &f.diagnostics,
                false,
            )))
        }
    }
}

/// The output folder must be exactly what a build writes: what is sent is what was checked.
fn out_is_current(
    prepared: &pipeline::Prepared,
    templates: &Templates,
    common: &Common,
    out: &Path,
) -> Result<(), ExitCode> {
    let faults: Vec<_> =
        bascule::check::run(prepared, templates, &common.render_options(), Some(out))
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
    if faults.is_empty() {
        return Ok(());
    }
    report(&faults, Some(&prepared.source));
    say(&error_line(bascule::msg!(
        "send.stale_out",
        out = out.display()
    )));
    Err(ExitCode::from(bascule::diag::exit_code(&faults, false)))
}
