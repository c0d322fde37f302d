//! What killed builds leave beside an output folder, and how the next build removes it.
//!
//! A staging folder is named `.NAME.bascule-` and a random suffix (so that nobody can
//! predict it and plant a link there). While a build fills it, it holds a locked marker
//! file; after a swap, the previous output sits under the staging name with its manifest.
//! A leftover is removed only when it is certainly ours and nobody uses it: its marker can
//! be locked (the build that made it is gone), or it has no marker and its manifest lists
//! every file in it.

use super::manifest::STAGING_MARK;
use super::strays;
use std::fs::{File, TryLockError};
use std::path::Path;

/// The name every staging folder of output folder `name` starts with.
pub(super) fn prefix(name: &str) -> String {
    format!(".{name}.bascule-")
}

/// Removes the leftovers of earlier builds of `name` in `parent`. Best effort: what cannot
/// be read or removed stays.
pub(super) fn clean(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = prefix(name);
    for e in entries.flatten() {
        let is_ours = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix))
            && e.file_type().is_ok_and(|t| t.is_dir());
        if is_ours && abandoned(&e.path()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn abandoned(dir: &Path) -> bool {
    match File::open(dir.join(STAGING_MARK)) {
        // A build that is still running holds the lock.
        Ok(mark) => match mark.try_lock() {
            Ok(()) => true,
            Err(TryLockError::WouldBlock) | Err(TryLockError::Error(_)) => false,
        },
        Err(_) => {
            strays(dir).is_ok_and(|(s, more, has_manifest)| s.is_empty() && !more && has_manifest)
        }
    }
}
