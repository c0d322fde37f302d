//! `bascule init`: a new migration project from starter files embedded in the binary — a
//! commented inventory skeleton that validates, the inventory's JSON Schema (for editors), a
//! `.gitignore`, and CI recipes for GitHub Actions and GitLab CI. Nothing is ever overwritten: if one file it would write exists,
//! none is written.

use crate::diag::Diagnostic;
use crate::labels::Labels;
use crate::validate::{self, Mode};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The inventory skeleton: a Tera template (nothing escaped) whose values are YAML scalars
/// already quoted by [`yaml_scalar`].
const INVENTORY: &str = include_str!("inventory.yaml.tera");
const GITIGNORE: &str = include_str!("gitignore");
const GITHUB: &str = include_str!("github-workflow.yml");
const GITLAB: &str = include_str!("gitlab-ci.yml");

/// Where the skeleton is written, relative to the project folder.
pub const INVENTORY_PATH: &str = "inventory/inventory.yaml";

/// The instance of a project created without `--instances`.
pub const DEFAULT_INSTANCE: &str = "principale";

/// The placeholder of every text the writer must fill (what `check` flags, E0132).
pub use crate::validate::PLACEHOLDER;

/// Where the inventory's JSON Schema is written, for editors: the skeleton's first line names it.
pub const SCHEMA_PATH: &str = crate::schema::COMMITTED_PATH;

/// Instance ids name files, machine names and DNS names of the skeleton: at most this long,
/// so that `ID-nouvelle` stays a host-name label.
const MAX_ID: usize = 40;

/// What `init` is asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The organisation that migrates (default: the placeholder).
    pub organisation: Option<String>,
    /// Instance ids (default: [`DEFAULT_INSTANCE`]).
    pub instances: Vec<String>,
}

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// The options cannot make a valid inventory (a usage error).
    Usage(String),
    /// These files exist already.
    Exists(Vec<PathBuf>),
    /// The folder cannot be written.
    Io(String),
}

/// An instance id as `init` accepts it: a slug that is also a host-name label, short enough
/// for the machine names derived from it. For clap's `value_parser`.
pub fn parse_id(s: &str) -> Result<String, String> {
    let ok = validate::is_slug(s)
        && s.len() <= MAX_ID
        && validate::is_hostname_label(s)
        && !s.contains("--");
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{}` is not an instance id: lowercase letters, digits and single `-` inside, at most {MAX_ID} characters (e.g. `erp`)",
            crate::diag::shown(s)
        ))
    }
}

/// `s` as one YAML scalar on one line, quoted when YAML needs it (`#`, quotes, `: `, a
/// leading `-`, words YAML reads as booleans or numbers…), by serde-saphyr's serializer.
pub fn yaml_scalar(s: &str) -> Result<String, String> {
    let out = serde_saphyr::to_string(&s).map_err(|e| e.to_string())?;
    let out = out.strip_suffix('\n').unwrap_or(&out);
    if out.contains('\n') {
        return Err("a text on one line is expected".into());
    }
    Ok(out.to_string())
}

/// The context of the skeleton for instance `id`, the `n`-th (from 0).
fn instance_ctx(id: &str, n: usize) -> Result<serde_json::Value, String> {
    let day = |offset: i64| -> Result<String, String> {
        let start = crate::date::parse("2025-03-03")?;
        crate::date::add_days(start, offset)
            .map(crate::date::iso)
            .ok_or_else(|| "too many instances".to_string())
    };
    let last = u8::try_from(10 + n).map_err(|_| "too many instances".to_string())?;
    Ok(json!({
        "id": id,
        "name": yaml_scalar(&crate::french::capitalise(id))?,
        "url": format!("https://{id}.exemple.ca"),
        "jour_m": day(7 * n as i64)?,
        "old": format!("{id}-ancienne"),
        "new": format!("{id}-nouvelle"),
        "ip": format!("192.0.2.{last}"),
        "dns": format!("{id}.exemple.ca"),
        "new_dns": format!("{id}-nouvelle.exemple.ca"),
        "ticket": 10001 + n,
    }))
}

/// The inventory skeleton's text.
pub fn inventory(opts: &Options) -> Result<String, String> {
    let default = [DEFAULT_INSTANCE.to_string()];
    let ids = if opts.instances.is_empty() {
        &default[..]
    } else {
        &opts.instances[..]
    };
    for (i, id) in ids.iter().enumerate() {
        parse_id(id)?;
        if ids[..i].contains(id) {
            return Err(format!("instance `{id}` is given twice"));
        }
    }
    let instances = ids
        .iter()
        .enumerate()
        .map(|(n, id)| instance_ctx(id, n))
        .collect::<Result<Vec<_>, _>>()?;
    let organisation = opts.organisation.as_deref().unwrap_or(PLACEHOLDER);
    let ctx = json!({
        "organisation": yaml_scalar(organisation)?,
        "decision_date": "2025-01-15",
        "reference_date": "2025-02-03",
        "instances": instances,
    });
    let mut tera = tera::Tera::new();
    tera.add_raw_template("inventory.yaml", INVENTORY)
        .map_err(|e| e.to_string())?;
    let ctx = tera::Context::from_serialize(&ctx).map_err(|e| e.to_string())?;
    let text = tera
        .render("inventory.yaml", &ctx)
        .map_err(|e| e.to_string())?;
    Ok(format!("{}\n", text.trim_end()))
}

/// Errors the validator finds in the skeleton (an organisation it refuses, say): the
/// skeleton must validate before it is written.
fn errors_of(text: &str) -> Vec<Diagnostic> {
    match crate::load::load_bytes(INVENTORY_PATH, text.as_bytes()) {
        Err(d) => vec![*d],
        Ok((_, inv)) => validate::validate(INVENTORY_PATH, &inv, Mode::Build, &Labels::defaults())
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect(),
    }
}

/// Every file `init` writes, relative to the project folder, with its text.
pub fn files(opts: &Options) -> Result<Vec<(&'static str, String)>, InitError> {
    let inventory = inventory(opts).map_err(InitError::Usage)?;
    if let Some(d) = errors_of(&inventory).first() {
        return Err(InitError::Usage(format!(
            "these options make an invalid inventory: {}",
            d.message
        )));
    }
    Ok(vec![
        (INVENTORY_PATH, inventory),
        (SCHEMA_PATH, crate::schema::text()),
        (".gitignore", GITIGNORE.to_string()),
        (".github/workflows/bascule.yml", GITHUB.to_string()),
        (".gitlab-ci.yml", GITLAB.to_string()),
    ])
}

/// Writes `files` into `dir` (created if needed), or nothing at all: when one of them exists
/// (even as a broken link), every one that does is named. Each file is created with
/// `create_new`, so that a file appearing meanwhile is not overwritten either; on a failure,
/// the files already written are removed.
pub fn write(dir: &Path, files: &[(&str, String)]) -> Result<Vec<PathBuf>, InitError> {
    let paths: Vec<PathBuf> = files.iter().map(|(rel, _)| dir.join(rel)).collect();
    let existing: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.symlink_metadata().is_ok())
        .cloned()
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (path, (_, text)) in paths.iter().zip(files) {
        if let Err(e) = create(path, text) {
            for w in &written {
                let _ = std::fs::remove_file(w);
            }
            return Err(InitError::Io(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
        written.push(path.clone());
    }
    Ok(written)
}

fn create(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests;
