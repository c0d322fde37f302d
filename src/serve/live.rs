//! What the open pages are told: which build they should show (a tag that changes with
//! every build, good or bad) and the error of the last build, if it failed. The loop
//! publishes (from its own thread), the event streams and the accept loop wait for a change
//! (as tasks of the server's runtime), through one tokio `watch` channel.

use super::panel::Panel;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The state shared by the build loop and the HTTP server.
pub(crate) struct Live {
    tx: watch::Sender<State>,
    /// Tells this server's builds from an earlier server's, whose pages must reload too.
    run: u128,
    /// The words of the pages and panel the server adds, in the run's language.
    panel: Arc<Panel>,
}

#[derive(Debug, Clone)]
struct State {
    build: u64,
    overlay: Option<String>,
    stopping: bool,
}

/// One build as a page sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// Changes with every build: a page showing another tag is stale.
    pub tag: String,
    /// The last build's errors (plain text), when it failed.
    pub overlay: Option<String>,
    /// The words of the pages and panel the server adds.
    pub panel: Arc<Panel>,
}

/// What a wait ended on.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    Changed(Snapshot),
    TimedOut,
    Stopping,
}

/// One listener's view of [`Live`]: waits without holding a thread.
pub(crate) struct Subscription {
    rx: watch::Receiver<State>,
    run: u128,
    panel: Arc<Panel>,
}

impl Default for Live {
    fn default() -> Self {
        Live::new(Panel::new(crate::diag::english()))
    }
}

fn snapshot_of(run: u128, s: &State, panel: &Arc<Panel>) -> Snapshot {
    Snapshot {
        tag: format!("{run}-{}", s.build),
        overlay: s.overlay.clone(),
        panel: Arc::clone(panel),
    }
}

impl Live {
    /// No build yet; `panel`, the words of what the server adds to the pages.
    pub(crate) fn new(panel: Panel) -> Live {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let state = State {
            build: 0,
            overlay: None,
            stopping: false,
        };
        Live {
            tx: watch::Sender::new(state),
            run,
            panel: Arc::new(panel),
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        snapshot_of(self.run, &self.tx.borrow(), &self.panel)
    }

    /// A build ended: with `overlay` (its errors) when it failed, `None` when it succeeded.
    pub(crate) fn publish(&self, overlay: Option<String>) {
        self.tx.send_modify(|s| {
            s.build += 1;
            s.overlay = overlay;
        });
    }

    /// The server is stopping: every wait ends.
    pub(crate) fn stop(&self) {
        self.tx.send_modify(|s| s.stopping = true);
    }

    pub(crate) fn subscribe(&self) -> Subscription {
        Subscription {
            rx: self.tx.subscribe(),
            run: self.run,
            panel: Arc::clone(&self.panel),
        }
    }
}

impl Subscription {
    /// Waits at most `timeout` for a build whose tag is not `seen`.
    pub(crate) async fn wait(&mut self, seen: &str, timeout: Duration) -> Wait {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            {
                let s = self.rx.borrow_and_update();
                if s.stopping {
                    return Wait::Stopping;
                }
                let now = snapshot_of(self.run, &s, &self.panel);
                if now.tag != seen {
                    return Wait::Changed(now);
                }
            }
            match tokio::time::timeout_at(deadline, self.rx.changed()).await {
                Err(_) => return Wait::TimedOut,
                Ok(Err(_)) => return Wait::Stopping, // the Live is gone
                Ok(Ok(())) => {}
            }
        }
    }

    /// Returns once the server is stopping.
    pub(crate) async fn stopped(&mut self) {
        let _ = self.rx.wait_for(|s| s.stopping).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn a_build_wakes_the_waiters() {
        let live = Arc::new(Live::default());
        let first = live.snapshot();
        let mut sub = live.subscribe();
        let other = Arc::clone(&live);
        let publisher = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            other.publish(Some("inv.yaml:3:5: error".into()));
        });
        let rt = runtime();
        match rt.block_on(sub.wait(&first.tag, Duration::from_secs(10))) {
            Wait::Changed(s) => assert_eq!(s.overlay.as_deref(), Some("inv.yaml:3:5: error")),
            other => panic!("{other:?}"),
        }
        publisher.join().unwrap();
        let tag = live.snapshot().tag;
        assert_ne!(tag, first.tag);
        let timed = rt.block_on(sub.wait(&tag, Duration::from_millis(10)));
        assert_eq!(timed, Wait::TimedOut);
        live.stop();
        let stopped = rt.block_on(sub.wait(&tag, Duration::from_secs(10)));
        assert_eq!(stopped, Wait::Stopping);
        rt.block_on(sub.stopped());
    }
}
