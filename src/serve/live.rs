//! What the open pages are told: which build they should show (a tag that changes with
//! every build, good or bad) and the error of the last build, if it failed. The loop
//! publishes, the event streams wait for a change.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The state shared by the build loop and the HTTP server.
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
    /// Tells this server's builds from an earlier server's, whose pages must reload too.
    run: u128,
}

struct State {
    build: u64,
    overlay: Option<String>,
    stopping: bool,
}

/// One build as a page sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Changes with every build: a page showing another tag is stale.
    pub tag: String,
    /// The last build's errors (plain text), when it failed.
    pub overlay: Option<String>,
}

/// What a wait ended on.
#[derive(Debug, PartialEq, Eq)]
pub enum Wait {
    Changed(Snapshot),
    TimedOut,
    Stopping,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

impl Live {
    pub fn new() -> Live {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Live {
            state: Mutex::new(State {
                build: 0,
                overlay: None,
                stopping: false,
            }),
            changed: Condvar::new(),
            run,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot_of(&self, s: &State) -> Snapshot {
        Snapshot {
            tag: format!("{}-{}", self.run, s.build),
            overlay: s.overlay.clone(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_of(&self.lock())
    }

    /// A build ended: with `overlay` (its errors) when it failed, `None` when it succeeded.
    pub fn publish(&self, overlay: Option<String>) {
        let mut s = self.lock();
        s.build += 1;
        s.overlay = overlay;
        self.changed.notify_all();
    }

    /// The server is stopping: every wait ends.
    pub fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    pub fn is_stopping(&self) -> bool {
        self.lock().stopping
    }

    /// Waits at most `timeout` for a build whose tag is not `seen`.
    pub fn wait(&self, seen: &str, timeout: Duration) -> Wait {
        let s = self.lock();
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| {
                !s.stopping && self.snapshot_of(s).tag == seen
            })
            .unwrap_or_else(PoisonError::into_inner);
        if s.stopping {
            return Wait::Stopping;
        }
        let now = self.snapshot_of(&s);
        if now.tag == seen {
            Wait::TimedOut
        } else {
            Wait::Changed(now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_build_wakes_the_waiters() {
        let live = Arc::new(Live::new());
        let first = live.snapshot();
        let other = Arc::clone(&live);
        let waiter = std::thread::spawn(move || other.wait(&first.tag, Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(50));
        live.publish(Some("inv.yaml:3:5: error".into()));
        match waiter.join().unwrap() {
            Wait::Changed(s) => assert_eq!(s.overlay.as_deref(), Some("inv.yaml:3:5: error")),
            other => panic!("{other:?}"),
        }
        let tag = live.snapshot().tag;
        assert_eq!(live.wait(&tag, Duration::from_millis(10)), Wait::TimedOut);
        live.stop();
        assert_eq!(live.wait(&tag, Duration::from_secs(10)), Wait::Stopping);
    }
}
