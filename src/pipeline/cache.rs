//! Reuse, for `build` only: what the previous build made from the very same input is taken
//! again instead of made. An annexe PNG whose stamp names the same SVG and scale, and the
//! PDF whose manifest entry names the same source, are reused — and only when the folder's
//! manifest vouches that the file is still the one bascule wrote. `check` never reads a
//! cache: it believes nothing of the folder it checks and makes everything afresh.
//!
//! The other half of the bargain is written with the outputs: the PNG renderer stamps what
//! a picture was drawn from (`render::png`), and the sink records what the PDF was typeset
//! from (`Sink::put_made_from`, kept in the manifest).

use crate::render;
use crate::write::manifest::Manifest;
use crate::write::{self, tree};
use std::path::{Path, PathBuf};

/// The previous output folder and its manifest (none when bascule did not write it).
pub struct Cache {
    dir: PathBuf,
    manifest: Option<Manifest>,
}

/// A file of the previous output.
struct Old {
    bytes: Vec<u8>,
    /// The file's SHA-256 is the one the folder's manifest recorded: nobody changed it
    /// since bascule wrote it.
    as_written: bool,
    /// The digest of what the file was made from, as the manifest recorded it (see
    /// `Manifest::source_of`).
    made_from: Option<String>,
}

impl Cache {
    /// The cache of the output folder `dir` (which may not exist yet).
    pub(crate) fn open(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            manifest: Manifest::read_from(dir),
        }
    }

    /// The previous PNG `rel`, when it is as bascule wrote it and its stamp says it was
    /// drawn from exactly `svg` at `scale` (the default for the SVG's width when `None`).
    pub(crate) fn png(&self, rel: &str, svg: &str, scale: Option<f32>) -> Option<Vec<u8>> {
        self.read(rel)
            .filter(|old| old.as_written && render::png::is_stamped_from(&old.bytes, svg, scale))
            .map(|old| old.bytes)
    }

    /// The previous file `rel` (the PDF), when it is as bascule wrote it and the manifest
    /// records that it was made from `source`.
    pub(crate) fn made_from(&self, rel: &str, source: &str) -> Option<Vec<u8>> {
        self.read(rel)
            .filter(|old| old.as_written && old.made_from.as_deref() == Some(source))
            .map(|old| old.bytes)
    }

    /// The file `rel` (a regular file inside the folder), if there is one.
    fn read(&self, rel: &str) -> Option<Old> {
        if !write::is_safe_relative(rel) {
            return None;
        }
        let bytes = tree::read_regular(&self.dir.join(rel)).ok()?;
        let m = self.manifest.as_ref();
        let as_written = m
            .and_then(|m| m.digest_of(rel))
            .is_some_and(|d| d == write::manifest::digest(&bytes));
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
    use crate::write::manifest::{self, Manifest};

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
        let p = Cache::open(dir.path());
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
        let old = Cache::open(dir.path()).read("a.png").unwrap();
        assert!(!old.as_written);
    }

    /// A folder whose manifest vouches for `files` as written, plus `edited` files changed
    /// since; `a.pdf` recorded as made from `sha256:5e`.
    fn folder(files: &[(&str, &[u8])], edited: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::new();
        for (name, bytes) in files {
            m.add(name, bytes);
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        m.add_source("a.pdf", "sha256:5e");
        for (name, bytes) in edited {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        std::fs::write(dir.path().join(manifest::NAME), m.to_bytes()).unwrap();
        dir
    }

    #[test]
    fn a_png_is_reused_only_when_written_and_stamped_from_the_same_svg() {
        const SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg' width='5' height='5'/>";
        let png = render::png::png_at(SVG, Some(1.0)).unwrap();
        let dir = folder(&[("a.png", &png), ("b.png", &png)], &[]);
        std::fs::write(dir.path().join("b.png"), [png.as_slice(), b" "].concat()).unwrap();
        let cache = Cache::open(dir.path());
        assert_eq!(cache.png("a.png", SVG, Some(1.0)), Some(png.clone()));
        assert_eq!(cache.png("a.png", SVG, Some(2.0)), None, "another scale");
        let other = SVG.replace("'5'", "'6'");
        assert_eq!(cache.png("a.png", &other, Some(1.0)), None, "another SVG");
        assert_eq!(cache.png("b.png", SVG, Some(1.0)), None, "changed since");
        assert_eq!(cache.png("c.png", SVG, Some(1.0)), None, "none");
    }

    #[test]
    fn a_file_is_reused_only_when_written_and_made_from_the_same_source() {
        let dir = folder(&[("a.pdf", b"%PDF"), ("b.pdf", b"%PDF")], &[]);
        let cache = Cache::open(dir.path());
        assert_eq!(
            cache.made_from("a.pdf", "sha256:5e"),
            Some(b"%PDF".to_vec())
        );
        assert_eq!(
            cache.made_from("a.pdf", "sha256:00"),
            None,
            "another source"
        );
        assert_eq!(
            cache.made_from("b.pdf", "sha256:5e"),
            None,
            "no source recorded"
        );
        let dir = folder(&[("a.pdf", b"%PDF")], &[("a.pdf", b"%PDF edited")]);
        let cache = Cache::open(dir.path());
        assert_eq!(cache.made_from("a.pdf", "sha256:5e"), None, "changed since");
    }
}
