//! Putting a filled staging folder in the output folder's place.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` trades the two folders in one step: there is no
//! moment when the output folder is missing. Elsewhere (or on a file system that does not
//! support it) the old output is renamed aside first, then the staging folder takes its name,
//! and the old output is put back if that fails.
//!
//! An output folder that is a mount point (a container's volume) cannot move at all: its
//! staging folder is made inside it, and [`in_place`] moves the entries instead, under the
//! output lock, so that `check` (which takes the lock too) never reads a half-moved folder.

use super::WriteError;
use std::io;
use std::path::{Path, PathBuf};

/// Puts `staged` at `out`. Returns where the previous output now is (to be removed), if
/// there was one.
pub(super) fn swap(out: &Path, staged: &Path) -> Result<Option<PathBuf>, WriteError> {
    let exists = std::fs::symlink_metadata(out).is_ok();
    if !exists {
        std::fs::rename(staged, out).map_err(|e| {
            WriteError::Io(
                format!("cannot move the new output to {}", out.display()),
                e,
            )
        })?;
        return Ok(None);
    }
    if exchange(staged, out)? {
        return Ok(Some(staged.to_path_buf()));
    }
    let mut aside = staged.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    std::fs::rename(out, &aside).map_err(|e| {
        WriteError::Io(
            format!("cannot move the previous output {} aside", out.display()),
            e,
        )
    })?;
    if let Err(e) = std::fs::rename(staged, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(WriteError::Io(
            format!("cannot move the new output to {}", out.display()),
            e,
        ));
    }
    Ok(Some(aside))
}

/// Puts the entries of `staged`, a folder inside `out`, in place of those of `out`: every
/// entry of `out` moves into a folder beside `staged` (returned: the previous output, to be
/// removed), then every entry of `staged` moves up, the manifest last. A build killed
/// between these renames leaves a mixed folder whose entries are all bascule's: the next
/// build replaces it. On a failure, what moved is moved back.
pub(super) fn in_place(out: &Path, staged: &Path) -> Result<PathBuf, WriteError> {
    let io = |what: String| move |e| WriteError::Io(what, e);
    let mut aside = staged.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    std::fs::create_dir(&aside).map_err(io(format!("cannot create {}", aside.display())))?;
    let skip = [staged.file_name(), aside.file_name()];
    let olds = entries(out, &skip).map_err(io(format!("cannot read {}", out.display())))?;
    let news = entries(staged, &[Some(super::manifest::STAGING_MARK.as_ref())])
        .map_err(io(format!("cannot read {}", staged.display())))?;
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let plan = olds
        .iter()
        .map(|n| (out.join(n), aside.join(n)))
        .chain(news.iter().map(|n| (staged.join(n), out.join(n))));
    for (from, to) in plan {
        if let Err(e) = std::fs::rename(&from, &to) {
            for (f, t) in moved.iter().rev() {
                let _ = std::fs::rename(t, f);
            }
            let _ = std::fs::remove_dir(&aside);
            return Err(WriteError::Io(
                format!("cannot move {} to {}", from.display(), to.display()),
                e,
            ));
        }
        moved.push((from, to));
    }
    let _ = std::fs::remove_dir_all(staged);
    Ok(aside)
}

/// The names in `dir`, but those of `skip`, sorted with the manifest last.
fn entries(dir: &Path, skip: &[Option<&std::ffi::OsStr>]) -> io::Result<Vec<std::ffi::OsString>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.retain(|n| !skip.contains(&Some(n.as_os_str())));
    names.sort_by_key(|n| (n == super::manifest::NAME, n.clone()));
    Ok(names)
}

/// Whether `dir` is a mount point: on another device than its parent, or listed as one in
/// `/proc/self/mountinfo` (a bind mount of the same device).
pub(super) fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if let (Some(a), Some(b)) = (dev(dir), dir.parent().and_then(dev))
            && a != b
        {
            return true;
        }
    }
    std::fs::read_to_string("/proc/self/mountinfo").is_ok_and(|info| {
        info.lines()
            .any(|l| mount_point_of(l) == Some(dir.to_path_buf()))
    })
}

/// The mount point of one line of `/proc/self/mountinfo` (its fifth field, with the
/// kernel's octal escapes of spaces, tabs, newlines and backslashes undone).
fn mount_point_of(line: &str) -> Option<PathBuf> {
    let field = line.split(' ').nth(4)?;
    let mut bytes = Vec::with_capacity(field.len());
    let raw = field.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let octal = raw
            .get(i + 1..i + 4)
            .filter(|o| raw[i] == b'\\' && o.iter().all(|d| (b'0'..=b'7').contains(d)));
        match octal {
            Some(o) => {
                bytes.push(o.iter().fold(0u8, |n, d| n.wrapping_mul(8) + (d - b'0')));
                i += 4;
            }
            None => {
                bytes.push(raw[i]);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// Trades `a` and `b` atomically; `Ok(false)` when the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool, WriteError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(WriteError::Io(
            format!("cannot put the new output in place of {}", b.display()),
            io::Error::from(e),
        )),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool, WriteError> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_into_nothing_then_over_an_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let a = dir.path().join("a");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("f"), "1").unwrap();
        assert_eq!(swap(&out, &a).unwrap(), None);
        assert_eq!(std::fs::read(out.join("f")).unwrap(), b"1");
        let b = dir.path().join("b");
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("f"), "2").unwrap();
        let old = swap(&out, &b).unwrap().unwrap();
        assert_eq!(std::fs::read(out.join("f")).unwrap(), b"2");
        assert_eq!(
            std::fs::read(old.join("f")).unwrap(),
            b"1",
            "old output kept aside"
        );
    }

    /// On Linux the two folders trade places in one step: `out` never goes missing.
    #[cfg(target_os = "linux")]
    #[test]
    fn linux_exchanges_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new"), "").unwrap();
        assert!(exchange(&a, &b).unwrap());
        assert!(b.join("new").is_file() && !a.join("new").exists());
        assert!(exchange(&a, &dir.path().join("missing")).is_err());
    }

    #[test]
    fn in_place_moves_the_entries_and_keeps_the_old_ones_aside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let staged = out.join(".out.bascule-x1");
        std::fs::create_dir_all(staged.join("site")).unwrap();
        std::fs::create_dir_all(out.join("site")).unwrap();
        std::fs::write(out.join("site/index.html"), "old").unwrap();
        std::fs::write(out.join(".bascule-manifest.json"), "old").unwrap();
        std::fs::write(staged.join("site/index.html"), "new").unwrap();
        std::fs::write(staged.join(".bascule-manifest.json"), "new").unwrap();
        std::fs::write(staged.join(".bascule-staging"), "").unwrap();
        let old = in_place(&out, &staged).unwrap();
        assert_eq!(old, out.join(".out.bascule-x1-old"));
        assert_eq!(std::fs::read(out.join("site/index.html")).unwrap(), b"new");
        assert_eq!(std::fs::read(old.join("site/index.html")).unwrap(), b"old");
        assert_eq!(
            std::fs::read(old.join(".bascule-manifest.json")).unwrap(),
            b"old"
        );
        assert!(!staged.exists() && !out.join(".bascule-staging").exists());
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".bascule-manifest.json", ".out.bascule-x1-old", "site"]
        );
    }

    #[test]
    fn the_manifest_moves_last() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["a", ".bascule-manifest.json", "z", ".bascule-staging"] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let names = entries(dir.path(), &[Some(".bascule-staging".as_ref())]).unwrap();
        assert_eq!(names, ["a", "z", ".bascule-manifest.json"]);
    }

    #[test]
    fn mount_points_are_read_from_mountinfo_with_escapes() {
        let line = "36 35 98:0 / /mnt/my\\040volume rw,noatime master:1 - ext4 /dev/root rw";
        assert_eq!(mount_point_of(line), Some(PathBuf::from("/mnt/my volume")));
        assert_eq!(mount_point_of("short line"), None);
        assert!(is_mount_point(Path::new("/proc")));
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_mount_point(dir.path()));
    }
}
