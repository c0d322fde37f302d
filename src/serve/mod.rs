//! `bascule serve`: build, serve the site folder, watch the inventory and the templates,
//! rebuild on every change and reload the open pages. This file is the loop; the HTTP
//! server ([`server`], [`resolve`]), the watcher ([`watch`]), what is added to the pages
//! ([`inject`]) and what they are told ([`live`]) each have their own.
//!
//! A failed build changes nothing on disk (the build is staged and swapped in only when
//! it succeeds): the last good page stays served, with the errors over it.

pub(crate) mod hosts;
pub(crate) mod inject;
pub(crate) mod live;
pub(crate) mod panel;
pub(crate) mod resolve;
pub(crate) mod routes;
pub(crate) mod server;
pub(crate) mod watch;

use crate::diag::{Catalog, Diagnostic};
use crate::load::Source;
use crate::msg;
use crate::pipeline::{self, RenderOptions};
use crate::templates::Templates;
use live::Live;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Instant;

/// What `bascule serve` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The inventory built and watched.
    pub inventory: PathBuf,
    /// The templates folder (`--templates`), watched too; it may not exist.
    pub templates: PathBuf,
    /// The output folder built into; the site served is its `site` folder.
    pub out: PathBuf,
    /// How each build renders: PNG scale, mailbox, paper, timestamp.
    pub render: RenderOptions,
    /// The address the server listens on (`--bind`).
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// Open the page in the browser once served.
    pub open: bool,
    /// More `Host:` names the preview answers to (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// The language of the faults shown (`--lang`, else the locale).
    pub lang: crate::diag::Lang,
}

/// Why `serve` could not run.
#[derive(Debug)]
pub enum ServeError {
    /// The command line asks for something impossible (a busy port, a folder that does not
    /// exist): exit code 2.
    Usage(crate::diag::Text),
    /// The machine refused (no watcher, no thread): exit code 1.
    Failed(String),
}

enum Msg {
    Changed(Vec<PathBuf>),
    WatchError(String),
    Stop,
}

/// Runs until Ctrl-C (or SIGTERM): then the server, its event streams and the watcher
/// end, and no staging folder is left behind.
pub fn run(opts: &Options) -> Result<(), ServeError> {
    let listener = server::bind(opts.bind, opts.port).map_err(ServeError::Usage)?;
    let (tx, rx) = mpsc::channel();
    let to_loop = tx.clone();
    let mut watcher = watch::start(watched(opts)?, move |burst| {
        let _ = to_loop.send(match burst {
            Ok(paths) => Msg::Changed(paths),
            Err(e) => Msg::WatchError(e),
        });
    })
    .map_err(ServeError::Failed)?;
    ctrlc::set_handler(move || {
        let _ = tx.send(Msg::Stop);
    })
    .map_err(|e| ServeError::Failed(format!("cannot handle Ctrl-C: {e}")))?;
    let words = Catalog::load(opts.lang, Some(&opts.templates))
        .unwrap_or_else(|_| Catalog::embedded(opts.lang));
    let live = Arc::new(Live::new(panel::Panel::new(&words)));
    rebuild(opts, (&live, &words), &[]);
    let site = opts.out.join("site");
    let server = server::Server::start(listener, site, Arc::clone(&live), &opts.allow_hosts)
        .map_err(ServeError::Failed)?;
    announce(opts, server.addr(), &words);
    serve_loop(opts, (&live, &words), &rx, &mut watcher);
    server.stop();
    drop(watcher);
    say(&words.line(&msg!("serve.stopped")));
    Ok(())
}

/// The paths to watch, absolute (events name absolute paths).
fn watched(opts: &Options) -> Result<watch::Watched, ServeError> {
    let abs = |p: &Path| {
        std::path::absolute(p).map_err(|e| {
            ServeError::Usage(msg!("serve.usage.resolve", path = p.display(), reason = e))
        })
    };
    let inventory = abs(&opts.inventory)?;
    if inventory.parent().is_none_or(|d| !d.is_dir()) {
        let text = msg!(
            "serve.usage.no_folder",
            inventory = opts.inventory.display()
        );
        return Err(ServeError::Usage(text));
    }
    refuse_out_in_templates(opts)?;
    Ok(watch::Watched {
        inventory,
        templates: abs(&opts.templates)?,
        out: abs(&opts.out)?,
    })
}

/// An output folder inside the templates folder would be watched through it: each build's
/// writes (its staging folder beside the output) would start another, without end.
fn refuse_out_in_templates(opts: &Options) -> Result<(), ServeError> {
    let Ok(templates) = std::fs::canonicalize(&opts.templates) else {
        return Ok(()); // no templates folder: nothing is watched there
    };
    let out = std::path::absolute(&opts.out).unwrap_or_else(|_| opts.out.clone());
    let parent = out.parent().and_then(|p| std::fs::canonicalize(p).ok());
    let real = parent.zip(out.file_name()).map(|(p, n)| p.join(n));
    if real.is_some_and(|o| o.starts_with(&templates)) {
        return Err(ServeError::Usage(msg!(
            "serve.usage.out_in_templates",
            out = opts.out.display(),
            templates = opts.templates.display()
        )));
    }
    Ok(())
}

fn announce(opts: &Options, addr: SocketAddr, words: &Catalog) {
    let url = format!("http://{addr}/");
    say(&words.line(&msg!(
        "serve.watching",
        url = &url,
        inventory = opts.inventory.display(),
        templates = opts.templates.display()
    )));
    if !addr.ip().is_loopback() {
        say(&words.line(&msg!("serve.exposed", ip = addr.ip())));
    }
    if opts.open {
        let shown = if addr.ip().is_unspecified() {
            format!("http://127.0.0.1:{}/", addr.port())
        } else {
            url
        };
        if let Err(e) = opener::open_browser(&shown) {
            say(&words.line(&msg!("serve.no_browser", reason = e)));
        }
    }
}

/// One build per burst of changes, until a stop.
fn serve_loop(opts: &Options, to: To, rx: &Receiver<Msg>, watcher: &mut watch::Watcher) {
    let fault = |e: String| say(&to.1.line(&msg!("serve.watch_fault", reason = e)));
    while let Ok(msg) = rx.recv() {
        let mut changed = match msg {
            Msg::Stop => return,
            Msg::WatchError(e) => {
                fault(e);
                continue;
            }
            Msg::Changed(paths) => paths,
        };
        // What changed during the previous build joins this burst: one build for both.
        while let Ok(more) = rx.try_recv() {
            match more {
                Msg::Stop => return,
                Msg::WatchError(e) => fault(e),
                Msg::Changed(paths) => changed.extend(paths),
            }
        }
        changed.sort();
        changed.dedup();
        if changed.iter().any(|p| watcher.watches_root(p)) {
            // A watched folder was replaced: watch the one there now.
            if let Err(e) = watcher.rearm() {
                fault(e);
            }
        }
        rebuild(opts, to, &changed);
    }
}

/// Builds, reports in the terminal, and tells the pages: reload, with the errors if any.
fn rebuild(opts: &Options, (live, words): To, changed: &[PathBuf]) {
    if !changed.is_empty() {
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        say(&words.line(&msg!("serve.changed", names = names.join(", "))));
    }
    let started = Instant::now();
    match build_once(opts) {
        Ok((files, warnings)) => {
            say(&warnings);
            let ms = started.elapsed().as_millis();
            let text = msg!(
                "serve.built",
                files = files,
                out = opts.out.display(),
                ms = ms
            );
            say(&words.line(&text));
            live.publish(None);
        }
        Err(errors) => {
            say(&errors);
            say(&words.line(&msg!("serve.build_failed")));
            live.publish(Some(errors));
        }
    }
}

/// Where a build's outcome goes: the pages, and the terminal in the run's language.
type To<'a> = (&'a Live, &'a Catalog);

/// `bascule build` once: the number of files written and the warnings, or the errors, each
/// rendered rustc-style.
fn build_once(opts: &Options) -> Result<(usize, String), String> {
    use crate::diag::Catalog;
    let words = Catalog::load(opts.lang, Some(&opts.templates)).map_err(|t| t.en())?;
    let templates = Templates::load(Some(&opts.templates)).map_err(|d| d.human(None, &words))?;
    match pipeline::build(&opts.inventory, &templates, &opts.out, &opts.render, false) {
        Ok(built) => {
            let diags = &built.prepared.diagnostics;
            let mut text = human(diags, Some(&built.prepared.source), &words);
            for w in &built.written.warnings {
                text.push_str(&words.line(&msg!("cli.warning_line", text = w.clone())));
            }
            Ok((built.written.files, text))
        }
        Err(f) => Err(human(&f.diagnostics, f.source.as_ref(), &words)),
    }
}

/// Every diagnostic rustc-style, sorted; the inventory's lines quoted for its own faults.
fn human(diags: &[Diagnostic], source: Option<&Source>, words: &crate::diag::Catalog) -> String {
    let mut sorted = diags.to_vec();
    crate::diag::sort(&mut sorted);
    sorted
        .iter()
        .map(|d| {
            let text = source.filter(|s| s.name == d.file).map(|s| s.text.as_str());
            d.human(text, words)
        })
        .collect()
}

/// Writes to stderr; a closed stderr is not worth a panic.
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
