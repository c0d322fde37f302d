//! The *load* stage: bytes → UTF-8 → YAML → typed [`Inventory`], or located diagnostics.
//!
//! Deserialisation stops at the first mistake; so when it fails, the YAML is read again as a
//! plain tree with positions (`tree`) and checked against the inventory's JSON Schema
//! (`shape`, `crate::schema`): every structural mistake is reported in one run, in the
//! writer's words (`words`). The schema refuses exactly what deserialisation refuses (tested
//! on mutations of the seed, `agree`), so an inventory that deserialises has the right shape,
//! and costs what it cost before the schema. A date of the wrong shape is still a string:
//! it is reported from the typed inventory, with its parts reordered (`words::dates`).

mod shape;
mod tree;
mod words;

use crate::diag::{Code, Diagnostic, Pos, Text, did_you_mean};
use crate::model::Inventory;
use serde_saphyr::Spanned;
use std::path::Path;

/// Larger inventories are refused before parsing: a real one is a few kilobytes.
pub const MAX_INVENTORY_BYTES: usize = 4 * 1024 * 1024;

/// A loaded inventory with the text it came from (for carets in diagnostics).
#[derive(Debug)]
pub struct Source {
    /// The path as the user gave it, used in every diagnostic.
    pub name: String,
    /// The inventory's text, decoded from UTF-8, without a leading byte-order mark.
    pub text: String,
}

/// Reads an inventory file once, at most [`MAX_INVENTORY_BYTES`] (and one byte more, to
/// tell that it is too large). Only a regular file is read: a pipe or a device such as
/// `/dev/zero` is refused before anything is read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
    read_bounded(path).map_err(|msg| {
        Box::new(
            Diagnostic::error(
                Code::E0001,
                &path.display().to_string(),
                Pos::default(),
                msg,
            )
            .with_help(crate::msg!("load.read.help")),
        )
    })
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, Text> {
    use std::io::Read;
    let fault = |e: std::io::Error| crate::msg!("load.read", reason = e);
    let meta = std::fs::metadata(path).map_err(fault)?;
    if meta.is_dir() {
        return Err(crate::msg!("load.read.directory"));
    }
    if !meta.is_file() {
        return Err(crate::msg!("load.read.special"));
    }
    let file = std::fs::File::open(path).map_err(fault)?;
    let mut bytes = Vec::new();
    file.take(MAX_INVENTORY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(fault)?;
    Ok(bytes)
}

/// A loaded inventory, and the faults found on the way that do not stop deserialisation (a
/// date of the wrong shape): the validator's own message for the same value gives way to them.
#[derive(Debug)]
pub struct Loaded {
    /// Where it was read, and its text.
    pub source: Source,
    /// The typed inventory.
    pub inventory: Inventory,
    /// An error per date not written AAAA-MM-JJ; empty when every date has that shape.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses inventory bytes; `name` is used in diagnostics. On failure, every structural fault,
/// sorted by position (never an empty list).
pub fn load(name: &str, bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    let text = text_of(name, bytes).map_err(|d| vec![*d])?;
    match serde_saphyr::from_str_with_options::<Inventory>(text, options()) {
        Ok(inventory) => Ok(Loaded {
            diagnostics: words::dates(name, &inventory),
            source: Source {
                name: name.to_string(),
                text: text.to_string(),
            },
            inventory,
        }),
        Err(e) => Err(every_fault(name, text, &e)),
    }
}

/// Deserialisation stopped at a first fault: the tree with positions, checked against the
/// schema, gives every fault in words. When the schema sees none that would stop
/// deserialisation (a case it cannot express), the deserialiser's own fault, in plain words.
fn every_fault(name: &str, text: &str, first: &serde_saphyr::Error) -> Vec<Diagnostic> {
    let root: Spanned<tree::Node> = match serde_saphyr::from_str_with_options(text, tree_options())
    {
        Ok(root) => root,
        Err(e) => return vec![yaml_diagnostic(name, text, &e)],
    };
    let faults = shape::check(&tree::to_json(&root.value));
    let blocking = faults.iter().any(shape::Fault::blocks);
    let mut diagnostics = words::diagnostics(name, &root, faults);
    if !blocking || diagnostics.is_empty() {
        diagnostics.push(yaml_diagnostic(name, text, first));
        crate::diag::sort(&mut diagnostics);
    }
    diagnostics
}

/// [`load`], keeping the first fault only.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<(Source, Inventory), Box<Diagnostic>> {
    match load(name, bytes) {
        Ok(l) => Ok((l.source, l.inventory)),
        Err(mut all) => Err(Box::new(all.swap_remove(0))),
    }
}

/// Deserialisation alone, as the loader did before the schema check (for `benches/load.rs`).
#[doc(hidden)]
pub fn typed_only(text: &str) -> Result<Inventory, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, options())
}

/// The text of the inventory: at most [`MAX_INVENTORY_BYTES`], UTF-8 (a leading BOM dropped),
/// not empty.
fn text_of<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, Box<Diagnostic>> {
    let err = |pos: Pos, msg: Text, help: Text| {
        Box::new(Diagnostic::error(Code::E0002, name, pos, msg).with_help(help))
    };
    if bytes.len() > MAX_INVENTORY_BYTES {
        return Err(err(
            Pos::new(1, 1),
            crate::msg!("load.too_large", mib = MAX_INVENTORY_BYTES / 1024 / 1024),
            crate::msg!("load.too_large.help"),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Err(Box::new(utf8_diagnostic(name, bytes, &e))),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(err(
            Pos::new(1, 1),
            crate::msg!("load.empty"),
            crate::msg!("load.empty.help"),
        ));
    }
    Ok(text)
}

fn utf8_diagnostic(name: &str, bytes: &[u8], e: &std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..e.valid_up_to()];
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    Diagnostic::error(
        Code::E0003,
        name,
        Pos::new(line as u32, col as u32),
        crate::msg!(
            "load.utf8",
            byte = format!("0x{:02X}", bytes[e.valid_up_to()])
        ),
    )
    .with_help(crate::msg!("load.utf8.help"))
}

fn options() -> serde_saphyr::Options {
    // Bounded work whatever the input: alias bombs and deep nesting hit a budget.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 200_000;
    budget.max_depth = 64;
    budget.max_nodes = 100_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// The deepest an inventory goes is about a dozen levels (`instances`, a VM, `actions`, `do`,
/// `dns-move`…); anything deeper fails deserialisation anyway. The tree is read with a tighter
/// depth than the model, because reading any value nests deserialiser frames per level (tens of
/// kilobytes each in a debug build): 24 levels stay well within a 2 MiB thread stack.
const TREE_DEPTH: usize = 24;

fn tree_options() -> serde_saphyr::Options {
    let mut options = options();
    if let Some(budget) = options.budget.as_mut() {
        budget.max_depth = TREE_DEPTH;
    }
    options
}

/// Turns a YAML/serde error into a diagnostic with position, plain message and a hint.
fn yaml_diagnostic(name: &str, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let pos = e
        .location()
        .map(|l| {
            Pos::new(
                u32::try_from(l.line()).unwrap_or(0),
                u32::try_from(l.column()).unwrap_or(0),
            )
        })
        .unwrap_or_default();
    let raw = plain_message(e);
    let (code, mut help) = classify(&raw);
    let mut pos = pos;
    if code == Code::E0012 {
        // serde reports a missing key where the mapping ends; point at where it starts.
        if let Some(start) = block_mapping_start(text, pos) {
            let field = raw.split('`').nth(1).unwrap_or("");
            help = Some(crate::msg!(
                "load.missing_field.here",
                field = field,
                line = pos.line
            ));
            pos = start;
        }
    }
    let msg = if code == Code::E0013 {
        plain_words(&raw)
    } else {
        crate::msg!("load.yaml", reason = raw)
    };
    let mut d = Diagnostic::error(code, name, pos, msg);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// The first key of the block mapping whose key stands at `end` (line, column): walks up
/// over deeper lines, blank lines and comments, and sibling keys, to the first sibling
/// (or the `- ` that opens the sequence item). `None` for flow mappings or odd layouts.
fn block_mapping_start(text: &str, end: Pos) -> Option<Pos> {
    let lines: Vec<&str> = text.lines().collect();
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let idx = (end.line as usize).checked_sub(1)?;
    let line = lines.get(idx)?;
    let col = (end.col as usize).checked_sub(1)?;
    // The reported position must be a block key at its own indentation.
    if line
        .get(..col)
        .is_none_or(|lead| lead.trim_matches([' ', '-']).is_empty())
    {
        let indent = col;
        let mut start = idx;
        for i in (0..idx).rev() {
            let l = lines[i];
            let t = l.trim_start_matches(' ');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let ind = indent_of(l);
            if ind > indent {
                continue;
            }
            if ind == indent && !t.starts_with("- ") {
                start = i;
                continue;
            }
            if ind + 2 == indent && t.starts_with("- ") {
                start = i;
            }
            break;
        }
        if start == idx && !line.trim_start().starts_with("- ") {
            // Also the first key when nothing above belongs to the mapping.
            return Some(Pos::new(end.line, end.col));
        }
        return Some(Pos::new(start as u32 + 1, indent as u32 + 1));
    }
    None
}

/// serde-saphyr renders a snippet of the source in `Display`; keep only the message.
fn plain_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    // Drop a trailing " at line X column Y" that duplicates our position.
    let msg = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    msg.to_string()
}

/// The deserialiser's type faults (« invalid u32 », « expected sequence start ») as a writer
/// says them.
fn plain_words(raw: &str) -> Text {
    let words = [
        ("u32", crate::msg!("load.type.u32")),
        ("sequence", crate::msg!("load.type.sequence")),
        ("mapping", crate::msg!("load.type.mapping")),
        ("null", crate::msg!("load.type.null")),
        ("string", crate::msg!("load.type.string")),
        ("float", crate::msg!("load.type.float")),
    ];
    (words.into_iter())
        .find(|(k, _)| raw.contains(k))
        .map_or(crate::msg!("load.type.other"), |(_, w)| w)
}

/// Picks the code and a fix for well-known serde messages.
fn classify(msg: &str) -> (Code, Option<Text>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split_once("expected ")
            .map(|(_, list)| {
                list.trim_start_matches("one of ")
                    .split([',', '`', ' '])
                    .filter(|w| !w.is_empty() && *w != "or")
                    .collect()
            })
            .unwrap_or_default();
        let help = match did_you_mean(field, expected.iter().copied()) {
            Some(s) => crate::msg!("did_you_mean", word = s),
            None if !expected.is_empty() => {
                crate::msg!("load.expected", keys = expected.join(", "))
            }
            None => crate::msg!("load.remove_key"),
        };
        return (Code::E0010, Some(help));
    }
    if msg.starts_with("unknown variant `") {
        return (Code::E0011, Some(crate::msg!("load.unknown_variant.help")));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return (
            Code::E0012,
            Some(crate::msg!("load.missing_field.help", field = field)),
        );
    }
    if msg.starts_with("invalid")
        || msg.starts_with("expected ")
        || msg.contains("cannot deserialize")
    {
        return (Code::E0013, Some(crate::msg!("load.type.help")));
    }
    (Code::E0002, Some(crate::msg!("load.syntax.help")))
}

#[cfg(test)]
mod agree;
#[cfg(test)]
mod cases;

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(text: &str) -> Diagnostic {
        *load_bytes("t.yaml", text.as_bytes()).unwrap_err()
    }

    #[test]
    fn empty_file_is_located() {
        let d = fail("  \n");
        assert_eq!((d.code, d.line), (Code::E0002, 1));
        assert!(d.message.en().contains("empty"));
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let d = *load_bytes("t.yaml", b"a: 1\nbc: \xff\n").unwrap_err();
        assert_eq!((d.code, d.line, d.col), (Code::E0003, 2, 5));
    }

    #[test]
    fn missing_field_points_at_the_mapping_start() {
        let text = "document:\n  title: t\n  # comment\n  organisation: o\n  purpose: p\n";
        let all = load("t.yaml", text.as_bytes()).unwrap_err();
        let d = all
            .iter()
            .find(|d| d.message.en().contains("`decision`"))
            .expect("decision is missing");
        assert_eq!(d.code, Code::E0012, "{d:?}");
        assert_eq!((d.line, d.col), (2, 3), "{d:?}");
        assert!(
            d.help.as_ref().unwrap().en().contains("ends at line 5"),
            "{d:?}"
        );
        // The fallback, for faults only deserialisation sees, finds the same start.
        assert_eq!(
            block_mapping_start(text, Pos::new(5, 3)),
            Some(Pos::new(2, 3))
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let d = fail("document: [\n");
        assert!(d.line >= 1, "{d:?}");
        assert!(d.is_error());
    }
}
