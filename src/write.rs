//! The *write* stage: the whole output folder is written aside, then swapped in, so a
//! failed build never leaves a half-written `out/`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Every generated file, by path relative to the output folder (`/`-separated).
pub type Outputs = BTreeMap<String, Vec<u8>>;

/// A relative path made only of plain names: no `..`, no root, no drive, no empty part.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// The folder looks like bascule's: empty, or holding a `document.md`.
fn replaceable(out: &Path) -> bool {
    match std::fs::read_dir(out) {
        Err(_) => true,
        Ok(mut entries) => entries.next().is_none() || out.join("document.md").is_file(),
    }
}

/// Writes `files` into a sibling temporary folder, then replaces `out` with it.
pub fn write_atomic(out: &Path, files: &Outputs) -> io::Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(io::Error::other(format!(
            "{} exists and is not a folder",
            out.display()
        )));
    }
    if !replaceable(out) {
        return Err(io::Error::other(format!(
            "refusing to replace {}: it is not empty and has no document.md, so it does not look like a bascule output folder",
            out.display()
        )));
    }
    let name = out
        .file_name()
        .ok_or_else(|| io::Error::other(format!("{} is not a folder name", out.display())))?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.new-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = fill(&tmp, files).and_then(|()| swap(out, &tmp, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn fill(dir: &Path, files: &Outputs) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (rel, bytes) in files {
        if !is_safe_relative(rel) {
            return Err(io::Error::other(format!(
                "refusing to write `{rel}`: outside the output folder"
            )));
        }
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

fn swap(out: &Path, tmp: &Path, old: &Path) -> io::Result<()> {
    let had_old = out.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(old);
        std::fs::rename(out, old)?;
    }
    if let Err(e) = std::fs::rename(tmp, out) {
        if had_old {
            let _ = std::fs::rename(old, out);
        }
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(old)?;
    }
    Ok(())
}

/// Reads every file under `dir` as relative path → bytes (for `check --out`).
pub fn read_tree(dir: &Path) -> io::Result<Outputs> {
    let mut out = Outputs::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .map_err(io::Error::other)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path)?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "",
            "a//b",
            "./a",
            "a\\..\\b",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
        assert!(is_safe_relative("tickets/57330.txt"));
    }

    #[test]
    fn swap_replaces_and_failure_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut files = Outputs::new();
        files.insert("document.md".into(), b"v1".to_vec());
        write_atomic(&out, &files).unwrap();
        files.insert("document.md".into(), b"v2".to_vec());
        files.insert("../evil".into(), b"x".to_vec());
        assert!(write_atomic(&out, &files).is_err());
        assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v1");
        assert!(!dir.path().join("evil").exists());
        files.remove("../evil");
        write_atomic(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("document.md")).unwrap(), b"v2");
        // No temporary folder is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), b"keep").unwrap();
        let err = write_atomic(dir.path(), &Outputs::new()).unwrap_err();
        assert!(err.to_string().contains("refusing"), "{err}");
        assert!(dir.path().join("precious.txt").exists());
    }
}
