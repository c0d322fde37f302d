//! The *write* stage: every output goes into a staging folder beside the output folder,
//! which then takes the output folder's place in one step. A failed or killed build leaves
//! the previous output untouched, and a folder is replaced only when bascule owns it: it is
//! empty, or its manifest lists every file in it. Nothing of the user's is ever deleted
//! unless they ask with `--force`.

mod error;
pub mod manifest;
pub mod tree;

pub use error::WriteError;
use manifest::Manifest;
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

pub use crate::files::Outputs;

use manifest::STAGING_MARK;
/// How many stray names an error lists before « and N more ».
const STRAYS_SHOWN: usize = 8;

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> WriteError {
    let what = what.into();
    move |e| WriteError::Io(what, e)
}

/// A relative path made only of plain names: no `..`, no root, no drive, no empty part.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// The folder an output path really names: a link is followed to the folder it points at
/// (which is replaced, the link kept); a path that does not exist yet is made absolute.
fn resolve(out: &Path) -> Result<PathBuf, WriteError> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::path::absolute(out).map_err(io_err(format!("cannot resolve {}", out.display())))
        }
        Err(e) => Err(WriteError::Io(format!("cannot read {}", out.display()), e)),
        Ok(meta) => {
            let real = std::fs::canonicalize(out).map_err(|_| {
                WriteError::NotAFolder(out.to_path_buf(), "a symbolic link to nothing")
            })?;
            if !real.is_dir() {
                let why = if meta.file_type().is_symlink() {
                    "a symbolic link to something that is not a folder"
                } else {
                    "it exists and is not a folder"
                };
                return Err(WriteError::NotAFolder(out.to_path_buf(), why));
            }
            Ok(real)
        }
    }
}

/// Every entry of `dir` that its manifest does not account for (none when it is empty).
fn strays(dir: &Path) -> Result<(Vec<String>, bool, bool), WriteError> {
    let manifest = Manifest::read_from(dir);
    let mut found = Vec::new();
    let mut more = false;
    let complete = tree::walk(dir, &mut |rel, _, kind| {
        let ours = manifest.as_ref().is_some_and(|m| match kind {
            tree::Kind::File => m.lists(rel),
            tree::Kind::Dir => m.lists_folder(rel),
            _ => false,
        });
        if ours {
            return tree::Flow::Next;
        }
        if found.len() == STRAYS_SHOWN {
            more = true;
            return tree::Flow::Stop;
        }
        if kind == tree::Kind::Dir {
            // A stray folder is named once, not file by file.
            found.push(format!("{rel}/"));
            return tree::Flow::Prune;
        }
        found.push(rel.to_string());
        tree::Flow::Next
    })
    .map_err(io_err(format!("cannot read {}", dir.display())))?;
    if !complete && found.is_empty() {
        found.push(format!("(more than {} entries)", tree::MAX_ENTRIES));
    }
    Ok((found, more, manifest.is_some()))
}

/// A build in progress: files go into a staging folder until [`Staging::commit`].
/// Dropped without a commit, the staging folder is removed and the output is untouched.
pub struct Staging {
    /// The output folder (links resolved).
    out: PathBuf,
    dir: Option<tempfile::TempDir>,
    /// The output folder is a mount point: the staging folder is inside it, and the
    /// commit moves entries instead of the folder itself (see `swap::in_place`).
    in_place: bool,
    /// `--force`: what the previous output holds of someone else's is deleted with it.
    force: bool,
    /// The staging folder's marker, locked while the build runs (for bascule versions that
    /// clean leftovers without the output lock).
    _mark: File,
    /// The output folder's lock, held from the first look at the folder to the end.
    _lock: lock::Held,
    manifest: Manifest,
    count: usize,
}

/// What a successful write did.
#[derive(Debug)]
pub struct Written {
    /// How many output files the build wrote or took again, the manifest not counted.
    pub files: usize,
    /// The folder written (a link given as `--out` is resolved).
    pub out: PathBuf,
    /// Trouble after the swap, which did not fail the build (e.g. the old output could not
    /// be removed, or files of someone else's were found in it and kept).
    pub warnings: Vec<crate::diag::Text>,
}

impl Staging {
    /// Takes the output folder's lock (waiting up to [`lock::wait`] for another build),
    /// checks that `out` may be replaced (empty, absent, or bascule's; anything with
    /// `force`; never a read-only folder), removes what killed builds left, and opens a
    /// staging folder.
    pub fn begin(out: &Path, force: bool) -> Result<Staging, WriteError> {
        Staging::begin_waiting(out, force, lock::wait())
    }

    /// [`Staging::begin`], waiting at most `wait` for the lock.
    pub fn begin_waiting(
        out: &Path,
        force: bool,
        wait: std::time::Duration,
    ) -> Result<Staging, WriteError> {
        let real = resolve(out)?;
        let (parent, name) = parent_and_name(&real)?;
        std::fs::create_dir_all(&parent)
            .map_err(io_err(format!("cannot create {}", parent.display())))?;
        let held = lock::exclusive(&parent, &name, wait).map_err(|e| lock_error(out, e))?;
        let in_place = real.is_dir() && swap::is_mount_point(&real);
        if real.is_dir() {
            refuse_read_only(out, &real)?;
            if in_place {
                // A mount point's staging folders are inside it.
                leftovers::clean(&real, &name);
            }
            if !force {
                refuse_strays(out, &real)?;
            }
        }
        let home = if in_place { &real } else { &parent };
        leftovers::clean(home, &name);
        let dir = tempfile::Builder::new()
            .prefix(&leftovers::prefix(&name))
            .tempdir_in(home)
            .map_err(io_err(format!(
                "cannot create a folder in {}",
                home.display()
            )))?;
        let mark = File::create(dir.path().join(STAGING_MARK))
            .map_err(io_err("cannot mark the staging folder"))?;
        mark.lock()
            .map_err(io_err("cannot lock the staging folder"))?;
        Ok(Staging {
            out: real,
            dir: Some(dir),
            in_place,
            force,
            _mark: mark,
            _lock: held,
            manifest: Manifest::new(),
            count: 0,
        })
    }

    fn dir(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), |d| d.path())
    }

    /// The output folder this build replaces (links resolved).
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Copies `from`, put earlier, as `to`, on disk (nothing is held in memory); `false` when
    /// there is no `from`.
    pub fn copy(&mut self, from: &str, to: &str) -> Result<bool, WriteError> {
        let Some(digest) = self.manifest.digest_of(from).map(str::to_string) else {
            return Ok(false);
        };
        if !is_safe_relative(to) {
            return Err(WriteError::BadPath(to.into(), "outside the output folder"));
        }
        if self.manifest.lists(to) {
            return Err(WriteError::BadPath(
                to.into(),
                "written twice, or a reserved name",
            ));
        }
        let target = self.dir().join(to);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(io_err(format!("cannot create {to}")))?;
        }
        std::fs::copy(self.dir().join(from), &target)
            .map_err(io_err(format!("cannot write {to}")))?;
        self.manifest.add_digest(to, digest);
        self.count += 1;
        Ok(true)
    }

    /// A file put earlier, read back from the staging folder.
    pub fn get(&self, rel: &str) -> Option<Vec<u8>> {
        if !is_safe_relative(rel) || !self.manifest.lists(rel) {
            return None;
        }
        tree::read_regular(&self.dir().join(rel)).ok()
    }

    /// Writes one output file (`rel` relative to the output folder) into the staging folder.
    pub fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        use std::io::Write;
        self.create(rel)?
            .write_all(bytes)
            .map_err(io_err(format!("cannot write {rel}")))?;
        self.manifest.add(rel, bytes);
        self.count += 1;
        Ok(())
    }

    /// Records in the manifest that `rel`, put earlier, was made from inputs whose digest
    /// is `source` (see `Manifest::source_of`).
    pub fn made_from(&mut self, rel: &str, source: &str) {
        self.manifest.add_source(rel, source);
    }

    /// Records in the manifest a setting the build used (see `Manifest::set`).
    pub fn setting(&mut self, key: &str, value: &str) {
        self.manifest.set(key, value);
    }

    /// A new, empty output file `rel` in the staging folder, to be written by the caller and
    /// then recorded with [`Staging::written`].
    pub fn create(&mut self, rel: &str) -> Result<File, WriteError> {
        if !is_safe_relative(rel) {
            return Err(WriteError::BadPath(rel.into(), "outside the output folder"));
        }
        if self.manifest.lists(rel) {
            return Err(WriteError::BadPath(
                rel.into(),
                "written twice, or a reserved name",
            ));
        }
        let path = self.dir().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io_err(format!("cannot create {rel}")))?;
        }
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io_err(format!("cannot write {rel}")))
    }

    /// Records the file `create` gave for `rel`, once written: its digest is read back.
    pub fn written(&mut self, rel: &str, mut file: File) -> Result<(), WriteError> {
        use std::io::Seek;
        let digest = file
            .rewind()
            .and_then(|()| manifest::digest_reader(&mut file))
            .map_err(io_err(format!("cannot read back {rel}")))?;
        self.manifest.add_digest(rel, digest);
        self.count += 1;
        Ok(())
    }

    /// Writes the manifest and puts the staging folder in the output folder's place. The
    /// previous output is then checked against its manifest once more: what someone put
    /// there during the build is kept (see `retire`), never deleted.
    pub fn commit(mut self) -> Result<Written, WriteError> {
        let dir = self.dir().to_path_buf();
        std::fs::write(dir.join(manifest::NAME), self.manifest.to_bytes())
            .map_err(io_err("cannot write the manifest"))?;
        // The marker (and its lock) travels with the folder, so that no other build takes
        // it for a leftover until it is in place; then it goes.
        let staged = self.dir.take().map(tempfile::TempDir::keep);
        let staged = staged.unwrap_or(dir);
        let swapped = if self.in_place {
            swap::in_place(&self.out, &staged).map(Some)
        } else {
            swap::swap(&self.out, &staged)
        };
        let old = swapped.inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staged);
        })?;
        let _ = std::fs::remove_file(self.out.join(STAGING_MARK));
        let warnings = match old {
            Some(old) => retire::retire(&old, &self.out, self.force),
            None => Vec::new(),
        };
        Ok(Written {
            files: self.count,
            out: self.out.clone(),
            warnings,
        })
    }
}

fn lock_error(out: &Path, e: lock::LockError) -> WriteError {
    match e {
        lock::LockError::Busy { path, waited } => WriteError::Busy {
            out: out.to_path_buf(),
            lock: path,
            waited,
        },
        lock::LockError::Io(path, e) => {
            WriteError::Io(format!("cannot lock {}", path.display()), e)
        }
    }
}

/// The shared lock of output folder `out`, for reading it whole (`check --out`): waits up to
/// [`lock::wait`] for a build that is writing it.
pub fn lock_for_reading(out: &Path) -> Result<lock::Held, WriteError> {
    let real = resolve(out)?;
    let (parent, name) = parent_and_name(&real)?;
    lock::shared(&parent, &name, lock::wait()).map_err(|e| lock_error(out, e))
}

/// A folder without any write permission is its owner's statement: it is not replaced.
fn refuse_read_only(out: &Path, real: &Path) -> Result<(), WriteError> {
    let meta = std::fs::metadata(real).map_err(io_err(format!("cannot read {}", out.display())))?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly(out.to_path_buf()));
    }
    Ok(())
}

fn refuse_strays(out: &Path, real: &Path) -> Result<(), WriteError> {
    let (strays, more, has_manifest) = strays(real)?;
    if strays.is_empty() {
        return Ok(());
    }
    Err(WriteError::NotOurs {
        out: out.to_path_buf(),
        strays,
        more,
        has_manifest,
    })
}

fn parent_and_name(real: &Path) -> Result<(PathBuf, String), WriteError> {
    let name = real
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or(WriteError::NotAFolder(
            real.to_path_buf(),
            "choose a folder with a plain UTF-8 name",
        ))?;
    let parent = real.parent().ok_or(WriteError::NotAFolder(
        real.to_path_buf(),
        "the root folder cannot be an output",
    ))?;
    Ok((parent.to_path_buf(), name.to_string()))
}

/// Writes `files` into `out` through a staging folder (see [`Staging`]); the build streams
/// into a [`Staging`] itself, the tests write a whole set at once.
#[cfg(test)]
pub(crate) fn write_atomic(
    out: &Path,
    files: &Outputs,
    force: bool,
) -> Result<Written, WriteError> {
    let mut staging = Staging::begin(out, force)?;
    for (rel, bytes) in files {
        staging.put(rel, bytes)?;
    }
    staging.commit()
}

/// The manifest a build writes for `files`: `check --out` compares it like any output.
#[cfg(test)]
pub(crate) fn manifest_for(files: &Outputs) -> Vec<u8> {
    let mut m = Manifest::new();
    for (rel, bytes) in files {
        m.add(rel, bytes);
    }
    m.to_bytes()
}

mod leftovers;
pub mod lock;
mod retire;
mod swap;

#[cfg(test)]
mod tests;
