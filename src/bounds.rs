//! Bounds on a template's render, time and memory: a Tera template or a Typst template can
//! loop without end or double a text until memory runs out, and neither engine can be
//! interrupted. So each render is *armed* ([`guard`]) while it runs, and a watchdog thread
//! checks the armed renders every 50 ms: one that has run longer than the budget, or the
//! process grown past its memory budget while one runs, ends the process with the
//! diagnostic `E0409` naming the template (exit 1). The output folder is untouched: the
//! build's staging folder is a leftover the next build removes.
//!
//! Off until [`enable`]: the command line turns it on, the library's own tests (many builds
//! in one process) do not.

use crate::diag::{Code, Diagnostic, Pos};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long one render may take, and how large the process may grow while one runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Wall-clock time one render may run.
    pub time: Duration,
    /// Resident memory of the whole process, in MiB.
    pub memory_mib: u64,
}

/// The default budget: five minutes (the largest inventory within the limits builds in
/// about 27 s on a 2-core machine, its PDF in parts, in under 400 MB) and 4 GiB.
pub const DEFAULT: Budget = Budget {
    time: Duration::from_secs(300),
    memory_mib: 4096,
};

/// `DEFAULT`, with `BASCULE_RENDER_SECONDS` and `BASCULE_RENDER_MEMORY_MIB` when set.
pub fn from_env() -> Result<Budget, String> {
    budget_from(|name| std::env::var(name).ok())
}

/// `DEFAULT`, with the variables `var` gives.
fn budget_from(var: impl Fn(&str) -> Option<String>) -> Result<Budget, String> {
    let read = |name: &str, default: u64| match var(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{name}={v:?} is not a positive whole number")),
        },
    };
    Ok(Budget {
        time: Duration::from_secs(read("BASCULE_RENDER_SECONDS", DEFAULT.time.as_secs())?),
        memory_mib: read("BASCULE_RENDER_MEMORY_MIB", DEFAULT.memory_mib)?,
    })
}

struct Watchdog {
    budget: Budget,
    /// The language of the fault it prints.
    lang: crate::diag::Lang,
    armed: Mutex<BTreeMap<u64, (String, Instant)>>,
    next: AtomicU64,
}

static WATCHDOG: OnceLock<Watchdog> = OnceLock::new();

/// Turns the bounds on for this process (once; a second call keeps the first budget).
pub fn enable(budget: Budget, lang: crate::diag::Lang) {
    if WATCHDOG
        .set(Watchdog {
            budget,
            lang,
            armed: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
        })
        .is_ok()
    {
        let _ = std::thread::Builder::new()
            .name("bascule-watchdog".into())
            .spawn(watch);
    }
}

/// A render in progress; disarmed when dropped.
pub struct Guard(Option<u64>);

/// Arms the watchdog for the render of `template` (its name as diagnostics give it).
pub fn guard(template: &str) -> Guard {
    let Some(dog) = WATCHDOG.get() else {
        return Guard(None);
    };
    let id = dog.next.fetch_add(1, Ordering::Relaxed);
    let mut armed = dog.armed.lock().unwrap_or_else(PoisonError::into_inner);
    armed.insert(id, (template.to_string(), Instant::now()));
    Guard(Some(id))
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let (Some(id), Some(dog)) = (self.0, WATCHDOG.get()) {
            let mut armed = dog.armed.lock().unwrap_or_else(PoisonError::into_inner);
            armed.remove(&id);
        }
    }
}

fn watch() {
    let Some(dog) = WATCHDOG.get() else { return };
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let armed = dog
            .armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let resident = || memory_stats::memory_stats().map(|m| m.physical_mem as u64 >> 20);
        if let Some(d) = overrun(&dog.budget, &armed, Instant::now(), resident) {
            let words = crate::diag::Catalog::embedded(dog.lang);
            eprint!("{}", d.human(None, &words));
            std::process::exit(1);
        }
    }
}

/// The first armed render past the budget, as its diagnostic; `resident` (MiB) is asked
/// only while a render is armed.
fn overrun(
    budget: &Budget,
    armed: &BTreeMap<u64, (String, Instant)>,
    now: Instant,
    resident: impl FnOnce() -> Option<u64>,
) -> Option<Diagnostic> {
    let (name, since) = armed.values().next()?;
    if let Some((name, _)) = armed
        .values()
        .find(|(_, t)| now.saturating_duration_since(*t) > budget.time)
    {
        let secs = budget.time.as_secs();
        return Some(too_much(name, crate::msg!("bounds.time", secs = secs)));
    }
    let mib = resident()?;
    if mib <= budget.memory_mib {
        return None;
    }
    let took = now.saturating_duration_since(*since).as_millis();
    let message = crate::msg!(
        "bounds.memory",
        mib = mib,
        budget = budget.memory_mib,
        took = took
    );
    Some(too_much(name, message))
}

fn too_much(template: &str, message: crate::diag::Text) -> Diagnostic {
    Diagnostic::error(Code::E0409, template, Pos::default(), message)
        .with_help(crate::msg!("bounds.help"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Budget = Budget {
        time: Duration::from_secs(10),
        memory_mib: 100,
    };

    fn armed(entries: &[(&str, Instant)]) -> BTreeMap<u64, (String, Instant)> {
        (0..)
            .zip(entries)
            .map(|(i, (n, t))| (i, (n.to_string(), *t)))
            .collect()
    }

    #[test]
    fn the_budget_comes_from_the_environment() {
        assert_eq!(budget_from(|_| None), Ok(DEFAULT));
        let set = |s: &'static str, m: &'static str| {
            move |name: &str| Some(if name.ends_with("SECONDS") { s } else { m }.to_string())
        };
        let b = budget_from(set(" 7 ", "512")).unwrap();
        assert_eq!((b.time, b.memory_mib), (Duration::from_secs(7), 512));
        assert_eq!(budget_from(set("1", "1")).unwrap().memory_mib, 1);
        for (s, m, named) in [
            ("0", "1", "SECONDS"),
            ("x", "1", "SECONDS"),
            ("1", "0", "MIB"),
            ("1", "-3", "MIB"),
        ] {
            let e = budget_from(set(s, m)).unwrap_err();
            assert!(
                e.contains(named) && e.contains("positive whole number"),
                "{e}"
            );
        }
    }

    /// The process's watchdog, with a budget no test reaches: a guard is armed while it
    /// lives, and only then.
    #[test]
    fn a_guard_is_armed_until_dropped() {
        enable(
            Budget {
                time: Duration::from_secs(24 * 3600),
                memory_mib: u64::MAX >> 21,
            },
            crate::diag::Lang::En,
        );
        let armed = |name: &str| {
            let dog = WATCHDOG.get().unwrap();
            let map = dog.armed.lock().unwrap();
            map.values().any(|(n, _)| n == name)
        };
        let g = guard("bounds-test.md.tera");
        assert!(armed("bounds-test.md.tera"));
        drop(g);
        assert!(!armed("bounds-test.md.tera"));
    }

    #[test]
    fn nothing_armed_is_never_over_and_memory_is_not_asked() {
        let now = Instant::now();
        let asked = || panic!("memory asked with nothing armed");
        assert!(overrun(&BUDGET, &armed(&[]), now, asked).is_none());
    }

    #[test]
    fn a_render_past_its_time_is_named() {
        let start = Instant::now();
        let both = armed(&[("a.md.tera", start), ("document.typ", start)]);
        let within = start + Duration::from_secs(10);
        assert!(overrun(&BUDGET, &both, within, || Some(100)).is_none());
        let past = start + Duration::from_secs(11);
        let d = overrun(&BUDGET, &both, past, || Some(0)).unwrap();
        assert_eq!((d.code, d.file.as_str()), (Code::E0409, "a.md.tera"));
        assert!(
            d.message.en().contains("more than 10 s"),
            "{}",
            d.message.en()
        );
        let late = armed(&[("a.md.tera", past), ("document.typ", start)]);
        let d = overrun(&BUDGET, &late, past, || Some(0)).unwrap();
        assert_eq!(d.file, "document.typ");
    }

    #[test]
    fn memory_past_the_budget_names_the_render() {
        let start = Instant::now();
        let one = armed(&[("document.typ", start)]);
        let now = start + Duration::from_millis(1500);
        let d = overrun(&BUDGET, &one, now, || Some(101)).unwrap();
        assert_eq!(d.file, "document.typ");
        assert!(
            d.message
                .en()
                .contains("101 MiB, past its budget of 100 MiB, 1500 ms"),
            "{}",
            d.message.en()
        );
        assert!(d.help.unwrap().en().contains("BASCULE_RENDER_MEMORY_MIB"));
        assert!(
            overrun(&BUDGET, &one, now, || None).is_none(),
            "unknown memory"
        );
    }
}
