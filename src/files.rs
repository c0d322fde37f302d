//! Outputs as data: every generated file by its path relative to the output folder, and
//! the trait through which the pipeline hands files to their destination (memory for
//! `check`, the staging folder for `build`) and reads an earlier one back (the PNG an email
//! attaches).

use crate::diag::Diagnostic;
use std::collections::BTreeMap;

/// Every generated file, by path relative to the output folder (`/`-separated).
pub type Outputs = BTreeMap<String, Vec<u8>>;

/// What a file too large to hold, or one that seeks back (a zip package), is written to.
pub trait WriteSeek: std::io::Write + std::io::Seek {}
impl<T: std::io::Write + std::io::Seek> WriteSeek for T {}

/// Reads a file stored earlier.
pub(crate) type ReadFn<'a> = dyn Fn(&str) -> Option<Vec<u8>> + 'a;

/// What writes a file into a [`WriteSeek`], reading files stored earlier as it goes.
pub(crate) type WriteFn<'a> =
    dyn FnMut(&mut dyn WriteSeek, &ReadFn) -> Result<(), Box<Diagnostic>> + 'a;

/// Where rendered files go.
pub trait Sink {
    /// Stores `bytes` as `rel`.
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> Result<(), Box<Diagnostic>>;
    /// A file stored earlier.
    fn get(&self, rel: &str) -> Option<Vec<u8>>;

    /// Stores `bytes` as `rel`, made from inputs whose digest is `source`: a sink that
    /// keeps a manifest records it, so that a later build may take the file again instead
    /// of making it (the PDF).
    fn put_made_from(
        &mut self,
        rel: &str,
        bytes: Vec<u8>,
        source: &str,
    ) -> Result<(), Box<Diagnostic>> {
        let _ = source;
        self.put(rel, bytes)
    }

    /// Records the text the typeset file `rel` shows (the PDF's, from its layout), for the
    /// rules that read it: a sink that checks keeps it, others need not.
    fn note_text(&mut self, rel: &str, text: String) {
        let _ = (rel, text);
    }

    /// Records a setting the build used (`paper`), for a sink that keeps a manifest.
    fn note_setting(&mut self, key: &str, value: &str) {
        let _ = (key, value);
    }

    /// Stores as `rel` what `write` writes, without holding it in memory when the sink
    /// writes to disk.
    fn put_with(&mut self, rel: &str, write: &mut WriteFn) -> Result<(), Box<Diagnostic>> {
        let mut out = std::io::Cursor::new(Vec::new());
        write(&mut out, &|path| self.get(path))?;
        self.put(rel, out.into_inner())
    }

    /// Stores a copy of `from` (stored earlier) as `to`; `false` when there is no `from`.
    fn copy(&mut self, from: &str, to: &str) -> Result<bool, Box<Diagnostic>> {
        match self.get(from) {
            Some(bytes) => self.put(to, bytes).map(|()| true),
            None => Ok(false),
        }
    }
}

impl Sink for Outputs {
    fn put(&mut self, rel: &str, bytes: Vec<u8>) -> Result<(), Box<Diagnostic>> {
        self.insert(rel.to_string(), bytes);
        Ok(())
    }

    fn get(&self, rel: &str) -> Option<Vec<u8>> {
        BTreeMap::get(self, rel).cloned()
    }
}
