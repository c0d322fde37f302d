//! The output manifest: the list of files bascule wrote into an output folder, with their
//! SHA-256. It is how a later build knows that a folder is bascule's to replace, and which
//! files in it are not bascule's (and must not be deleted).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The manifest's name, at the root of the output folder.
pub const NAME: &str = ".bascule-manifest.json";

/// Marks a staging folder while a build fills it (see `write::leftovers`). A crash right
/// after a swap can leave it in the output folder, where it is harmless: it counts as ours.
pub const STAGING_MARK: &str = ".bascule-staging";

/// Marks every manifest bascule writes; a file of the same name without it is not ours.
const GENERATOR: &str = "bascule";
const FORMAT: u32 = 1;

/// The manifest as read and written: [`NAME`] at the root of the output folder, as JSON.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    generator: String,
    format: u32,
    /// Relative path (`/`-separated) → `sha256:` and the lowercase hex digest.
    files: BTreeMap<String, String>,
    /// Relative path → the digest of everything the file was made from, for the files a
    /// later build may take again instead of making them (the PDF): see [`Manifest::source_of`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    sources: BTreeMap<String, String>,
    /// What the build was asked that the inventory may not say (`paper`: the paper of the
    /// PDF and Word files), so that `check` can tell a folder built otherwise from a stale one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    settings: BTreeMap<String, String>,
}

/// `sha256:` and the hex digest of `bytes`, as `sha256sum` prints it.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// [`digest`] of everything `r` reads.
pub fn digest_reader(r: &mut dyn std::io::Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(r, &mut hasher)?;
    Ok(format!("sha256:{:x}", hasher.finalize()))
}

impl Manifest {
    /// An empty manifest, marked as bascule's, in the current format.
    pub fn new() -> Manifest {
        Manifest {
            generator: GENERATOR.into(),
            format: FORMAT,
            files: BTreeMap::new(),
            sources: BTreeMap::new(),
            settings: BTreeMap::new(),
        }
    }

    /// Records that the build used `value` for `key` (see `settings`).
    pub fn set(&mut self, key: &str, value: &str) {
        self.settings.insert(key.to_string(), value.to_string());
    }

    /// What the build that wrote this manifest used for `key`, if it said.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(String::as_str)
    }

    /// Records a file written under `rel`.
    pub fn add(&mut self, rel: &str, bytes: &[u8]) {
        self.files.insert(rel.to_string(), digest(bytes));
    }

    /// Records a file written under `rel` whose digest is already known.
    pub fn add_digest(&mut self, rel: &str, digest: String) {
        self.files.insert(rel.to_string(), digest);
    }

    /// Records that the file `rel` was made from inputs whose digest is `source`.
    pub fn add_source(&mut self, rel: &str, source: &str) {
        self.sources.insert(rel.to_string(), source.to_string());
    }

    /// The digest of what `rel` was made from, when it was recorded.
    pub fn source_of(&self, rel: &str) -> Option<&str> {
        self.sources.get(rel).map(String::as_str)
    }

    /// The digest recorded for `rel`.
    pub fn digest_of(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }

    /// Whether `rel` is a file bascule wrote (the manifest itself included).
    pub fn lists(&self, rel: &str) -> bool {
        rel == NAME || rel == STAGING_MARK || self.files.contains_key(rel)
    }

    /// Whether `rel` is a folder on the way to a listed file.
    pub fn lists_folder(&self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// The manifest file: pretty JSON, keys sorted, ending with a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }

    /// The manifest of the output folder `dir`; `None` when it has none that bascule wrote.
    pub fn read_from(dir: &std::path::Path) -> Option<Manifest> {
        super::tree::read_regular(&dir.join(NAME))
            .ok()
            .and_then(|b| Manifest::parse(&b))
    }

    /// Reads a manifest; `None` for anything bascule did not write.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice::<Manifest>(bytes)
            .ok()
            .filter(|m| m.generator == GENERATOR && m.format == FORMAT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_hex() {
        // printf abc | sha256sum
        assert_eq!(
            digest(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest_reader(&mut &b"abc"[..]).unwrap(), digest(b"abc"));
    }

    #[test]
    fn round_trip_and_listing() {
        let mut m = Manifest::new();
        m.add("site/annexes/annexe-1.svg", b"<svg/>");
        m.add("document.md", b"# t\n");
        let back = Manifest::parse(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        assert!(m.lists("document.md") && m.lists(NAME));
        assert!(!m.lists("thesis.tex"));
        assert!(m.lists_folder("site") && m.lists_folder("site/annexes"));
        assert!(!m.lists_folder("sit") && !m.lists_folder("document.md"));
        let text = String::from_utf8(m.to_bytes()).unwrap();
        assert!(text.find("document.md") < text.find("site/"), "{text}");
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn sources_are_recorded_only_when_there_are_some() {
        let mut m = Manifest::new();
        m.add("document.pdf", b"%PDF");
        assert!(!String::from_utf8(m.to_bytes()).unwrap().contains("sources"));
        assert_eq!(m.source_of("document.pdf"), None);
        m.add_source("document.pdf", "sha256:00");
        let back = Manifest::parse(&m.to_bytes()).unwrap();
        assert_eq!(back.source_of("document.pdf"), Some("sha256:00"));
        assert_eq!(back.source_of("document.docx"), None);
        assert_eq!(back, m);
    }

    #[test]
    fn foreign_json_is_not_a_manifest() {
        assert!(Manifest::parse(b"{}").is_none());
        assert!(Manifest::parse(b"not json").is_none());
        let other = br#"{"generator":"other","format":1,"files":{}}"#;
        assert!(Manifest::parse(other).is_none());
        let future = br#"{"generator":"bascule","format":2,"files":{}}"#;
        assert!(Manifest::parse(future).is_none());
    }
}
