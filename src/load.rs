//! The *load* stage: bytes → UTF-8 → YAML → typed [`Inventory`], or one located diagnostic.

use crate::diag::{Code, Diagnostic, Pos, did_you_mean};
use crate::model::Inventory;
use std::path::Path;

/// Larger inventories are refused before parsing: a real one is a few kilobytes.
pub const MAX_INVENTORY_BYTES: usize = 4 * 1024 * 1024;

/// A loaded inventory with the text it came from (for carets in diagnostics).
#[derive(Debug)]
pub struct Source {
    /// The path as the user gave it, used in every diagnostic.
    pub name: String,
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
            .with_help("pass an existing inventory with `--inventory FILE`"),
        )
    })
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the inventory: {e}"))?;
    if meta.is_dir() {
        return Err("cannot read the inventory: it is a directory".into());
    }
    if !meta.is_file() {
        return Err(
            "cannot read the inventory: it is not a regular file (a pipe or a device)".into(),
        );
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the inventory: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_INVENTORY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the inventory: {e}"))?;
    Ok(bytes)
}

/// Parses inventory bytes; `name` is used in diagnostics.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<(Source, Inventory), Box<Diagnostic>> {
    let err = |pos: Pos, msg: String, help: &str| {
        Box::new(Diagnostic::error(Code::E0002, name, pos, msg).with_help(help.to_string()))
    };
    if bytes.len() > MAX_INVENTORY_BYTES {
        return Err(err(
            Pos::new(1, 1),
            format!(
                "the inventory is larger than {} MiB",
                MAX_INVENTORY_BYTES / 1024 / 1024
            ),
            "an inventory is a few kilobytes: check that this is the right file",
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            return Err(Box::new(
                Diagnostic::error(
                    Code::E0003,
                    name,
                    Pos::new(line as u32, col as u32),
                    format!(
                        "the inventory is not valid UTF-8 (byte 0x{:02X})",
                        bytes[e.valid_up_to()]
                    ),
                )
                .with_help("save the file as UTF-8"),
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(err(
            Pos::new(1, 1),
            "the inventory is empty".into(),
            "start from the example in README.md (« Inventory format »)",
        ));
    }
    match serde_saphyr::from_str_with_options::<Inventory>(text, options()) {
        Ok(inv) => Ok((
            Source {
                name: name.to_string(),
                text: text.to_string(),
            },
            inv,
        )),
        Err(e) => Err(Box::new(yaml_diagnostic(name, text, &e))),
    }
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
            help = Some(format!(
                "add `{field}:` to the mapping that starts here (it ends at line {})",
                pos.line
            ));
            pos = start;
        }
    }
    let mut d = Diagnostic::error(code, name, pos, raw);
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

/// Picks the code and a fix for well-known serde messages.
fn classify(msg: &str) -> (Code, Option<String>) {
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
            Some(s) => format!("did you mean `{s}`?"),
            None if !expected.is_empty() => format!("expected one of: {}", expected.join(", ")),
            None => "remove this key".into(),
        };
        return (Code::E0010, Some(help));
    }
    if msg.starts_with("unknown variant `") {
        return (
            Code::E0011,
            Some("use one of the values listed above".into()),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return (
            Code::E0012,
            Some(format!(
                "add `{field}:` to the mapping that ends here (see README.md, « Format de l’inventaire »)"
            )),
        );
    }
    if msg.starts_with("invalid") {
        let help = if msg.contains("u32") || msg.contains("integer") {
            "write a whole number, without quotes"
        } else {
            "write the value with the type this key expects (see README.md)"
        };
        return (Code::E0013, Some(help.into()));
    }
    (
        Code::E0002,
        Some("fix the YAML syntax at this position".into()),
    )
}

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
        assert!(d.message.contains("empty"));
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let d = *load_bytes("t.yaml", b"a: 1\nbc: \xff\n").unwrap_err();
        assert_eq!((d.code, d.line, d.col), (Code::E0003, 2, 5));
    }

    #[test]
    fn missing_field_points_at_the_mapping_start() {
        let text = "document:\n  title: t\n  # comment\n  organisation: o\n  purpose: p\n";
        let d = fail(text);
        assert_eq!(d.code, Code::E0012, "{d:?}");
        assert_eq!((d.line, d.col), (2, 3), "{d:?}");
        assert!(d.help.unwrap().contains("ends at line"));
    }

    #[test]
    fn syntax_error_has_position() {
        let d = fail("document: [\n");
        assert!(d.line >= 1, "{d:?}");
        assert!(d.is_error());
    }
}
