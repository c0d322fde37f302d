//! The previous output, once the new one is in place: checked against its own manifest
//! once more before it is deleted, since someone may have written into the output folder
//! while the build ran (the check at the start of the build could not see that file). What
//! bascule did not write is put back into the new output folder at the same place, and
//! reported; when it cannot be put back, the whole previous output is kept aside, named.

use super::manifest::{Manifest, STAGING_MARK};
use super::tree;
use crate::diag::Text;
use crate::msg;
use std::path::{Path, PathBuf};

/// What to do with the previous output now at `old`, the new one being at `out`: remove it,
/// after putting back what bascule did not write (unless `force`). Returns the warnings.
pub(super) fn retire(old: &Path, out: &Path, force: bool) -> Vec<Text> {
    let mut warnings = Vec::new();
    if !force {
        match foreign(old) {
            Some(found) if found.is_empty() => {}
            Some(found) => {
                if let Some(kept) = put_back(old, out, &found, &mut warnings) {
                    return keep_aside(old, out, kept, warnings);
                }
            }
            None => {
                let why = msg!("retire.unreadable");
                return keep_aside(old, out, why, warnings);
            }
        }
    }
    if let Err(e) = std::fs::remove_dir_all(old) {
        warnings.push(msg!("retire.not_removed", path = old.display(), reason = e));
    }
    warnings
}

/// Every entry of `old` that its manifest does not list (a folder of them named once, as
/// `dir/`), in walk order; `None` when the folder could not be walked to the end.
pub(super) fn foreign(old: &Path) -> Option<Vec<String>> {
    let manifest = Manifest::read_from(old);
    let mut found = Vec::new();
    let complete = tree::walk(old, &mut |rel, _, kind| {
        let ours = rel == STAGING_MARK
            || manifest.as_ref().is_some_and(|m| match kind {
                tree::Kind::File => m.lists(rel),
                tree::Kind::Dir => m.lists_folder(rel),
                _ => false,
            });
        if ours {
            return tree::Flow::Next;
        }
        if kind == tree::Kind::Dir {
            found.push(format!("{rel}/"));
            return tree::Flow::Prune;
        }
        found.push(rel.to_string());
        tree::Flow::Next
    })
    .ok()?;
    complete.then_some(found)
}

/// Moves each of `found` from `old` to the same place under `out`, and says so. Returns why
/// the rest could not be moved, if anything could not.
fn put_back(old: &Path, out: &Path, found: &[String], warnings: &mut Vec<Text>) -> Option<Text> {
    let shown = out.display();
    let mut failed = None;
    for rel in found {
        let rel = rel.trim_end_matches('/');
        let (from, to) = (old.join(rel), out.join(rel));
        let moved = if std::fs::symlink_metadata(&to).is_ok() {
            Err(msg!("retire.both", path = rel))
        } else {
            to.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::rename(&from, &to))
                .map_err(|e| msg!("retire.not_moved", path = rel, reason = e))
        };
        match moved {
            Ok(()) => warnings.push(msg!("retire.appeared", out = &shown, path = rel)),
            Err(why) => failed = failed.or(Some(why)),
        }
    }
    failed
}

/// Keeps the previous output under a name no build removes, beside the new one (inside it
/// when the output folder is a mount point, the only place on that file system).
fn keep_aside(old: &Path, out: &Path, why: Text, mut warnings: Vec<Text>) -> Vec<Text> {
    let name = out
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    let home = old.parent().unwrap_or(out);
    let suffix = old
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .and_then(|n| n.rsplit('-').next().map(str::to_string))
        .unwrap_or_default();
    let kept: PathBuf = home.join(format!("{name}.kept-{suffix}"));
    let at = match std::fs::rename(old, &kept) {
        Ok(()) => kept,
        Err(_) => old.to_path_buf(),
    };
    warnings.push(msg!("retire.kept_aside", why = why, path = at.display()));
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::NAME;

    fn output(dir: &Path, files: &[(&str, &str)], unlisted: &[&str]) {
        let mut m = Manifest::new();
        for (rel, text) in files {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
            m.add(rel, text.as_bytes());
        }
        for rel in unlisted {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "mine").unwrap();
        }
        std::fs::write(dir.join(NAME), m.to_bytes()).unwrap();
    }

    #[test]
    fn an_old_output_of_ours_alone_is_removed() {
        let t = tempfile::tempdir().unwrap();
        let (old, out) = (t.path().join(".out.bascule-a1"), t.path().join("out"));
        output(&old, &[("document.md", "x"), ("site/index.html", "i")], &[]);
        std::fs::create_dir(&out).unwrap();
        assert_eq!(foreign(&old), Some(vec![]));
        assert!(retire(&old, &out, false).is_empty());
        assert!(!old.exists());
    }

    #[test]
    fn files_written_during_the_build_are_put_back_and_named() {
        let t = tempfile::tempdir().unwrap();
        let (old, out) = (t.path().join(".out.bascule-a1"), t.path().join("out"));
        output(
            &old,
            &[("document.md", "x"), ("site/index.html", "i")],
            &["notes.txt", "site/todo.txt", "drafts/a.md"],
        );
        output(&out, &[("document.md", "y"), ("site/index.html", "j")], &[]);
        let found = foreign(&old).unwrap();
        assert_eq!(found, ["drafts/", "notes.txt", "site/todo.txt"]);
        let w = retire(&old, &out, false);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].en().contains("out/drafts appeared"), "{w:?}");
        assert!(w[2].en().contains("site/todo.txt") && w[2].en().contains("kept it there"));
        assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(std::fs::read(out.join("site/todo.txt")).unwrap(), b"mine");
        assert_eq!(std::fs::read(out.join("drafts/a.md")).unwrap(), b"mine");
        assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"y");
        assert!(!old.exists());
    }

    #[test]
    fn a_clash_with_the_new_output_keeps_the_whole_old_one_aside() {
        let t = tempfile::tempdir().unwrap();
        let (old, out) = (t.path().join(".out.bascule-zq9"), t.path().join("out"));
        output(&old, &[("document.md", "x")], &["annexe-3.png"]);
        output(&out, &[("document.md", "y"), ("annexe-3.png", "new")], &[]);
        let w = retire(&old, &out, false);
        let kept = t.path().join("out.kept-zq9");
        assert_eq!(std::fs::read(kept.join("annexe-3.png")).unwrap(), b"mine");
        assert!(w.last().unwrap().en().contains("out.kept-zq9"), "{w:?}");
        assert_eq!(std::fs::read(out.join("annexe-3.png")).unwrap(), b"new");
        assert!(!old.exists());
    }

    #[test]
    fn forced_builds_delete_the_old_output_whole() {
        let t = tempfile::tempdir().unwrap();
        let (old, out) = (t.path().join(".out.bascule-a1"), t.path().join("out"));
        output(&old, &[("document.md", "x")], &["notes.txt"]);
        std::fs::create_dir(&out).unwrap();
        assert!(retire(&old, &out, true).is_empty());
        assert!(!old.exists() && !out.join("notes.txt").exists());
    }
}
