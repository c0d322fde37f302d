//! The progress line of a long `build`: on a terminal only (never in a CI log, a pipe or a
//! file), and only once a build has run for a moment, so that a quick one prints nothing
//! but its summary. indicatif draws it; the pipeline only says how far it has gone. Tested
//! through a real terminal (`script`) in `tests/it/scale.rs`.

use bascule::pipeline::{Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a build runs before its progress shows.
const QUIET_FOR: Duration = Duration::from_millis(300);

/// Whether a progress line may be drawn: stderr is a terminal that can move its cursor,
/// and no CI system says it is reading the log.
pub(crate) fn wanted(stderr_is_terminal: bool, ci: Option<&str>, term: Option<&str>) -> bool {
    stderr_is_terminal && ci.is_none_or(str::is_empty) && term != Some("dumb")
}

/// The line, cleared when this is dropped (before the build's summary is printed).
pub(crate) struct Line(ProgressBar);

impl Drop for Line {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// A progress line for this terminal, or nothing when [`wanted`] says no.
pub(crate) fn line() -> Option<(Progress, Line)> {
    let env = |k| std::env::var(k).ok();
    if !wanted(
        std::io::stderr().is_terminal(),
        env("CI").as_deref(),
        env("TERM").as_deref(),
    ) {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len}")
        .ok()?
        .progress_chars("=> ");
    bar.set_style(style);
    let started = Instant::now();
    let shown = bar.clone();
    let tell = move |s: Step| {
        if shown.is_hidden() && started.elapsed() >= QUIET_FOR {
            shown.set_draw_target(ProgressDrawTarget::stderr());
        }
        // Each call may draw: a new stage starts at 0, never at the last stage's count.
        shown.set_position(0);
        shown.set_length(s.total as u64);
        shown.set_message(s.stage);
        shown.set_position(s.done as u64);
    };
    Some((Progress(Arc::new(tell)), Line(bar)))
}
