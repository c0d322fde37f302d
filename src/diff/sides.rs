//! The two sides of `bascule diff`: an inventory file, or an inventory as Git holds it at a
//! revision. Each is loaded, validated and planned like `build` does it.
//!
//! Git is run as a program (`git show REV:./FILE` in the file's folder) rather than linked
//! (gix): it is on every machine that has the repository, it reads every repository layout
//! and configuration the writer's own `git` reads (worktrees, packed refs, partial clones,
//! `safe.directory`), and it adds no crate to the build.

use crate::diag::{Code, Diagnostic, Pos};
use crate::load::MAX_INVENTORY_BYTES;
use crate::pipeline::{self, Failure, Prepared};
use crate::templates::Templates;
use crate::validate::Mode;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where one side of the comparison is read.
#[derive(Debug, Clone)]
pub enum Side {
    /// An inventory file.
    File(PathBuf),
    /// `path` as it was committed at revision `rev`.
    Git {
        /// The Git revision (`--against REV`): a commit, a branch or a tag.
        rev: String,
        /// The inventory's path on disk; Git reads it from the repository holding its folder.
        path: PathBuf,
    },
}

impl Side {
    /// How diagnostics and the comparison name this side: the path, or `REV:path`.
    pub fn name(&self) -> String {
        match self {
            Side::File(p) => p.display().to_string(),
            Side::Git { rev, path } => format!("{rev}:{}", path.display()),
        }
    }

    /// Loads, validates and plans this side; its faults come back located in it.
    pub fn prepare(&self, templates: &Templates) -> Result<Prepared, Failure> {
        match self {
            Side::File(p) => pipeline::prepare(p, Mode::Build, templates),
            Side::Git { rev, path } => {
                let bytes = git_show(rev, path).map_err(|msg| self.error(msg))?;
                pipeline::prepare_bytes(&self.name(), &bytes, Mode::Build, templates)
            }
        }
    }

    fn error(&self, msg: String) -> Failure {
        let text = crate::msg!("diff.git", reason = msg);
        let d = Diagnostic::error(Code::E0004, &self.name(), Pos::default(), text)
            .with_help(crate::msg!("diff.git.help"));
        Failure::from(Box::new(d))
    }
}

/// `git -C DIR show REV:./FILE` for `path` at `rev`, with its output to be read.
fn spawn_git_show(rev: &str, path: &Path) -> Result<(std::process::Child, String), String> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains(':') {
        return Err(format!("`{}` is not a revision", crate::diag::shown(rev)));
    }
    let (dir, file) = split(path)?;
    let spec = format!("{rev}:./{}", file.to_string_lossy());
    let child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", "--no-textconv", &spec])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Ok((child, spec))
}

/// How many links `diff --against` follows to reach the inventory.
const MAX_LINKS: usize = 8;

/// The target of `path` at `rev` when Git holds it as a symbolic link (mode 120000), else
/// `None` (a file, or nothing: `git show` then says what is wrong).
fn link_target(rev: &str, path: &Path) -> Result<Option<String>, String> {
    let (dir, file) = split(path)?;
    let listed = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-tree", "--end-of-options", rev, "--"])
        .arg(format!("./{}", file.to_string_lossy()))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let line = String::from_utf8_lossy(&listed.stdout).into_owned();
    if !listed.status.success() || !line.starts_with("120000 ") {
        return Ok(None);
    }
    let target = show_file(rev, path)?;
    Ok(Some(String::from_utf8_lossy(&target).into_owned()))
}

/// The bytes of `path` at `rev`, following the symbolic links Git holds (the working tree's
/// link is not read: the revision's is), each relative to its own folder, within the
/// repository (git refuses a path out of it).
fn git_show(rev: &str, path: &Path) -> Result<Vec<u8>, String> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match link_target(rev, &path)? {
            None => return show_file(rev, &path),
            Some(target) if Path::new(&target).is_absolute() => {
                return Err(format!(
                    "{} is a link to `{}` at {rev}: a link out of the repository is not followed",
                    path.display(),
                    crate::diag::shown(&target)
                ));
            }
            Some(target) => {
                path = split(&path)?.0.join(target);
            }
        }
    }
    Err(format!(
        "{} at {rev} is a chain of more than {MAX_LINKS} links",
        path.display()
    ))
}

/// The folder (`.` for none) and the file name of `path`.
fn split(path: &Path) -> Result<(&Path, &std::ffi::OsStr), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    Ok((dir, file))
}

/// The bytes of `path` at `rev` (at most one byte over the inventory limit, so that the
/// loader can say it is too large). Git's errors are read on a thread of their own, so that
/// neither pipe can fill up and block the other.
fn show_file(rev: &str, path: &Path) -> Result<Vec<u8>, String> {
    let (mut child, spec) = spawn_git_show(rev, path)?;
    let errors = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = (&mut err).take(64 * 1024).read_to_string(&mut text);
            text
        })
    });
    let mut bytes = Vec::new();
    if let Some(out) = child.stdout.take() {
        out.take(MAX_INVENTORY_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read git's output: {e}"))?;
    }
    let too_large = bytes.len() > MAX_INVENTORY_BYTES;
    let status = child
        .wait()
        .map_err(|e| format!("git did not finish: {e}"))?;
    let errors = errors.and_then(|h| h.join().ok()).unwrap_or_default();
    if status.success() || too_large {
        return Ok(bytes);
    }
    Err(git_words(&errors, rev, path, &spec))
}

/// Git's error for `git show SPEC`, said in bascule's words: the revision or the file that
/// is not there, or git's own first line, unescaped (controls dropped) and cut at 300.
fn git_words(errors: &str, rev: &str, path: &Path, spec: &str) -> String {
    let rev = crate::diag::shown(rev);
    let file = path.display();
    if errors.contains("invalid object name")
        || errors.contains("unknown revision")
        || errors.contains("bad revision")
    {
        return format!("this Git repository has no revision `{rev}`");
    }
    if errors.contains("does not exist in") || errors.contains("exists on disk, but not in") {
        return format!("{file} is not in revision `{rev}`");
    }
    if errors.contains("not a git repository") {
        return format!("{file} is not inside a Git repository");
    }
    let first: String = errors
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches("fatal: ")
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    format!("git cannot show {spec}: {first}")
}
