//! One writer at a time per output folder: a lock held exclusively by every build (`serve`'s
//! too) from before it looks at the folder until its old output is gone, and shared by
//! `check --out` while it reads the folder. So no build removes another's staging folder,
//! two builds never swap at once, and `check` never reads a folder in the middle of a swap.
//!
//! The lock is `flock(2)` (std's `File::lock`) on the folder that holds the output folder
//! (the output folder itself moves at each swap): nothing is written for it, and the system
//! releases it when the process ends, however it ends, so a killed build never leaves the
//! folder locked. Output folders that share a parent share its lock. Where a folder cannot
//! be locked (not Unix), a lock file beside the output folder, `.NAME.bascule-lock`, is.

#[cfg(not(unix))]
use std::fs::OpenOptions;
use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a build or a check waits for another one to finish with the folder, unless
/// `BASCULE_LOCK_WAIT` says otherwise.
pub const WAIT: Duration = Duration::from_secs(60);

/// The wait: `BASCULE_LOCK_WAIT` (whole seconds, `0` to fail at once) or [`WAIT`].
pub fn wait() -> Duration {
    std::env::var("BASCULE_LOCK_WAIT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(WAIT, Duration::from_secs)
}

/// How often the lock is tried again while waiting.
const POLL: Duration = Duration::from_millis(15);

/// The name of the lock file of output folder `name`, beside it, where folders cannot be
/// locked.
pub fn file_name(name: &str) -> String {
    format!(".{name}.bascule-lock")
}

/// What is locked for the output folder `name` in `parent`, and the path messages name.
#[cfg(unix)]
fn lock_target(parent: &Path, _name: &str, _create: bool) -> (PathBuf, io::Result<File>) {
    (parent.to_path_buf(), File::open(parent))
}

#[cfg(not(unix))]
fn lock_target(parent: &Path, name: &str, create: bool) -> (PathBuf, io::Result<File>) {
    let path = parent.join(file_name(name));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(&path)
        .or_else(|e| if create { Err(e) } else { File::open(&path) });
    (path, file)
}

/// A held lock; dropped, it is released.
#[derive(Debug)]
pub struct Held {
    _file: Option<File>,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process held it for all of `waited`.
    Busy {
        /// What was locked: the output folder's parent (Unix), or the lock file beside it.
        path: PathBuf,
        /// How long this process waited.
        waited: Duration,
    },
    /// The lock could not be opened or taken: its path, and the I/O error.
    Io(PathBuf, io::Error),
}

/// Takes the exclusive lock of the output folder `name` in `parent`, waiting up to `wait`.
pub fn exclusive(parent: &Path, name: &str, wait: Duration) -> Result<Held, LockError> {
    let (path, file) = lock_target(parent, name, true);
    let file = file.map_err(|e| LockError::Io(path.clone(), e))?;
    take(&path, file, wait, File::try_lock)
}

/// Takes the exclusive lock of the file `path` itself, waiting up to `wait`: `bascule send`
/// locks its inventory, so that two sends of one inventory never run at once (the journal
/// beside it is replaced at each write, and the output folder's lock is `check`'s).
pub fn exclusive_file(path: &Path, wait: Duration) -> Result<Held, LockError> {
    let file = File::open(path).map_err(|e| LockError::Io(path.to_path_buf(), e))?;
    take(path, file, wait, File::try_lock)
}

/// Takes the shared lock of the output folder `name` in `parent`, waiting up to `wait`. A
/// folder whose lock cannot be opened (a parent that does not exist, say) is read without
/// the lock: no build can be writing there.
pub fn shared(parent: &Path, name: &str, wait: Duration) -> Result<Held, LockError> {
    match lock_target(parent, name, false) {
        (path, Ok(file)) => take(&path, file, wait, File::try_lock_shared),
        (_, Err(_)) => Ok(Held { _file: None }),
    }
}

fn take(
    path: &Path,
    file: File,
    wait: Duration,
    try_lock: fn(&File) -> Result<(), TryLockError>,
) -> Result<Held, LockError> {
    let start = Instant::now();
    loop {
        match try_lock(&file) {
            Ok(()) => return Ok(Held { _file: Some(file) }),
            Err(TryLockError::WouldBlock) if start.elapsed() < wait => std::thread::sleep(POLL),
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Busy {
                    path: path.to_path_buf(),
                    waited: start.elapsed(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(LockError::Io(path.to_path_buf(), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_or_many_readers() {
        let dir = tempfile::tempdir().unwrap();
        let short = Duration::from_millis(40);
        let w = exclusive(dir.path(), "out", short).unwrap();
        let busy = exclusive(dir.path(), "out", short).unwrap_err();
        assert!(
            matches!(&busy, LockError::Busy { waited, .. } if *waited >= short),
            "{busy:?}"
        );
        #[cfg(unix)]
        assert_eq!(names(dir.path()), Vec::<String>::new(), "nothing written");
        assert!(matches!(
            shared(dir.path(), "out", short),
            Err(LockError::Busy { .. })
        ));
        drop(w);
        let r1 = shared(dir.path(), "out", short).unwrap();
        let _r2 = shared(dir.path(), "out", short).unwrap();
        assert!(exclusive(dir.path(), "out", short).is_err());
        drop(r1);
        drop(_r2);
        let inventory = dir.path().join("i.yaml");
        std::fs::write(&inventory, "x").unwrap();
        let held = exclusive_file(&inventory, short).unwrap();
        assert!(matches!(
            exclusive_file(&inventory, short),
            Err(LockError::Busy { .. })
        ));
        drop(held);
        assert!(exclusive_file(&inventory, short).is_ok());
        assert!(matches!(
            exclusive_file(&dir.path().join("none.yaml"), short),
            Err(LockError::Io(..))
        ));
        exclusive(dir.path(), "out", short).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_waiting_writer_gets_the_lock_when_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let w = exclusive(dir.path(), "out", WAIT).unwrap();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || exclusive(&path, "out", WAIT).is_ok());
        std::thread::sleep(Duration::from_millis(60));
        drop(w);
        assert!(waiter.join().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_in_a_folder_it_cannot_write_reads_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/folder");
        assert!(shared(&missing, "out", Duration::ZERO).is_ok());
        assert!(matches!(
            exclusive(&missing, "out", Duration::ZERO),
            Err(LockError::Io(..))
        ));
    }
}
