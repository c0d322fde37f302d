//! The previous output folder, read back for what a build may reuse: a file, and whether
//! its bytes are still the ones bascule wrote (its digest in the folder's manifest).

use super::manifest::{self, Manifest};
use super::tree;
use std::path::{Path, PathBuf};

/// A file of the previous output.
pub struct Old {
    pub bytes: Vec<u8>,
    /// The file's SHA-256 is the one the folder's manifest recorded: nobody changed it
    /// since bascule wrote it.
    pub as_written: bool,
    /// The digest of what the file was made from, as the manifest recorded it (see
    /// `Manifest::source_of`).
    pub made_from: Option<String>,
}

/// The previous output folder and its manifest (none when bascule did not write it).
pub(crate) struct Previous {
    dir: PathBuf,
    manifest: Option<Manifest>,
}

impl Previous {
    pub(crate) fn open(dir: &Path) -> Previous {
        Previous {
            dir: dir.to_path_buf(),
            manifest: Manifest::read_from(dir),
        }
    }

    /// The file `rel` (a regular file inside the folder), if there is one.
    pub(crate) fn read(&self, rel: &str) -> Option<Old> {
        if !super::is_safe_relative(rel) {
            return None;
        }
        let bytes = tree::read_regular(&self.dir.join(rel)).ok()?;
        let m = self.manifest.as_ref();
        let as_written = m
            .and_then(|m| m.digest_of(rel))
            .is_some_and(|d| d == manifest::digest(&bytes));
        let made_from = m.and_then(|m| m.source_of(rel)).map(str::to_string);
        Some(Old {
            bytes,
            as_written,
            made_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_as_written_only_when_the_manifest_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::new();
        m.add("a.png", b"drawn");
        m.add("b.png", b"drawn");
        m.add_source("a.png", "sha256:5e");
        std::fs::write(dir.path().join(manifest::NAME), m.to_bytes()).unwrap();
        std::fs::write(dir.path().join("a.png"), b"drawn").unwrap();
        std::fs::write(dir.path().join("b.png"), b"edited").unwrap();
        std::fs::write(dir.path().join("c.png"), b"unlisted").unwrap();
        let p = Previous::open(dir.path());
        let a = p.read("a.png").unwrap();
        assert_eq!((a.bytes.as_slice(), a.as_written), (&b"drawn"[..], true));
        assert_eq!(a.made_from.as_deref(), Some("sha256:5e"));
        let b = p.read("b.png").unwrap();
        assert!(!b.as_written, "changed since");
        assert_eq!(b.made_from, None);
        assert!(!p.read("c.png").unwrap().as_written, "not in the manifest");
        assert!(p.read("missing.png").is_none());
        assert!(p.read("../a.png").is_none(), "outside the folder");
    }

    #[test]
    fn without_a_manifest_nothing_is_as_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), b"drawn").unwrap();
        std::fs::write(dir.path().join(manifest::NAME), b"{}").unwrap();
        let old = Previous::open(dir.path()).read("a.png").unwrap();
        assert!(!old.as_written);
    }
}
