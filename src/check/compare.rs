//! `check --out`, one file at a time: a [`Sink`] that compares each output, as it is
//! rendered, with the file of the same name in the output folder, so that memory holds one
//! file of each side, not two whole trees. It keeps only what the output rules read (the
//! document, annexe SVGs, ticket texts, exports) and what differs from the disk; the rest is
//! read back from the disk when asked for, since it matched.

use super::first_difference_line;
use crate::diag::{Code, Diagnostic, Pos};
use crate::files::{Outputs, Sink};
use crate::write::manifest::{self, Manifest};
use crate::write::tree::{Skip, read_regular};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub struct Comparing<'a> {
    dir: &'a Path,
    label: &'a str,
    /// The regular files of the folder, not read yet.
    on_disk: BTreeSet<String>,
    /// Entries not read, with why (links, pipes, files too large…).
    skipped: Vec<(String, Skip)>,
    /// Outputs the rules read, and those that differ from the disk.
    pub kept: Outputs,
    manifest: Manifest,
    /// Every output put so far (and the manifest, at the end).
    produced: BTreeSet<String>,
    /// E0511 and E0512, by file name.
    faults: BTreeMap<String, Diagnostic>,
}

/// Whether an output is kept for the rules: not the site's pages and copies, the e-mails or
/// the PNGs, which are most of the bytes and which no rule reads.
fn read_by_rules(rel: &str) -> bool {
    !(rel.starts_with("site/") || rel.ends_with(".eml") || rel.ends_with(".png"))
}

impl<'a> Comparing<'a> {
    pub fn new(dir: &'a Path, label: &'a str) -> std::io::Result<Self> {
        let listing = crate::write::tree::list_tree(dir)?;
        Ok(Comparing {
            dir,
            label,
            on_disk: listing.files,
            skipped: listing.skipped,
            kept: Outputs::new(),
            manifest: Manifest::new(),
            produced: BTreeSet::new(),
            faults: BTreeMap::new(),
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
                "missing: a fresh build writes this file",
            )
            .with_help("run `bascule build` and commit the output"),
            Some(d) if d == bytes => return true,
            Some(d) => Diagnostic::error(
                Code::E0512,
                &file,
                Pos::new(first_difference_line(&d, bytes), 1),
                "stale or hand-edited: differs from a fresh build",
            )
            .with_help("run `bascule build` (edit the inventory or templates, never the output)"),
        };
        self.faults.insert(rel.to_string(), fault);
        false
    }

    /// Compares the manifest, then lists what the folder holds that the build did not write,
    /// and what could not be read: every fault of the comparison, in file-name order.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let manifest = self.manifest.to_bytes();
        self.compare(manifest::NAME, &manifest);
        self.produced.insert(manifest::NAME.to_string());
        let mut diags: Vec<Diagnostic> = std::mem::take(&mut self.faults).into_values().collect();
        for name in self.on_disk.iter().filter(|n| !self.produced.contains(*n)) {
            diags.push(
                Diagnostic::error(
                    Code::E0513,
                    &format!("{}/{name}", self.label),
                    Pos::default(),
                    "not produced by a fresh build",
                )
                .with_help("run `bascule build`, which removes files it no longer writes"),
            );
        }
        diags.extend(self.skipped.iter().map(|(name, why)| {
            Diagnostic::error(
                Code::E0514,
                &format!("{}/{name}", self.label),
                Pos::default(),
                format!("not read: {}", why.describe()),
            )
            .with_help("an output folder holds only the regular files `bascule build` writes")
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
