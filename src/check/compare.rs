//! `check --out`, one file at a time: a [`Sink`] that compares each output, as it is
//! rendered, with the file of the same name in the output folder, so that memory holds one
//! file of each side, not two whole trees. It keeps only what the output rules read (the
//! document, annexe SVGs, ticket texts, exports) and what differs from the disk; the rest is
//! read back from the disk when asked for, since it matched.

use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{Outputs, Sink};
use crate::write::manifest::{self, Manifest};
use crate::write::tree::{Skip, read_regular};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub(super) struct Comparing<'a> {
    dir: &'a Path,
    label: &'a str,
    /// The regular files of the folder, not read yet.
    on_disk: BTreeSet<String>,
    /// Entries not read, with why (links, pipes, files too large…).
    skipped: Vec<(String, Skip)>,
    /// Outputs the rules read, and those that differ from the disk.
    pub kept: Outputs,
    /// The text of each typeset output (the PDF), as laid out.
    pub texts: std::collections::BTreeMap<String, String>,
    manifest: Manifest,
    /// Every output put so far (and the manifest, at the end).
    produced: BTreeSet<String>,
    /// E0511 and E0512, by file name.
    faults: BTreeMap<String, Diagnostic>,
    /// The folder's own manifest, for the settings its build used.
    disk_manifest: Option<Manifest>,
    /// E0515: a setting of this check that the folder was not built with.
    settings: Vec<Diagnostic>,
}

/// Whether an output is kept for the rules: not the site's pages and copies, the e-mails or
/// the PNGs, which are most of the bytes and which no rule reads.
fn read_by_rules(rel: &str) -> bool {
    !(rel.starts_with("site/") || rel.ends_with(".eml") || rel.ends_with(".png"))
}

impl<'a> Comparing<'a> {
    pub(super) fn new(dir: &'a Path, label: &'a str) -> std::io::Result<Self> {
        let listing = crate::write::tree::list_tree(dir)?;
        Ok(Comparing {
            dir,
            label,
            on_disk: listing.files,
            skipped: listing.skipped,
            kept: Outputs::new(),
            texts: std::collections::BTreeMap::new(),
            manifest: Manifest::new(),
            produced: BTreeSet::new(),
            faults: BTreeMap::new(),
            disk_manifest: Manifest::read_from(dir),
            settings: Vec::new(),
        })
    }

    /// The output `rel` is `bytes`: compared with the disk now.
    fn compare(&mut self, rel: &str, bytes: &[u8]) -> bool {
        let file = format!("{}/{rel}", self.label);
        let disk = if self.on_disk.contains(rel) {
            match read_regular(&self.dir.join(rel)) {
                Ok(d) => Some(d),
                Err(skip) => {
                    self.skipped.push((rel.to_string(), skip));
                    None
                }
            }
        } else {
            None
        };
        let fault = match disk {
            None => Diagnostic::error(
                Code::E0511,
                &file,
                Pos::default(),
                crate::msg!("check.missing"),
            )
            .with_help(crate::msg!("check.missing.help")),
            Some(d) if d == bytes => return true,
            Some(d) => Diagnostic::error(
                Code::E0512,
                &file,
                Pos::new(first_difference_line(&d, bytes), 1),
                crate::msg!("check.stale"),
            )
            .with_help(crate::msg!("check.stale.help")),
        };
        self.faults.insert(rel.to_string(), fault);
        false
    }

    /// Compares the manifest, then lists what the folder holds that the build did not write,
    /// and what could not be read: every fault of the comparison, in file-name order.
    pub(super) fn finish(mut self) -> Vec<Diagnostic> {
        let manifest = self.manifest.to_bytes();
        self.compare(manifest::NAME, &manifest);
        self.produced.insert(manifest::NAME.to_string());
        let mut diags = std::mem::take(&mut self.settings);
        diags.extend(std::mem::take(&mut self.faults).into_values());
        for name in self.on_disk.iter().filter(|n| !self.produced.contains(*n)) {
            diags.push(
                Diagnostic::error(
                    Code::E0513,
                    &format!("{}/{name}", self.label),
                    Pos::default(),
                    crate::msg!("check.extra"),
                )
                .with_help(crate::msg!("check.extra.help")),
            );
        }
        diags.extend(self.skipped.iter().map(|(name, why)| {
            Diagnostic::error(
                Code::E0514,
                &format!("{}/{name}", self.label),
                Pos::default(),
                crate::msg!("check.not_read", why = why.describe()),
            )
            .with_help(crate::msg!("check.not_read.help"))
        }));
        diags
    }
}

impl Sink for Comparing<'_> {
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> Result<(), Box<Diagnostic>> {
        self.manifest.add(rel, &bytes);
        self.produced.insert(rel.to_string());
        let same = self.compare(rel, &bytes);
        if !same || read_by_rules(rel) {
            self.kept.insert(rel.to_string(), bytes);
        }
        Ok(())
    }

    fn put_made_from(
        &mut self,
        rel: &str,
        bytes: Vec<u8>,
        source: &str,
    ) -> Result<(), Box<Diagnostic>> {
        self.manifest.add_source(rel, source);
        self.put(rel, bytes)
    }

    fn note_text(&mut self, rel: &str, text: String) {
        self.texts.insert(rel.to_string(), text);
    }

    /// The folder built with another value than this check's (another paper) has stale
    /// exports for that one reason: said once, before the files it makes differ.
    fn note_setting(&mut self, key: &str, value: &str) {
        self.manifest.set(key, value);
        let built = self.disk_manifest.as_ref().and_then(|m| m.setting(key));
        if let Some(built) = built.filter(|b| *b != value) {
            let file = format!("{}/{}", self.label, manifest::NAME);
            self.settings.push(
                Diagnostic::error(
                    Code::E0515,
                    &file,
                    Pos::default(),
                    crate::msg!(
                        "check.setting",
                        folder = &self.label,
                        key = key,
                        built = built,
                        value = value
                    ),
                )
                .with_help(crate::msg!(
                    "check.setting.help",
                    key = key,
                    built = built
                )),
            );
        }
    }

    /// What was put: kept, or else the same bytes on disk.
    fn get(&self, rel: &str) -> Option<Vec<u8>> {
        if let Some(b) = self.kept.get(rel) {
            return Some(b.clone());
        }
        if !self.produced.contains(rel) {
            return None;
        }
        read_regular(&self.dir.join(rel)).ok()
    }
}

/// 1-based line of the first difference in text files; 0 for binary ones.
fn first_difference_line(a: &[u8], b: &[u8]) -> u32 {
    let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return 0;
    };
    let mut al = a.lines();
    let mut bl = b.lines();
    let mut n = 1;
    loop {
        match (al.next(), bl.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (None, None) => return 0,
            _ => return n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        dir
    }

    fn codes(d: &[Diagnostic]) -> Vec<(&'static str, &str, u32)> {
        d.iter()
            .map(|d| (d.code.as_str(), d.file.as_str(), d.line))
            .collect()
    }

    #[test]
    fn each_file_is_compared_as_it_is_put_and_extras_are_named() {
        let mut m = Manifest::new();
        for (rel, b) in [
            ("a.md", &b"one\ntwo\n"[..]),
            ("b.md", b"x"),
            ("c.md", b"same"),
            ("site/p.html", b"p"),
            ("site/q.html", b"new"),
        ] {
            m.add(rel, b);
        }
        let dir = folder(&[
            ("a.md", b"one\nTWO\n"),
            ("c.md", b"same"),
            ("site/p.html", b"p"),
            ("site/q.html", b"old"),
            ("extra.txt", b"mine"),
            (manifest::NAME, &m.to_bytes()),
        ]);
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.put("a.md", b"one\ntwo\n".to_vec()).unwrap();
        s.put("b.md", b"x".to_vec()).unwrap();
        s.put("c.md", b"same".to_vec()).unwrap();
        s.put("site/p.html", b"p".to_vec()).unwrap();
        s.put("site/q.html", b"new".to_vec()).unwrap();
        // Kept: what differs or is missing, and what the rules read; the matching site page
        // is served from the disk.
        assert!(s.kept.contains_key("a.md") && s.kept.contains_key("b.md"));
        assert!(
            s.kept.contains_key("c.md"),
            "the rules read it, though it matches"
        );
        assert!(!s.kept.contains_key("site/p.html"));
        // A page that differs is served as rendered, not as on disk.
        assert_eq!(s.get("site/q.html"), Some(b"new".to_vec()));
        assert_eq!(s.get("site/p.html"), Some(b"p".to_vec()));
        assert_eq!(s.get("a.md"), Some(b"one\ntwo\n".to_vec()));
        assert_eq!(s.get("extra.txt"), None, "not an output");
        assert_eq!(
            codes(&s.finish()),
            [
                ("E0512", "out/a.md", 2),
                ("E0511", "out/b.md", 0),
                ("E0512", "out/site/q.html", 1),
                ("E0513", "out/extra.txt", 0)
            ]
        );
    }

    #[test]
    fn a_matching_folder_gives_nothing_and_a_stale_manifest_is_named() {
        let mut m = Manifest::new();
        m.add("a.png", b"png");
        let dir = folder(&[("a.png", b"png"), (manifest::NAME, &m.to_bytes())]);
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.put("a.png", b"png".to_vec()).unwrap();
        assert!(s.kept.is_empty(), "a matching PNG is not kept");
        assert!(s.finish().is_empty());
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.put("a.png", b"png".to_vec()).unwrap();
        s.put("b.png", b"new".to_vec()).unwrap();
        assert_eq!(
            codes(&s.finish()),
            [
                ("E0512", "out/.bascule-manifest.json", 5),
                ("E0511", "out/b.png", 0)
            ]
        );
    }

    #[test]
    fn a_folder_built_with_another_setting_is_said_first() {
        let mut m = Manifest::new();
        m.add("a.pdf", b"letter");
        m.set("paper", "letter");
        let dir = folder(&[("a.pdf", b"letter"), (manifest::NAME, &m.to_bytes())]);
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.note_setting("paper", "letter");
        s.put("a.pdf", b"letter".to_vec()).unwrap();
        assert!(s.finish().is_empty(), "the same paper, the same manifest");
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.note_setting("paper", "a4");
        s.put("a.pdf", b"a4".to_vec()).unwrap();
        let d = s.finish();
        assert_eq!(
            codes(&d),
            [
                ("E0515", "out/.bascule-manifest.json", 0),
                ("E0512", "out/.bascule-manifest.json", 5),
                ("E0512", "out/a.pdf", 1)
            ]
        );
        assert_eq!(
            d[0].message.en(),
            "out/ was built with paper `letter`; this check uses `a4`"
        );
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .en()
                .contains("`document.paper: letter`")
        );
        // A folder whose manifest says nothing of it: nothing to say.
        let mut bare = Manifest::new();
        bare.add("a.pdf", b"letter");
        let dir = folder(&[("a.pdf", b"letter"), (manifest::NAME, &bare.to_bytes())]);
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.note_setting("paper", "a4");
        assert!(!codes(&s.finish()).iter().any(|c| c.0 == "E0515"));
    }

    #[cfg(unix)]
    #[test]
    fn what_cannot_be_read_is_named_not_followed() {
        let dir = folder(&[]);
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("a.md")).unwrap();
        let mut s = Comparing::new(dir.path(), "out").unwrap();
        s.put("a.md", b"x".to_vec()).unwrap();
        let d = s.finish();
        let got = codes(&d);
        assert!(got.contains(&("E0511", "out/a.md", 0)), "{got:?}");
        assert!(got.contains(&("E0514", "out/a.md", 0)), "{got:?}");
        assert!(
            d.iter().any(|d| d.message.en().contains("symbolic link")),
            "{d:?}"
        );
    }
}
