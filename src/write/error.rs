//! Why the write stage stopped: each cause with its code, its words in the writer's
//! language and how to get past it.

use crate::diag::Code;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why the write stage stopped: one variant per cause, one diagnostic code each.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder holds entries bascule did not write.
    NotOurs {
        /// The output folder, as given.
        out: PathBuf,
        /// The entries found, relative to it (a folder once, ending with `/`), at most 8.
        strays: Vec<String>,
        /// There are more than those shown.
        more: bool,
        /// The folder has a manifest of bascule's (a build's output, with additions).
        has_manifest: bool,
    },
    /// The output path exists and is not a folder (or a link to one).
    NotAFolder(PathBuf, &'static str),
    /// The output folder is read-only (no write permission at all): it is not replaced by
    /// a writable one behind its owner's back.
    ReadOnly(PathBuf),
    /// Another build held the output folder's lock for all the time this one waited.
    Busy {
        /// The output folder, as given.
        out: PathBuf,
        /// What was locked: the folder's parent (Unix), or the lock file beside it.
        lock: PathBuf,
        /// How long this build waited for the lock.
        waited: std::time::Duration,
    },
    /// An output would land outside the output folder, or be written twice.
    BadPath(String, &'static str),
    /// An I/O fault: what was being done (e.g. `cannot write tickets/a.txt`), and the error.
    Io(String, io::Error),
}

/// In English, from the same words as [`WriteError::text`] (logs, tests, `Error`).
impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl WriteError {
    /// What happened, in the writer's language. The reason of a path refused and the
    /// system's I/O error are values, shown as they are.
    pub fn text(&self) -> crate::diag::Text {
        use crate::msg;
        match self {
            WriteError::NotOurs {
                out,
                strays,
                more,
                has_manifest,
            } => msg!(
                "write.not_ours",
                out = out.display(),
                ours = if *has_manifest { "yes" } else { "" },
                strays = strays.join(", "),
                more = if *more { "yes" } else { "" }
            ),
            WriteError::NotAFolder(p, why) => {
                msg!("write.not_a_folder", path = p.display(), why = why)
            }
            WriteError::ReadOnly(p) => msg!("write.read_only", path = p.display()),
            WriteError::Busy { out, lock, waited } => msg!(
                "write.busy",
                out = out.display(),
                lock = lock.display(),
                secs = waited.as_secs()
            ),
            WriteError::BadPath(rel, why) => msg!("write.bad_path", path = rel, why = why),
            WriteError::Io(what, e) => msg!("write.io", what = what, reason = e),
        }
    }

    /// The diagnostic code of this cause: one code per cause, whichever file met it.
    pub fn code(&self) -> Code {
        match self {
            WriteError::NotOurs { .. } => Code::E0701,
            WriteError::ReadOnly(_) => Code::E0706,
            WriteError::Busy { .. } => Code::E0707,
            WriteError::Io(_, e) => crate::diag::io_code(e),
            WriteError::NotAFolder(..) | WriteError::BadPath(..) => Code::E0702,
        }
    }

    /// How to get past the error.
    pub fn help(&self) -> crate::diag::Text {
        use crate::msg;
        match self {
            WriteError::NotOurs { .. } => msg!("write.not_ours.help"),
            WriteError::NotAFolder(..) => msg!("write.not_a_folder.help"),
            WriteError::ReadOnly(_) => msg!("write.read_only.help"),
            WriteError::Busy { .. } => msg!("write.busy.help"),
            WriteError::BadPath(..) => msg!("write.bad_path.help"),
            WriteError::Io(_, e) => crate::diag::io_help(e),
        }
    }
}
