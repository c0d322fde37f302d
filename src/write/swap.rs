//! Putting a filled staging folder in the output folder's place.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` trades the two folders in one step: there is no
//! moment when the output folder is missing. Elsewhere (or on a file system that does not
//! support it) the old output is renamed aside first, then the staging folder takes its name,
//! and the old output is put back if that fails.

use super::WriteError;
use std::io;
use std::path::{Path, PathBuf};

/// Puts `staged` at `out`. Returns where the previous output now is (to be removed), if
/// there was one.
pub fn swap(out: &Path, staged: &Path) -> Result<Option<PathBuf>, WriteError> {
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
}
