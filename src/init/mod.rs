//! `bascule init`: a new migration project from starter files embedded in the binary — a
//! commented inventory skeleton that validates, the inventory's JSON Schema (for editors), a
//! `.gitignore`, and CI recipes for GitHub Actions and GitLab CI. In a folder that has
//! some of them already (an existing repository adopting bascule), it writes the others,
//! appends to `.gitignore` the lines it lacks (once), and keeps every other file as it is —
//! `--force` replaces the starter files, never the inventory.

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
    /// The folder cannot be written.
    Io(String),
}

fn is_id(s: &str) -> bool {
    validate::is_slug(s) && s.len() <= MAX_ID && validate::is_hostname_label(s) && !s.contains("--")
}

/// `s` made a slug: lowercase ASCII letters and digits, other runs of characters one `-`.
fn slug_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => out.push(c),
            _ if !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_string()
}

/// An instance as `init` accepts it: `ID`, or `ID=Name` to give its name as written (an
/// acronym, say); the id a slug that is also a host-name label, short enough for the machine
/// names derived from it. For clap's `value_parser`, which names the option.
pub fn parse_id(s: &str) -> Result<String, String> {
    let (id, name) = match s.split_once('=') {
        Some((id, name)) => (id, Some(name)),
        None => (s, None),
    };
    if name.is_some_and(|n| n.trim().is_empty()) {
        return Err(format!(
            "`{}` gives no name after `=`: write `{id}=Name`",
            crate::diag::shown(s)
        ));
    }
    if is_id(id) {
        return Ok(s.to_string());
    }
    let rule = format!(
        "an instance id is lowercase letters, digits and single `-` inside, at most {MAX_ID} characters"
    );
    let slug = slug_of(id);
    let hint = match name {
        _ if !is_id(&slug) => " (e.g. `erp`)".to_string(),
        Some(n) => format!("; did you mean `{slug}={n}`?"),
        None => format!(
            "; did you mean `{slug}`? (`{slug}={}` keeps the name as written)",
            id.trim()
        ),
    };
    Err(format!(
        "`{}` is not an instance id: {rule}{hint}",
        crate::diag::shown(id)
    ))
}

/// The id and the name of an instance given as `ID` or `ID=Name`: the name as written, or
/// the id capitalised.
fn id_and_name(arg: &str) -> (&str, String) {
    match arg.split_once('=') {
        Some((id, name)) => (id, name.trim().to_string()),
        None => (arg, crate::french::capitalise(arg)),
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

/// The context of the skeleton for instance `arg` (`ID` or `ID=Name`), the `n`-th (from 0).
fn instance_ctx(arg: &str, n: usize) -> Result<serde_json::Value, String> {
    let (id, name) = id_and_name(arg);
    let day = |offset: i64| -> Result<String, String> {
        let start = jiff::civil::date(2025, 3, 3);
        crate::date::add_days(start, offset)
            .map(crate::date::iso)
            .ok_or_else(|| "too many instances".to_string())
    };
    let last = u8::try_from(10 + n).map_err(|_| "too many instances".to_string())?;
    Ok(json!({
        "id": id,
        "name": yaml_scalar(&name)?,
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
    for (i, arg) in ids.iter().enumerate() {
        parse_id(arg)?;
        let id = id_and_name(arg).0;
        if ids[..i].iter().any(|a| id_and_name(a).0 == id) {
            return Err(format!("instance `{id}` is given twice in `--instances`"));
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
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect(),
    }
}

/// Every file `init` writes, relative to the project folder, with its text.
pub fn files(opts: &Options) -> Result<Vec<(&'static str, String)>, InitError> {
    let inventory = inventory(opts).map_err(InitError::Usage)?;
    if let Some(d) = errors_of(&inventory).first() {
        let line = inventory
            .lines()
            .nth(d.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let option = if line.trim_start().starts_with("organisation:") {
            "`--organisation NAME`"
        } else if line.trim_start().starts_with("name:") {
            "an instance name of `--instances ID=Name`"
        } else {
            "these options"
        };
        let help = (d.help.as_ref())
            .map(|h| format!(" ({})", h.en()))
            .unwrap_or_default();
        return Err(InitError::Usage(format!(
            "{option} cannot make a valid inventory: {}{help}",
            d.message.en()
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

/// What `init` does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// It was absent and is now written, at this path.
    Created(PathBuf),
    /// `.gitignore` existed: these lines were appended.
    Merged(PathBuf, usize),
    /// It existed and was left as it is; `replaceable`: `--force` would replace it.
    Kept {
        /// The file kept.
        path: PathBuf,
        /// Whether `--force` would replace it (false for the inventory and `.gitignore`).
        replaceable: bool,
    },
    /// It existed and `--force` replaced it.
    Replaced(PathBuf),
}

/// The lines of `ours` (rules, not comments or blank lines) that `theirs` lacks.
fn missing_lines<'a>(theirs: &str, ours: &'a str) -> Vec<&'a str> {
    let have: std::collections::BTreeSet<&str> = theirs.lines().map(str::trim).collect();
    ours.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !have.contains(l))
        .collect()
}

/// `.gitignore` with the rules it lacks appended under one comment line, or `None`.
fn merged_gitignore(existing: &str) -> Option<(String, usize)> {
    let add = missing_lines(existing, GITIGNORE);
    if add.is_empty() {
        return None;
    }
    let mut text = existing.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("\n# Ajouté par `bascule init` (voir sa documentation).\n");
    for l in &add {
        text.push_str(l);
        text.push('\n');
    }
    Some((text, add.len()))
}

/// Writes `files` into `dir` (created if needed): each one that is absent; `.gitignore`
/// completed; the others kept, or with `force` replaced — except the inventory, which is
/// the writer's work. Each new file is created with `create_new`, so that a file appearing
/// meanwhile is not overwritten; on a failure, the files created are removed again.
pub fn write(dir: &Path, files: &[(&str, String)], force: bool) -> Result<Vec<Done>, InitError> {
    let mut done = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let exists = path.symlink_metadata().is_ok();
        let result = match (exists, *rel) {
            (false, _) => create(&path, text).map(|()| Done::Created(path.clone())),
            (true, ".gitignore") => {
                std::fs::read_to_string(&path).and_then(|old| match merged_gitignore(&old) {
                    Some((new, n)) => replace(&path, &new).map(|()| Done::Merged(path.clone(), n)),
                    None => Ok(Done::Kept {
                        path: path.clone(),
                        replaceable: false,
                    }),
                })
            }
            (true, INVENTORY_PATH) => Ok(Done::Kept {
                path: path.clone(),
                replaceable: false,
            }),
            (true, _) if force => replace(&path, text).map(|()| Done::Replaced(path.clone())),
            (true, _) => Ok(Done::Kept {
                path: path.clone(),
                replaceable: true,
            }),
        };
        match result {
            Ok(d) => done.push(d),
            Err(e) => {
                undo(&done);
                return Err(InitError::Io(format!(
                    "cannot write {}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(done)
}

/// Removes the files `done` created (a failure half-way leaves no half project).
fn undo(done: &[Done]) {
    for d in done {
        if let Done::Created(p) = d {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Replaces `path` with `text` through a file beside it, renamed over it.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
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
