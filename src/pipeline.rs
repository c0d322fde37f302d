//! The whole pipeline, shared by `build`, `check` and `tickets`: load → validate → plan
//! here, render into a sink in `rendering.rs`, and `build`'s staging folder as that sink.

use crate::diag::{Diagnostic, Pos};
use crate::files::Sink;
use crate::load::{self, Source};
use crate::model::Inventory;
use crate::plan::{self, Plan};
use crate::render;
use crate::templates::Templates;
use crate::validate::{self, Mode};
use crate::write;
use std::path::{Path, PathBuf};

/// A loaded, validated and planned inventory.
pub struct Prepared {
    /// The inventory's name and text.
    pub source: Source,
    /// The inventory as loaded.
    pub inventory: Inventory,
    /// What the outputs say, computed from it.
    pub plan: Plan,
    /// Warnings (and errors when `prepare` was asked not to stop on them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Diagnostics that stop the pipeline, with the inventory (name and text) for carets when
/// it was read.
pub struct Failure {
    /// What stopped it, with any warnings found on the way; never empty.
    pub diagnostics: Vec<Diagnostic>,
    /// The inventory's name and text; `None` when it could not be read, or the fault is not
    /// in it.
    pub source: Option<Source>,
}

impl From<Box<Diagnostic>> for Failure {
    fn from(d: Box<Diagnostic>) -> Self {
        Failure {
            diagnostics: vec![*d],
            source: None,
        }
    }
}

/// Loads, validates and plans; stops on the first load error or on any validation error.
/// The inventory is read once: its bytes serve the carets of every message.
/// For `check`, the journal of sent requests beside it says which creations wait for their
/// number (a warning then, not an error).
pub fn prepare(path: &Path, mode: Mode, templates: &Templates) -> Result<Prepared, Failure> {
    let bytes = load::read_file(path).map_err(Failure::from)?;
    let sent = match mode {
        Mode::Check => crate::journal::read(&crate::journal::path_for(path))
            .map_err(Failure::from)?
            .sent_keys(),
        Mode::Build => Default::default(),
    };
    prepare_sent(&path.display().to_string(), &bytes, mode, templates, &sent)
}

/// [`prepare`] on an inventory's bytes, named `name` in every diagnostic (for an inventory
/// that is not a file: `bascule diff --against REV` reads one from Git).
pub fn prepare_bytes(
    name: &str,
    bytes: &[u8],
    mode: Mode,
    templates: &Templates,
) -> Result<Prepared, Failure> {
    prepare_sent(name, bytes, mode, templates, &Default::default())
}

fn prepare_sent(
    name: &str,
    bytes: &[u8],
    mode: Mode,
    templates: &Templates,
    sent: &std::collections::BTreeSet<String>,
) -> Result<Prepared, Failure> {
    let loaded = match load::load(name, bytes) {
        Ok(x) => x,
        Err(diagnostics) => {
            return Err(Failure {
                diagnostics,
                source: Some(Source {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                }),
            });
        }
    };
    let (source, inventory) = (loaded.source, loaded.inventory);
    let validation =
        validate::validate_sent(&source.name, &inventory, mode, &templates.labels, sent);
    let mut validated = validation.diagnostics;
    validated.extend(validate::example_marks(&source.name, &source.text));
    // One value, one message: the loader's (a date it can reorder) replaces the validator's.
    let diagnostics = crate::diag::merge(loaded.diagnostics, validated);
    let checked = match validation.checked {
        Some(c) if !diagnostics.iter().any(Diagnostic::is_error) => c,
        _ => {
            return Err(Failure {
                diagnostics,
                source: Some(source),
            });
        }
    };
    let plan = plan::plan(&checked, &templates.labels).map_err(Failure::from)?;
    Ok(Prepared {
        source,
        inventory,
        plan,
        diagnostics,
    })
}

/// The plan of `inventory` (read from `file`), validated as `build` does; the first error
/// when validation refuses it. For those that plan an inventory already loaded (the
/// erased tickets of `send`, tests, benchmarks); the commands prepare with [`prepare`].
pub fn plan_built(
    file: &str,
    inventory: &Inventory,
    labels: &crate::labels::Labels,
) -> Result<Plan, Box<Diagnostic>> {
    let checked = validate::validate(file, inventory, Mode::Build, labels).accepted()?;
    plan::plan(&checked, labels)
}

/// The inventory's file name, as the outputs cite it (no folder: outputs must not depend
/// on where the build ran).
pub fn inventory_label(source: &Source) -> String {
    Path::new(&source.name)
        .file_name()
        .map_or_else(|| source.name.clone(), |n| n.to_string_lossy().into_owned())
}

/// Render settings that do not come from the inventory.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// PNG scale; `None` for the default (at least 1600 px wide).
    pub png_scale: Option<f32>,
    /// Octopus mailbox for the ticket emails, overriding the inventory's.
    pub to: Option<String>,
    /// Paper of `document.pdf` and `document.docx` (`--paper`); `None`: the inventory's
    /// `document.paper`, else Letter.
    pub paper: Option<render::exports::Paper>,
    /// Creation date of the PDF and Word files, in seconds since 1970 (`SOURCE_DATE_EPOCH`);
    /// `None`, the default, writes none, so that builds are identical.
    pub timestamp: Option<i64>,
    /// Told how far rendering has gone (the command line draws it on a terminal).
    pub progress: Option<Progress>,
}

/// How far rendering has gone: `done` of the `total` items of `stage` (« annexes », 12, 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The stage, in English: `annexes`, `tickets`, `document`, `exports` or `site`.
    pub stage: &'static str,
    /// Items of the stage done so far.
    pub done: usize,
    /// Items the stage has in all.
    pub total: usize,
}

/// What is told of every [`Step`], in order, from the thread that writes.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(Step) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

mod cache;
mod exports;
mod rendering;
pub use rendering::{Heavy, generate, render_into};

impl RenderOptions {
    fn tell(&self, stage: &'static str, done: usize, total: usize) {
        if let Some(p) = &self.progress {
            (p.0)(Step { stage, done, total });
        }
    }
}

/// The staging folder as a sink; what it holds is read back from disk.
struct Staged(write::Staging);

fn write_error(out: &Path, e: &write::WriteError) -> Box<Diagnostic> {
    let code = e.code();
    Box::new(
        Diagnostic::error(code, &out.display().to_string(), Pos::default(), e.text())
            .with_help(e.help()),
    )
}

impl Sink for Staged {
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> Result<(), Box<Diagnostic>> {
        self.0
            .put(rel, &bytes)
            .map_err(|e| write_error(Path::new(rel), &e))
    }

    fn get(&self, rel: &str) -> Option<Vec<u8>> {
        self.0.get(rel)
    }

    fn note_setting(&mut self, key: &str, value: &str) {
        self.0.setting(key, value);
    }

    fn put_made_from(
        &mut self,
        rel: &str,
        bytes: Vec<u8>,
        source: &str,
    ) -> Result<(), Box<Diagnostic>> {
        self.put(rel, bytes)?;
        self.0.made_from(rel, source);
        Ok(())
    }

    fn put_with(
        &mut self,
        rel: &str,
        write: &mut crate::files::WriteFn,
    ) -> Result<(), Box<Diagnostic>> {
        let fail = |e: write::WriteError| write_error(Path::new(rel), &e);
        let mut out = std::io::BufWriter::new(self.0.create(rel).map_err(fail)?);
        write(&mut out, &|path| self.0.get(path))?;
        let file = out.into_inner().map_err(|e| {
            fail(write::WriteError::Io(
                format!("cannot write {rel}"),
                e.into_error(),
            ))
        })?;
        self.0.written(rel, file).map_err(fail)
    }

    fn copy(&mut self, from: &str, to: &str) -> Result<bool, Box<Diagnostic>> {
        self.0
            .copy(from, to)
            .map_err(|e| write_error(Path::new(to), &e))
    }
}

/// What a build did.
pub struct Built {
    /// The inventory, its plan and the warnings found.
    pub prepared: Prepared,
    /// What was written, and where.
    pub written: write::Written,
}

/// `bascule build`: load, validate and plan `inventory`; check that `out` may be replaced;
/// render every file straight into a staging folder beside it, then swap it in. Annexe PNGs
/// drawn from an unchanged SVG, and a PDF typeset from an unchanged source, are taken from
/// the previous output instead of made again.
pub fn build(
    inventory: &Path,
    templates: &Templates,
    out: &Path,
    opts: &RenderOptions,
    force: bool,
) -> Result<Built, Failure> {
    let prepared = prepare(inventory, Mode::Build, templates)?;
    let fail = |d: Box<Diagnostic>| Failure {
        diagnostics: prepared.diagnostics.iter().cloned().chain([*d]).collect(),
        source: Some(Source {
            name: prepared.source.name.clone(),
            text: prepared.source.text.clone(),
        }),
    };
    let staging = write::Staging::begin(out, force).map_err(|e| fail(write_error(out, &e)))?;
    let cache = cache::Cache::open(staging.out());
    let mut sink = Staged(staging);
    render_into(&prepared, templates, opts, Heavy::Reuse(&cache), &mut sink).map_err(fail)?;
    let written = sink.0.commit().map_err(|e| fail(write_error(out, &e)))?;
    Ok(Built { prepared, written })
}

/// The default inventory: the one `*.yaml`/`*.yml` file in `inventory/`.
pub fn default_inventory(dir: &Path) -> Result<PathBuf, crate::diag::Text> {
    use crate::msg;
    let entries = std::fs::read_dir(dir).map_err(|e| {
        msg!(
            "cli.no_inventory.unreadable",
            dir = dir.display(),
            reason = e
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(msg!("cli.no_inventory.none", dir = dir.display())),
        _ => Err(msg!(
            "cli.no_inventory.several",
            dir = dir.display(),
            found = found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
