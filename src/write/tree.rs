//! Walking and reading an output folder without trusting it: links are never followed,
//! pipes and devices never opened, files are size-capped, the walk is bounded.

use super::Outputs;
use std::io::{self, Read};
use std::path::Path;

/// No output bascule writes comes near this; a larger file is reported, not read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The walk stops after this many entries (an output folder holds a few hundred).
pub const MAX_ENTRIES: usize = 100_000;

/// What an entry of the folder is, as seen without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder (not a link to one).
    Dir,
    /// A regular file.
    File,
    /// A symbolic link, never followed.
    Link,
    /// A pipe, socket or device.
    Special,
    /// Its name is not UTF-8 (the relative path shown is a lossy rendering): never read.
    BadName,
}

/// Why an entry was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// It is a symbolic link (or became one since the walk).
    Link,
    /// It is a pipe, socket or device.
    Special,
    /// It is larger than [`MAX_FILE_BYTES`]: its size, in bytes.
    TooLarge(u64),
    /// Its name is not UTF-8.
    NotUtf8Name,
    /// It could not be opened or read: the system's error, as text.
    Unreadable(String),
    /// The walk stopped at [`MAX_ENTRIES`] here.
    TooMany,
}

impl Skip {
    /// Plain words for a diagnostic.
    pub fn describe(&self) -> crate::diag::Text {
        use crate::msg;
        match self {
            Skip::Link => msg!("skip.link"),
            Skip::Special => msg!("skip.special"),
            Skip::TooLarge(n) => msg!("skip.too_large", n = n, max = MAX_FILE_BYTES),
            Skip::NotUtf8Name => msg!("skip.not_utf8"),
            Skip::Unreadable(e) => msg!("skip.unreadable", reason = e),
            Skip::TooMany => msg!("skip.too_many", max = MAX_ENTRIES),
        }
    }
}

/// A folder read back: its regular files, and every entry that was not read.
#[derive(Debug, Default)]
pub struct Tree {
    /// Each regular file's bytes, by its `/`-separated path relative to the folder.
    pub files: Outputs,
    /// Each entry not read, by relative path, and why (`""` with [`Skip::TooMany`]).
    pub skipped: Vec<(String, Skip)>,
}

/// What a visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on, into this entry when it is a folder.
    Next,
    /// Do not enter this folder.
    Prune,
    /// End the walk here.
    Stop,
}

/// Visits every entry under `dir` (not `dir` itself), parents before children, siblings
/// sorted by name (walkdir, links not followed); `visit` gets the `/`-separated relative path, the full path and the kind.
/// Returns `false` when the walk stopped before the end: asked to, or after [`MAX_ENTRIES`]
/// entries.
pub fn walk(dir: &Path, visit: &mut dyn FnMut(&str, &Path, Kind) -> Flow) -> io::Result<bool> {
    let mut entries = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    let mut seen = 0usize;
    while let Some(e) = entries.next() {
        let e = e.map_err(io::Error::from)?;
        seen += 1;
        if seen > MAX_ENTRIES {
            return Ok(false);
        }
        let rel: Vec<String> = (e.path().strip_prefix(dir).unwrap_or(e.path()).components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let kind = match e.file_name().to_str() {
            Some(_) => kind_of(e.file_type()),
            None => Kind::BadName,
        };
        let flow = visit(&rel.join("/"), e.path(), kind);
        if flow == Flow::Stop {
            return Ok(false);
        }
        // A folder is entered when the visitor wants it and its name is UTF-8. (After a
        // file, `skip_current_dir` would skip its siblings: only ever after a folder.)
        let enter = flow == Flow::Next && kind == Kind::Dir;
        if e.file_type().is_dir() && !enter {
            entries.skip_current_dir();
        }
    }
    Ok(true)
}

fn kind_of(t: std::fs::FileType) -> Kind {
    if t.is_symlink() {
        Kind::Link
    } else if t.is_dir() {
        Kind::Dir
    } else if t.is_file() {
        Kind::File
    } else {
        Kind::Special
    }
}

/// Reads every regular file under `dir` as relative path → bytes (for `check --out`).
pub fn read_tree(dir: &Path) -> io::Result<Tree> {
    let mut tree = Tree::default();
    let complete = walk(dir, &mut |rel, path, kind| {
        let skip = match kind {
            Kind::Dir => return Flow::Next,
            Kind::Link => Skip::Link,
            Kind::Special => Skip::Special,
            Kind::BadName => Skip::NotUtf8Name,
            Kind::File => match read_regular(path) {
                Ok(bytes) => {
                    tree.files.insert(rel.to_string(), bytes);
                    return Flow::Next;
                }
                Err(skip) => skip,
            },
        };
        tree.skipped.push((rel.to_string(), skip));
        Flow::Next
    })?;
    if !complete {
        tree.skipped.push((String::new(), Skip::TooMany));
    }
    Ok(tree)
}

/// A folder listed, not read: its regular files' names, and every entry that will not be read.
#[derive(Debug, Default)]
pub struct Listing {
    /// Each regular file's `/`-separated path relative to the folder, sorted.
    pub files: std::collections::BTreeSet<String>,
    /// Each entry that will not be read, by relative path, and why (`""` with
    /// [`Skip::TooMany`]).
    pub skipped: Vec<(String, Skip)>,
}

/// Lists `dir` as [`read_tree`] would read it: what `check --out` compares one file at a time.
pub fn list_tree(dir: &Path) -> io::Result<Listing> {
    let (mut files, mut skipped) = (std::collections::BTreeSet::new(), Vec::new());
    let complete = walk(dir, &mut |rel, _, kind| {
        let skip = match kind {
            Kind::Dir => return Flow::Next,
            Kind::File => {
                files.insert(rel.to_string());
                return Flow::Next;
            }
            Kind::Link => Skip::Link,
            Kind::Special => Skip::Special,
            Kind::BadName => Skip::NotUtf8Name,
        };
        skipped.push((rel.to_string(), skip));
        Flow::Next
    })?;
    if !complete {
        skipped.push((String::new(), Skip::TooMany));
    }
    Ok(Listing { files, skipped })
}

/// Opens `path` only if it is a regular file, without following a link or blocking on a
/// pipe swapped in since the walk saw it, and reads at most [`MAX_FILE_BYTES`].
pub fn read_regular(path: &Path) -> Result<Vec<u8>, Skip> {
    let file = open_no_follow(path).map_err(|e| match e.raw_os_error() {
        Some(code) if is_loop(code) => Skip::Link,
        _ => Skip::Unreadable(e.to_string()),
    })?;
    let meta = file
        .metadata()
        .map_err(|e| Skip::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(Skip::Special);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Skip::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty())?;
    Ok(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other("a symbolic link"));
    }
    std::fs::File::open(path)
}

/// `ELOOP`: what `O_NOFOLLOW` answers for a link.
fn is_loop(code: i32) -> bool {
    #[cfg(unix)]
    {
        code == rustix::io::Errno::LOOP.raw_os_error()
    }
    #[cfg(not(unix))]
    {
        let _ = code;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("b/c/d.txt"), "d").unwrap();
        let t = read_tree(dir.path()).unwrap();
        let names: Vec<&str> = t.files.keys().map(String::as_str).collect();
        assert_eq!(names, ["a.txt", "b/c/d.txt"]);
        assert_eq!(t.files["b/c/d.txt"], b"d");
        assert!(t.skipped.is_empty());
    }

    /// Parents before children, siblings by name; a pruned folder is not entered but its
    /// siblings are visited; a file's `Prune` skips nothing; a folder whose name is not
    /// UTF-8 is reported and never entered; `Stop` ends the walk.
    #[cfg(unix)]
    #[test]
    fn the_walk_prunes_stops_and_never_enters_a_bad_name() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for d in ["a/in", "b", "c"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        for f in ["a/in/x", "a/y", "b/z", "c/w", "b0"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let bad = dir.path().join(std::ffi::OsStr::from_bytes(b"d\xff"));
        std::fs::create_dir(&bad).unwrap();
        std::fs::write(bad.join("hidden"), "").unwrap();
        let mut seen = Vec::new();
        let whole = walk(dir.path(), &mut |rel, _, kind| {
            seen.push(format!("{rel}:{kind:?}"));
            match rel {
                "a/in" | "b0" => Flow::Prune,
                _ => Flow::Next,
            }
        })
        .unwrap();
        assert!(whole);
        assert_eq!(
            seen,
            [
                "a:Dir",
                "a/in:Dir",
                "a/y:File",
                "b:Dir",
                "b/z:File",
                "b0:File",
                "c:Dir",
                "c/w:File",
                "d\u{FFFD}:BadName"
            ]
        );
        let mut n = 0;
        let stopped = walk(dir.path(), &mut |_, _, _| {
            n += 1;
            if n == 3 { Flow::Stop } else { Flow::Next }
        })
        .unwrap();
        assert!(!stopped);
        assert_eq!(n, 3);
    }

    #[cfg(unix)]
    #[test]
    fn links_and_pipes_are_reported_never_followed_or_opened() {
        let dir = tempfile::tempdir().unwrap();
        let secret = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(secret.path(), "secret").unwrap();
        std::os::unix::fs::symlink(secret.path(), dir.path().join("link.txt")).unwrap();
        std::os::unix::fs::symlink("/", dir.path().join("root")).unwrap();
        let fifo = dir.path().join("pipe");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::RUSR).unwrap();
        let t = read_tree(dir.path()).unwrap();
        assert!(t.files.is_empty(), "{:?}", t.files.keys());
        let skipped: Vec<(&str, &Skip)> = t.skipped.iter().map(|(p, s)| (p.as_str(), s)).collect();
        assert_eq!(
            skipped,
            [
                ("link.txt", &Skip::Link),
                ("pipe", &Skip::Special),
                ("root", &Skip::Link)
            ]
        );
        // Opening the link or the pipe directly is refused too (a swap after the walk).
        assert_eq!(read_regular(&dir.path().join("link.txt")), Err(Skip::Link));
        assert_eq!(read_regular(&fifo), Err(Skip::Special));
    }

    #[test]
    fn large_files_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = std::fs::File::create(dir.path().join("big")).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let t = read_tree(dir.path()).unwrap();
        assert_eq!(
            t.skipped,
            [("big".to_string(), Skip::TooLarge(MAX_FILE_BYTES + 1))]
        );
        assert!(Skip::TooLarge(1).describe().en().contains("larger"));
    }
}
