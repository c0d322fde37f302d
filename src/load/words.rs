//! Schema faults in the writer's words: each located on the node it is about, with a fix
//! (« `dns` takes a list: write `dns: [a.b.ca]` », « did you mean `delete`? », « write
//! 2024-01-15 »). An unknown key next to the missing key it was meant to be is one fault.

use super::shape::Fault;
use super::tree::{self, Located, Node};
use crate::diag::{Code, Diagnostic, Pos, did_you_mean, shown};
use serde_saphyr::Spanned;

const FORMAT_HELP: &str = "see README.md, « Inventory format »";

/// Every fault as a diagnostic, sorted by position.
pub(super) fn diagnostics(file: &str, root: &Spanned<Node>, faults: Vec<Fault>) -> Vec<Diagnostic> {
    let words = Words { file, root };
    let (keys, others): (Vec<Fault>, Vec<Fault>) = faults
        .into_iter()
        .partition(|f| matches!(f, Fault::Unknown { .. } | Fault::Missing { .. }));
    let mut out: Vec<Diagnostic> = others.iter().filter_map(|f| words.value(f)).collect();
    out.extend(words.keys(keys));
    crate::diag::sort(&mut out);
    out.dedup();
    out
}

/// The dates of a deserialised inventory that are not written AAAA-MM-JJ (the schema's
/// pattern, `Fault::Date`), in the same words.
pub(super) fn dates(file: &str, inv: &crate::model::Inventory) -> Vec<Diagnostic> {
    let states = inv.states.iter().filter_map(|s| s.date.as_ref());
    let jours = inv.instances.iter().filter_map(|i| i.jour_m.as_ref());
    std::iter::once(&inv.document.decision.date)
        .chain(states)
        .chain(jours)
        .filter(|d| !crate::date::has_shape(&d.value))
        .map(|d| {
            let (code, msg, help) = date_words(&d.value);
            Diagnostic::error(code, file, Pos::from(d), msg).with_help(help)
        })
        .collect()
}

struct Words<'t> {
    file: &'t str,
    root: &'t Spanned<Node>,
}

impl Words<'_> {
    fn locate(&self, at: &str) -> Option<Located<'_>> {
        tree::locate(self.root, at)
    }

    fn error(&self, code: Code, pos: Pos, msg: String, help: String) -> Diagnostic {
        Diagnostic::error(code, self.file, pos, msg).with_help(help)
    }

    /// Unknown and missing keys, mapping by mapping: an unknown key close to a missing one
    /// (or the only unknown beside the only missing) is reported once, as « did you mean ».
    fn keys(&self, faults: Vec<Fault>) -> Vec<Diagnostic> {
        type Keys = (Vec<(String, Vec<String>)>, Vec<(String, Option<String>)>);
        let mut by_mapping: std::collections::BTreeMap<String, Keys> = Default::default();
        for f in faults {
            match f {
                Fault::Unknown { at, key, allowed } => {
                    by_mapping.entry(at).or_default().0.push((key, allowed));
                }
                Fault::Missing {
                    at,
                    key,
                    description,
                } => by_mapping.entry(at).or_default().1.push((key, description)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (at, (unknown, mut missing)) in by_mapping {
            let lone = unknown.len() == 1 && missing.len() == 1;
            for (key, allowed) in unknown {
                let meant = did_you_mean(&key, missing.iter().map(|(k, _)| k.as_str()))
                    .map(str::to_string)
                    .or_else(|| lone.then(|| missing[0].0.clone()));
                if let Some(m) = &meant {
                    missing.retain(|(k, _)| k != m);
                }
                out.extend(self.unknown(&at, &key, &allowed, meant.as_deref()));
            }
            out.extend(
                missing
                    .iter()
                    .filter_map(|(key, d)| self.missing(&at, key, d.as_deref())),
            );
        }
        out
    }

    fn unknown(
        &self,
        at: &str,
        key: &str,
        allowed: &[String],
        meant: Option<&str>,
    ) -> Option<Diagnostic> {
        let here = self.locate(at)?;
        let pos = match here.node {
            Node::Map(m) => m.get(key).map_or(here.at, |(k, _)| tree::pos(k)),
            _ => here.at,
        };
        let help = match meant {
            Some(m) => format!("did you mean `{m}`? this mapping needs `{m}:`"),
            None => match did_you_mean(key, allowed.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if allowed.is_empty() => "remove this key".into(),
                None => format!("the keys here are: {}", allowed.join(", ")),
            },
        };
        let msg = format!("unknown key `{}`", shown(key));
        Some(self.error(Code::E0010, pos, msg, help))
    }

    fn missing(&self, at: &str, key: &str, description: Option<&str>) -> Option<Diagnostic> {
        let here = self.locate(at)?;
        let mut help = format!("add `{key}:` to this mapping");
        let end = tree::last_line(here.node).unwrap_or(0);
        if end > here.at.line {
            help.push_str(&format!(" (it ends at line {end})"));
        }
        if let Some(d) = description {
            help.push_str(&format!(" — {d}"));
        }
        help.push_str(&format!(" ({FORMAT_HELP})"));
        let msg = format!("missing key `{key}`");
        Some(self.error(Code::E0012, here.at, msg, help))
    }

    /// A fault about a value: where it is (its key, when the value is empty), what it is.
    fn value(&self, f: &Fault) -> Option<Diagnostic> {
        let here = self.locate(f.at())?;
        let pos = match (here.node, here.key) {
            (Node::Null, Some(k)) => k,
            _ => here.at,
        };
        let subject = subject(f.at());
        let name = &subject.name;
        let (code, msg, help) = match f {
            Fault::Type { want, keys, .. } => type_words(&subject, want, keys, here.node),
            Fault::Value { values, tags, .. } => value_words(name, values, tags, here.node),
            Fault::Bare {
                tag, takes_object, ..
            } => {
                let example = if *takes_object { "{ … }" } else { "…" };
                let msg = format!("`{tag}` needs a value");
                let help =
                    smallest_form(tag).unwrap_or_else(|| format!("write `{tag}: {example}`"));
                (Code::E0013, msg, help)
            }
            Fault::NotTag { tag, .. } => (
                Code::E0013,
                format!("`{tag}` takes no value"),
                format!("write `{tag}` alone, without `:` and what follows"),
            ),
            Fault::Tags { keys, .. } => (
                Code::E0013,
                format!("one item holds several keys: {}", keys.join(", ")),
                "write one per item, each on its own line starting with `- `".into(),
            ),
            Fault::Range { min, .. } => range_words(name, *min),
            Fault::Date { .. } => date_words(&text(here.node)),
            Fault::Unknown { .. } | Fault::Missing { .. } => return None,
        };
        Some(self.error(code, pos, msg, help))
    }
}

/// How a message names the node at a pointer (`` `dns` ``, `` an item of `vms` ``, `the
/// inventory`), and its key when it is the value of one.
struct Subject {
    name: String,
    key: Option<String>,
}

fn subject(at: &str) -> Subject {
    let mut segs = at.rsplit('/');
    let (last, parent) = (segs.next().unwrap_or_default(), segs.next());
    if at.is_empty() {
        return Subject {
            name: "the inventory".into(),
            key: None,
        };
    }
    if last.parse::<usize>().is_ok() {
        let name = match parent {
            Some(p) if !p.is_empty() && p.parse::<usize>().is_err() => {
                format!("an item of `{}`", unescape(p))
            }
            _ => "an item".into(),
        };
        return Subject { name, key: None };
    }
    let key = unescape(last);
    Subject {
        name: format!("`{key}`"),
        key: Some(key),
    }
}

fn unescape(seg: &str) -> String {
    shown(&seg.replace("~1", "/").replace("~0", "~"))
}

/// A scalar as the writer wrote it (a number or a boolean by its JSON text).
fn text(node: &Node) -> String {
    match node {
        Node::Str(s) => s.clone(),
        Node::Seq(_) | Node::Map(_) => String::new(),
        other => tree::key_text(other),
    }
}

fn value_words(
    name: &str,
    values: &[String],
    tags: &[String],
    got: &Node,
) -> (Code, String, String) {
    let v = text(got);
    let mut written: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    written.extend(tags.iter().map(|t| format!("`{t}: …`")));
    let one_of = format!("write one of: {}", written.join(", "));
    let allowed: Vec<&str> = values.iter().chain(tags).map(String::as_str).collect();
    let (msg, help) = match got {
        Node::Null => (format!("{name} is empty"), one_of),
        Node::Seq(_) | Node::Map(_) => (
            format!("{name} takes one value, not a list or keys"),
            one_of,
        ),
        _ => (
            format!("unknown value `{}` for {name}", shown(&v)),
            match did_you_mean(&v, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => one_of,
            },
        ),
    };
    (Code::E0011, msg, help)
}

fn type_words(s: &Subject, want: &[String], keys: &[String], got: &Node) -> (Code, String, String) {
    let wants = |t: &str| want.iter().any(|w| w == t);
    if wants("array") {
        return list_words(s, got);
    }
    if wants("object") {
        return mapping_words(s, keys, got);
    }
    let (name, key) = (&s.name, s.key.as_deref().unwrap_or_default());
    if wants("integer") {
        return integer_words(name, key, got);
    }
    match got {
        Node::Null if wants("string") => (
            Code::E0120,
            format!("{name} is empty"),
            format!("write its text after `{key}:`"),
        ),
        _ if wants("string") => (
            Code::E0013,
            format!("{name} takes a text, not a list or keys"),
            "put the text in quotes when it starts with `[`, `{`, `-` or holds `: `".into(),
        ),
        _ => (
            Code::E0013,
            format!("{name} takes {}", want.join(" or ")),
            FORMAT_HELP.into(),
        ),
    }
}

fn list_words(s: &Subject, got: &Node) -> (Code, String, String) {
    let name = &s.name;
    let value = shown(&text(got));
    let (msg, help) = match (got, &s.key) {
        (Node::Null, Some(k)) => (
            format!("{name} is empty"),
            format!("write a list, e.g. `{k}: [ … ]`, or remove the key"),
        ),
        (Node::Map(_), _) => (
            format!("{name} takes a list"),
            "start each item with `- `".into(),
        ),
        (_, Some(k)) => (
            format!("{name} takes a list: write `{k}: [{value}]`"),
            "a list is written `[a, b]`, or one `- ` item per line".into(),
        ),
        (_, None) => (format!("{name} takes a list"), format!("write `[{value}]`")),
    };
    (Code::E0013, msg, help)
}

/// The smallest valid form of a key whose keys are all optional, when a writer may not know
/// them yet: a creation before its Octopus number.
fn smallest_form(key: &str) -> Option<String> {
    (key == "create").then(|| {
        "write `create: {}` until the Octopus number is known, then `create: { ticket: 12345 }`"
            .to_string()
    })
}

fn mapping_words(s: &Subject, keys: &[String], got: &Node) -> (Code, String, String) {
    let name = &s.name;
    let example: Vec<String> = keys.iter().map(|k| format!("`{k}: …`")).collect();
    let example = if example.is_empty() {
        FORMAT_HELP.to_string()
    } else {
        example.join(", ")
    };
    let help = match (got, &s.key) {
        (Node::Seq(_), _) => "remove the `- `: this is a mapping of keys, not a list".to_string(),
        (_, Some(k)) if smallest_form(k).is_some() => smallest_form(k).unwrap_or_default(),
        (_, Some(k)) => format!("write its keys below `{k}:`, indented: {example}"),
        (_, None) if s.name == "the inventory" => format!("start with {example}"),
        (_, None) => format!("write it as keys after `- `: {example}"),
    };
    (
        Code::E0013,
        format!("{name} takes keys, not a single value"),
        help,
    )
}

fn integer_words(name: &str, key: &str, got: &Node) -> (Code, String, String) {
    let digits: String = text(got).chars().filter(char::is_ascii_digit).collect();
    if key == "ticket" {
        let n = if digits.is_empty() || digits.len() > 9 {
            "120451".to_string()
        } else {
            digits
        };
        let msg = format!("a ticket is a number, e.g. `ticket: {n}`");
        return (
            Code::E0013,
            msg,
            "write the Octopus number alone, without letters or quotes".into(),
        );
    }
    let msg = if matches!(got, Node::Null) {
        format!("{name} is empty: write a whole number")
    } else {
        format!("{name} takes a whole number")
    };
    (
        Code::E0013,
        msg,
        format!("write e.g. `{key}: 1`, without quotes or decimals"),
    )
}

fn range_words(name: &str, min: bool) -> (Code, String, String) {
    let msg = if min {
        format!("{name} cannot be negative")
    } else {
        format!("{name} is too large (at most {})", u32::MAX)
    };
    (Code::E0013, msg, "write a whole number from 0".into())
}

/// `15/01/2024` → write 2024-01-15: the parts reordered when the date is recognisable.
fn date_words(value: &str) -> (Code, String, String) {
    let msg = format!("`{}` is not a date written AAAA-MM-JJ", shown(value));
    let help = match crate::date::reorder(value) {
        Some((iso, None)) => format!("write {iso}"),
        Some((iso, Some(day))) => format!("write {iso} (if {day} is the day)"),
        None => "write the date as AAAA-MM-JJ, e.g. 2024-01-15".into(),
    };
    (Code::E0109, msg, help)
}
