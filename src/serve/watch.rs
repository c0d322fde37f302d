//! Watches the inventory and the templates folder, never the output folder (so that a
//! build's own writes never start another), and reports each burst of changes once:
//! notify's events, debounced by notify-debouncer-full, which keeps each event's kind so
//! that reads (every build opens these files) are told from writes.
//!
//! A watch follows a folder, not its name: when the inventory's folder or the templates
//! folder is replaced (renamed away and another put in its place, as some editors and
//! checkouts do), the old watch sees nothing more. So each folder's parent is watched too,
//! for that folder's name only, and [`Watcher::rearm`] watches the new folder.

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Editors save in several steps (a temporary file, a rename, a write): a burst ends after
/// this long without an event.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(100);

/// What to watch; absolute paths.
#[derive(Debug, Clone)]
pub(crate) struct Watched {
    pub inventory: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

impl Watched {
    fn inventory_folder(&self) -> &Path {
        self.inventory.parent().unwrap_or(Path::new("/"))
    }

    /// The watched folders, each with how deep.
    fn roots(&self) -> [(&Path, RecursiveMode); 2] {
        [
            (self.inventory_folder(), RecursiveMode::NonRecursive),
            (&self.templates, RecursiveMode::Recursive),
        ]
    }

    /// Whether `path` is one of the watched folders itself (created, renamed or removed).
    pub(crate) fn is_root(&self, path: &Path) -> bool {
        self.roots().iter().any(|(r, _)| *r == path)
    }
}

/// Watching until dropped.
pub(crate) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    what: Watched,
}

/// What a burst of events was: the files that changed, or the watcher's own trouble.
pub(crate) type Burst = Result<Vec<PathBuf>, String>;

/// Starts watching: the inventory's folder (only the inventory's own name counts, so that
/// editors' temporary files and an output folder beside it do not), the templates folder
/// with everything in it if it exists, and the parents of both for their replacement.
pub(crate) fn start(
    what: Watched,
    mut report: impl FnMut(Burst) + Send + 'static,
) -> Result<Watcher, String> {
    let filter = what.clone();
    let handler = move |res: DebounceEventResult| match res {
        Ok(events) => {
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_change(e.event.kind))
                .flat_map(|e| e.event.paths.iter())
                .filter(|p| relevant(&filter, p))
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                report(Ok(paths));
            }
        }
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            report(Err(text.join("; ")));
        }
    };
    let debouncer =
        new_debouncer(DEBOUNCE, None, handler).map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watcher = Watcher { debouncer, what };
    let mut parents: Vec<PathBuf> = Vec::new();
    for (root, _) in watcher.what.roots() {
        if let Some(parent) = root
            .parent()
            .filter(|p| p.is_dir() && !parents.contains(&p.to_path_buf()))
        {
            parents.push(parent.to_path_buf());
        }
    }
    for parent in &parents {
        watcher.watch(parent, RecursiveMode::NonRecursive)?;
    }
    watcher.rearm()?;
    Ok(watcher)
}

impl Watcher {
    /// Whether `path` is a watched folder itself: its replacement needs [`Watcher::rearm`].
    pub(crate) fn watches_root(&self, path: &Path) -> bool {
        self.what.is_root(path)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), String> {
        self.debouncer
            .watch(path, mode)
            .map_err(|e| format!("cannot watch {}: {e}", path.display()))
    }

    /// Watches the inventory's folder and the templates folder as they are now (after one
    /// was replaced); a folder that is not there is said, and watched again once it is back.
    pub(crate) fn rearm(&mut self) -> Result<(), String> {
        let roots: Vec<(PathBuf, RecursiveMode)> = self
            .what
            .roots()
            .iter()
            .map(|(p, m)| (p.to_path_buf(), *m))
            .collect();
        let mut gone = Vec::new();
        for (root, mode) in roots {
            let _ = self.debouncer.unwatch(&root);
            if root.is_dir() {
                self.watch(&root, mode)?;
            } else if root.as_path() == self.what.inventory_folder() {
                gone.push(root.display().to_string());
            }
        }
        if gone.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} is gone: edits will be seen again once it is back",
            gone.join(", ")
        ))
    }
}

/// Whether an event kind can change what a build reads: creations, writes, renames and
/// removals, and a write that ends; never a read, nor a mere change of times or rights.
fn is_change(kind: EventKind) -> bool {
    match kind {
        EventKind::Any | EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_) | ModifyKind::Other),
        EventKind::Access(a) => matches!(a, AccessKind::Close(AccessMode::Write)),
        EventKind::Other => false,
    }
}

/// Whether `path` is the inventory, one of the watched folders itself (replaced), or a file
/// of the templates folder (not a hidden file, an editor's backup or swap file, nor
/// anything inside the output folder).
fn relevant(w: &Watched, path: &Path) -> bool {
    if path == w.inventory || w.is_root(path) {
        return true;
    }
    let Ok(rel) = path.strip_prefix(&w.templates) else {
        return false;
    };
    if path.starts_with(&w.out) || rel.as_os_str().is_empty() {
        return false;
    }
    let hidden = rel.iter().any(|c| c.to_string_lossy().starts_with('.'));
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scratch = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    !hidden && !scratch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched() -> Watched {
        Watched {
            inventory: "/p/inventory/inv.yaml".into(),
            templates: "/p/templates".into(),
            out: "/p/out".into(),
        }
    }

    #[test]
    fn only_the_inventory_and_templates_count() {
        let w = watched();
        for yes in [
            "/p/inventory/inv.yaml",
            "/p/templates/page.html.tera",
            "/p/templates/sub/x.css",
            "/p/templates",
            "/p/inventory",
        ] {
            assert!(relevant(&w, Path::new(yes)), "{yes}");
        }
        for no in [
            "/p/inventory/other.yaml",
            "/p/inventory/inv.yaml~",
            "/p/inventory/.inv.yaml.swp",
            "/p/templates/.page.html.tera.swp",
            "/p/templates/page.html.tera~",
            "/p/templates/4913",
            "/p/templates/.git/index",
            "/p/inventory.old",
            "/p/out/site/index.html",
            "/p/.out.bascule-x/site/index.html",
        ] {
            assert!(!relevant(&w, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn an_output_folder_inside_the_templates_is_ignored() {
        let w = Watched {
            out: "/p/templates/out".into(),
            ..watched()
        };
        assert!(!relevant(&w, Path::new("/p/templates/out/site/index.html")));
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{CreateKind, DataChange};
        assert!(!is_change(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(EventKind::Create(CreateKind::File)));
    }
}
